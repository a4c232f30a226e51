//! Local evaluation of literal expressions (`:param` values, `-P` maps, OPTIONS maps) and
//! cypher-shell's `:param` argument grammar.
//!
//! It owns what cysh can compute without a server: literals, lists, maps, parameters,
//! arithmetic, string and list concatenation, boolean logic and simple comparisons. It
//! must not call functions or touch the cluster; anything else is an error that says so.

use super::ast::{BinOp, Expr, ExprKind};
use super::{Params, grammar};
use crate::error::{Neo4jError, code};
use crate::value::Value;
use std::collections::BTreeMap;

/// Evaluates a literal expression with the session's parameters.
pub fn eval_literal(expr: &Expr, params: &Params) -> Result<Value, Neo4jError> {
    Ok(match &expr.kind {
        ExprKind::Literal(v) => v.clone(),
        ExprKind::Param(p) => match params.get(&p.name) {
            Some(v) => v.clone(),
            None => {
                return Err(Neo4jError::new(
                    code::PARAMETER_MISSING,
                    format!("Expected parameter(s): {}", p.name),
                ));
            }
        },
        ExprKind::List(items) => Value::List(
            items
                .iter()
                .map(|e| eval_literal(e, params))
                .collect::<Result<_, _>>()?,
        ),
        ExprKind::Map(entries) => {
            let mut map = BTreeMap::new();
            for (k, e) in entries {
                map.insert(k.clone(), eval_literal(e, params)?);
            }
            Value::Map(map)
        }
        ExprKind::Neg(e) => match eval_literal(e, params)? {
            Value::Int(n) => Value::Int(n.checked_neg().ok_or_else(overflow)?),
            Value::Float(f) => Value::Float(-f),
            v => return Err(type_error("-", &v)),
        },
        ExprKind::Not(e) => match eval_literal(e, params)? {
            Value::Bool(b) => Value::Bool(!b),
            Value::Null => Value::Null,
            v => return Err(type_error("NOT", &v)),
        },
        ExprKind::Binary(chain) => {
            let mut acc = eval_literal(&chain.first, params)?;
            for (op, _, r) in &chain.rest {
                acc = binary(*op, acc, eval_literal(r, params)?)?;
            }
            acc
        }
        ExprKind::IsNull(e, not) => Value::Bool(eval_literal(e, params)?.is_null() != *not),
        ExprKind::Index(l, i) => match (eval_literal(l, params)?, eval_literal(i, params)?) {
            (Value::List(items), Value::Int(n)) => {
                let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                let idx = if n < 0 { len + n } else { n };
                usize::try_from(idx)
                    .ok()
                    .and_then(|i| items.get(i).cloned())
                    .unwrap_or(Value::Null)
            }
            (Value::Map(m), Value::String(k)) => m.get(&k).cloned().unwrap_or(Value::Null),
            (v, _) => return Err(type_error("[]", &v)),
        },
        ExprKind::Property(e, key) => match eval_literal(e, params)? {
            Value::Map(m) => m.get(key).cloned().unwrap_or(Value::Null),
            v => return Err(type_error(".", &v)),
        },
        ExprKind::Variable(name) => {
            return Err(Neo4jError::new(
                code::SYNTAX_ERROR,
                format!("Variable `{name}` not defined"),
            ));
        }
        ExprKind::Function(f) => return Err(not_local(&f.name)),
        ExprKind::CountStar => return Err(not_local("count")),
        _ => return Err(not_local("expression")),
    })
}

fn overflow() -> Neo4jError {
    Neo4jError::new("Neo.ClientError.Statement.ArithmeticError", "long overflow")
}

fn not_local(name: &str) -> Neo4jError {
    Neo4jError::new(
        code::ARGUMENT_ERROR,
        format!(
            "Cannot evaluate the function `{name}` without a server: only literal values, parameters and arithmetic are evaluated locally."
        ),
    )
}

fn type_error(op: &str, v: &Value) -> Neo4jError {
    Neo4jError::new(
        code::TYPE_ERROR,
        format!("Cannot apply `{op}` to a value of type {}", v.type_name()),
    )
}

