//! Numeric functions: `abs`, `ceil`, `floor`, `round` (with precision and rounding mode),
//! `sign`, `sqrt`, `exp`, `log`, `log10`, `e`, `pi`, the trigonometric and hyperbolic
//! functions, `degrees`, `radians`, `haversin`, `isNaN`, and `rand` (from a generator the
//! caller seeds, so a statement is reproducible for a fixed clock).
//!
//! It owns those functions. Results are floats as in Neo4j, except `abs` and `sign`, which
//! keep integers.

use super::super::errors::{EvalError, EvalResult, bad_argument, overflow};
use super::strings::arity;
use crate::value::Value;

fn num(display: &str, v: &Value) -> EvalResult<Option<f64>> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i as f64)),
        Value::Float(f) => Ok(Some(*f)),
        other => Err(bad_argument(display, "a number", other)),
    }
}

/// Calls the math function `name` (lower case) if it is one; `rand` draws from `next`.
pub fn call(
    name: &str,
    display: &str,
    args: &[Value],
    next: &mut dyn FnMut() -> f64,
) -> Option<EvalResult> {
    let unary = |f: fn(f64) -> f64| -> EvalResult {
        let [a] = args else {
            return Err(arity(display));
        };
        Ok(num(display, a)?.map_or(Value::Null, |x| Value::Float(f(x))))
    };
    Some(match name {
        "abs" => match args {
            [Value::Int(i)] => i.checked_abs().map(Value::Int).ok_or_else(overflow),
            _ => unary(f64::abs),
        },
        "sign" => match args {
            [Value::Int(i)] => Ok(Value::Int(i.signum())),
            [a] => num(display, a).map(|x| {
                x.map_or(Value::Null, |x| {
                    Value::Int(if x > 0.0 {
                        1
                    } else if x < 0.0 {
                        -1
                    } else {
                        0
                    })
                })
            }),
            _ => Err(arity(display)),
        },
        "ceil" => unary(f64::ceil),
        "floor" => unary(f64::floor),
        "round" => round(display, args),
        "sqrt" => unary(f64::sqrt),
        "exp" => unary(f64::exp),
        "log" => unary(f64::ln),
        "log10" => unary(f64::log10),
        "sin" => unary(f64::sin),
        "cos" => unary(f64::cos),
        "tan" => unary(f64::tan),
        "cot" => unary(|x| 1.0 / x.tan()),
        "asin" => unary(f64::asin),
        "acos" => unary(f64::acos),
        "atan" => unary(f64::atan),
        "sinh" => unary(f64::sinh),
        "cosh" => unary(f64::cosh),
        "tanh" => unary(f64::tanh),
        "coth" => unary(|x| 1.0 / x.tanh()),
        "atan2" => match args {
            [a, b] => match (num(display, a), num(display, b)) {
                (Ok(Some(y)), Ok(Some(x))) => Ok(Value::Float(y.atan2(x))),
                (Err(e), _) | (_, Err(e)) => Err(e),
                _ => Ok(Value::Null),
            },
            _ => Err(arity(display)),
        },
        "degrees" => unary(f64::to_degrees),
        "radians" => unary(f64::to_radians),
        "haversin" => unary(|x| (1.0 - x.cos()) / 2.0),
        "isnan" => match args {
            [Value::Int(_)] => Ok(Value::Bool(false)),
            [a] => num(display, a).map(|x| x.map_or(Value::Null, |x| Value::Bool(x.is_nan()))),
            _ => Err(arity(display)),
        },
        "e" | "pi" => {
            if !args.is_empty() {
                return Some(Err(arity(display)));
            }
            Ok(Value::Float(if name == "e" {
                std::f64::consts::E
            } else {
                std::f64::consts::PI
            }))
        }
        "rand" => {
            if !args.is_empty() {
                return Some(Err(arity(display)));
            }
            Ok(Value::Float(next()))
        }
        _ => return None,
    })
}

/// `round(x)` (half up, as Java's `Math.round`), `round(x, precision)` and
/// `round(x, precision, mode)` (HALF_UP by default; Java's `RoundingMode` names).
fn round(display: &str, args: &[Value]) -> EvalResult {
    let (x, precision, mode) = match args {
        [x] => (x, None, None),
        [x, p] => (x, Some(p), None),
        [x, p, m] => (x, Some(p), Some(m)),
        _ => return Err(arity(display)),
    };
    let Some(x) = num(display, x)? else {
        return Ok(Value::Null);
    };
    let precision = match precision {
        None => 0,
        Some(Value::Int(p)) => *p,
        Some(Value::Null) => return Ok(Value::Null),
        Some(other) => return Err(bad_argument(display, "an Integer", other)),
    };
    let mode = match mode {
        None => "HALF_UP".to_string(),
        Some(Value::String(m)) => m.to_ascii_uppercase(),
        Some(Value::Null) => return Ok(Value::Null),
        Some(other) => return Err(bad_argument(display, "String", other)),
    };
    if !x.is_finite() {
        return Ok(Value::Float(x));
    }
    if args.len() == 1 {
        // Math.round: floor(x + 0.5).
        return Ok(Value::Float((x + 0.5).floor()));
    }
    let scale = 10f64.powi(precision.clamp(-300, 300) as i32);
    let y = x * scale;
    let (fl, frac) = (y.floor(), y - y.floor());
    let half = (frac - 0.5).abs() < 1e-9;
    let away = |v: f64| {
        if v >= 0.0 {
            v.abs().ceil().copysign(v)
        } else {
            -(v.abs().ceil())
        }
    };
    let toward = |v: f64| v.trunc();
    let r = match mode.as_str() {
        "UP" => away(y),
        "DOWN" => toward(y),
        "CEILING" => y.ceil(),
        "FLOOR" => y.floor(),
        "HALF_UP" => {
            if half {
                away(if y >= 0.0 { fl + 1.0 } else { fl })
            } else {
                y.round()
            }
        }
        "HALF_DOWN" => {
            if half {
                if y >= 0.0 { fl } else { fl + 1.0 }
            } else {
                y.round()
            }
        }
        "HALF_EVEN" => {
            if half {
                if fl % 2.0 == 0.0 { fl } else { fl + 1.0 }
            } else {
                y.round()
            }
        }
        "UNNECESSARY" => {
            if y.fract() != 0.0 {
                return Err(EvalError::Arithmetic("Rounding necessary".into()));
            }
            y
        }
        other => {
            return Err(EvalError::Argument(format!(
                "Unknown rounding mode: {other}"
            )));
        }
    };
    Ok(Value::Float(r / scale))
}
