//! Lexical checks for general Cypher (statements outside the admin dialect): strings,
//! quoted names and comments closed, brackets balanced.
//!
//! It owns what cysh can say about Cypher it does not parse. It must not judge the
//! grammar of such statements: only a server can.

use super::token::{COMMENT_MESSAGE, STRING_MESSAGE};

/// A lexical problem: message and byte offset.
pub type LexError = (String, usize);

/// Checks `text`; `Ok` when strings, comments and brackets are well formed.
pub fn lexical_check(text: &str) -> Result<(), LexError> {
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        match c {
            '\'' | '"' => {
                let mut closed = false;
                while let Some((_, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err((STRING_MESSAGE.to_string(), pos));
                }
            }
            '`' => {
                let mut closed = false;
                while let Some((_, d)) = chars.next() {
                    if d == '`' {
                        if matches!(chars.peek(), Some((_, '`'))) {
                            chars.next();
                        } else {
                            closed = true;
                            break;
                        }
                    }
                }
                if !closed {
                    return Err((
                        "Failed to parse quoted name. The query must contain an even number of non-escaped backticks."
                            .to_string(),
                        pos,
                    ));
                }
            }
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '/' if matches!(chars.peek(), Some((_, '*'))) => {
                chars.next();
                let mut prev = ' ';
                let mut closed = false;
                for (_, d) in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        closed = true;
                        break;
                    }
                    prev = d;
                }
                if !closed {
                    return Err((COMMENT_MESSAGE.to_string(), pos));
                }
            }
            '(' | '[' | '{' => stack.push((c, pos)),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match stack.pop() {
                    Some((open, _)) if open == want => {}
                    Some((open, _)) => {
                        return Err((
                            format!("Invalid input '{c}': expected \"{}\"", closer(open)),
                            pos,
                        ));
                    }
                    None => {
                        return Err((
                            format!("Invalid input '{c}': no matching opening bracket"),
                            pos,
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    match stack.pop() {
        Some((open, _)) => Err((
            format!("Invalid input '': expected \"{}\"", closer(open)),
            text.len(),
        )),
        None => Ok(()),
    }
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_cypher_passes() {
        assert!(lexical_check("MATCH (n {a: ')'}) RETURN [1, 2] // (").is_ok());
    }

    #[test]
    fn problems_have_offsets() {
        assert_eq!(lexical_check("RETURN 'a").unwrap_err().1, 7);
        assert_eq!(lexical_check("MATCH (n]").unwrap_err().1, 8);
        assert_eq!(lexical_check("RETURN [1").unwrap_err().1, 9);
        assert_eq!(lexical_check("RETURN 1 /* x").unwrap_err().1, 9);
    }
}
