//! Syntax colouring of the line being typed: keywords, strings, numbers, `$parameters`,
//! backtick names and comments as the one lexer reads them, and the first token the
//! parser already rejects, underlined in red.
//!
//! It owns the colours. It must not change the visible text: only ANSI codes are added, so
//! the cursor stays where the editor expects it. It must not decide validity: the caller
//! passes the offset the parser stopped at.

use colored::Colorize;

use crate::dialect::lexer::{Lexer, Tok};

/// Returns `line` with ANSI colours added; the token at byte offset `invalid` (where the
/// parser stopped, when the statement is already invalid there) is underlined in red.
pub fn highlight(line: &str, invalid: Option<usize>) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let mut at = 0;
    let mut tokens = Lexer::with_trivia(line).peekable();
    // A keyword after `.` or `:` is a property key or label (`n.name`, `:User`), not a keyword.
    let mut after_dot_or_colon = false;
    while let Some(t) = tokens.next() {
        let (start, mut end) = (t.start as usize, t.end as usize);
        if t.kind == Tok::Eof || start < at || end > line.len() {
            break;
        }
        // White space between tokens is copied as it is.
        out.push_str(&line[at..start]);
        let text = &line[start..end];
        let glued_word = |next: Option<&crate::dialect::lexer::Token>| {
            next.filter(|n| n.start as usize == end && n.is_word())
                .map(|n| n.end as usize)
        };
        let styled = match t.kind {
            _ if invalid == Some(start) => text.red().underline().to_string(),
            Tok::Kw(_) if !after_dot_or_colon => text.bright_blue().bold().to_string(),
            Tok::Str => text.green().to_string(),
            Tok::Escaped => text.magenta().to_string(),
            Tok::Comment => text.bright_black().to_string(),
            Tok::Int | Tok::Hex | Tok::Octal | Tok::Float => text.cyan().to_string(),
            Tok::Dollar => {
                if let Some(e) = glued_word(tokens.peek()) {
                    tokens.next();
                    end = e;
                }
                line[start..end].yellow().to_string()
            }
            // An unclosed quote or comment: the rest of the line belongs to it.
            Tok::Error if matches!(text, "'" | "\"") => {
                end = line.len();
                line[start..].green().to_string()
            }
            Tok::Error if text == "`" => {
                end = line.len();
                line[start..].magenta().to_string()
            }
            Tok::Divide if line[end..].starts_with('*') => {
                end = line.len();
                line[start..].bright_black().to_string()
            }
            _ => text.to_string(),
        };
        out.push_str(&styled);
        after_dot_or_colon = matches!(t.kind, Tok::Dot | Tok::Colon);
        at = end;
        if at == line.len() {
            break;
        }
    }
    out.push_str(&line[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut in_escape = false;
        for c in s.chars() {
            match (in_escape, c) {
                (false, '\x1b') => in_escape = true,
                (true, 'm') => in_escape = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn colours_never_change_the_text() {
        colored::control::set_override(true);
        let line = "CREATE DATABASE `my-db` TOPOLOGY $p PRIMARIES 2 SECONDARIES // note\nOPTIONS {seedURI: 's3://x\\'y'} é";
        let out = highlight(line, None);
        assert_eq!(strip(&out), line);
        assert!(out.contains("\x1b["), "something is coloured");
        colored::control::unset_override();
    }

    #[test]
    fn keywords_are_what_the_lexer_calls_keywords() {
        colored::control::set_override(true);
        let out = highlight("match (n) return n.name, 'it''s', $p // c", None);
        assert!(out.contains(&"match".bright_blue().bold().to_string()));
        assert!(out.contains(&"return".bright_blue().bold().to_string()));
        assert!(out.contains(&"$p".yellow().to_string()));
        assert!(out.contains(&"// c".bright_black().to_string()));
        assert!(!out.contains(&"name".bright_blue().bold().to_string()));
        colored::control::unset_override();
    }

    #[test]
    fn unclosed_strings_and_comments_run_to_the_end() {
        colored::control::set_override(true);
        let line = "RETURN 'abc; x";
        let out = highlight(line, None);
        assert!(out.contains(&"'abc; x".green().to_string()), "{out:?}");
        let out = highlight("RETURN 1 /* note", None);
        assert!(
            out.contains(&"/* note".bright_black().to_string()),
            "{out:?}"
        );
        assert_eq!(strip(&highlight("RETURN `a b", None)), "RETURN `a b");
        colored::control::unset_override();
    }

    #[test]
    fn the_first_invalid_token_is_marked() {
        colored::control::set_override(true);
        let line = "CREATE DATABASE foo-bar";
        let out = highlight(line, Some(19));
        assert_eq!(strip(&out), line);
        assert!(out.contains(&"-".red().underline().to_string()), "{out:?}");
        colored::control::unset_override();
    }
}