fn binary(op: BinOp, l: Value, r: Value) -> Result<Value, Neo4jError> {
    use Value::{Bool, Float, Int, List, Null, String as Str};
    let mismatch = |l: &Value, r: &Value| {
        Neo4jError::new(
            code::TYPE_ERROR,
            format!(
                "Cannot apply `{}` to {} and {}",
                op_text(op),
                l.type_name(),
                r.type_name()
            ),
        )
    };
    Ok(match (op, l, r) {
        (BinOp::And, Bool(a), Bool(b)) => Bool(a && b),
        (BinOp::Or, Bool(a), Bool(b)) => Bool(a || b),
        (BinOp::Xor, Bool(a), Bool(b)) => Bool(a ^ b),
        (BinOp::Eq, a, b) => Bool(a == b),
        (BinOp::Neq, a, b) => Bool(a != b),
        (_, Null, _) | (_, _, Null) => Null,
        (BinOp::Add, Int(a), Int(b)) => Int(a.checked_add(b).ok_or_else(overflow)?),
        (BinOp::Sub, Int(a), Int(b)) => Int(a.checked_sub(b).ok_or_else(overflow)?),
        (BinOp::Mul, Int(a), Int(b)) => Int(a.checked_mul(b).ok_or_else(overflow)?),
        (BinOp::Div | BinOp::Mod, Int(_), Int(0)) => {
            return Err(Neo4jError::new(
                "Neo.ClientError.Statement.ArithmeticError",
                "/ by zero",
            ));
        }
        (BinOp::Div, Int(a), Int(b)) => Int(a.checked_div(b).ok_or_else(overflow)?),
        (BinOp::Mod, Int(a), Int(b)) => Int(a.checked_rem(b).ok_or_else(overflow)?),
        (BinOp::Add, Str(a), Str(b)) => Str(a + &b),
        (BinOp::Add, List(mut a), List(b)) => {
            a.extend(b);
            List(a)
        }
        (BinOp::Add, List(mut a), b) => {
            a.push(b);
            List(a)
        }
        (op, a, b) => match (as_float(&a), as_float(&b)) {
            (Some(x), Some(y)) => match op {
                BinOp::Add => Float(x + y),
                BinOp::Sub => Float(x - y),
                BinOp::Mul => Float(x * y),
                BinOp::Div => Float(x / y),
                BinOp::Mod => Float(x % y),
                BinOp::Pow => Float(x.powf(y)),
                BinOp::Lt => Bool(x < y),
                BinOp::Le => Bool(x <= y),
                BinOp::Gt => Bool(x > y),
                BinOp::Ge => Bool(x >= y),
                _ => return Err(mismatch(&a, &b)),
            },
            _ => return Err(mismatch(&a, &b)),
        },
    })
}

fn as_float(v: &Value) -> Option<f64> {
    match v {
        Value::Int(n) => Some(*n as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn op_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Or => "OR",
        BinOp::Xor => "XOR",
        BinOp::And => "AND",
        BinOp::Eq => "=",
        BinOp::Neq => "<>",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::RegexMatch => "=~",
        BinOp::In => "IN",
        BinOp::StartsWith => "STARTS WITH",
        BinOp::EndsWith => "ENDS WITH",
        BinOp::Contains => "CONTAINS",
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Concat => "||",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Pow => "^",
    }
}

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

/// Evaluates a `:param` / `-P` argument into name/value pairs.
pub fn eval_assignment(args: &str, params: &Params) -> Result<Vec<(String, Value)>, Neo4jError> {
    parse_param_assignment(args)?
        .into_iter()
        .map(|(k, e)| eval_literal(&e, params).map(|v| (k, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str) -> Value {
        eval_literal(&grammar::parse_expression(text).unwrap(), &Params::new()).unwrap()
    }

    #[test]
    fn arithmetic_and_literals() {
        assert_eq!(eval("1 + 2 * 3"), Value::Int(7));
        assert_eq!(eval("-3"), Value::Int(-3));
        assert_eq!(eval("'a' + 'b'"), Value::str("ab"));
        assert_eq!(eval("[1, 2][1]"), Value::Int(2));
        assert_eq!(eval("2 ^ 3"), Value::Float(8.0));
        assert_eq!(eval("{a: 1}.a"), Value::Int(1));
    }

    #[test]
    fn param_forms() {
        let names = |s: &str| -> Vec<String> {
            parse_param_assignment(s)
                .unwrap()
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        };
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

    #[test]
    fn missing_parameter_is_reported() {
        let e = eval_literal(&grammar::parse_expression("$nope").unwrap(), &Params::new());
        assert_eq!(e.unwrap_err().code, code::PARAMETER_MISSING);
    }
}
