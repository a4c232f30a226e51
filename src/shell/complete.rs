//! Tab completion, derived from the parser's expected-token sets: what the grammar accepts
//! at the start of the word under the cursor decides the candidates — keywords (extended
//! while the grammar allows only one way on, so `IF` becomes `IF NOT EXISTS`), procedure
//! names, database names, server names and ids in quotes, `$parameters` — and colon-commands.
//!
//! It owns the choice of candidates. It must not fetch names itself: the prompt keeps a
//! [`Names`] cache filled through the backend, so completion works embedded and remote.

use crate::dialect::Command;
use crate::dialect::ast::Statement;
use crate::dialect::{
    Class, CypherVersion, Expected, catalog, completion_context_as, expected_at_as,
};
use crate::shell::topics;

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
    /// The session's Cypher version, which decides what the grammar offers.
    pub version: CypherVersion,
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
    let context = completion_context_as(statement, names.version);
    let word = context.fragment.as_str();
    let mut out = Vec::new();
    let mut offer = |display: &str, replacement: &str| out.push(candidate(display, replacement));
    let expects = |c: Class| context.expected.contains(&Expected::Class(c));
    let expression = expects(Class::Expression);
    for e in &context.expected {
        if let Expected::Keyword(k) = e
            && starts_with_ci(k, word)
        {
            let phrase = extend_keyword(&statement[..context.start], k, names.version);
            offer(&phrase, &format!("{phrase} "));
        }
    }
    if expects(Class::ProcedureName) {
        for (name, _) in names
            .procedures
            .iter()
            .filter(|(n, _)| starts_with_ci(n, word))
        {
            // The name and an opening parenthesis: the hint then shows the signature.
            offer(name, &format!("{name}("));
        }
    }
    // Functions only once a word is typed: an empty word would list the whole catalogue.
    if expects(Class::FunctionName) || expression && !word.is_empty() {
        for f in catalog::functions(false)
            .iter()
            .filter(|f| !f.deprecated && starts_with_ci(f.name, word))
        {
            offer(
                &format!("{}{}", f.name, arguments(f.signature)),
                &format!("{}(", f.name),
            );
        }
    }
    if (expression || expects(Class::Variable)) && !word.contains('.') {
        for v in context.variables.iter().filter(|v| starts_with_ci(v, word)) {
            offer(v, v);
        }
    }
    if expression || expects(Class::Column) {
        for column in show_columns(context.show_head.as_deref()) {
            if starts_with_ci(column, word) {
                offer(column, column);
            }
        }
    }
    if expects(Class::DatabaseName) {
        let typed = word.trim_start_matches('`');
        for name in names.databases.iter().filter(|n| starts_with_ci(n, typed)) {
            let quoted = quote_name(name);
            offer(&quoted, &quoted);
        }
    }
    if expects(Class::ServerName) {
        let typed = word.trim_start_matches(['\'', '"']);
        for name in names.servers.iter().filter(|n| n.starts_with(typed)) {
            let quoted = format!("'{name}'");
            offer(&quoted, &quoted);
        }
    }
    if (expects(Class::Parameter) || expression) && (word.is_empty() || word.starts_with('$')) {
        for p in names.params.iter().map(|p| format!("${p}")) {
            if starts_with_ci(&p, word) {
                offer(&p, &p);
            }
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup();
    (base + context.start, out)
}

/// The columns the SHOW command `head` (`SHOW DATABASES`) yields; none when it is not one.
fn show_columns(head: Option<&str>) -> Vec<&'static str> {
    match head.map(crate::dialect::parse) {
        Some(Ok(Statement::Show(show))) => crate::cluster::show_columns(&show.kind),
        _ => Vec::new(),
    }
}

/// A function signature's argument list (`(input :: STRING) :: STRING` → `(input :: STRING)`),
/// shown beside the name in the list.
fn arguments(signature: &str) -> &str {
    let Some(open) = signature.find('(') else {
        return "";
    };
    let mut depth = 0usize;
    for (i, c) in signature[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &signature[open..=open + i];
                }
            }
            _ => {}
        }
    }
    &signature[open..]
}

/// The signature of the procedure whose full name ends at `pos`, if any: what the hint
/// shows after a completed procedure name (or its opening parenthesis).
pub fn signature_hint<'n>(line: &str, pos: usize, names: &'n Names) -> Option<&'n str> {
    let pos = floor_char_boundary(line, pos);
    let before = line[..pos].strip_suffix('(').unwrap_or(&line[..pos]);
    let statement = &before[last_statement_start(before)..];
    let context = completion_context_as(statement, names.version);
    if context.fragment.is_empty()
        || !context
            .expected
            .contains(&Expected::Class(Class::ProcedureName))
    {
        return None;
    }
    names
        .procedures
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(&context.fragment))
        .map(|(_, sig)| sig.as_str())
}

