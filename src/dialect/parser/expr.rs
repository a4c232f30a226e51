//! Expressions: literals, parameters, lists, maps, variables, property access, indexing,
//! function calls (`count(*)`, `count(DISTINCT x)`), arithmetic, comparison, string and
//! list predicates, `IS [NOT] NULL` and boolean logic, with Cypher's precedence.
//!
//! It owns the expression grammar used by WHERE, ORDER BY, RETURN, procedure arguments,
//! OPTIONS and `:param` values. It must not evaluate anything (see `dialect::eval`).
//! Nesting is limited to [`MAX_DEPTH`] so that hostile input cannot overflow the stack.

use super::token::{
    Class, Expected, PResult, expect, fail, is_ident_char, keyword, name_part, opt_sym, parameter,
    semantic, string_literal, symbol, ws,
};
use crate::dialect::ast::{BinOp, Chain, Expr, ExprKind, Span};
use crate::value::Value;

/// How deeply expressions may nest (brackets, unary operators) before the parser gives up
/// with an error instead of recursing further.
pub const MAX_DEPTH: u32 = 96;

/// A full expression (lowest precedence: `OR`).
pub fn expression(input: &str, depth: u32) -> PResult<'_, Expr> {
    if depth > MAX_DEPTH {
        return semantic(ws(input), "Expression is nested too deeply.");
    }
    binary_level(input, depth, 0)
}

/// The binary operator levels, lowest first. `NOT` sits between AND and comparison and is
/// handled in [`not_expr`].
const LEVELS: &[&[(&str, BinOp, bool)]] = &[
    &[("OR", BinOp::Or, true)],
    &[("XOR", BinOp::Xor, true)],
    &[("AND", BinOp::And, true)],
];

fn binary_level(input: &str, depth: u32, level: usize) -> PResult<'_, Expr> {
    let Some(ops) = LEVELS.get(level) else {
        return not_expr(input, depth);
    };
    let (mut rest, mut lhs) = binary_level(input, depth, level + 1)?;
    'outer: loop {
        for (word, op, _) in ops.iter() {
            if let Some(after) = word_op(rest, word) {
                let (r, rhs) = binary_level(after, depth, level + 1)?;
                lhs = bin(*op, lhs, rhs);
                rest = r;
                continue 'outer;
            }
        }
        return Ok((rest, lhs));
    }
}

/// An operator word (`AND`, `IN`) without recording it as expected: operators after a
/// complete expression would only add noise to messages.
fn word_op<'a>(input: &'a str, word: &str) -> Option<&'a str> {
    let i = ws(input);
    let head = i.get(..word.len())?;
    let rest = i.get(word.len()..)?;
    (head.eq_ignore_ascii_case(word) && !rest.starts_with(is_ident_char)).then_some(rest)
}

fn sym_op<'a>(input: &'a str, s: &str) -> Option<&'a str> {
    ws(input).strip_prefix(s)
}

fn not_expr(input: &str, depth: u32) -> PResult<'_, Expr> {
    if let Some(after) = word_op(input, "NOT") {
        if depth > MAX_DEPTH {
            return semantic(ws(input), "Expression is nested too deeply.");
        }
        let (rest, e) = not_expr(after, depth + 1)?;
        return Ok((rest, e_(ExprKind::Not(Box::new(e)))));
    }
    comparison(input, depth)
}

const COMPARISONS: &[(&str, BinOp)] = &[
    ("=~", BinOp::RegexMatch),
    ("<>", BinOp::Neq),
    ("!=", BinOp::Neq),
    ("<=", BinOp::Le),
    (">=", BinOp::Ge),
    ("=", BinOp::Eq),
    ("<", BinOp::Lt),
    (">", BinOp::Gt),
];

fn comparison(input: &str, depth: u32) -> PResult<'_, Expr> {
    let (mut rest, mut lhs) = predicate(input, depth)?;
    'outer: loop {
        for (s, op) in COMPARISONS {
            if let Some(after) = sym_op(rest, s) {
                let (r, rhs) = predicate(after, depth)?;
                lhs = bin(*op, lhs, rhs);
                rest = r;
                continue 'outer;
            }
        }
        return Ok((rest, lhs));
    }
}

