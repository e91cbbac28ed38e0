//! Positions written as text: degrees, minutes and seconds with hemisphere
//! letters, as in NGA's ASAM export.

use std::fmt;

/// Why a position could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PositionError {
    /// The text is empty.
    Empty,
    /// Something other than numbers, marks and hemisphere letters.
    UnexpectedText(String),
    /// Not one latitude (N/S) and one longitude (E/W).
    Hemispheres,
    /// A coordinate has no numbers or more than degrees, minutes, seconds,
    /// or a fraction on other than its last part.
    Shape,
    /// Minutes or seconds above 60, or degrees beyond 90 / 180.
    OutOfRange,
}

impl fmt::Display for PositionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PositionError::Empty => f.write_str("empty position"),
            PositionError::UnexpectedText(t) => write!(f, "unexpected text {t:?} in position"),
            PositionError::Hemispheres => {
                f.write_str("position needs one latitude (N/S) and one longitude (E/W)")
            }
            PositionError::Shape => f.write_str("coordinate is not degrees [minutes [seconds]]"),
            PositionError::OutOfRange => f.write_str("coordinate out of range"),
        }
    }
}

impl std::error::Error for PositionError {}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    /// A number and whether it had a fractional part.
    Number(f64, bool),
    /// N, S, E or W, upper case.
    Hemisphere(u8),
}

/// Reads a position like `46°37'50.89"N\n31°35'01.64"E` and returns
/// `(latitude, longitude)` in decimal degrees, south and west negative.
///
/// Accepted forms, found in the ASAM data or in hand-typed reports:
/// degrees–minutes–seconds, degrees and decimal minutes, or decimal
/// degrees; hemisphere letters after (`1°07'00"N`) or before (`N 1°07'`)
/// the numbers; any of `° º ' ′ ’ " ″ ''` and spaces, commas, slashes or
/// line breaks between the parts, so doubled or missing quote marks do not
/// matter. Latitude may come second. Minutes and seconds of exactly 60 are
/// accepted: the ASAM export writes `5°60'00"` for 6°, a rounding carry its
/// converter never propagated, and the value is still unambiguous.
pub fn parse_dms(text: &str) -> Result<(f64, f64), PositionError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(PositionError::Empty);
    }
    let letters: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Token::Hemisphere(_)))
        .map(|(i, _)| i)
        .collect();
    let [first, second] = letters[..] else {
        return Err(PositionError::Hemispheres);
    };
    // Letters follow their numbers when the text ends in a letter, and
    // precede them when it starts with one.
    let (a, b) = if second == tokens.len() - 1 {
        (&tokens[..first], &tokens[first + 1..second])
    } else if first == 0 {
        (&tokens[1..second], &tokens[second + 1..])
    } else {
        return Err(PositionError::Shape);
    };
    let hemisphere = |i: usize| match tokens[i] {
        Token::Hemisphere(h) => h,
        Token::Number(..) => b'?',
    };
    let (h1, h2) = (hemisphere(first), hemisphere(second));
    let v1 = coordinate(a)?;
    let v2 = coordinate(b)?;
    let (lat, lat_h, lon, lon_h) = match (h1, h2) {
        (b'N' | b'S', b'E' | b'W') => (v1, h1, v2, h2),
        (b'E' | b'W', b'N' | b'S') => (v2, h2, v1, h1),
        _ => return Err(PositionError::Hemispheres),
    };
    if lat > 90.0 || lon > 180.0 {
        return Err(PositionError::OutOfRange);
    }
    let lat = if lat_h == b'S' { -lat } else { lat };
    let lon = if lon_h == b'W' { -lon } else { lon };
    Ok((lat, lon))
}

