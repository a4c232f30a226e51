//! Cypher's operators on values: arithmetic (checked: 64-bit overflow is Neo4j's
//! ArithmeticError "long overflow"), string and list concatenation, temporal arithmetic
//! (handed to `temporal`), comparison, `IN`, the string predicates and `=~`, property
//! access, indexing and slicing, and three-valued logic.
//!
//! It owns what one operator does to its operands. It must not evaluate expressions (the
//! walk in `mod.rs` does, and decides what to evaluate: short-circuits, chains).

use super::compare::{compare, equals};
use super::errors::{
    EvalError, EvalResult, div_by_zero, expected, java_text, not_a_predicate, operator_mismatch,
    overflow,
};
use super::temporal;
use crate::dialect::ast::BinOp;
use crate::value::Value;
use std::cmp::Ordering;

/// The longest string or list an operator builds (characters or elements): beyond it the
/// shell would run out of memory before Neo4j's own limits apply (cysh's choice).
pub const MAX_SIZE: usize = 50_000_000;

fn too_large() -> EvalError {
    EvalError::Argument(format!(
        "The result would hold more than {MAX_SIZE} elements, more than cysh evaluates locally."
    ))
}

/// The truth value of a predicate: `None` for NULL, an error for a non-boolean.
pub fn truth(v: &Value) -> EvalResult<Option<bool>> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        other => Err(not_a_predicate(other)),
    }
}

/// `NOT v`.
pub fn not(v: &Value) -> EvalResult {
    Ok(truth(v)?.map_or(Value::Null, |b| Value::Bool(!b)))
}

/// `-v`: Neo4j computes it as `0 - v`, so the minimum integer overflows.
pub fn negate(v: Value) -> EvalResult {
    match v {
        Value::Null => Ok(Value::Null),
        Value::Int(i) => i.checked_neg().map(Value::Int).ok_or_else(overflow),
        Value::Float(f) => Ok(Value::Float(-f)),
        Value::Duration(d) => d.checked_neg().map(Value::Duration).map_err(|_| overflow()),
        other => Err(operator_mismatch("-", &Value::Int(0), &other)),
    }
}

/// `+v`: numbers and durations unchanged.
pub fn plus(v: Value) -> EvalResult {
    match v {
        Value::Null | Value::Int(_) | Value::Float(_) | Value::Duration(_) => Ok(v),
        other => Err(operator_mismatch("+", &Value::Int(0), &other)),
    }
}

/// One binary operator (not AND/OR/XOR, which the walk handles to short-circuit).
pub fn binary(op: BinOp, l: Value, r: Value) -> EvalResult {
    match op {
        BinOp::And | BinOp::Or | BinOp::Xor => logic(op, &l, &r),
        BinOp::Eq => Ok(equals(&l, &r).map_or(Value::Null, Value::Bool)),
        BinOp::Neq => Ok(equals(&l, &r).map_or(Value::Null, |b| Value::Bool(!b))),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => Ok(match compare(&l, &r) {
            None => Value::Null,
            Some(o) => Value::Bool(match op {
                BinOp::Lt => o == Ordering::Less,
                BinOp::Le => o != Ordering::Greater,
                BinOp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            }),
        }),
        BinOp::In => in_list(&l, r),
        BinOp::StartsWith | BinOp::EndsWith | BinOp::Contains => Ok(match (&l, &r) {
            (Value::String(x), Value::String(y)) => Value::Bool(match op {
                BinOp::StartsWith => x.starts_with(y.as_str()),
                BinOp::EndsWith => x.ends_with(y.as_str()),
                _ => x.contains(y.as_str()),
            }),
            // Any other combination is NULL in Neo4j, not an error.
            _ => Value::Null,
        }),
        BinOp::RegexMatch => regex_match(&l, &r),
        BinOp::Add | BinOp::Concat => add(op, l, r),
        BinOp::Sub => subtract(l, r),
        BinOp::Mul => multiply(l, r),
        BinOp::Div => divide(l, r),
        BinOp::Mod => modulo(l, r),
        BinOp::Pow => power(l, r),
    }
}

/// Three-valued AND / OR / XOR of two evaluated operands.
pub fn logic(op: BinOp, l: &Value, r: &Value) -> EvalResult {
    let (x, y) = (truth(l)?, truth(r)?);
    Ok(match (op, x, y) {
        (BinOp::And, Some(false), _) | (BinOp::And, _, Some(false)) => Value::Bool(false),
        (BinOp::And, Some(true), Some(true)) => Value::Bool(true),
        (BinOp::Or, Some(true), _) | (BinOp::Or, _, Some(true)) => Value::Bool(true),
        (BinOp::Or, Some(false), Some(false)) => Value::Bool(false),
        (BinOp::Xor, Some(x), Some(y)) => Value::Bool(x != y),
        _ => Value::Null,
    })
}

