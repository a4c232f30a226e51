//! Tab completion, derived from the parser's expected-token sets: what the grammar accepts
//! at the start of the word under the cursor decides the candidates — keywords (extended
//! while the grammar allows only one way on, so `IF` becomes `IF NOT EXISTS`), procedure
//! names, database names, server names and ids in quotes, `$parameters` — and colon-commands.
//!
//! It owns the choice of candidates. It must not fetch names itself: the prompt keeps a
//! [`Names`] cache filled through the backend, so completion works embedded and remote.

use crate::dialect::{Class, Expected, expected_at};
use crate::shell::{help, topics};

/// Names known to the session, for completion.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Database and alias names.
    pub databases: Vec<String>,
    /// Server names and ids.
    pub servers: Vec<String>,
    /// Procedure names with their signatures.
    pub procedures: Vec<(String, String)>,
    /// Parameter names (without `$`).
    pub params: Vec<String>,
}

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What the list shows.
    pub display: String,
    /// What replaces the word.
    pub replacement: String,
}

/// Completes the word that ends at `pos` in `line`. Returns the byte offset where the word
/// starts and the candidates, sorted and without duplicates.
pub fn complete(line: &str, pos: usize, names: &Names) -> (usize, Vec<Candidate>) {
    let pos = floor_char_boundary(line, pos);
    let before = &line[..pos];
    // Only the statement under the cursor matters: the text after the last `;` outside
    // strings, comments and backticks.
    let statement_start = last_statement_start(before);
    let statement = &before[statement_start..];
    let lead = statement.len() - statement.trim_start().len();
    let statement = &statement[lead..];
    let base = statement_start + lead;
    if statement.starts_with(':') {
        return complete_command(statement, base, names);
    }
    let word_start = word_start(statement);
    let word = &statement[word_start..];
    let (reached, expected) = expected_at(&statement[..word_start]);
    if reached < word_start {
        // The text before the word is already invalid: nothing sensible to offer.
        return (base + word_start, Vec::new());
    }
    let mut out = Vec::new();
    for e in &expected {
        match e {
            Expected::Keyword(k) if starts_with_ci(k, word) => {
                let phrase = extend_keyword(&statement[..word_start], k);
                out.push(candidate(&phrase, &format!("{phrase} ")));
            }
            Expected::Class(Class::ProcedureName) => {
                for (name, _) in names
                    .procedures
                    .iter()
                    .filter(|(n, _)| starts_with_ci(n, word))
                {
                    out.push(candidate(name, name));
                }
            }
            Expected::Class(Class::DatabaseName) => {
                for name in names
                    .databases
                    .iter()
                    .filter(|n| starts_with_ci(n, word.trim_start_matches('`')))
                {
                    let quoted = quote_name(name);
                    out.push(candidate(&quoted, &quoted));
                }
            }
            Expected::Class(Class::ServerName) => {
                let typed = word.trim_start_matches(['\'', '"']);
                for name in names.servers.iter().filter(|n| n.starts_with(typed)) {
                    let quoted = format!("'{name}'");
                    out.push(candidate(&quoted, &quoted));
                }
            }
            Expected::Class(Class::Parameter) if word.is_empty() || word.starts_with('$') => {
                for p in names
                    .params
                    .iter()
                    .filter(|p| starts_with_ci(&format!("${p}"), word))
                {
                    out.push(candidate(&format!("${p}"), &format!("${p}")));
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup();
    (base + word_start, out)
}

/// The signature of the procedure whose full name ends at `pos`, if any: what the hint
/// shows after a completed procedure name.
pub fn signature_hint<'n>(line: &str, pos: usize, names: &'n Names) -> Option<&'n str> {
    let pos = floor_char_boundary(line, pos);
    let before = &line[..pos];
    let start = word_start(before);
    let word = &before[start..];
    if word.is_empty()
        || !before[..start]
            .trim_end()
            .to_ascii_uppercase()
            .ends_with("CALL")
    {
        return None;
    }
    names
        .procedures
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(word))
        .map(|(_, sig)| sig.as_str())
}

/// Extends a keyword with the keywords that must follow it (`IF` → `IF NOT EXISTS`,
/// `SET` stays `SET` because several clauses follow it), up to three words.
fn extend_keyword(prefix: &str, keyword: &str) -> String {
    let mut phrase = keyword.to_string();
    for _ in 0..3 {
        let text = format!("{prefix}{phrase} ");
        let (reached, next) = expected_at(&text);
        match next.as_slice() {
            [Expected::Keyword(k)] if reached == text.len() => {
                phrase.push(' ');
                phrase.push_str(k);
            }
            _ => break,
        }
    }
    phrase
}

fn complete_command(statement: &str, base: usize, names: &Names) -> (usize, Vec<Candidate>) {
    match statement.split_once(char::is_whitespace) {
        None => {
            let mut out: Vec<Candidate> = help::COMMANDS
                .iter()
                .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
                .filter(|n| starts_with_ci(n, statement))
                .map(|n| candidate(n, &format!("{n} ")))
                .collect();
            out.sort_by(|a, b| a.display.cmp(&b.display));
            (base, out)
        }
        Some((command, rest)) => {
            let arg_start = statement.len() - rest.trim_start().len();
            let word = &statement[arg_start..];
            let options: Vec<String> = match command.to_lowercase().as_str() {
                ":use" => names.databases.iter().map(|d| quote_name(d)).collect(),
                ":help" | ":man" => help::COMMANDS
                    .iter()
                    .map(|c| c.name.to_string())
                    .chain(topics::phrases().map(String::from))
                    .collect(),
                ":param" | ":params" => vec!["clear".into(), "list".into()],
                ":history" => vec!["clear".into()],
                ":source" => return (base + arg_start, file_candidates(word)),
                _ => Vec::new(),
            };
            let mut out: Vec<Candidate> = options
                .into_iter()
                .filter(|o| starts_with_ci(o, word))
                .map(|o| candidate(&o, &o))
                .collect();
            out.sort_by(|a, b| a.display.cmp(&b.display));
            (base + arg_start, out)
        }
    }
}

/// Files and folders whose path starts with `word` (folders end with `/`).
fn file_candidates(word: &str) -> Vec<Candidate> {
    let (dir, file) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let read_from = if dir.is_empty() { "." } else { dir };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(file) || (file.is_empty() && name.starts_with('.')) {
                return None;
            }
            let slash = if e.path().is_dir() { "/" } else { "" };
            let path = format!("{dir}{name}{slash}");
            Some(candidate(&path, &path))
        })
        .collect();
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out
}

