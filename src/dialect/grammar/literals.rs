//! Number literals: turning a number token into its value with Neo4j's messages for the
//! malformed ones (`12ab`, `0x`, `1__0`: "invalid literal number"), the out-of-range ones
//! ("integer is too large", "floating point number is too large") and the legacy octal
//! form (`012`).
//!
//! It owns literal values. It must not know where a literal stands.

use crate::dialect::lexer::Tok;

/// Neo4j's message for a number token it cannot read.
pub const INVALID_NUMBER: &str = "invalid literal number";
/// Neo4j's message for an integer outside 64 bits.
pub const TOO_LARGE: &str = "integer is too large";

/// `[first](_?[digit])*` over `body` with `digit` deciding the alphabet.
fn digits_ok(body: &str, digit: impl Fn(u8) -> bool) -> bool {
    let b = body.as_bytes();
    if b.is_empty() || !digit(b[0]) {
        return false;
    }
    let mut i = 1;
    while i < b.len() {
        if digit(b[i]) {
            i += 1;
        } else if b[i] == b'_' && i + 1 < b.len() && digit(b[i + 1]) {
            i += 2;
        } else {
            return false;
        }
    }
    true
}

/// The value of an integer token (`Int`, `Hex` or `Octal`), negated when `negative`.
pub fn integer(text: &str, kind: Tok, negative: bool) -> Result<i64, String> {
    let (digits, radix) = match kind {
        Tok::Hex => {
            let body = &text[2..];
            if !digits_ok(body, |b| b.is_ascii_hexdigit()) {
                return Err(INVALID_NUMBER.into());
            }
            (body, 16)
        }
        Tok::Octal => {
            if let Some(body) = text.strip_prefix("0o") {
                if !digits_ok(body, |b| (b'0'..=b'7').contains(&b)) {
                    return Err(INVALID_NUMBER.into());
                }
                (body, 8)
            } else if digits_ok(&text[1..], |b| b.is_ascii_digit()) {
                return Err(format!(
                    "The octal integer literal syntax `{text}` is no longer supported, please \
                     use `0o{}` instead",
                    &text[1..]
                ));
            } else {
                return Err(INVALID_NUMBER.into());
            }
        }
        _ => {
            if text != "0"
                && !(text.as_bytes()[0] != b'0' && digits_ok(text, |b| b.is_ascii_digit()))
            {
                return Err(INVALID_NUMBER.into());
            }
            (text, 10)
        }
    };
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let magnitude = u64::from_str_radix(&clean, radix).map_err(|_| TOO_LARGE.to_string())?;
    if negative {
        if magnitude == 1 << 63 {
            return Ok(i64::MIN);
        }
        i64::try_from(magnitude)
            .map(|n| -n)
            .map_err(|_| TOO_LARGE.to_string())
    } else {
        i64::try_from(magnitude).map_err(|_| TOO_LARGE.to_string())
    }
}

/// The value of a float token, negated when `negative`.
pub fn float(text: &str, negative: bool) -> Result<f64, String> {
    let b = text.as_bytes();
    // Mantissa: digits [. digits] or . digits; then an optional exponent; nothing else.
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits_ok(frac, |c| c.is_ascii_digit()),
        Some((int, frac)) => {
            digits_ok(int, |c| c.is_ascii_digit()) && digits_ok(frac, |c| c.is_ascii_digit())
        }
        None => digits_ok(mantissa, |c| c.is_ascii_digit()) && exponent.is_some(),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        let e = e.strip_prefix('_').unwrap_or(e);
        digits_ok(e, |c| c.is_ascii_digit())
    });
    if b.is_empty() || !mantissa_ok || !exponent_ok {
        return Err(INVALID_NUMBER.into());
    }
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let v: f64 = clean.parse().map_err(|_| INVALID_NUMBER.to_string())?;
    if v.is_infinite() {
        return Err("floating point number is too large".into());
    }
    Ok(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(integer("1_000", Tok::Int, false), Ok(1000));
        assert_eq!(integer("0", Tok::Int, false), Ok(0));
        assert_eq!(
            integer("9223372036854775807", Tok::Int, false),
            Ok(i64::MAX)
        );
        assert_eq!(integer("9223372036854775808", Tok::Int, true), Ok(i64::MIN));
        assert_eq!(
            integer("9223372036854775808", Tok::Int, false).unwrap_err(),
            TOO_LARGE
        );
        assert_eq!(
            integer("9223372036854775809", Tok::Int, true).unwrap_err(),
            TOO_LARGE
        );
        assert_eq!(
            integer("123abc", Tok::Int, false).unwrap_err(),
            INVALID_NUMBER
        );
        assert_eq!(
            integer("1__0", Tok::Int, false).unwrap_err(),
            INVALID_NUMBER
        );
        assert_eq!(integer("1_", Tok::Int, false).unwrap_err(), INVALID_NUMBER);
        assert_eq!(integer("0x1F", Tok::Hex, false), Ok(31));
        assert_eq!(integer("0x", Tok::Hex, false).unwrap_err(), INVALID_NUMBER);
        assert_eq!(integer("0x8000000000000000", Tok::Hex, true), Ok(i64::MIN));
        assert_eq!(integer("0o17", Tok::Octal, false), Ok(15));
        assert_eq!(
            integer("0o78", Tok::Octal, false).unwrap_err(),
            INVALID_NUMBER
        );
        assert_eq!(
            integer("012", Tok::Octal, false).unwrap_err(),
            "The octal integer literal syntax `012` is no longer supported, please use `0o12` instead"
        );
    }

    #[test]
    fn floats() {
        assert_eq!(float("1.5", false), Ok(1.5));
        assert_eq!(float(".5", true), Ok(-0.5));
        assert_eq!(float("1e3", false), Ok(1000.0));
        assert_eq!(float("1_0.5e-1", false), Ok(1.05));
        assert_eq!(float("1.5x", false).unwrap_err(), INVALID_NUMBER);
        assert_eq!(
            float("1e999", false).unwrap_err(),
            "floating point number is too large"
        );
    }
}