/// `x IN list`: true when some element equals `x`; NULL when none does but some
/// comparison was unknown.
pub fn in_list(x: &Value, list: Value) -> EvalResult {
    let items = match list {
        Value::Null => return Ok(Value::Null),
        Value::List(items) => items,
        other => return Err(expected("a list", &other)),
    };
    let mut unknown = false;
    for item in &items {
        match equals(x, item) {
            Some(true) => return Ok(Value::Bool(true)),
            None => unknown = true,
            Some(false) => {}
        }
    }
    Ok(if unknown {
        Value::Null
    } else {
        Value::Bool(false)
    })
}

/// `text =~ pattern`: the whole text must match (Java's `Matcher.matches`). Rust's regex
/// engine runs in linear time and has no backreferences or lookaround; a pattern it
/// cannot compile is an ArgumentError, as an invalid Java pattern is in Neo4j.
pub fn regex_match(text: &Value, pattern: &Value) -> EvalResult {
    let (Value::String(t), Value::String(p)) = (text, pattern) else {
        return Ok(Value::Null);
    };
    let re = regex::RegexBuilder::new(&format!("^(?:{p})$"))
        .size_limit(1 << 22)
        .build()
        .map_err(|e| EvalError::Argument(format!("Invalid Regex: {e}")))?;
    Ok(Value::Bool(re.is_match(t)))
}

fn check_len(n: usize) -> EvalResult<()> {
    if n > MAX_SIZE {
        Err(too_large())
    } else {
        Ok(())
    }
}

/// `+` (and `||` for strings and lists).
pub fn add(op: BinOp, l: Value, r: Value) -> EvalResult {
    use Value::{Float, Int, List, Null};
    Ok(match (l, r) {
        (Null, _) | (_, Null) => Null,
        (Int(a), Int(b)) => Int(a.checked_add(b).ok_or_else(overflow)?),
        (Int(a), Float(b)) => Float(a as f64 + b),
        (Float(a), Int(b)) => Float(a + b as f64),
        (Float(a), Float(b)) => Float(a + b),
        (Value::String(a), Value::String(b)) => {
            check_len(a.len() + b.len())?;
            Value::String(a + &b)
        }
        // `+` joins a string with a number or boolean in its text; `||` only strings.
        (Value::String(a), b) if op == BinOp::Add && is_scalar(&b) => {
            Value::String(a + &scalar_text(&b))
        }
        (a, Value::String(b)) if op == BinOp::Add && is_scalar(&a) => {
            Value::String(scalar_text(&a) + &b)
        }
        (List(mut a), List(b)) => {
            check_len(a.len() + b.len())?;
            a.extend(b);
            List(a)
        }
        (List(mut a), b) if op == BinOp::Add => {
            check_len(a.len() + 1)?;
            a.push(b);
            List(a)
        }
        (a, List(b)) if op == BinOp::Add => {
            check_len(b.len() + 1)?;
            let mut out = Vec::with_capacity(b.len() + 1);
            out.push(a);
            out.extend(b);
            List(out)
        }
        (Value::Duration(a), Value::Duration(b)) => {
            Value::Duration(a.checked_add(b).map_err(|_| overflow())?)
        }
        (Value::Duration(d), t) | (t, Value::Duration(d)) if temporal::is_temporal(&t) => {
            temporal::plus(&t, &d)?
        }
        (a, b) => return Err(operator_mismatch(op.symbol(), &a, &b)),
    })
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_))
        || temporal::is_temporal(v)
        || matches!(v, Value::Duration(_))
}

/// A number, boolean or temporal value as `+` joins it to a string (`toString` text).
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => crate::value::java_double(*f),
        other => other.to_string(),
    }
}

/// `-`.
pub fn subtract(l: Value, r: Value) -> EvalResult {
    use Value::{Float, Int, Null};
    Ok(match (l, r) {
        (Null, _) | (_, Null) => Null,
        (Int(a), Int(b)) => Int(a.checked_sub(b).ok_or_else(overflow)?),
        (Int(a), Float(b)) => Float(a as f64 - b),
        (Float(a), Int(b)) => Float(a - b as f64),
        (Float(a), Float(b)) => Float(a - b),
        (Value::Duration(a), Value::Duration(b)) => Value::Duration(
            b.checked_neg()
                .and_then(|nb| a.checked_add(nb))
                .map_err(|_| overflow())?,
        ),
        (t, Value::Duration(d)) if temporal::is_temporal(&t) => {
            temporal::plus(&t, &d.checked_neg().map_err(|_| overflow())?)?
        }
        (a, b) => return Err(operator_mismatch("-", &a, &b)),
    })
}