fn candidate(display: &str, replacement: &str) -> Candidate {
    Candidate {
        display: display.to_string(),
        replacement: replacement.to_string(),
    }
}

fn starts_with_ci(candidate: &str, typed: &str) -> bool {
    candidate.len() >= typed.len()
        && candidate.is_char_boundary(typed.len())
        && candidate[..typed.len()].eq_ignore_ascii_case(typed)
}

/// A database name as it must be typed: backtick-quoted unless it is a plain identifier
/// (dots allowed).
fn quote_name(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// Start of the word that ends the text: identifier characters, dots (procedure and
/// database names), a leading `$`, or an unclosed quote and what follows it.
fn word_start(text: &str) -> usize {
    if let Some(q) = unclosed_quote(text) {
        return q;
    }
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            start = i;
        } else if c == '$' || c == '`' {
            start = i;
            break;
        } else {
            break;
        }
    }
    start
}

/// The byte offset of a quote (`'`, `"` or `` ` ``) that is still open at the end of `text`.
fn unclosed_quote(text: &str) -> Option<usize> {
    let mut open: Option<(usize, char)> = None;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match open {
            Some((_, q)) if c == '\\' && q != '`' => {
                chars.next();
            }
            Some((_, q)) if c == q => open = None,
            Some(_) => {}
            None if matches!(c, '\'' | '"' | '`') => open = Some((i, c)),
            None => {}
        }
    }
    open.map(|(i, _)| i)
}

/// Byte offset where the last statement of `text` starts (after the last top-level `;`).
fn last_statement_start(text: &str) -> usize {
    crate::dialect::split::split(text)
        .last()
        .map_or(text.len(), |p| p.offset)
}

fn floor_char_boundary(s: &str, mut pos: usize) -> usize {
    pos = pos.min(s.len());
    while !s.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            databases: vec![
                "foo".into(),
                "neo4j".into(),
                "my-db".into(),
                "system".into(),
            ],
            servers: vec![
                "server-1".into(),
                "6f2a1c3e-0000-4000-8000-000000000001".into(),
            ],
            procedures: vec![
                (
                    "dbms.cluster.reallocateDatabase".into(),
                    "(database :: STRING, dryrun = false :: BOOLEAN)".into(),
                ),
                (
                    "dbms.cluster.reallocateNumberOfDatabases".into(),
                    "(number :: INTEGER, dryrun = false :: BOOLEAN)".into(),
                ),
                (
                    "dbms.cluster.cordonServer".into(),
                    "(server :: STRING)".into(),
                ),
            ],
            params: vec!["dbname".into(), "primary".into()],
        }
    }

    fn displays(line: &str) -> Vec<String> {
        complete(line, line.len(), &names())
            .1
            .into_iter()
            .map(|c| c.display)
            .collect()
    }

    #[test]
    fn keywords_after_create_database_name() {
        let got = displays("CREATE DATABASE foo ");
        for want in ["IF NOT EXISTS", "TOPOLOGY", "OPTIONS", "WAIT", "NOWAIT"] {
            assert!(got.contains(&want.to_string()), "{want} in {got:?}");
        }
        assert_eq!(displays("create database foo top"), ["TOPOLOGY"]);
    }

    #[test]
    fn procedure_names_after_call() {
        assert_eq!(
            displays("CALL dbms.cluster.re"),
            [
                "dbms.cluster.reallocateDatabase",
                "dbms.cluster.reallocateNumberOfDatabases"
            ]
        );
        let line = "CALL dbms.cluster.cordonServer";
        assert_eq!(
            signature_hint(line, line.len(), &names()),
            Some("(server :: STRING)")
        );
    }

    #[test]
    fn database_server_and_parameter_names() {
        assert_eq!(displays("ALTER DATABASE f"), ["foo"]);
        assert_eq!(displays("DROP DATABASE my"), ["`my-db`"]);
        assert_eq!(displays("ENABLE SERVER 'ser"), ["'server-1'"]);
        assert_eq!(displays("CREATE DATABASE $d"), ["$dbname"]);
        let (start, _) = complete("SHOW SERVERS; ALTER DATABASE f", 30, &names());
        assert_eq!(start, 29, "the word starts after the first statement");
    }

    #[test]
    fn colon_commands_and_their_arguments() {
        assert_eq!(displays(":he"), [":help"]);
        assert_eq!(displays(":use ne"), ["neo4j"]);
        assert_eq!(displays(":param c"), ["clear"]);
    }

    #[test]
    fn help_offers_commands_and_statement_topics() {
        assert_eq!(displays(":help :p"), [":param"]);
        assert_eq!(
            displays(":help realloc"),
            ["REALLOCATE DATABASE", "REALLOCATE DATABASES"]
        );
        // The topic's words may be typed in any case and span spaces.
        assert_eq!(displays(":help create d"), ["CREATE DATABASE"]);
    }
}