/// Extends a keyword with the keywords that must follow it (`IF` → `IF NOT EXISTS`,
/// `SET` stays `SET` because several clauses follow it), up to three words.
fn extend_keyword(prefix: &str, keyword: &str, version: CypherVersion) -> String {
    let mut phrase = keyword.to_string();
    for _ in 0..3 {
        let text = format!("{prefix}{phrase} ");
        let (reached, next) = expected_at_as(&text, version);
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
            let mut out: Vec<Candidate> = Command::names()
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
                ":help" | ":man" => Command::ALL
                    .iter()
                    .map(|c| c.name().to_string())
                    .chain(topics::phrases().map(String::from))
                    .collect(),
                ":param" => vec!["clear".into(), "list".into()],
                // `:params NAME` shows one parameter.
                ":params" => ["clear", "list"]
                    .into_iter()
                    .map(String::from)
                    .chain(names.params.iter().map(|p| quote_name(p)))
                    .collect(),
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
            ..Names::default()
        }
    }

    #[test]
    fn cypher_25_clauses_are_offered_in_a_cypher_25_session() {
        let line = "MATCH (n) FIL";
        let mut names = names();
        let offered = |names: &Names| {
            complete(line, line.len(), names)
                .1
                .into_iter()
                .map(|c| c.display)
                .collect::<Vec<_>>()
        };
        assert!(!offered(&names).contains(&"FILTER".to_string()));
        names.version = CypherVersion::Cypher25;
        assert!(
            offered(&names).contains(&"FILTER".to_string()),
            "{:?}",
            offered(&names)
        );
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
        // Completing inserts the name and `(`, not the signature (issue 20).
        let line = "CALL dbms.cluster.cord";
        let replacements: Vec<String> = complete(line, line.len(), &names())
            .1
            .into_iter()
            .map(|c| c.replacement)
            .collect();
        assert_eq!(replacements, ["dbms.cluster.cordonServer("]);
    }

    #[test]
    fn database_server_and_parameter_names() {
        assert_eq!(displays("ALTER DATABASE f"), ["foo"]);
        assert_eq!(displays("DROP DATABASE my"), ["`my-db`"]);
        assert_eq!(displays("ENABLE SERVER 'ser"), ["'server-1'"]);
        assert_eq!(displays("CREATE DATABASE $d"), ["$dbname"]);
        assert_eq!(displays("DROP DATABASE `my"), ["`my-db`"]);
        let (start, _) = complete("SHOW SERVERS; ALTER DATABASE f", 30, &names());
        assert_eq!(start, 29, "the word starts after the first statement");
    }

    #[test]
    fn show_database_offers_database_names() {
        for line in ["SHOW DATABASE ", "show databases "] {
            let got = displays(line);
            for want in ["foo", "neo4j", "`my-db`", "system", "WHERE", "YIELD"] {
                assert!(
                    got.contains(&want.to_string()),
                    "{want} in {got:?} for {line}"
                );
            }
        }
        assert_eq!(displays("SHOW DATABASE ne"), ["neo4j"]);
        assert_eq!(displays("SHOW DATABASES `my"), ["`my-db`"]);
    }

    #[test]
    fn colon_commands_and_their_arguments() {
        assert_eq!(displays(":he"), [":help"]);
        assert_eq!(displays(":para"), [":param", ":params"]);
        assert_eq!(displays(":params p"), ["primary"]);
        assert_eq!(displays(":param p"), Vec::<String>::new());
        assert_eq!(displays(":use ne"), ["neo4j"]);
        assert_eq!(displays(":param c"), ["clear"]);
    }

    #[test]
    fn help_offers_commands_and_statement_topics() {
        assert_eq!(displays(":help :p"), [":param", ":params"]);
        assert_eq!(
            displays(":help realloc"),
            ["REALLOCATE DATABASE", "REALLOCATE DATABASES"]
        );
        // The topic's words may be typed in any case and span spaces.
        assert_eq!(displays(":help create d"), ["CREATE DATABASE"]);
    }

    #[test]
    fn general_cypher_keywords_variables_and_functions() {
        assert_eq!(displays("MATCH (n) RET"), ["RETURN"]);
        assert_eq!(displays("OPTIONAL "), ["CALL", "MATCH"]);
        let got = displays("MATCH (node)-[rel]->(m) RETURN no");
        assert!(got.contains(&"node".to_string()), "{got:?}");
        assert!(got.contains(&"nodes(input :: PATH)".to_string()), "{got:?}");
        assert!(!got.contains(&"rel".to_string()), "{got:?}");
        let (_, c) = complete("RETURN toUpp", 12, &names());
        assert_eq!(c[0].replacement, "toUpper(");
        assert_eq!(displays("RETURN $pr"), ["$primary"]);
    }

    #[test]
    fn show_columns_after_yield_where_and_order_by() {
        let got = displays("SHOW DATABASES YIELD name, address ORDER BY ");
        for want in ["name", "address", "currentStatus", "home"] {
            assert!(got.contains(&want.to_string()), "{want} in {got:?}");
        }
        assert_eq!(displays("SHOW SERVERS YIELD hos"), ["hosting"]);
        assert_eq!(
            displays("SHOW DATABASES WHERE currentSt"),
            ["currentStatus"]
        );
    }

    #[test]
    fn a_procedure_name_opens_its_argument_list() {
        let (_, c) = complete("CALL dbms.cluster.cordon", 24, &names());
        assert_eq!(c[0].replacement, "dbms.cluster.cordonServer(");
        let line = "CALL dbms.cluster.cordonServer(";
        assert_eq!(
            signature_hint(line, line.len(), &names()),
            Some("(server :: STRING)")
        );
    }
}
