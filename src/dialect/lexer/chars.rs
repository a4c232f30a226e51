//! Which characters Cypher's lexer treats as letters, name parts, white space and arrow
//! pieces.
//!
//! Neo4j's lexer derives its identifier classes from Java's identifier rules; cysh uses
//! Unicode's XID_Start / XID_Continue (the `unicode-ident` crate) for letters outside ASCII
//! plus the extra name characters Java allows (currency symbols, ignorable format
//! characters, `$` inside a name). The two agree on every letter and digit in use; they
//! may differ on rare symbols. It must not know tokens.

/// May start an unquoted name: ASCII letters, `_`, and Unicode letters.
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic() || c == '_'
    } else {
        unicode_ident::is_xid_start(c) || is_extra_letter(c)
    }
}

/// May continue an unquoted name (and, in Neo4j's lexer, trail a number literal, which is
/// how `1abc` becomes one invalid number rather than a number and a name).
pub fn is_part_letter(c: char) -> bool {
    if c.is_ascii() {
        is_ascii_part_letter(c as u8)
    } else {
        unicode_ident::is_xid_continue(c) || is_extra_letter(c) || is_extra_part(c)
    }
}

/// [`is_part_letter`] for an ASCII byte (const, so the lexer can tabulate it).
pub const fn is_ascii_part_letter(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || is_ignorable_ascii(b)
}

/// ASCII control characters Java ignores inside identifiers.
const fn is_ignorable_ascii(b: u8) -> bool {
    matches!(b, 0x0..=0x8 | 0xe..=0x1b | 0x7f)
}

/// Letters Java accepts that XID_Start lacks.
fn is_extra_letter(c: char) -> bool {
    matches!(c, '\u{2e2f}' | '\u{309b}'..='\u{309c}')
}

/// Name parts Java accepts that XID_Continue lacks: currency symbols and format
/// characters.
fn is_extra_part(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}'
            | '\u{a2}'..='\u{a5}'
            | '\u{ad}'
            | '\u{58f}'
            | '\u{600}'..='\u{605}'
            | '\u{60b}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{9f2}'..='\u{9f3}'
            | '\u{9fb}'
            | '\u{af1}'
            | '\u{bf9}'
            | '\u{e3f}'
            | '\u{17db}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{20a0}'..='\u{20bf}'
            | '\u{a838}'
            | '\u{fdfc}'
            | '\u{fe69}'
            | '\u{feff}'
            | '\u{ff04}'
            | '\u{ffe0}'..='\u{ffe1}'
            | '\u{ffe5}'..='\u{ffe6}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

/// The ASCII bytes that are white space between tokens (the ASCII part of [`is_space`]).
pub const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f)
}

/// White space between tokens.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{b}'
            | '\u{c}'
            | '\r'
            | '\u{1c}'..='\u{1f}'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// The dashes Neo4j accepts as the line of a relationship arrow besides `-`.
pub fn is_arrow_line(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{2010}'..='\u{2015}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}'
    )
}

/// Left arrow heads besides `<`.
pub fn is_arrow_left(c: char) -> bool {
    matches!(c, '\u{27e8}' | '\u{3008}' | '\u{fe64}' | '\u{ff1c}')
}

/// Right arrow heads besides `>`.
pub fn is_arrow_right(c: char) -> bool {
    matches!(c, '\u{27e9}' | '\u{3009}' | '\u{fe65}' | '\u{ff1e}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_letter('a') && is_letter('_') && is_letter('é') && is_letter('名'));
        assert!(!is_letter('1') && !is_letter('$') && !is_letter('-'));
        assert!(is_part_letter('1') && is_part_letter('$') && is_part_letter('€'));
        assert!(!is_part_letter('-') && !is_part_letter(' '));
    }

    #[test]
    fn spaces_and_arrows() {
        assert!(is_space('\u{3000}') && is_space('\n') && !is_space('a'));
        assert!(is_arrow_line('—') && is_arrow_left('⟨') && is_arrow_right('〉'));
    }
}
