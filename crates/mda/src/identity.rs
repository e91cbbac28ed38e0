//! Checks on ship identities: MMSI formats (ITU-R M.585-9) and IMO
//! number check digits (IMO resolution A.1117(30)).

/// Why an MMSI cannot be a ship station sending position reports, or
/// `None` if it can.
///
/// Accepted: `MIDxxxxxx` with a first digit 2–7 and MID 201–775 (the
/// range of allocated Maritime Identification Digits, ITU-R M.585 and the
/// ITU MID table; gaps inside the range are not checked), `8MIDxxxxx`
/// (hand-held VHF), `98MIDxxxx` (craft associated with a parent ship) and
/// `970`/`972`/`974` (AIS-SART, man overboard, EPIRB-AIS), which also send
/// position reports.
pub fn mmsi_problem(mmsi: u32) -> Option<&'static str> {
    if mmsi < 100_000_000 {
        return Some(if mmsi >= 1_000_000 {
            "group or coast station identity (leading zero) on a ship"
        } else {
            "fewer than nine digits"
        });
    }
    if mmsi > 999_999_999 {
        return Some("more than nine digits");
    }
    let first = mmsi / 100_000_000;
    match first {
        2..=7 => {
            let mid = mmsi / 1_000_000;
            if (201..=775).contains(&mid) {
                None
            } else {
                Some("maritime identification digits outside 201-775")
            }
        }
        8 => {
            let mid = (mmsi / 100_000) % 1000;
            if (201..=775).contains(&mid) {
                None
            } else {
                Some("maritime identification digits outside 201-775")
            }
        }
        9 => match mmsi / 1_000_000 {
            970 | 972 | 974 => None,
            980..=989 => {
                let mid = (mmsi / 10_000) % 1000;
                if (201..=775).contains(&mid) {
                    None
                } else {
                    Some("maritime identification digits outside 201-775")
                }
            }
            990..=999 => Some("aid-to-navigation identity on a ship"),
            _ => Some("reserved 9xx identity"),
        },
        1 if mmsi / 1_000_000 == 111 => Some("SAR aircraft identity on a ship"),
        _ => Some("maritime identification digits outside 201-775"),
    }
}

/// Whether `imo` is a seven-digit IMO ship identification number with a
/// valid check digit: the digits weighted 7 to 2, summed, modulo 10.
pub fn is_valid_imo(imo: u32) -> bool {
    if !(1_000_000..=9_999_999).contains(&imo) {
        return false;
    }
    let mut n = imo / 10;
    let mut sum = 0;
    for w in 2..=7 {
        sum += (n % 10) * w;
        n /= 10;
    }
    sum % 10 == imo % 10
}

/// Completes six digits with their IMO check digit.
pub fn imo_with_check_digit(six: u32) -> u32 {
    let mut n = six % 1_000_000;
    let mut sum = 0;
    for w in 2..=7 {
        sum += (n % 10) * w;
        n /= 10;
    }
    (six % 1_000_000) * 10 + sum % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mmsi_formats() {
        for ok in [
            201_000_000,
            366_123_456,
            775_999_999,
            970_123_456,
            982_710_001,
            824_412_345,
        ] {
            assert_eq!(mmsi_problem(ok), None, "{ok}");
        }
        for bad in [
            0,
            12_345,
            2_350_000,
            123_456_789,
            111_232_123,
            200_123_456,
            776_000_001,
            992_351_234,
            1_000_000_000,
        ] {
            assert!(mmsi_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn imo_check_digit() {
        // The example in IMO resolution A.1117(30): 9074729.
        assert!(is_valid_imo(9_074_729));
        assert!(!is_valid_imo(9_074_728));
        assert_eq!(imo_with_check_digit(907_472), 9_074_729);
        assert!(!is_valid_imo(0));
    }
}