/// `STARTS WITH`, `ENDS WITH`, `CONTAINS`, `IN`, `IS [NOT] NULL` after an additive
/// expression.
fn predicate(input: &str, depth: u32) -> PResult<'_, Expr> {
    let (mut rest, mut lhs) = additive(input, depth)?;
    loop {
        let (op, after) = if let Some(a) = word_op(rest, "STARTS") {
            (BinOp::StartsWith, keyword(a, "WITH")?.0)
        } else if let Some(a) = word_op(rest, "ENDS") {
            (BinOp::EndsWith, keyword(a, "WITH")?.0)
        } else if let Some(a) = word_op(rest, "CONTAINS") {
            (BinOp::Contains, a)
        } else if let Some(a) = word_op(rest, "IN") {
            (BinOp::In, a)
        } else if let Some(a) = word_op(rest, "IS") {
            let (a, not) = match word_op(a, "NOT") {
                Some(b) => (b, true),
                None => (a, false),
            };
            rest = keyword(a, "NULL")?.0;
            lhs = e_(ExprKind::IsNull(Box::new(lhs), not));
            continue;
        } else {
            return Ok((rest, lhs));
        };
        let (r, rhs) = additive(after, depth)?;
        lhs = bin(op, lhs, rhs);
        rest = r;
    }
}

fn additive(input: &str, depth: u32) -> PResult<'_, Expr> {
    let (mut rest, mut lhs) = multiplicative(input, depth)?;
    loop {
        let (op, after) = if let Some(a) = sym_op(rest, "+") {
            (BinOp::Add, a)
        } else if let Some(a) = sym_op(rest, "-") {
            (BinOp::Sub, a)
        } else {
            return Ok((rest, lhs));
        };
        let (r, rhs) = multiplicative(after, depth)?;
        lhs = bin(op, lhs, rhs);
        rest = r;
    }
}

fn multiplicative(input: &str, depth: u32) -> PResult<'_, Expr> {
    let (mut rest, mut lhs) = power(input, depth)?;
    loop {
        let (op, after) = if let Some(a) = sym_op(rest, "*") {
            (BinOp::Mul, a)
        } else if let Some(a) = sym_op(rest, "/") {
            (BinOp::Div, a)
        } else if let Some(a) = sym_op(rest, "%") {
            (BinOp::Mod, a)
        } else {
            return Ok((rest, lhs));
        };
        let (r, rhs) = power(after, depth)?;
        lhs = bin(op, lhs, rhs);
        rest = r;
    }
}

fn power(input: &str, depth: u32) -> PResult<'_, Expr> {
    let (mut rest, mut lhs) = unary(input, depth)?;
    while let Some(after) = sym_op(rest, "^") {
        let (r, rhs) = unary(after, depth)?;
        lhs = bin(BinOp::Pow, lhs, rhs);
        rest = r;
    }
    Ok((rest, lhs))
}

fn unary(input: &str, depth: u32) -> PResult<'_, Expr> {
    let i = ws(input);
    let (negate, after) = match (i.strip_prefix('-'), i.strip_prefix('+')) {
        (Some(a), _) => (true, a),
        (None, Some(a)) => (false, a),
        _ => return postfix(i, depth),
    };
    if depth > MAX_DEPTH {
        return semantic(i, "Expression is nested too deeply.");
    }
    let (rest, e) = unary(after, depth + 1)?;
    let e = match (negate, e) {
        (
            true,
            Expr {
                kind: ExprKind::Literal(Value::Int(n)),
                ..
            },
        ) => e_(ExprKind::Literal(Value::Int(n.wrapping_neg()))),
        (
            true,
            Expr {
                kind: ExprKind::Literal(Value::Float(f)),
                ..
            },
        ) => e_(ExprKind::Literal(Value::Float(-f))),
        (true, e) => e_(ExprKind::Neg(Box::new(e))),
        (false, e) => e,
    };
    Ok((rest, e))
}