/// `*`.
pub fn multiply(l: Value, r: Value) -> EvalResult {
    use Value::{Float, Int, Null};
    Ok(match (l, r) {
        (Null, _) | (_, Null) => Null,
        (Int(a), Int(b)) => Int(a.checked_mul(b).ok_or_else(overflow)?),
        (Int(a), Float(b)) => Float(a as f64 * b),
        (Float(a), Int(b)) => Float(a * b as f64),
        (Float(a), Float(b)) => Float(a * b),
        (Value::Duration(d), n @ (Int(_) | Float(_)))
        | (n @ (Int(_) | Float(_)), Value::Duration(d)) => {
            temporal::scale_duration(&d, as_f64(&n), false)?
        }
        (a, b) => return Err(operator_mismatch("*", &a, &b)),
    })
}

/// `/`: integer division truncates; by zero it is Java's "/ by zero".
pub fn divide(l: Value, r: Value) -> EvalResult {
    use Value::{Float, Int, Null};
    Ok(match (l, r) {
        (Null, _) | (_, Null) => Null,
        (Int(_), Int(0)) => return Err(div_by_zero()),
        (Int(a), Int(b)) => Int(a.checked_div(b).ok_or_else(overflow)?),
        (Int(a), Float(b)) => Float(a as f64 / b),
        (Float(a), Int(b)) => Float(a / b as f64),
        (Float(a), Float(b)) => Float(a / b),
        (Value::Duration(d), n @ (Int(_) | Float(_))) => {
            if as_f64(&n) == 0.0 {
                return Err(div_by_zero());
            }
            temporal::scale_duration(&d, as_f64(&n), true)?
        }
        (a, b) => return Err(operator_mismatch("/", &a, &b)),
    })
}

/// `%`: the sign of the dividend, as Java's.
pub fn modulo(l: Value, r: Value) -> EvalResult {
    use Value::{Float, Int, Null};
    Ok(match (l, r) {
        (Null, _) | (_, Null) => Null,
        (Int(_), Int(0)) => return Err(div_by_zero()),
        // i64::MIN % -1 is 0 in Java; Rust's checked_rem refuses it.
        (Int(a), Int(b)) => Int(a.checked_rem(b).unwrap_or(0)),
        (Int(a), Float(b)) => Float(a as f64 % b),
        (Float(a), Int(b)) => Float(a % b as f64),
        (Float(a), Float(b)) => Float(a % b),
        (a, b) => return Err(operator_mismatch("%", &a, &b)),
    })
}

/// `^`: always a float.
pub fn power(l: Value, r: Value) -> EvalResult {
    use Value::{Float, Int, Null};
    Ok(match (l, r) {
        (Null, _) | (_, Null) => Null,
        (a @ (Int(_) | Float(_)), b @ (Int(_) | Float(_))) => Float(as_f64(&a).powf(as_f64(&b))),
        (a, b) => return Err(operator_mismatch("^", &a, &b)),
    })
}

/// A number as f64 (0 for anything else; callers check the kind first).
pub fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// `v.key`: a map's entry, a node's or relationship's property, a temporal value's,
/// duration's or point's component.
pub fn property(v: Value, key: &str) -> EvalResult {
    match v {
        Value::Null => Ok(Value::Null),
        Value::Map(mut m) => Ok(m.remove(key).unwrap_or(Value::Null)),
        Value::Node(mut n) => Ok(n.properties.remove(key).unwrap_or(Value::Null)),
        Value::Relationship(mut r) => Ok(r.properties.remove(key).unwrap_or(Value::Null)),
        Value::Point(p) => super::spatial::component(&p, key),
        Value::Duration(d) => temporal::duration_component(&d, key),
        other if temporal::is_temporal(&other) => temporal::component(&other, key),
        other => Err(expected("a map", &other)),
    }
}

