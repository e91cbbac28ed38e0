//! RFC 8785 examples and a comparison with an independent implementation.

use ledger::CanonicalError;
use ledger::canonical::{MAX_DEPTH, to_vec, to_writer};
use proptest::prelude::*;
use serde_json::{Value, json};

fn canon(value: &Value) -> String {
    String::from_utf8(to_vec(value).unwrap()).unwrap()
}

fn canon_text(text: &str) -> String {
    canon(&serde_json::from_str(text).unwrap())
}

/// RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text.
/// NaN and Infinity (also in the table) cannot be held by a serde_json Value.
const APPENDIX_B: &[(u64, &str)] = &[
    (0x0000000000000000, "0"),
    (0x8000000000000000, "0"),
    (0x0000000000000001, "5e-324"),
    (0x8000000000000001, "-5e-324"),
    (0x7fefffffffffffff, "1.7976931348623157e+308"),
    (0xffefffffffffffff, "-1.7976931348623157e+308"),
    (0x4340000000000000, "9007199254740992"),
    (0xc340000000000000, "-9007199254740992"),
    (0x4430000000000000, "295147905179352830000"),
    (0x44b52d02c7e14af5, "9.999999999999997e+22"),
    (0x44b52d02c7e14af6, "1e+23"),
    (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
    (0x444b1ae4d6e2ef4e, "999999999999999700000"),
    (0x444b1ae4d6e2ef4f, "999999999999999900000"),
    (0x444b1ae4d6e2ef50, "1e+21"),
    (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
    (0x3eb0c6f7a0b5ed8d, "0.000001"),
    (0x41b3de4355555553, "333333333.3333332"),
    (0x41b3de4355555554, "333333333.33333325"),
    (0x41b3de4355555555, "333333333.3333333"),
    (0x41b3de4355555556, "333333333.3333334"),
    (0x41b3de4355555557, "333333333.33333343"),
    (0xbecbf647612f3696, "-0.0000033333333333333333"),
    (0x43143ff3c1cb0959, "1424953923781206.2"),
];

#[test]
fn rfc8785_appendix_b_numbers() {
    for &(bits, want) in APPENDIX_B {
        let value = Value::from(f64::from_bits(bits));
        assert_eq!(canon(&value), want, "bits {bits:016x}");
        // The text must read back as the same double.
        if bits != 0x8000000000000000 {
            assert_eq!(want.parse::<f64>().unwrap().to_bits(), bits);
        }
    }
}

#[test]
fn rfc8785_section_3_2_2_example() {
    let input = r#"{
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
    }"#;
    let want = r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#;
    assert_eq!(canon_text(input), want);
}

#[test]
fn rfc8785_section_3_2_3_sorting() {
    let input = r#"{
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis"
    }"#;
    // The emoji (surrogates D83D DE00) sorts before U+FB33 by UTF-16 code
    // units although it is after it by code point.
    let want = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
                \"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\
                \"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
    assert_eq!(canon_text(input), want);
}

#[test]
fn strings_escape_only_what_the_rfc_says() {
    let s: String = (0u8..0x20)
        .map(char::from)
        .chain("\"\\/\u{7f}\u{2028}é".chars())
        .collect();
    let want = concat!(
        r#""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#,
        r#"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#,
        "\\\"\\\\/\u{7f}\u{2028}é\""
    );
    assert_eq!(canon(&Value::String(s)), want);
}

#[test]
fn integers() {
    assert_eq!(
        canon(&json!([
            0,
            -0,
            7,
            -7,
            9007199254740991_i64,
            -9007199254740991_i64
        ])),
        "[0,0,7,-7,9007199254740991,-9007199254740991]"
    );
    // Beyond 2^53 an integer passes only if canonicalisation keeps its digits.
    for kept in [
        "9007199254740992",
        "-9007199254740992",
        "1152921504606847000",
        "1000000000000000000",
        "18446744073709550000",
    ] {
        assert_eq!(canon_text(kept), kept);
    }
    for changed in [
        "9007199254740993",
        "1152921504606846976",
        "18446744073709551615",
        "-9223372036854775808",
    ] {
        let v: Value = serde_json::from_str(changed).unwrap();
        assert_eq!(to_vec(&v), Err(CanonicalError::InexactInteger), "{changed}");
    }
    // As a double the same magnitude is fine: it is what the sender wrote.
    assert_eq!(canon_text("9007199254740992.0"), "9007199254740992");
    assert_eq!(canon_text("-0.0"), "0");
}

#[test]
fn nesting_limit() {
    let mut v = json!(1);
    for _ in 0..MAX_DEPTH {
        v = json!([v]);
    }
    assert!(to_vec(&v).is_ok());
    // One container more than allowed.
    let v = json!({ "a": v });
    assert_eq!(to_vec(&v), Err(CanonicalError::TooDeep));
}

#[test]
fn writer_errors_are_reported() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::StorageFull.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    assert_eq!(
        to_writer(Full, &json!({"a": 1})),
        Err(CanonicalError::Write(std::io::ErrorKind::StorageFull))
    );
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-(1_i64 << 53) + 1..(1_i64 << 53)).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Integral doubles above 2^53, written as their canonical digits.
        (54_u32..64).prop_map(|e| Value::from(2_u64.pow(e) / 1000 * 1000)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[a-c\u{e000}\u{ffff}\u{10000}\u{1f600}]{0,3}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    any::<String>(),
                    "[a-c\u{e000}\u{ffff}\u{10000}\u{1f600}]{0,3}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Agrees byte for byte with `serde_json_canonicalizer`, an independent
    /// RFC 8785 implementation, whenever we accept the value; we refuse only
    /// integers whose digits it would change.
    #[test]
    fn agrees_with_serde_json_canonicalizer(v in arb_json()) {
        let theirs = serde_json_canonicalizer::to_vec(&v).unwrap();
        match to_vec(&v) {
            Ok(ours) => prop_assert_eq!(ours, theirs),
            Err(e) => prop_assert_eq!(e, CanonicalError::InexactInteger),
        }
    }

    /// Canonical output parses back and canonicalises to itself.
    #[test]
    fn is_a_fixed_point(v in arb_json()) {
        if let Ok(bytes) = to_vec(&v) {
            let back: Value = serde_json::from_slice(&bytes).unwrap();
            prop_assert_eq!(to_vec(&back).unwrap(), bytes);
        }
    }
}
