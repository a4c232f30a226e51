//! What tab completion may offer at the end of a partial statement, read with the one
//! lexer: the word under the cursor (a name, a dotted name, a `$parameter`, an unclosed
//! quote), what the grammar accepts before it, the variables the statement has bound so
//! far, and, in a SHOW command, the part that names what is shown.
//!
//! It owns the reading of a partial statement. It must not know the session's names or
//! the cluster's columns: the shell's completer combines them with this.

use super::lexer::{Kw, Lexer, Tok, Token};
use super::{CypherVersion, Expected, expected_at_as};

/// The completion context at the end of a partial statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset where the word being completed starts (the end of input when the
    /// cursor follows white space). A completion replaces `input[start..]`.
    pub start: usize,
    /// The word being completed (`dbms.cluster.re`, `'serv`, `$na`, `TOPO`), possibly
    /// empty.
    pub fragment: String,
    /// What the grammar accepts at `start`: keywords, symbols and classes. Empty when the
    /// input is already invalid before `start`.
    pub expected: Vec<Expected>,
    /// The variables bound before `start` (node, relationship and path variables, `AS`
    /// aliases, `YIELD`ed names), in order of first appearance.
    pub variables: Vec<String>,
    /// For a SHOW command: its text up to YIELD or WHERE (`SHOW DATABASES`), which parses
    /// on its own and says which columns may be named.
    pub show_head: Option<String>,
}

/// The completion context at the end of `input`.
pub fn completion_context(input: &str) -> Completion {
    completion_context_as(input, CypherVersion::Cypher5)
}

/// [`completion_context`] in Cypher `version`.
pub fn completion_context_as(input: &str, version: CypherVersion) -> Completion {
    let tokens: Vec<Token> = Lexer::with_trivia(input)
        .filter(|t| t.kind != Tok::Comment)
        .collect();
    let start = fragment_start(input, &tokens);
    let prefix = &input[..start];
    let (at, expected) = expected_at_as(prefix, version);
    let reached_end = at >= prefix.trim_end().len();
    let before: Vec<Token> = tokens
        .iter()
        .copied()
        .filter(|t| (t.end as usize) <= start && t.kind != Tok::Eof)
        .collect();
    let mut expected = if reached_end { expected } else { Vec::new() };
    // `SHOW DATABASES WHERE` also reads as the database named `WHERE`, and the parser
    // reports only the reading that succeeded; a user who typed WHERE means the clause.
    if before.last().is_some_and(|t| t.kind == Tok::Kw(Kw::Where))
        && !expected.contains(&Expected::Class(super::Class::Expression))
    {
        expected.push(Expected::Class(super::Class::Expression));
    }
    Completion {
        start,
        fragment: input[start..].to_string(),
        expected,
        variables: variables(input, &before),
        show_head: show_head(input, &before),
    }
}

/// Start of the trailing partial word: an unclosed quote or backtick (and everything
/// after it), or a run of names, dots and a leading `$` glued to the end of the input.
fn fragment_start(input: &str, tokens: &[Token]) -> usize {
    // After an unclosed quote the lexer goes on reading the string's text as tokens;
    // the whole rest is the fragment.
    if let Some(t) = tokens
        .iter()
        .find(|t| t.kind == Tok::Error && matches!(t.text(input), "'" | "\"" | "`"))
    {
        return t.start as usize;
    }
    let mut start = input.len();
    for t in tokens.iter().rev().filter(|t| t.kind != Tok::Eof) {
        let glued = t.end as usize == start;
        let part = matches!(
            t.kind,
            Tok::Ident | Tok::Kw(_) | Tok::Escaped | Tok::Dot | Tok::Int | Tok::Dollar
        );
        if !glued || !part {
            break;
        }
        start = t.start as usize;
        if t.kind == Tok::Dollar {
            break;
        }
    }
    start
}

/// The variables a partial statement has bound: a name right after `(` or `[` (a node,
/// relationship or comprehension variable), before `=` at a pattern's start (a path), after
/// AS, and the names of a YIELD list.
fn variables(input: &str, tokens: &[Token]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let name = |t: &Token| -> Option<String> {
        match t.kind {
            Tok::Ident => Some(t.text(input).to_string()),
            Tok::Escaped => {
                let text = t.text(input);
                Some(text[1..text.len() - 1].replace("``", "`"))
            }
            _ => None,
        }
    };
    let mut in_yield = false;
    for (i, t) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| tokens[j].kind);
        let next = tokens.get(i + 1).map(|t| t.kind);
        match t.kind {
            Tok::Kw(Kw::Yield) => in_yield = true,
            Tok::Kw(Kw::Where | Kw::Return | Kw::With) => in_yield = false,
            _ => {}
        }
        // Keywords are names too, but after `(` or `[` they are more likely keywords
        // (`count(DISTINCT x)`): only an alias or a yielded column counts then.
        // A keyword that a pattern's or comprehension's punctuation closes (`(node)`,
        // `(node:Label`, `[x IN`) is a variable all the same.
        let keyword_name = matches!(t.kind, Tok::Kw(_))
            && (prev == Some(Tok::Kw(Kw::As))
                || in_yield && matches!(prev, Some(Tok::Kw(Kw::Yield) | Tok::Comma))
                || matches!(prev, Some(Tok::LParen | Tok::LBracket))
                    && matches!(
                        next,
                        Some(
                            Tok::RParen
                                | Tok::RBracket
                                | Tok::Colon
                                | Tok::LCurly
                                | Tok::Kw(Kw::In)
                        )
                    ));
        let Some(n) = name(t).or_else(|| keyword_name.then(|| t.text(input).to_string())) else {
            continue;
        };
        let bound = matches!(prev, Some(Tok::LParen | Tok::LBracket | Tok::Kw(Kw::As)))
            || next == Some(Tok::Eq) && matches!(prev, Some(Tok::Kw(_) | Tok::Comma))
            || in_yield && matches!(prev, Some(Tok::Kw(Kw::Yield) | Tok::Comma));
        // A function call's name is followed by `(`; a label or key follows `:` or `.`.
        let named_call = next == Some(Tok::LParen);
        if bound && !named_call && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// For a statement that starts with SHOW: its text up to its YIELD or WHERE.
