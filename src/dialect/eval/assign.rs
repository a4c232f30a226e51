//! cypher-shell's `:param` argument grammar (`{a: 1}`, `name => expr`, the legacy
//! `name: expr` / `name expr`, backtick-quoted names, a JSON object) and its evaluation.
//!
//! It owns how the argument is read. It must not evaluate on its own: the expressions go
//! through the evaluator like any other.

use super::{Ctx, NoRow, eval};
use crate::dialect::ast::Expr;
use crate::dialect::{Params, grammar};
use crate::error::{Neo4jError, code};
use crate::value::Value;

/// Parses the argument of `:param` (and of `-P`) into named expressions, following
/// cypher-shell: a map `{a: 1, b: [1, 2]}`, `name => expr`, or the legacy `name: expr`
/// / `name expr`; names may be backtick-quoted. A JSON object (`{"a": 1}`) is accepted
/// too, since `-P` values are often JSON.
pub fn parse_param_assignment(args: &str) -> Result<Vec<(String, Expr)>, Neo4jError> {
    let text = args.trim().trim_end_matches(';').trim_end();
    if text.starts_with('{') {
        return match grammar::parse_map(text) {
            Ok(entries) => Ok(entries),
            Err(cypher_err) => json_map(text).ok_or(cypher_err),
        };
    }
    let (name, rest) = param_name(text).ok_or_else(usage)?;
    let rest = rest.trim_start();
    let value = if let Some(v) = rest.strip_prefix("=>") {
        v
    } else if let Some(v) = rest.strip_prefix(':') {
        if v.trim_start().starts_with("=>") {
            return Err(usage());
        }
        v
    } else if rest.len() < text.len().saturating_sub(name.len()) || text.starts_with('`') {
        // `name expr`: cypher-shell needs at least one space between them.
        rest
    } else {
        return Err(usage());
    };
    if value.trim().is_empty() {
        return Err(usage());
    }
    Ok(vec![(name, grammar::parse_expression(value)?)])
}

fn usage() -> Neo4jError {
    Neo4jError::new(
        code::ARGUMENT_ERROR,
        "Incorrect usage.\nusage: :param {a: 1}, :param a => 1",
    )
}

/// `name` (`[\p{L}_][\p{L}0-9_]*`) or a backtick-quoted name, and the text after it.
fn param_name(text: &str) -> Option<(String, &str)> {
    if let Some(after) = text.strip_prefix('`') {
        let mut name = String::new();
        let mut rest = after;
        loop {
            let n = rest.find('`')?;
            name.push_str(&rest[..n]);
            rest = &rest[n + 1..];
            match rest.strip_prefix('`') {
                Some(more) => {
                    name.push('`');
                    rest = more;
                }
                None => break,
            }
        }
        return (!name.is_empty()).then_some((name, rest));
    }
    let first = text.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let end = text
        .find(|c: char| !(c.is_alphabetic() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(text.len());
    Some((text[..end].to_string(), &text[end..]))
}

fn json_map(text: &str) -> Option<Vec<(String, Expr)>> {
    match serde_json::from_str::<serde_json::Value>(text).ok()? {
        serde_json::Value::Object(map) => Some(
            map.into_iter()
                .map(|(k, v)| {
                    Value::from_tagged_json(v)
                        .ok()
                        .map(|v| (k, Expr::literal(v)))
                })
                .collect::<Option<_>>()?,
        ),
        _ => None,
    }
}

/// Evaluates a `:param` / `-P` argument into name/value pairs, with `now` as the clock of
/// `datetime()` and its siblings. Every expression that needs no graph is evaluated here,
/// as cypher-shell evaluates it (offline or on its server).
pub fn eval_assignment(
    args: &str,
    params: &Params,
    now: jiff::Timestamp,
) -> Result<Vec<(String, Value)>, Neo4jError> {
    parse_param_assignment(args)?
        .into_iter()
        .map(|(k, e)| {
            let mut ctx = Ctx::new(params, &NoRow, now);
            eval(&e, &mut ctx)
                .and_then(super::bounded_depth)
                .map(|v| (k, v))
                .map_err(Neo4jError::from)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        parse_param_assignment(s)
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    #[test]
    fn a_param_that_wraps_the_last_one_stays_bounded() {
        let mut params = Params::new();
        let now = jiff::Timestamp::UNIX_EPOCH;
        params.extend(eval_assignment("a => []", &params, now).unwrap());
        let mut refused = None;
        for i in 0..crate::value::MAX_VALUE_DEPTH + 5 {
            match eval_assignment("a => [$a]", &params, now) {
                Ok(values) => params.extend(values),
                Err(e) => {
                    refused = Some((i, e));
                    break;
                }
            }
        }
        let (i, e) = refused.expect("refused before the stack could suffer");
        assert_eq!(i, crate::value::MAX_VALUE_DEPTH - 1);
        assert!(e.message.contains("levels deep"), "{}", e.message);
    }

    #[test]
    fn param_forms() {
        assert_eq!(names("{a: 1, b: [1,2]}"), ["a", "b"]);
        assert_eq!(names("x => 1"), ["x"]);
        assert_eq!(names("x: 1"), ["x"]);
        assert_eq!(names("x 1"), ["x"]);
        assert_eq!(names("`a b` => 1;"), ["a b"]);
        assert_eq!(
            names(r#"{"dbname": "foo", "primary": 3}"#),
            ["dbname", "primary"]
        );
        assert!(parse_param_assignment("x: => 1").is_err());
        assert!(parse_param_assignment("1x => 1").is_err());
        assert!(parse_param_assignment("x").is_err());
    }

    /// cypher-shell's ShellParameterServiceTest.parse cases.
    #[test]
    fn cypher_shell_parse_cases() {
        for (input, name) in [
            ("bob   9", "bob"),
            ("bob => 9", "bob"),
            ("`bob` => 9", "bob"),
            ("bØb   9", "bØb"),
            ("`first=>Name` => \"Bruce\"", "first=>Name"),
            ("`bob#`   9", "bob#"),
            (" `bo `` sömething ```   9", "bo ` sömething `"),
            ("bob 'one two'", "bob"),
            ("böb 'one two'", "böb"),
            ("bob: \"one\"", "bob"),
            ("`bob:`: 'one'", "bob:"),
            ("`t:om` 'two'", "t:om"),
            ("bob \"RETURN 5 as bob\"", "bob"),
        ] {
            assert_eq!(names(input), [name], "{input}");
        }
    }
}
