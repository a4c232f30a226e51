//! Syntax colouring of the line being typed: keywords, strings, numbers, `$parameters`,
//! backtick names and comments, by a lexical scan (colour only; the grammar decides
//! validity elsewhere).
//!
//! It owns the colours. It must not change the visible text: only ANSI codes are added, so
//! the cursor stays where the editor expects it.

use colored::Colorize;

/// Words coloured as keywords. Colour only: completion and validity come from the
/// parser's expected sets, never from this list.
const KEYWORDS: &[&str] = &[
    "ACCESS",
    "ACTIVE",
    "ADMIN",
    "ALIAS",
    "ALIASES",
    "ALL",
    "ALTER",
    "AND",
    "AS",
    "ASC",
    "ASCENDING",
    "AT",
    "BY",
    "CALL",
    "CASCADE",
    "CHANGE",
    "COMMAND",
    "COMMANDS",
    "COMPOSITE",
    "CONTAINS",
    "COPY",
    "COUNT",
    "CREATE",
    "CURRENT",
    "CYPHER",
    "DATA",
    "DATABASE",
    "DATABASES",
    "DBMS",
    "DEALLOCATE",
    "DEFAULT",
    "DENY",
    "DESC",
    "DESCENDING",
    "DESTROY",
    "DISTINCT",
    "DRIVER",
    "DROP",
    "DRYRUN",
    "DUMP",
    "ENABLE",
    "ENCRYPTED",
    "ENDS",
    "EXECUTE",
    "EXISTS",
    "FALSE",
    "FOR",
    "FROM",
    "FUNCTIONS",
    "GRANT",
    "GRAPH",
    "GRAPHS",
    "HOME",
    "IF",
    "IMMUTABLE",
    "IN",
    "IS",
    "LANGUAGE",
    "LIMIT",
    "MANAGEMENT",
    "NOT",
    "NOWAIT",
    "NULL",
    "OF",
    "OFFSET",
    "ON",
    "ONLY",
    "OPTION",
    "OPTIONS",
    "OR",
    "ORDER",
    "PASSWORD",
    "PLAINTEXT",
    "POPULATED",
    "PRIMARIES",
    "PRIMARY",
    "PRIVILEGE",
    "PRIVILEGES",
    "PROCEDURE",
    "PROCEDURES",
    "PROPERTIES",
    "READ",
    "REALLOCATE",
    "REMOVE",
    "RENAME",
    "REPLACE",
    "REQUIRED",
    "RESTRICT",
    "RETURN",
    "REVOKE",
    "ROLE",
    "ROLES",
    "SEC",
    "SECOND",
    "SECONDARIES",
    "SECONDARY",
    "SECONDS",
    "SERVER",
    "SERVERS",
    "SET",
    "SHOW",
    "SKIP",
    "START",
    "STARTS",
    "STATUS",
    "STOP",
    "SUSPENDED",
    "TARGET",
    "TO",
    "TOPOLOGY",
    "TRUE",
    "URL",
    "USER",
    "USERS",
    "WAIT",
    "WHERE",
    "WITH",
    "WRITE",
    "XOR",
    "YIELD",
];

/// Returns `line` with ANSI colours added.
pub fn highlight(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &line[i..];
        let c = rest.chars().next().unwrap_or(' ');
        let (len, styled) = if rest.starts_with("//") {
            let len = rest.find('\n').unwrap_or(rest.len());
            (len, rest[..len].bright_black().to_string())
        } else if let Some(body) = rest.strip_prefix("/*") {
            let len = body.find("*/").map_or(rest.len(), |n| n + 4);
            (len, rest[..len].bright_black().to_string())
        } else if matches!(c, '\'' | '"') {
            let len = quoted_len(rest, c);
            (len, rest[..len].green().to_string())
        } else if c == '`' {
            let len = quoted_len(rest, '`');
            (len, rest[..len].magenta().to_string())
        } else if c == '$' {
            let len = 1 + word_len(&rest[1..]);
            (len, rest[..len].yellow().to_string())
        } else if c.is_ascii_digit() {
            let len = rest
                .find(|ch: char| !ch.is_ascii_alphanumeric() && ch != '.')
                .unwrap_or(rest.len());
            (len, rest[..len].cyan().to_string())
        } else if c.is_alphabetic() || c == '_' {
            let len = word_len(rest);
            let word = &rest[..len];
            let upper = word.to_ascii_uppercase();
            let styled = if KEYWORDS.binary_search(&upper.as_str()).is_ok() {
                word.bright_blue().bold().to_string()
            } else {
                word.to_string()
            };
            (len, styled)
        } else {
            (c.len_utf8(), c.to_string())
        };
        out.push_str(&styled);
        i += len.max(1);
    }
    out
}

fn word_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

/// Length of a quoted string or name starting at `s` (unclosed: the rest).
fn quoted_len(s: &str, quote: char) -> usize {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote != '`' {
            escaped = true;
        } else if c == quote {
            return i + c.len_utf8();
        }
    }
    s.len()
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
        let out = highlight(line);
        assert_eq!(strip(&out), line);
        assert!(out.contains("\x1b["), "something is coloured");
        colored::control::unset_override();
    }

    #[test]
    fn keyword_list_is_sorted_for_binary_search() {
        let mut sorted = KEYWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, KEYWORDS);
    }
}