fn show_head(input: &str, tokens: &[Token]) -> Option<String> {
    let mut it = tokens.iter();
    let first = it.next()?;
    if first.kind != Tok::Kw(Kw::Show) {
        return None;
    }
    let end = tokens
        .iter()
        .skip(2)
        .find(|t| matches!(t.kind, Tok::Kw(Kw::Yield | Kw::Where)))?;
    Some(
        input[first.start as usize..end.start as usize]
            .trim_end()
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Class, expected_at};

    fn keywords(e: &[Expected]) -> Vec<&'static str> {
        e.iter()
            .filter_map(|x| match x {
                Expected::Keyword(k) => Some(*k),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn after_a_database_name_the_clauses_are_offered() {
        let (at, e) = expected_at("CREATE DATABASE foo ");
        assert_eq!(at, 20);
        assert_eq!(
            keywords(&e),
            [
                "DEFAULT LANGUAGE CYPHER",
                "IF NOT EXISTS",
                "NOWAIT",
                "OPTIONS",
                "TOPOLOGY",
                "WAIT"
            ]
        );
    }

    #[test]
    fn a_procedure_name_is_recognised() {
        let c = completion_context("CALL dbms.cluster.re");
        assert_eq!(c.start, 5);
        assert_eq!(c.fragment, "dbms.cluster.re");
        assert!(c.expected.contains(&Expected::Class(Class::ProcedureName)));
    }

    #[test]
    fn server_strings_database_names_and_keywords() {
        let c = completion_context("ENABLE SERVER 'abc");
        assert_eq!(c.fragment, "'abc");
        assert!(c.expected.contains(&Expected::Class(Class::ServerName)));
        let c = completion_context("DROP DATABASE fo");
        assert!(c.expected.contains(&Expected::Class(Class::DatabaseName)));
        assert!(c.expected.contains(&Expected::Class(Class::Parameter)));
        let c = completion_context("CREATE DATABASE foo TOPOLOGY 3 PRIM");
        assert_eq!(
            keywords(&c.expected),
            ["PRIMARIES", "PRIMARY", "SECONDARIES", "SECONDARY"]
        );
        let c = completion_context("");
        assert!(keywords(&c.expected).contains(&"SHOW"));
    }

    #[test]
    fn an_invalid_prefix_offers_nothing() {
        assert!(
            completion_context("CREATE DATABASE foo-bar TOPO")
                .expected
                .is_empty()
        );
    }

    #[test]
    fn general_cypher_keywords_are_offered_in_place() {
        let c = completion_context("MATCH (n) RET");
        assert_eq!(c.fragment, "RET");
        assert!(keywords(&c.expected).contains(&"RETURN"));
        let c = completion_context("OPTIONAL ");
        assert_eq!(keywords(&c.expected), ["CALL", "MATCH"]);
    }

    #[test]
    fn fragments_of_every_kind() {
        assert_eq!(completion_context("RETURN $na").fragment, "$na");
        assert_eq!(completion_context("RETURN `a b").fragment, "`a b");
        // `'it'` is a string; the second quote opens one that is still open.
        assert_eq!(completion_context("RETURN 'it''s; x").fragment, "'s; x");
        assert_eq!(completion_context("RETURN x ").fragment, "");
        assert_eq!(completion_context("RETURN n.na").fragment, "n.na");
    }

    #[test]
    fn bound_variables_are_collected() {
        let c = completion_context(
            "MATCH p = (n:Person)-[r:KNOWS]->(m), (node)-[count]->(:X) UNWIND [x IN n.list | x] AS y CALL db.labels() YIELD label, other WHERE ",
        );
        assert_eq!(
            c.variables,
            [
                "p", "n", "r", "m", "node", "count", "x", "y", "label", "other"
            ]
        );
        assert_eq!(
            completion_context("RETURN count(DISTINCT x").variables,
            [] as [&str; 0]
        );
        assert!(c.expected.contains(&Expected::Class(Class::Expression)));
    }

    #[test]
    fn a_show_command_names_what_it_shows() {
        let c = completion_context("SHOW DATABASES YIELD name, address ORDER BY ");
        assert_eq!(c.show_head.as_deref(), Some("SHOW DATABASES"));
        assert_eq!(completion_context("MATCH (n) WHERE ").show_head, None);
    }
}
