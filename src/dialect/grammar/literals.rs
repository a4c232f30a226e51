//! Number literals: turning a number token into its value with Neo4j's messages for the
//! malformed ones (`12ab`, `0x`, `1__0`: "invalid literal number"), the out-of-range ones
//! ("integer is too large", "floating point number is too large") and the legacy octal
//! form (`012`).
//!
//! It owns literal values. It must not know where a literal stands.

use crate::dialect::lexer::Tok;
use nom::Parser;
use nom::branch::alt;
use nom::character::complete::{char, one_of, satisfy};
use nom::combinator::{all_consuming, opt, recognize};
use nom::multi::many0;

/// Why a number token has no value, displayed in Neo4j's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiteralError {
    /// A token Neo4j cannot read as a number (`12ab`, `0x`, `1__0`).
    #[error("invalid literal number")]
    Invalid,
    /// An integer outside 64 bits.
    #[error("integer is too large")]
    TooLarge,
    /// A float beyond the double range.
    #[error("floating point number is too large")]
    FloatTooLarge,
    /// The legacy octal form `012` (its digits after the `0`).
    #[error(
        "The octal integer literal syntax `0{digits}` is no longer supported, please use `0o{digits}` instead"
    )]
    LegacyOctal {
        /// The digits after the leading `0`.
        digits: String,
    },
}

/// `digit (_? digit)*`: digits with single underscores between them, as Neo4j's lexer
/// allows. (nom's combinators state the number forms as the grammar does.)
fn digits<'a>(
    digit: fn(char) -> bool,
) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    recognize((satisfy(digit), many0((opt(char('_')), satisfy(digit)))))
}

/// True when the whole of `body` is [`digits`].
fn digits_ok(body: &str, digit: fn(char) -> bool) -> bool {
    all_consuming(digits(digit)).parse(body).is_ok()
}

/// True when `text` is a float literal: `digits . digits`, `. digits` or `digits`, then an
/// exponent (`e`, sign, an optional `_`, digits) which the last form requires.
fn float_ok(text: &str) -> bool {
    let dec = |c: char| c.is_ascii_digit();
    let exponent = || (one_of("eE"), opt(one_of("+-")), opt(char('_')), digits(dec));
    let number = alt((
        recognize((digits(dec), char('.'), digits(dec), opt(exponent()))),
        recognize((char('.'), digits(dec), opt(exponent()))),
        recognize((digits(dec), exponent())),
    ));
    all_consuming(number).parse(text).is_ok()
}

/// The value of an integer token (`Int`, `Hex` or `Octal`), negated when `negative`.
pub fn integer(text: &str, kind: Tok, negative: bool) -> Result<i64, LiteralError> {
    if kind == Tok::Int
        && let Some(magnitude) = plain_decimal(text)
    {
        return signed(magnitude?, negative);
    }
    let (digits, radix) = match kind {
        Tok::Hex => {
            let body = &text[2..];
            if !digits_ok(body, |c| c.is_ascii_hexdigit()) {
                return Err(LiteralError::Invalid);
            }
            (body, 16)
        }
        Tok::Octal => {
            if let Some(body) = text.strip_prefix("0o") {
                if !digits_ok(body, |c| ('0'..='7').contains(&c)) {
                    return Err(LiteralError::Invalid);
                }
                (body, 8)
            } else if digits_ok(&text[1..], |c| c.is_ascii_digit()) {
                return Err(LiteralError::LegacyOctal {
                    digits: text[1..].to_string(),
                });
            } else {
                return Err(LiteralError::Invalid);
            }
        }
        _ => {
            if text != "0"
                && !(text.as_bytes()[0] != b'0' && digits_ok(text, |c| c.is_ascii_digit()))
            {
                return Err(LiteralError::Invalid);
            }
            (text, 10)
        }
    };
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let magnitude = u64::from_str_radix(&clean, radix).map_err(|_| LiteralError::TooLarge)?;
    signed(magnitude, negative)
}

/// The magnitude of a decimal integer written with digits only and no leading zero (`0`
/// itself included), as almost every literal is: read in one pass, without the grammar
/// check and the copy without underscores the other forms take. `Some(Err)` when it
/// does not fit 64 bits; `None` for any other spelling, which the general path reads.
fn plain_decimal(text: &str) -> Option<Result<u64, LiteralError>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || (bytes[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    let mut magnitude: Option<u64> = Some(0);
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        magnitude = magnitude
            .and_then(|m| m.checked_mul(10))
            .and_then(|m| m.checked_add(u64::from(b - b'0')));
    }
    Some(magnitude.ok_or(LiteralError::TooLarge))
}

/// `magnitude` as an i64, negated when `negative` (`-9223372036854775808` fits).
fn signed(magnitude: u64, negative: bool) -> Result<i64, LiteralError> {
    if negative {
        if magnitude == 1 << 63 {
            return Ok(i64::MIN);
        }
        i64::try_from(magnitude)
            .map(|n| -n)
            .map_err(|_| LiteralError::TooLarge)
    } else {
        i64::try_from(magnitude).map_err(|_| LiteralError::TooLarge)
    }
}

/// The value of a float token, negated when `negative`.
pub fn float(text: &str, negative: bool) -> Result<f64, LiteralError> {
    if !float_ok(text) {
        return Err(LiteralError::Invalid);
    }
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let v: f64 = clean.parse().map_err(|_| LiteralError::Invalid)?;
    if v.is_infinite() {
        return Err(LiteralError::FloatTooLarge);
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
            LiteralError::TooLarge
        );
        assert_eq!(
            integer("9223372036854775809", Tok::Int, true).unwrap_err(),
            LiteralError::TooLarge
        );
        assert_eq!(
            integer("123abc", Tok::Int, false).unwrap_err(),
            LiteralError::Invalid
        );
        assert_eq!(
            integer("1__0", Tok::Int, false).unwrap_err(),
            LiteralError::Invalid
        );
        assert_eq!(
            integer("1_", Tok::Int, false).unwrap_err(),
            LiteralError::Invalid
        );
        assert_eq!(integer("0x1F", Tok::Hex, false), Ok(31));
        assert_eq!(
            integer("0x", Tok::Hex, false).unwrap_err(),
            LiteralError::Invalid
        );
        assert_eq!(integer("0x8000000000000000", Tok::Hex, true), Ok(i64::MIN));
        assert_eq!(integer("0o17", Tok::Octal, false), Ok(15));
        assert_eq!(
            integer("0o78", Tok::Octal, false).unwrap_err(),
            LiteralError::Invalid
        );
        assert_eq!(
            integer("012", Tok::Octal, false).unwrap_err().to_string(),
            "The octal integer literal syntax `012` is no longer supported, please use `0o12` instead"
        );
    }

    #[test]
    fn floats() {
        assert_eq!(float("1.5", false), Ok(1.5));
        assert_eq!(float(".5", true), Ok(-0.5));
        assert_eq!(float("1e3", false), Ok(1000.0));
        assert_eq!(float("1_0.5e-1", false), Ok(1.05));
        assert_eq!(float("1.5x", false).unwrap_err(), LiteralError::Invalid);
        assert_eq!(float("1.", false).unwrap_err(), LiteralError::Invalid);
        assert_eq!(float("1e", false).unwrap_err(), LiteralError::Invalid);
        assert_eq!(float("1e_5", false), Ok(100000.0));
        assert_eq!(float("1.5E+2", false), Ok(150.0));
        assert_eq!(
            float("1e999", false).unwrap_err(),
            LiteralError::FloatTooLarge
        );
    }
}