fn postfix(input: &str, depth: u32) -> PResult<'_, Expr> {
    let (mut rest, mut e) = atom(input, depth)?;
    loop {
        let i = ws(rest);
        if let Some(after) = i.strip_prefix('.')
            && !after.starts_with(|c: char| c.is_ascii_digit())
        {
            let (r, key) = name_part(after, Class::Identifier)?;
            e = e_(ExprKind::Property(Box::new(e), key));
            rest = r;
        } else if let Some(after) = i.strip_prefix('[') {
            let (r, index) = expression(after, depth + 1)?;
            let (r, _) = symbol(r, "]")?;
            e = e_(ExprKind::Index(Box::new(e), Box::new(index)));
            rest = r;
        } else {
            return Ok((rest, e));
        }
    }
}

fn atom(input: &str, depth: u32) -> PResult<'_, Expr> {
    let i = ws(input);
    let Some(c) = i.chars().next() else {
        expect(i, Expected::Class(Class::Expression));
        return fail(i);
    };
    match c {
        '$' => parameter(i).map(|(r, p)| (r, e_(ExprKind::Param(p)))),
        '\'' | '"' => string_literal(i).map(|(r, s)| (r, e_(ExprKind::Literal(Value::String(s))))),
        '0'..='9' => number(i),
        '.' if i[1..].starts_with(|c: char| c.is_ascii_digit()) => number(i),
        '[' => list_literal(i, depth).map(|(r, l)| (r, e_(ExprKind::List(l)))),
        '{' => map_literal(i, depth).map(|(r, m)| (r, e_(ExprKind::Map(m)))),
        '(' => {
            let (r, e) = expression(&i[1..], depth + 1)?;
            let (r, _) = symbol(r, ")")?;
            Ok((r, e))
        }
        '`' => name_part(i, Class::Expression).map(|(r, n)| (r, e_(ExprKind::Variable(n)))),
        c if c.is_alphabetic() || c == '_' => word_atom(i, depth),
        _ => {
            expect(i, Expected::Class(Class::Expression));
            fail(i)
        }
    }
}

/// An atom that starts with a word: `TRUE`, `FALSE`, `NULL`, a function call, a
/// subquery expression (rejected on admin commands) or a variable.
fn word_atom(i: &str, depth: u32) -> PResult<'_, Expr> {
    let end = i.find(|c: char| !is_ident_char(c)).unwrap_or(i.len());
    let word = &i[..end];
    let rest = &i[end..];
    for (w, v) in [
        ("TRUE", Value::Bool(true)),
        ("FALSE", Value::Bool(false)),
        ("NULL", Value::Null),
    ] {
        if word.eq_ignore_ascii_case(w) {
            return Ok((rest, e_(ExprKind::Literal(v))));
        }
    }
    if ws(rest).starts_with('{') {
        for w in ["EXISTS", "COUNT", "COLLECT"] {
            if word.eq_ignore_ascii_case(w) {
                return semantic(
                    i,
                    format!("The {w} expression is not valid on SHOW commands."),
                );
            }
        }
    }
    // A dotted function name: `a.b.c(`. Otherwise only the first word is the atom and the
    // dots are property accesses.
    let mut name = word.to_string();
    let mut r = rest;
    loop {
        let after = ws(r);
        if let Some(args) = after.strip_prefix('(') {
            return call_args(args, name, depth);
        }
        match after.strip_prefix('.') {
            Some(a) if ws(a).starts_with(|c: char| c.is_alphabetic() || c == '_') => {
                let a = ws(a);
                let e = a.find(|c: char| !is_ident_char(c)).unwrap_or(a.len());
                name.push('.');
                name.push_str(&a[..e]);
                r = &a[e..];
            }
            _ => break,
        }
    }
    Ok((rest, e_(ExprKind::Variable(word.to_string()))))
}

fn call_args(input: &str, name: String, depth: u32) -> PResult<'_, Expr> {
    if name.eq_ignore_ascii_case("count")
        && let Some(a) = sym_op(input, "*")
    {
        let (r, _) = symbol(a, ")")?;
        return Ok((r, e_(ExprKind::CountStar)));
    }
    let (input, distinct) = match word_op(input, "DISTINCT") {
        Some(a) => (a, true),
        None => (input, false),
    };
    let (rest, args) = comma_list(input, ")", depth)?;
    Ok((
        rest,
        e_(ExprKind::Function(Box::new(
            crate::dialect::ast::expr::FunctionCall {
                name,
                name_span: Span::default(),
                distinct,
                args,
            },
        ))),
    ))
}

