//! String functions: `toUpper`, `toLower`, `trim`, `ltrim`, `rtrim`, `btrim`, `replace`,
//! `substring`, `left`, `right`, `split`, `reverse` (of a string), `size`/`char_length`
//! of a string. Positions and lengths count Unicode code points, as Neo4j's do.
//!
//! It owns those functions' rules and messages. It must not convert other types to text
//! (`convert.rs` owns `toString`).

use super::super::errors::{EvalError, EvalResult, bad_argument, invalid_argument};
use crate::value::Value;

fn text<'a>(name: &str, v: &'a Value) -> EvalResult<Option<&'a str>> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(bad_argument(name, "String", other)),
    }
}

fn int(name: &str, v: &Value) -> EvalResult<Option<i64>> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        other => Err(bad_argument(name, "an Integer", other)),
    }
}

/// Calls the string function `name` (lower case) if it is one.
pub fn call(name: &str, display: &str, args: &[Value]) -> Option<EvalResult> {
    let one = |f: fn(&str) -> String| -> EvalResult {
        let [a] = args else {
            return Err(arity(display));
        };
        Ok(text(display, a)?.map_or(Value::Null, |s| Value::String(f(s))))
    };
    Some(match name {
        "toupper" | "upper" => one(str::to_uppercase),
        "tolower" | "lower" => one(str::to_lowercase),
        "trim" | "btrim" if args.len() == 1 => one(|s| s.trim().to_string()),
        "ltrim" if args.len() == 1 => one(|s| s.trim_start().to_string()),
        "rtrim" if args.len() == 1 => one(|s| s.trim_end().to_string()),
        "btrim" | "ltrim" | "rtrim" => trim_chars(name, display, args),
        "replace" => replace(display, args),
        "substring" => substring(display, args),
        "left" | "right" => left_right(name == "left", display, args),
        "split" => split(display, args),
        "char_length" | "character_length" => {
            let [a] = args else {
                return Some(Err(arity(display)));
            };
            text(display, a)
                .map(|s| s.map_or(Value::Null, |s| Value::Int(s.chars().count() as i64)))
        }
        _ => return None,
    })
}

/// Wrong number of arguments (Neo4j rejects these when compiling).
pub fn arity(name: &str) -> EvalError {
    EvalError::Syntax(format!("Wrong number of arguments for function '{name}'"))
}

/// `trim(BOTH|LEADING|TRAILING chars FROM s)` and `btrim/ltrim/rtrim(s, chars)`.
pub fn trim_with(
    display: &str,
    s: &Value,
    chars: Option<&Value>,
    leading: bool,
    trailing: bool,
) -> EvalResult {
    let Some(s) = text(display, s)? else {
        return Ok(Value::Null);
    };
    let set: Vec<char> = match chars {
        None => {
            let mut out = s;
            if leading {
                out = out.trim_start();
            }
            if trailing {
                out = out.trim_end();
            }
            return Ok(Value::str(out));
        }
        Some(c) => match text(display, c)? {
            None => return Ok(Value::Null),
            Some(c) => c.chars().collect(),
        },
    };
    let mut out = s;
    if leading {
        out = out.trim_start_matches(|c| set.contains(&c));
    }
    if trailing {
        out = out.trim_end_matches(|c| set.contains(&c));
    }
    Ok(Value::str(out))
}

fn trim_chars(name: &str, display: &str, args: &[Value]) -> EvalResult {
    let [s, c] = args else {
        return Err(arity(display));
    };
    trim_with(display, s, Some(c), name != "rtrim", name != "ltrim")
}

fn replace(display: &str, args: &[Value]) -> EvalResult {
    let [a, b, c] = args else {
        return Err(arity(display));
    };
    let (Some(a), Some(b), Some(c)) = (text(display, a)?, text(display, b)?, text(display, c)?)
    else {
        return Ok(Value::Null);
    };
    let out = a.replace(b, c);
    if out.len() > super::super::ops::MAX_SIZE {
        return Err(EvalError::Argument(
            "The result of replace() is too large.".into(),
        ));
    }
    Ok(Value::String(out))
}

fn substring(display: &str, args: &[Value]) -> EvalResult {
    let (s, start, len) = match args {
        [s, start] => (s, start, None),
        [s, start, len] => (s, start, Some(len)),
        _ => return Err(arity(display)),
    };
    let Some(s) = text(display, s)? else {
        return Ok(Value::Null);
    };
    let Some(start) = int(display, start)? else {
        return Ok(Value::Null);
    };
    let len = match len {
        None => None,
        Some(l) => match int(display, l)? {
            None => return Ok(Value::Null),
            Some(l) => Some(l),
        },
    };
    if start < 0 {
        return Err(invalid_argument(
            display,
            format!("start must be non-negative, got {start}"),
        ));
    }
    if let Some(l) = len.filter(|l| *l < 0) {
        return Err(invalid_argument(
            display,
            format!("length must be non-negative, got {l}"),
        ));
    }
    let chars = s.chars().skip(start as usize);
    Ok(Value::String(match len {
        Some(l) => chars.take(l as usize).collect(),
        None => chars.collect(),
    }))
}

fn left_right(left: bool, display: &str, args: &[Value]) -> EvalResult {
    let [s, n] = args else {
        return Err(arity(display));
    };
    let Some(s) = text(display, s)? else {
        return Ok(Value::Null);
    };
    let Some(n) = int(display, n)? else {
        return Err(invalid_argument(display, "length must not be null"));
    };
    if n < 0 {
        return Err(invalid_argument(
            display,
            format!("length must be non-negative, got {n}"),
        ));
    }
    let count = s.chars().count();
    let n = (n as usize).min(count);
    Ok(Value::String(if left {
        s.chars().take(n).collect()
    } else {
        s.chars().skip(count - n).collect()
    }))
}

fn split(display: &str, args: &[Value]) -> EvalResult {
    let [s, d] = args else {
        return Err(arity(display));
    };
    let Some(s) = text(display, s)? else {
        return Ok(Value::Null);
    };
    let delimiters: Vec<String> = match d {
        Value::Null => return Ok(Value::Null),
        Value::String(d) => vec![d.clone()],
        Value::List(items) => {
            let mut out = Vec::new();
            for i in items {
                match i {
                    Value::String(d) => out.push(d.clone()),
                    Value::Null => return Ok(Value::Null),
                    other => return Err(bad_argument(display, "String", other)),
                }
            }
            out
        }
        other => return Err(bad_argument(display, "String", other)),
    };
    if delimiters.iter().all(String::is_empty) {
        return Ok(Value::List(
            s.chars().map(|c| Value::String(c.to_string())).collect(),
        ));
    }
    // Split at the earliest delimiter each time; empty pieces are kept.
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        let hit = delimiters
            .iter()
            .filter(|d| !d.is_empty())
            .filter_map(|d| rest.find(d.as_str()).map(|i| (i, d.len())))
            .min();
        match hit {
            Some((i, n)) => {
                parts.push(Value::str(&rest[..i]));
                rest = &rest[i + n..];
            }
            None => {
                parts.push(Value::str(rest));
                break;
            }
        }
    }
    Ok(Value::List(parts))
}