/// `container[index]`: a list by position (negative from the end, out of range NULL), a
/// map (or node, relationship) by key.
pub fn index(container: Value, idx: Value) -> EvalResult {
    match (container, idx) {
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (Value::List(mut items), Value::Int(i)) => {
            let len = items.len() as i64;
            let at = if i < 0 { len + i } else { i };
            if (0..len).contains(&at) {
                Ok(items.swap_remove(at as usize))
            } else {
                Ok(Value::Null)
            }
        }
        (Value::List(items), Value::Float(f)) if f.fract() == 0.0 => {
            index(Value::List(items), Value::Int(f as i64))
        }
        (l @ Value::List(_), other) => Err(EvalError::Type(format!(
            "Cannot access a list '{}' using a non-number index, got {}",
            java_text(&l),
            java_text(&other)
        ))),
        (m @ (Value::Map(_) | Value::Node(_) | Value::Relationship(_)), Value::String(k)) => {
            property(m, &k)
        }
        (m @ (Value::Map(_) | Value::Node(_) | Value::Relationship(_)), other) => {
            Err(EvalError::Type(format!(
                "Cannot access a map '{}' by key '{}'",
                java_text(&m),
                java_text(&other)
            )))
        }
        (c, i) => Err(EvalError::Type(format!(
            "`{}` is not a collection or a map. Element access is only possible by performing a \
             collection lookup using an integer index, or by performing a map lookup using a \
             string key (found: {}[{}])",
            java_text(&c),
            java_text(&c),
            java_text(&i)
        ))),
    }
}

/// `list[from..to]`: bounds clamp to the list, negative ones count from the end, a NULL
/// bound makes NULL.
pub fn slice(list: Value, from: Option<Value>, to: Option<Value>) -> EvalResult {
    let items = match list {
        Value::Null => return Ok(Value::Null),
        Value::List(items) => items,
        other => return Err(expected("a list", &other)),
    };
    let len = items.len() as i64;
    let bound = |v: Option<Value>, default: i64| -> EvalResult<Option<i64>> {
        match v {
            None => Ok(Some(default)),
            Some(Value::Null) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(if i < 0 { (len + i).max(0) } else { i.min(len) })),
            Some(other) => Err(expected("an integer", &other)),
        }
    };
    let (Some(a), Some(b)) = (bound(from, 0)?, bound(to, len)?) else {
        return Ok(Value::Null);
    };
    if a >= b {
        return Ok(Value::List(Vec::new()));
    }
    Ok(Value::List(
        items
            .into_iter()
            .skip(a as usize)
            .take((b - a) as usize)
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_is_an_arithmetic_error() {
        let max = Value::Int(i64::MAX);
        for r in [
            add(BinOp::Add, max.clone(), Value::Int(1)),
            multiply(max.clone(), max.clone()),
            subtract(Value::Int(i64::MIN), Value::Int(1)),
            negate(Value::Int(i64::MIN)),
        ] {
            assert_eq!(r, Err(overflow()));
        }
        assert_eq!(divide(Value::Int(1), Value::Int(0)), Err(div_by_zero()));
        assert_eq!(
            modulo(Value::Int(i64::MIN), Value::Int(-1)),
            Ok(Value::Int(0))
        );
        assert_eq!(divide(Value::Int(7), Value::Int(-2)), Ok(Value::Int(-3)));
        assert_eq!(modulo(Value::Int(-7), Value::Int(2)), Ok(Value::Int(-1)));
    }

    #[test]
    fn string_and_list_concatenation() {
        assert_eq!(
            add(BinOp::Add, Value::str("a"), Value::Int(1)),
            Ok(Value::str("a1"))
        );
        assert_eq!(
            add(BinOp::Add, Value::Float(1.0), Value::str("x")),
            Ok(Value::str("1.0x"))
        );
        assert!(add(BinOp::Concat, Value::str("a"), Value::Int(1)).is_err());
        assert_eq!(
            add(BinOp::Add, Value::Int(0), Value::List(vec![Value::Int(1)])),
            Ok(Value::List(vec![Value::Int(0), Value::Int(1)]))
        );
        assert_eq!(
            add(
                BinOp::Add,
                Value::Bool(true),
                Value::Map(Default::default())
            )
            .unwrap_err()
            .to_string(),
            "Cannot add `Boolean` and `Map`"
        );
    }

    #[test]
    fn slicing_and_indexing() {
        let l = || Value::List((1..=5).map(Value::Int).collect());
        assert_eq!(index(l(), Value::Int(-1)), Ok(Value::Int(5)));
        assert_eq!(index(l(), Value::Int(9)), Ok(Value::Null));
        assert_eq!(
            slice(l(), Some(Value::Int(1)), Some(Value::Int(-1))),
            Ok(Value::List((2..=4).map(Value::Int).collect()))
        );
        assert_eq!(
            slice(l(), Some(Value::Int(4)), Some(Value::Int(2))),
            Ok(Value::List(vec![]))
        );
        assert_eq!(slice(l(), Some(Value::Null), None), Ok(Value::Null));
    }

    #[test]
    fn regex_matches_whole_text() {
        let m = |t: &str, p: &str| regex_match(&Value::str(t), &Value::str(p));
        assert_eq!(m("neo4j", "neo.*"), Ok(Value::Bool(true)));
        assert_eq!(m("neo4j", "neo"), Ok(Value::Bool(false)));
        assert!(m("x", "(").is_err());
    }
}