/// Expressions separated by commas up to `close` (already past the opening bracket).
/// A trailing comma is an error at the closing bracket, as in Neo4j.
pub fn comma_list<'a>(input: &'a str, close: &'static str, depth: u32) -> PResult<'a, Vec<Expr>> {
    let mut out = Vec::new();
    let (rest, closed) = opt_sym(input, close)?;
    if closed {
        return Ok((rest, out));
    }
    let mut rest = input;
    loop {
        let (r, e) = expression(rest, depth + 1)?;
        out.push(e);
        let (r, comma) = opt_sym(r, ",")?;
        if !comma {
            let (r, _) = symbol(r, close)?;
            return Ok((r, out));
        }
        rest = r;
    }
}

/// `[a, b, ...]`.
pub fn list_literal(input: &str, depth: u32) -> PResult<'_, Vec<Expr>> {
    let (rest, _) = symbol(input, "[")?;
    comma_list(rest, "]", depth)
}

/// `{key: value, ...}`; keys are names (keywords allowed, backticks for anything else).
pub fn map_literal(input: &str, depth: u32) -> PResult<'_, Vec<(String, Expr)>> {
    if depth > MAX_DEPTH {
        return semantic(ws(input), "Expression is nested too deeply.");
    }
    let (mut rest, _) = symbol(input, "{")?;
    let mut out = Vec::new();
    let (r, closed) = opt_sym(rest, "}")?;
    if closed {
        return Ok((r, out));
    }
    loop {
        let (r, key) = name_part(rest, Class::Identifier)?;
        let (r, _) = symbol(r, ":")?;
        let (r, value) = expression(r, depth + 1)?;
        out.push((key, value));
        let (r, comma) = opt_sym(r, ",")?;
        if !comma {
            let (r, _) = symbol(r, "}")?;
            return Ok((r, out));
        }
        rest = r;
    }
}

/// A number: decimal, hexadecimal (`0x`), octal (`0o`) integer, or a float.
fn number(i: &str) -> PResult<'_, Expr> {
    let bytes = i.as_bytes();
    let radix = match (bytes.first(), bytes.get(1)) {
        (Some(b'0'), Some(b'x' | b'X')) => 16,
        (Some(b'0'), Some(b'o' | b'O')) => 8,
        _ => 10,
    };
    if radix != 10 {
        let body = &i[2..];
        let end = body.find(|c: char| !is_ident_char(c)).unwrap_or(body.len());
        return match i64::from_str_radix(&body[..end], radix) {
            Ok(n) => Ok((&body[end..], e_(ExprKind::Literal(Value::Int(n))))),
            Err(_) => semantic(i, "Invalid input: integer is too large or malformed"),
        };
    }
    let mut end = i.find(|c: char| !c.is_ascii_digit()).unwrap_or(i.len());
    let mut float = false;
    if i[end..].starts_with('.') && i[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        float = true;
        end += 1;
        end += i[end..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(i.len() - end);
    }
    if i[end..].starts_with(['e', 'E']) {
        let mut e = end + 1;
        if i[e..].starts_with(['+', '-']) {
            e += 1;
        }
        let digits = i[e..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(i.len() - e);
        if digits > 0 {
            float = true;
            end = e + digits;
        }
    }
    let text = &i[..end];
    let rest = &i[end..];
    if rest.starts_with(is_ident_char) {
        expect(rest, Expected::Class(Class::Expression));
        return fail(rest);
    }
    if float {
        match text.parse::<f64>() {
            Ok(f) => Ok((rest, e_(ExprKind::Literal(Value::Float(f))))),
            Err(_) => semantic(i, "Invalid input: malformed number"),
        }
    } else {
        match text.parse::<i64>() {
            Ok(n) => Ok((rest, e_(ExprKind::Literal(Value::Int(n))))),
            Err(_) => semantic(i, "integer is too large"),
        }
    }
}

fn e_(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

fn bin(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    e_(ExprKind::Binary(Box::new(Chain {
        first: lhs,
        rest: vec![(op, Span::default(), rhs)],
    })))
}