fn tokenize(text: &str) -> Result<Vec<Token>, PositionError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_ascii_digit() || c == '.' {
            let mut end = start;
            let mut dots = 0;
            while let Some(&(i, d)) = chars.peek() {
                if d.is_ascii_digit() {
                    end = i + 1;
                } else if d == '.' {
                    dots += 1;
                    end = i + 1;
                } else {
                    break;
                }
                chars.next();
            }
            let s = &text[start..end];
            let value: f64 = s
                .parse()
                .map_err(|_| PositionError::UnexpectedText(s.to_owned()))?;
            if dots > 1 || !value.is_finite() {
                return Err(PositionError::UnexpectedText(s.to_owned()));
            }
            tokens.push(Token::Number(value, dots == 1));
        } else if c.is_alphabetic() {
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let word = &text[start..end];
            match word {
                "N" | "S" | "E" | "W" | "n" | "s" | "e" | "w" => {
                    tokens.push(Token::Hemisphere(word.as_bytes()[0].to_ascii_uppercase()))
                }
                _ => return Err(PositionError::UnexpectedText(word.to_owned())),
            }
        } else if c.is_whitespace() || "°º˚'′’‘\"″“”,;/".contains(c) {
            chars.next();
        } else {
            return Err(PositionError::UnexpectedText(c.to_string()));
        }
    }
    Ok(tokens)
}

/// Degrees, optional minutes, optional seconds; only the last may have a
/// fraction.
fn coordinate(parts: &[Token]) -> Result<f64, PositionError> {
    let mut numbers = Vec::with_capacity(3);
    for t in parts {
        match *t {
            Token::Number(v, fraction) => numbers.push((v, fraction)),
            Token::Hemisphere(_) => return Err(PositionError::Hemispheres),
        }
    }
    if numbers.is_empty() || numbers.len() > 3 {
        return Err(PositionError::Shape);
    }
    if numbers[..numbers.len() - 1].iter().any(|&(_, f)| f) {
        return Err(PositionError::Shape);
    }
    let mut value = 0.0;
    let mut scale = 1.0;
    for (i, &(v, _)) in numbers.iter().enumerate() {
        if i > 0 && v > 60.0 {
            return Err(PositionError::OutOfRange);
        }
        value += v / scale;
        scale *= 60.0;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Result<(f64, f64), PositionError>) {
        let got = parse_dms(text);
        match (&got, &expect) {
            (Ok((a, b)), Ok((c, d))) => assert!(
                (a - c).abs() < 1e-4 && (b - d).abs() < 1e-4,
                "{text:?}: got {got:?}, want {expect:?}"
            ),
            _ => assert_eq!(got, expect, "{text:?}"),
        }
    }

    #[test]
    fn forms() {
        check("46°37'50.89\"N\n31°35'01.64\"E", Ok((46.6308, 31.5838)));
        check("1°07'00\"N\n103°31'00\"E", Ok((1.1167, 103.5167)));
        check("5°60'00\"S\n106°54'00\"E", Ok((-6.0, 106.9)));
        check("4°15'S 152°11'E", Ok((-4.25, 152.1833)));
        check("4°15.5'S, 152°11.25'W", Ok((-4.2583, -152.1875)));
        check("4.25S 152.5E", Ok((-4.25, 152.5)));
        check("N 4 15 E 152 11", Ok((4.25, 152.1833)));
        check("152°11'E 4°15'S", Ok((-4.25, 152.1833)));
        check("1°07'00''N 103°31'00''E", Ok((1.1167, 103.5167)));
        check("", Err(PositionError::Empty));
        check("  \n", Err(PositionError::Empty));
        check("1°07'00\"N", Err(PositionError::Hemispheres));
        check("1°07'00\"N 2°E 3°W", Err(PositionError::Hemispheres));
        check("1°07'00\"N 2°S", Err(PositionError::Hemispheres));
        check("91°N 2°E", Err(PositionError::OutOfRange));
        check("1°61'N 2°E", Err(PositionError::OutOfRange));
        check("1.5°07'N 2°E", Err(PositionError::Shape));
        check("1 2 3 4N 2E", Err(PositionError::Shape));
        check(
            "1°N abc 2°E",
            Err(PositionError::UnexpectedText("abc".into())),
        );
        check(
            "1..2N 2E",
            Err(PositionError::UnexpectedText("1..2".into())),
        );
        check("N E", Err(PositionError::Shape));
    }
}
