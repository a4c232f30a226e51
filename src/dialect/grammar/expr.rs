//! Expressions with Neo4j's precedence, level by level as its grammar has them: OR, XOR,
//! AND, NOT, comparisons (chained), the string/list/null/type predicates, `+ - ||`,
//! `* / %`, `^`, unary signs, postfixes (`.key`, `[i]`, `[a..b]`, `:Label`, `IS Label`) and
//! the atoms — literals, parameters, CASE, list and pattern comprehensions, `reduce`, the
//! list quantifiers, EXISTS / COUNT / COLLECT subqueries, map projections, function calls,
//! pattern expressions and `shortestPath`.
//!
//! The binary levels are one precedence-climbing loop (`operators`) rather than a
//! function per level, so an atom does not descend ten functions; it builds the tree a
//! function per level would (a run of one level is a flat [`Chain`] however long) and
//! records what those functions would record where an expression ends. Only real nesting
//! (brackets, NOT, postfixes) goes deeper, and that is bounded by the parser's nesting
//! limit. It owns the expression grammar; it must not evaluate.

use super::expected::{Hint, Item, ItemSet, Rule};
use super::literals;
use super::names::{
    at_name, is_non_label_keyword, name_text, parameter, string_literal, symbolic_name,
    symbolic_name_hinted, variable,
};
use super::parser::{Frame, PResult, Parser};
use super::{
    label_expression_postfix, match_mode, path_pattern_non_empty, pattern_list, regular_query,
    shortest_path, where_clause,
};
use crate::dialect::ast::Span;
use crate::dialect::ast::expr::*;
use crate::dialect::lexer::{Kw, Tok};
use crate::value::Value;
use std::sync::LazyLock;

/// `expression`: a full expression, reported as "an expression".
pub fn expression(p: &mut Parser<'_>) -> PResult<Expr> {
    p.nest(|p| {
        p.rule(Frame::Named(Rule::Expression), |p| {
            operators(p, Level::Or, false)
        })
    })
}

fn new(p: &Parser<'_>, start: usize, kind: ExprKind) -> Expr {
    Expr::new(kind, p.span_from(start))
}

/// The operator levels of Neo4j's grammar, loosest first: OR, XOR, AND, prefix NOT,
/// comparisons, the string/list/null/type predicates, `+ - ||`, `* / %`, `^`; `Top` is
/// above every binary operator (what a unary expression is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Or,
    Xor,
    And,
    Not,
    Comparison,
    Predicate,
    Additive,
    Multiplicative,
    Power,
    Top,
}

impl Level {
    /// The level of a chain's operands: the next tighter one.
    fn next(self) -> Level {
        match self {
            Level::Or => Level::Xor,
            Level::Xor => Level::And,
            Level::And => Level::Not,
            Level::Not => Level::Comparison,
            Level::Comparison => Level::Predicate,
            Level::Predicate => Level::Additive,
            Level::Additive => Level::Multiplicative,
            Level::Multiplicative => Level::Power,
            Level::Power | Level::Top => Level::Top,
        }
    }
}

/// An operator at the current token.
#[derive(Clone, Copy)]
enum Operator {
    /// A chained binary operator of its level (every level but `Predicate`).
    Chain(Level, BinOp),
    /// A predicate: `=~ CONTAINS IN STARTS ENDS` (`Some`), or `IS ...` / `:: type`.
    Predicate(Option<BinOp>),
}

impl Operator {
    fn level(self) -> Level {
        match self {
            Operator::Chain(level, _) => level,
            Operator::Predicate(_) => Level::Predicate,
        }
    }
}

/// The operator at the current token, if one is (looking only: nothing is recorded).
fn operator_at(p: &Parser<'_>) -> Option<Operator> {
    let (level, op) = match p.peek() {
        Tok::Kw(Kw::Or) => (Level::Or, BinOp::Or),
        Tok::Kw(Kw::Xor) => (Level::Xor, BinOp::Xor),
        Tok::Kw(Kw::And) => (Level::And, BinOp::And),
        Tok::Eq => (Level::Comparison, BinOp::Eq),
        Tok::Neq | Tok::InvalidNeq => (Level::Comparison, BinOp::Neq),
        Tok::Le => (Level::Comparison, BinOp::Le),
        Tok::Ge => (Level::Comparison, BinOp::Ge),
        Tok::Lt => (Level::Comparison, BinOp::Lt),
        Tok::Gt => (Level::Comparison, BinOp::Gt),
        Tok::RegEq => return Some(Operator::Predicate(Some(BinOp::RegexMatch))),
        Tok::Kw(Kw::Contains) => return Some(Operator::Predicate(Some(BinOp::Contains))),
        Tok::Kw(Kw::In) => return Some(Operator::Predicate(Some(BinOp::In))),
        Tok::Kw(Kw::Starts) => return Some(Operator::Predicate(Some(BinOp::StartsWith))),
        Tok::Kw(Kw::Ends) => return Some(Operator::Predicate(Some(BinOp::EndsWith))),
        Tok::ColonColon | Tok::Kw(Kw::Is) => return Some(Operator::Predicate(None)),
        Tok::Plus => (Level::Additive, BinOp::Add),
        Tok::Minus => (Level::Additive, BinOp::Sub),
        Tok::DoubleBar => (Level::Additive, BinOp::Concat),
        Tok::Times => (Level::Multiplicative, BinOp::Mul),
        Tok::Divide => (Level::Multiplicative, BinOp::Div),
        Tok::Percent => (Level::Multiplicative, BinOp::Mod),
        Tok::Pow => (Level::Power, BinOp::Pow),
        _ => return None,
    };
    Some(Operator::Chain(level, op))
}

/// The operators of levels `min` and tighter around unary operands, in one loop
/// (precedence climbing) rather than a function per level: an atom costs one call here,
/// not ten. The tree is the one Neo4j's grammar nests (each run of one level is one flat
/// [`Chain`]; at most one predicate per comparison operand), and what is recorded where
/// an expression ends is what a function per level would record (`record_end`).
///
/// `exact`: record every operator a level would have listed. A whole expression's frame
/// folds them all into "an expression", so there one item marks the position; CASE's
/// `WHEN = a` operands record into CASE's own frame, whose message lists them.
fn operators(p: &mut Parser<'_>, min: Level, exact: bool) -> PResult<Expr> {
    let start = p.pos();
    // Operators at `ceiling` or looser than it were already taken by the part before.
    let (mut lhs, mut ceiling) = if min <= Level::Not {
        not_operand(p, start, exact)?
    } else {
        (unary(p)?, Level::Top)
    };
    loop {
        let op = match operator_at(p) {
            Some(op) if op.level() >= min && op.level() < ceiling => op,
            _ => {
                record_end(p, min, ceiling, exact);
                return Ok(lhs);
            }
        };
        lhs = match op {
            Operator::Chain(level, op) => chain(p, start, lhs, level, op, exact)?,
            Operator::Predicate(op) => predicate(p, start, lhs, op, exact)?,
        };
        ceiling = op.level();
    }
}

/// `NOT* expression8` where NOT may stand (an operand of AND, or a whole expression):
/// the operand and the level its operators reached. Each NOT is a level of nesting.
fn not_operand(p: &mut Parser<'_>, start: usize, exact: bool) -> PResult<(Expr, Level)> {
    if p.peek() != Tok::Kw(Kw::Not) {
        p.record(Item::kw(Kw::Not));
        return Ok((unary(p)?, Level::Top));
    }
    let not = |p: &mut Parser<'_>| {
        p.bump();
        let inner = p.nest(|p| operators(p, Level::Not, exact))?;
        Ok(new(p, start, ExprKind::Not(Box::new(inner))))
    };
    let comparison = |p: &mut Parser<'_>| operators(p, Level::Comparison, exact);
    // NOT is also a name. Where no expression can follow it, it is the variable NOT
    // (the operator's failure still records "an expression"); `NOT IS NULL` is the
    // variable NOT tested for null, since `IS` as a variable cannot be followed by
    // NULL, NOT, TYPED or NORMALIZED; and `NOT (` may call a function named NOT.
    let e = if matches!(p.nth(1), Tok::Kw(Kw::Is)) && is_non_label_keyword(p.nth(2)) {
        comparison(p)?
    } else if p.nth(1) == Tok::LParen || !at_expression_start_tok(p.nth(1)) {
        p.either(not, comparison)?
    } else {
        not(p)?
    };
    Ok((e, Level::Not))
}

/// A run of one chained level after its first operand `first`, `op` current.
fn chain(
    p: &mut Parser<'_>,
    start: usize,
    first: Expr,
    level: Level,
    mut op: BinOp,
    exact: bool,
) -> PResult<Expr> {
    let mut rest = Vec::new();
    loop {
        if p.peek() == Tok::InvalidNeq {
            let at = p.offset();
            p.semantic_error(
                at,
                "Unknown operation '!=' (you probably meant to use '<>', which is the operator \
                 for inequality testing)",
            );
        }
        let at = p.bump();
        let operand = if level == Level::Power {
            unary(p)?
        } else {
            operators(p, level.next(), exact)?
        };
        rest.push((op, Span::new(at.start as usize, at.end as usize), operand));
        match operator_at(p) {
            Some(Operator::Chain(l, o)) if l == level => op = o,
            _ => break,
        }
    }
    Ok(new(
        p,
        start,
        ExprKind::Binary(Box::new(Chain { first, rest })),
    ))
}

/// What a function per level records where an expression ends: each level still open
/// (looser than `ceiling`, or the chain at `ceiling` that just ended) lists its
/// operators — the predicates, "an expression" for the comparisons, AND, XOR, OR. The
/// other levels only look.
fn record_end(p: &mut Parser<'_>, min: Level, ceiling: Level, exact: bool) {
    let open = |l: Level| l >= min && (l < ceiling || (l == ceiling && l != Level::Predicate));
    if !exact {
        if open(Level::Or)
            || open(Level::Xor)
            || open(Level::And)
            || open(Level::Comparison)
            || open(Level::Predicate)
        {
            p.record(Item::rule(Rule::Expression));
        }
        return;
    }
    if open(Level::Predicate) {
        record_predicates(p);
    }
    if open(Level::Comparison) {
        p.record(Item::rule(Rule::Expression));
    }
    for (level, k) in [
        (Level::And, Kw::And),
        (Level::Xor, Kw::Xor),
        (Level::Or, Kw::Or),
    ] {
        if open(level) {
            p.record(Item::kw(k));
        }
    }
}

/// The predicate words an operand without a predicate lists.
fn record_predicates(p: &mut Parser<'_>) {
    for k in [Kw::Contains, Kw::In, Kw::Starts, Kw::Ends, Kw::Is] {
        p.record(Item::kw(k));
    }
}

/// `expression6 comparisonExpression6?`: the one string, list, null, type or
/// normalization predicate of a comparison operand, after `lhs`: `op` is the binary one
/// current, `None` for `IS ...` or `:: type`.
fn predicate(
    p: &mut Parser<'_>,
    start: usize,
    lhs: Expr,
    op: Option<BinOp>,
    exact: bool,
) -> PResult<Expr> {
    if let Some(op) = op {
        let at = p.bump();
        if matches!(op, BinOp::StartsWith | BinOp::EndsWith) {
            p.rule(Frame::Plain, |p| p.expect_kw(Kw::With))?;
        }
        let rhs = operators(p, Level::Additive, exact)?;
        return Ok(new(
            p,
            start,
            ExprKind::Binary(Box::new(Chain {
                first: lhs,
                rest: vec![(op, Span::new(at.start as usize, at.end as usize), rhs)],
            })),
        ));
    }
    // Before `::` or `IS`, the binary predicates were looked for and missed.
    record_predicates(p);
    if p.peek() == Tok::ColonColon {
        p.bump();
        let ty = cypher_type(p)?;
        return Ok(new(
            p,
            start,
            ExprKind::IsType(Box::new(lhs), false, Box::new(ty)),
        ));
    }
    // `IS [NOT] NULL | TYPED type | :: type | [form] NORMALIZED` is its own rule: a
    // broken one lists only its own words.
    let kind = p.rule(Frame::Plain, |p| {
        p.bump();
        let negated = p.eat_kw(Kw::Not);
        if p.eat_kw(Kw::Null) {
            return Ok(IsKind::Null(negated));
        }
        if p.eat_kw(Kw::Typed) || p.eat(Tok::ColonColon) {
            return Ok(IsKind::Type(negated, cypher_type(p)?));
        }
        let form = normal_form(p);
        p.expect_kw(Kw::Normalized)?;
        Ok(IsKind::Normalized(negated, form))
    })?;
    let kind = match kind {
        IsKind::Null(n) => ExprKind::IsNull(Box::new(lhs), n),
        IsKind::Type(n, ty) => ExprKind::IsType(Box::new(lhs), n, Box::new(ty)),
        IsKind::Normalized(n, f) => ExprKind::IsNormalized(Box::new(lhs), n, f),
    };
    Ok(new(p, start, kind))
}

/// `expression7` alone (the operand of a simple CASE's `WHEN = x`), recording as
/// Neo4j's grammar lists.
fn expression7(p: &mut Parser<'_>) -> PResult<Expr> {
    operators(p, Level::Predicate, true)
}

/// `expression6` alone (CASE's `WHEN STARTS WITH x`).
fn additive(p: &mut Parser<'_>) -> PResult<Expr> {
    operators(p, Level::Additive, true)
}

/// What follows `IS`.
enum IsKind {
    Null(bool),
    Type(bool, CypherType),
    Normalized(bool, Option<NormalForm>),
}

/// `NFC | NFD | NFKC | NFKD`, if one is current.
fn normal_form(p: &mut Parser<'_>) -> Option<NormalForm> {
    let form = match p.peek() {
        Tok::Kw(Kw::Nfc) => NormalForm::Nfc,
        Tok::Kw(Kw::Nfd) => NormalForm::Nfd,
        Tok::Kw(Kw::Nfkc) => NormalForm::Nfkc,
        Tok::Kw(Kw::Nfkd) => NormalForm::Nfkd,
        _ => {
            for k in [Kw::Nfc, Kw::Nfd, Kw::Nfkc, Kw::Nfkd] {
                p.record(Item::kw(k));
            }
            return None;
        }
    };
    p.bump();
    Some(form)
}

/// `expression3`: an optional sign before a postfix expression. A minus before a number
/// is part of the number literal (so `-9223372036854775808` is one literal).
fn unary(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    let signed_number =
        p.peek() == Tok::Minus && matches!(p.nth(1), Tok::Int | Tok::Float | Tok::Hex | Tok::Octal);
    match p.peek() {
        Tok::Minus if !signed_number => {
            p.bump();
            let e = p.nest(postfix)?;
            Ok(new(p, start, ExprKind::Neg(Box::new(e))))
        }
        Tok::Plus => {
            p.bump();
            let e = p.nest(postfix)?;
            Ok(new(p, start, ExprKind::Plus(Box::new(e))))
        }
        _ => postfix(p),
    }
}

/// `expression1 postFix*`. Each postfix wraps the expression once more, so each counts
/// as a level of nesting.
fn postfix(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    let mut e = atom(p)?;
    let mut levels = 0u32;
    loop {
        let kind = match p.peek() {
            Tok::Dot => {
                p.bump();
                let (key, _) = symbolic_name_hinted(p, Some(Hint::PropertyKey))?;
                ExprKind::Property(Box::new(e), key)
            }
            Tok::LBracket => {
                p.bump();
                index_or_slice(p, e)?
            }
            Tok::Colon => {
                let labels = label_expression_postfix(p)?;
                ExprKind::HasLabels(Box::new(e), Box::new(labels))
            }
            Tok::Kw(Kw::Is) if is_label_after_is(p) => {
                let labels = label_expression_postfix(p)?;
                ExprKind::HasLabels(Box::new(e), Box::new(labels))
            }
            _ => {
                p.record(Item::tok(Tok::Dot));
                p.record(Item::tok(Tok::LBracket));
                p.record(Item::tok(Tok::Colon));
                return Ok(e);
            }
        };
        e = new(p, start, kind);
        levels += 1;
        if levels > 64 {
            // A long run of postfixes nests as deeply as brackets do.
            return p.nest(|p| postfix_more(p, start, e));
        }
    }
}

/// The rest of a very long postfix run, one nesting level per 64 postfixes.
fn postfix_more(p: &mut Parser<'_>, start: usize, mut e: Expr) -> PResult<Expr> {
    let mut levels = 0u32;
    loop {
        let kind = match p.peek() {
            Tok::Dot => {
                p.bump();
                let (key, _) = symbolic_name_hinted(p, Some(Hint::PropertyKey))?;
                ExprKind::Property(Box::new(e), key)
            }
            Tok::LBracket => {
                p.bump();
                index_or_slice(p, e)?
            }
            Tok::Colon => {
                let labels = label_expression_postfix(p)?;
                ExprKind::HasLabels(Box::new(e), Box::new(labels))
            }
            _ => return Ok(e),
        };
        e = new(p, start, kind);
        levels += 1;
        if levels > 64 {
            return p.nest(|p| postfix_more(p, start, e));
        }
    }
}

/// After `IS`: a label expression follows (rather than `NULL`, `NOT ...`, `TYPED`, `::`
/// or a normal form).
fn is_label_after_is(p: &Parser<'_>) -> bool {
    match p.nth(1) {
        Tok::LParen | Tok::Percent | Tok::Bang | Tok::Dollar => true,
        t @ (Tok::Ident | Tok::Escaped | Tok::Kw(_)) => !is_non_label_keyword(t),
        _ => false,
    }
}

/// After `[`: `[i]` or `[from..to]`.
fn index_or_slice(p: &mut Parser<'_>, target: Expr) -> PResult<ExprKind> {
    p.rule(Frame::Plain, |p| {
        if p.eat(Tok::DotDot) {
            let to = if p.at(Tok::RBracket) {
                None
            } else {
                Some(Box::new(expression(p)?))
            };
            p.expect(Tok::RBracket)?;
            return Ok(ExprKind::Slice(Box::new(target), None, to));
        }
        if !at_expression_start(p) {
            p.record(Item::rule(Rule::Expression));
            return p.fail();
        }
        let from = expression(p)?;
        // Index or slice: Neo4j decides between the two here, so a bad token after the
        // first expression is reported with both.
        p.clear_ambiguous();
        if p.eat(Tok::DotDot) {
            let to = if p.at(Tok::RBracket) {
                None
            } else {
                Some(Box::new(expression(p)?))
            };
            p.expect(Tok::RBracket)?;
            return Ok(ExprKind::Slice(Box::new(target), Some(Box::new(from)), to));
        }
        p.expect(Tok::RBracket)?;
        Ok(ExprKind::Index(Box::new(target), Box::new(from)))
    })
}

/// What may start an expression, for messages and completion when none does.
static EXPRESSION_START: LazyLock<ItemSet> = LazyLock::new(|| {
    let mut s = ItemSet::EMPTY;
    for k in [
        Kw::True,
        Kw::False,
        Kw::Null,
        Kw::Case,
        Kw::Count,
        Kw::Exists,
        Kw::Collect,
        Kw::Reduce,
        Kw::All,
        Kw::Any,
        Kw::None,
        Kw::Single,
        Kw::Not,
        Kw::Normalize,
        Kw::Trim,
        Kw::Inf,
        Kw::Infinity,
        Kw::Nan,
    ] {
        s.insert(Item::kw(k));
    }
    for t in [
        Tok::Int,
        Tok::Float,
        Tok::Str,
        Tok::Dollar,
        Tok::LParen,
        Tok::LBracket,
        Tok::LCurly,
        Tok::Minus,
        Tok::Plus,
        Tok::Ident,
    ] {
        s.insert(Item::tok(t));
    }
    for h in [Hint::Variable, Hint::Function, Hint::Parameter] {
        s.insert(Item::hint(h));
    }
    s
});

fn record_expression_start(p: &mut Parser<'_>) {
    for item in EXPRESSION_START.items() {
        p.record(item);
    }
}

/// `expression1` alone: the start of a SET or REMOVE target (`n.prop`, `n[key]`).
pub fn atom_for_target(p: &mut Parser<'_>) -> PResult<Expr> {
    p.nest(|p| p.rule(Frame::Named(Rule::Expression), atom))
}

/// True when the current token may start an expression.
pub fn at_expression_start(p: &Parser<'_>) -> bool {
    at_expression_start_tok(p.peek())
}

/// True when a token of kind `t` may start an expression.
pub fn at_expression_start_tok(t: Tok) -> bool {
    matches!(
        t,
        Tok::Int
            | Tok::Float
            | Tok::Hex
            | Tok::Octal
            | Tok::Minus
            | Tok::Plus
            | Tok::Str
            | Tok::LCurly
            | Tok::Dollar
            | Tok::LBracket
            | Tok::LParen
            | Tok::Obfuscation
            | Tok::Kw(_)
            | Tok::Ident
            | Tok::Escaped
    )
}

/// `expression1`.
fn atom(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    match p.peek() {
        Tok::Int | Tok::Float | Tok::Hex | Tok::Octal | Tok::Minus => number_literal(p),
        Tok::Str => {
            let (s, span) = string_literal(p)?;
            Ok(Expr::new(ExprKind::Literal(Value::String(s)), span))
        }
        Tok::LCurly => {
            let entries = map_literal(p)?;
            Ok(new(p, start, ExprKind::Map(entries)))
        }
        Tok::Dollar => {
            let param = parameter(p)?;
            Ok(new(p, start, ExprKind::Param(param)))
        }
        Tok::LBracket => bracket(p),
        Tok::LParen => p.either(
            |p| {
                let path = path_pattern_non_empty(p)?;
                Ok(new(p, start, ExprKind::Pattern(Box::new(path))))
            },
            |p| {
                p.rule(Frame::Plain, |p| {
                    p.bump();
                    let e = expression(p)?;
                    p.expect(Tok::RParen)?;
                    Ok(e)
                })
            },
        ),
        Tok::Obfuscation => {
            p.bump();
            Ok(new(p, start, ExprKind::Obfuscated))
        }
        Tok::Kw(k) => keyword_atom(p, k),
        Tok::Ident | Tok::Escaped => name_atom(p),
        _ => {
            record_expression_start(p);
            p.fail()
        }
    }
}

/// `numberLiteral`: `-?` then a number, reported as "a number".
fn number_literal(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    let (negative, t) = p.rule(Frame::Named(Rule::Number), |p| {
        let negative = p.eat(Tok::Minus);
        match p.peek() {
            Tok::Int | Tok::Float | Tok::Hex | Tok::Octal => Ok((negative, p.bump())),
            _ => {
                for t in [Tok::Float, Tok::Int, Tok::Hex, Tok::Octal] {
                    p.record(Item::tok(t));
                }
                p.fail()
            }
        }
    })?;
    let text = p.text(t);
    let value = match t.kind {
        Tok::Float => literals::float(text, negative).map(Value::Float),
        kind => literals::integer(text, kind, negative).map(Value::Int),
    };
    let value = value.unwrap_or_else(|message| {
        let at = p.span_from(start).start as usize;
        p.semantic_error(at, message.to_string());
        Value::Null
    });
    Ok(new(p, start, ExprKind::Literal(value)))
}

/// `map`: `{key: expr, ...}`; keys are names (keywords allowed).
pub fn map_literal(p: &mut Parser<'_>) -> PResult<Vec<(String, Expr)>> {
    p.rule(Frame::Plain, |p| {
        p.expect(Tok::LCurly)?;
        let mut out = Vec::new();
        if p.eat(Tok::RCurly) {
            return Ok(out);
        }
        if !at_name(p) {
            p.record(Item::rule(Rule::Identifier));
            p.record(Item::hint(Hint::PropertyKey));
            return p.fail();
        }
        loop {
            let (key, _) = symbolic_name_hinted(p, Some(Hint::PropertyKey))?;
            p.expect(Tok::Colon)?;
            let value = expression(p)?;
            out.push((key, value));
            if !p.eat(Tok::Comma) {
                p.expect(Tok::RCurly)?;
                return Ok(out);
            }
        }
    })
}

/// `[`: a list comprehension, a list literal or a pattern comprehension.
fn bracket(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    // `[x IN ...` is a comprehension (Neo4j tries it before the list literal, which
    // would read `x IN list` as one boolean element).
    // Both readings stop at the same token when the list is broken right after its first
    // name: Neo4j then reports "an expression".
    if matches!(p.nth(1), Tok::Ident | Tok::Escaped | Tok::Kw(_)) && p.nth(2) != Tok::Eq {
        return p.either(list_comprehension, |p| list_literal(p, start));
    }
    let could_be_pattern = p.nth(1) == Tok::LParen
        || (matches!(p.nth(1), Tok::Ident | Tok::Escaped | Tok::Kw(_)) && p.nth(2) == Tok::Eq);
    if !could_be_pattern {
        return list_literal(p, start);
    }
    p.either(|p| list_literal(p, start), pattern_comprehension)
}

fn list_literal(p: &mut Parser<'_>, start: usize) -> PResult<Expr> {
    p.rule(Frame::Plain, |p| {
        p.expect(Tok::LBracket)?;
        let mut items = Vec::new();
        if !p.eat(Tok::RBracket) {
            loop {
                items.push(expression(p)?);
                if !p.eat(Tok::Comma) {
                    p.expect(Tok::RBracket)?;
                    break;
                }
            }
        }
        Ok(new(p, start, ExprKind::List(items)))
    })
}

fn list_comprehension(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    p.rule(Frame::Plain, |p| {
        p.expect(Tok::LBracket)?;
        let var = variable(p)?;
        p.expect_kw(Kw::In)?;
        let list = expression(p)?;
        let filter = if p.eat_kw(Kw::Where) {
            Some(expression(p)?)
        } else {
            None
        };
        let map = if p.eat(Tok::Bar) {
            Some(expression(p)?)
        } else {
            None
        };
        p.expect(Tok::RBracket)?;
        Ok(new(
            p,
            start,
            ExprKind::ListComprehension(Box::new(ListComprehension {
                var,
                list,
                filter,
                map,
            })),
        ))
    })
}

fn pattern_comprehension(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    p.rule(Frame::Plain, |p| {
        p.expect(Tok::LBracket)?;
        let path_var = if at_name(p) && p.nth(1) == Tok::Eq {
            let v = variable(p)?;
            p.bump();
            Some(v)
        } else {
            None
        };
        let pattern = path_pattern_non_empty(p)?;
        let filter = if p.eat_kw(Kw::Where) {
            Some(expression(p)?)
        } else {
            None
        };
        p.expect(Tok::Bar)?;
        let map = expression(p)?;
        p.expect(Tok::RBracket)?;
        Ok(new(
            p,
            start,
            ExprKind::PatternComprehension(Box::new(PatternComprehension {
                path_var,
                pattern,
                filter,
                map,
            })),
        ))
    })
}

/// An atom starting with a keyword: literals, CASE, subquery expressions, the special
/// function forms, or (any keyword being a name) a variable or function call.
fn keyword_atom(p: &mut Parser<'_>, k: Kw) -> PResult<Expr> {
    let start = p.pos();
    // These words are literals and also valid variable names; Neo4j's parser weighs both
    // readings, which changes how an error right after them is reported.
    let literal = |p: &mut Parser<'_>, v: Value| {
        p.bump();
        p.mark_ambiguous_atom();
        Ok(new(p, start, ExprKind::Literal(v)))
    };
    let next = p.nth(1);
    match k {
        Kw::True => literal(p, Value::Bool(true)),
        Kw::False => literal(p, Value::Bool(false)),
        Kw::Null => literal(p, Value::Null),
        Kw::Inf | Kw::Infinity => literal(p, Value::Float(f64::INFINITY)),
        Kw::Nan => literal(p, Value::Float(f64::NAN)),
        Kw::Case => case_expression(p),
        Kw::Count if next == Tok::LCurly => {
            let s = subquery_body(p, true)?;
            Ok(new(p, start, ExprKind::Count(Box::new(s))))
        }
        // `count(*` not closed at once is read as the name count (Neo4j reports the `(`).
        Kw::Count if next == Tok::LParen && p.nth(2) == Tok::Times && p.nth(3) != Tok::RParen => {
            let v = variable(p)?;
            Ok(Expr::new(ExprKind::Variable(v.name), v.span))
        }
        Kw::Count if next == Tok::LParen && p.nth(2) == Tok::Times => p.rule(Frame::Plain, |p| {
            p.bump();
            p.bump();
            p.bump();
            p.expect(Tok::RParen)?;
            Ok(new(p, start, ExprKind::CountStar))
        }),
        Kw::Exists if next == Tok::LCurly => {
            let s = subquery_body(p, true)?;
            Ok(new(p, start, ExprKind::Exists(Box::new(s))))
        }
        Kw::Collect if next == Tok::LCurly => p.rule(Frame::Plain, |p| {
            p.bump();
            p.expect(Tok::LCurly)?;
            let q = regular_query(p)?;
            p.expect(Tok::RCurly)?;
            Ok(new(p, start, ExprKind::Collect(Box::new(q))))
        }),
        Kw::Reduce if next == Tok::LParen => p.either(reduce, name_atom),
        Kw::All | Kw::Any | Kw::None | Kw::Single
            if next == Tok::LParen
                && matches!(p.nth(2), Tok::Ident | Tok::Escaped | Tok::Kw(_)) =>
        {
            // `any(x IN list WHERE ...)`; with no IN after the name it may still be a
            // call of a function named any.
            p.either(|p| quantified(p, k), name_atom)
        }
        Kw::Normalize if next == Tok::LParen => p.either(normalize, name_atom),
        Kw::Trim if next == Tok::LParen => p.either(trim, name_atom),
        Kw::ShortestPath | Kw::AllShortestPaths if next == Tok::LParen => {
            let pattern = shortest_path(p)?;
            Ok(new(p, start, ExprKind::ShortestPath(Box::new(pattern))))
        }
        _ => name_atom(p),
    }
}

/// The inside of `EXISTS { }` / `COUNT { }`: a query, or patterns with a WHERE.
fn subquery_body(p: &mut Parser<'_>, _count: bool) -> PResult<SubqueryExpr> {
    p.rule(Frame::Plain, |p| {
        p.bump();
        p.expect(Tok::LCurly)?;
        let patterns_first = matches!(p.peek(), Tok::LParen)
            || (at_name(p) && p.nth(1) == Tok::Eq)
            || matches!(
                p.peek(),
                Tok::Kw(Kw::Repeatable | Kw::Different | Kw::ShortestPath | Kw::AllShortestPaths)
            );
        let body = if patterns_first {
            p.either(subquery_patterns, |p| {
                regular_query(p).map(SubqueryExpr::Query)
            })?
        } else {
            p.either(
                |p| regular_query(p).map(SubqueryExpr::Query),
                subquery_patterns,
            )?
        };
        p.expect(Tok::RCurly)?;
        Ok(body)
    })
}

fn subquery_patterns(p: &mut Parser<'_>) -> PResult<SubqueryExpr> {
    let mode = match_mode(p)?;
    let patterns = pattern_list(p)?;
    let filter = where_clause(p)?;
    if p.peek() != Tok::RCurly {
        p.record(Item::tok(Tok::RCurly));
        return p.fail();
    }
    Ok(SubqueryExpr::Patterns {
        mode,
        patterns,
        filter,
    })
}

fn reduce(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    p.rule(Frame::Plain, |p| {
        p.bump();
        p.expect(Tok::LParen)?;
        let acc = variable(p)?;
        p.expect(Tok::Eq)?;
        let init = expression(p)?;
        p.expect(Tok::Comma)?;
        let var = variable(p)?;
        p.expect_kw(Kw::In)?;
        let list = expression(p)?;
        p.expect(Tok::Bar)?;
        let step = expression(p)?;
        p.expect(Tok::RParen)?;
        Ok(new(
            p,
            start,
            ExprKind::Reduce(Box::new(Reduce {
                acc,
                init,
                var,
                list,
                step,
            })),
        ))
    })
}

fn quantified(p: &mut Parser<'_>, k: Kw) -> PResult<Expr> {
    let start = p.pos();
    let kind = match k {
        Kw::All => Quantifier::All,
        Kw::Any => Quantifier::Any,
        Kw::None => Quantifier::None,
        _ => Quantifier::Single,
    };
    p.rule(Frame::Plain, |p| {
        p.bump();
        p.expect(Tok::LParen)?;
        let var = variable(p)?;
        p.expect_kw(Kw::In)?;
        let list = expression(p)?;
        let filter = if p.eat_kw(Kw::Where) {
            Some(expression(p)?)
        } else {
            None
        };
        p.expect(Tok::RParen)?;
        Ok(new(
            p,
            start,
            ExprKind::Quantified(Box::new(Quantified {
                kind,
                var,
                list,
                filter,
            })),
        ))
    })
}

fn normalize(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    p.rule(Frame::Plain, |p| {
        p.bump();
        p.expect(Tok::LParen)?;
        let e = expression(p)?;
        let form = if p.eat(Tok::Comma) {
            match normal_form(p) {
                Some(f) => f,
                None => return p.fail(),
            }
        } else {
            NormalForm::Nfc
        };
        p.expect(Tok::RParen)?;
        Ok(new(p, start, ExprKind::Normalize(Box::new(e), form)))
    })
}

fn trim(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    p.rule(Frame::Plain, |p| {
        p.bump();
        p.expect(Tok::LParen)?;
        let side = if p.eat_kw(Kw::Both) {
            Some(TrimSide::Both)
        } else if p.eat_kw(Kw::Leading) {
            Some(TrimSide::Leading)
        } else if p.eat_kw(Kw::Trailing) {
            Some(TrimSide::Trailing)
        } else {
            None
        };
        let (chars, source) = if p.eat_kw(Kw::From) {
            (None, expression(p)?)
        } else {
            let first = expression(p)?;
            if p.eat_kw(Kw::From) {
                (Some(first), expression(p)?)
            } else if side.is_some() {
                return p.fail();
            } else {
                (None, first)
            }
        };
        p.expect(Tok::RParen)?;
        Ok(new(
            p,
            start,
            ExprKind::Trim(Box::new(Trim {
                side: side.unwrap_or(TrimSide::Both),
                chars,
                source,
            })),
        ))
    })
}

/// An atom starting with a name: `ns.fn(args)`, `var {projection}` or a variable.
fn name_atom(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    // How many `name .` pairs precede a `(`: a function call's namespace.
    let mut i = 1;
    while p.nth(i) == Tok::Dot && matches!(p.nth(i + 1), Tok::Ident | Tok::Escaped | Tok::Kw(_)) {
        i += 2;
    }
    // A name and `(` is a call only if an argument list can start after the `(`;
    // otherwise Neo4j reads the name alone and reports the `(`.
    if p.nth(i) == Tok::LParen && can_start_arguments(p.nth(i + 1)) {
        return function_call(p, i);
    }
    let var = variable(p)?;
    if p.peek() == Tok::LCurly {
        return map_projection(p, start, var);
    }
    p.record(Item::tok(Tok::LParen));
    p.record(Item::tok(Tok::LCurly));
    Ok(Expr::new(ExprKind::Variable(var.name), var.span))
}

/// True for a token that may follow the `(` of a function call.
fn can_start_arguments(t: Tok) -> bool {
    matches!(
        t,
        Tok::RParen
            | Tok::Int
            | Tok::Float
            | Tok::Hex
            | Tok::Octal
            | Tok::Minus
            | Tok::Plus
            | Tok::Str
            | Tok::LCurly
            | Tok::Dollar
            | Tok::LBracket
            | Tok::LParen
            | Tok::Obfuscation
            | Tok::Kw(_)
            | Tok::Ident
            | Tok::Escaped
    )
}

/// `ns.name(args)`; `tokens` is how many tokens the name takes.
fn function_call(p: &mut Parser<'_>, tokens: usize) -> PResult<Expr> {
    let start = p.pos();
    p.rule(Frame::Plain, |p| {
        let mut name = String::new();
        let first = p.cur();
        for n in 0..tokens {
            let t = p.bump();
            if n % 2 == 0 {
                name.push_str(&name_text(p, t));
            } else {
                name.push('.');
            }
        }
        let name_span = Span::new(first.start as usize, p.span_from(start).end as usize);
        p.expect(Tok::LParen)?;
        // DISTINCT and ALL are also names: followed by `,` they are the first argument,
        // and where an argument is missing after them, `,` may come (Neo4j lists it).
        let quantifier =
            matches!(p.peek(), Tok::Kw(Kw::Distinct | Kw::All)) && p.nth(1) != Tok::Comma;
        let distinct = if quantifier {
            let distinct = p.bump().kind == Tok::Kw(Kw::Distinct);
            p.record(Item::tok(Tok::Comma));
            if p.peek() != Tok::RParen && !at_expression_start_tok(p.peek()) {
                // Reported here, with `)` and `,`, not inside an argument.
                p.record(Item::rule(Rule::Expression));
                p.record(Item::tok(Tok::RParen));
                return p.fail();
            }
            distinct
        } else {
            p.record(Item::kw(Kw::Distinct));
            p.record(Item::kw(Kw::All));
            false
        };
        let mut args = Vec::new();
        if !p.eat(Tok::RParen) {
            loop {
                args.push(expression(p)?);
                if !p.eat(Tok::Comma) {
                    p.expect(Tok::RParen)?;
                    break;
                }
            }
        }
        Ok(new(
            p,
            start,
            ExprKind::Function(Box::new(FunctionCall {
                name,
                name_span,
                distinct,
                args,
            })),
        ))
    })
}

/// `var { .key, key: expr, .*, v }`.
fn map_projection(p: &mut Parser<'_>, start: usize, var: Variable) -> PResult<Expr> {
    p.rule(Frame::Plain, |p| {
        p.expect(Tok::LCurly)?;
        let mut items = Vec::new();
        if !p.eat(Tok::RCurly) {
            if !(p.at(Tok::Dot) || at_name(p)) {
                p.record(Item::rule(Rule::Identifier));
                return p.fail();
            }
            loop {
                items.push(p.rule(Frame::Plain, map_projection_item)?);
                if !p.eat(Tok::Comma) {
                    p.expect(Tok::RCurly)?;
                    break;
                }
            }
        }
        Ok(new(
            p,
            start,
            ExprKind::MapProjection(Box::new(MapProjection { var, items })),
        ))
    })
}

fn map_projection_item(p: &mut Parser<'_>) -> PResult<MapProjectionItem> {
    if p.eat(Tok::Dot) {
        if p.eat(Tok::Times) {
            return Ok(MapProjectionItem::AllProperties);
        }
        let (key, _) = symbolic_name_hinted(p, Some(Hint::PropertyKey))?;
        return Ok(MapProjectionItem::Property(key));
    }
    if at_name(p) && p.nth(1) == Tok::Colon {
        let (key, _) = symbolic_name(p)?;
        p.bump();
        let value = expression(p)?;
        return Ok(MapProjectionItem::Literal(key, value));
    }
    p.record(Item::tok(Tok::Dot));
    if !at_name(p) {
        p.record(Item::rule(Rule::Identifier));
        return p.fail();
    }
    variable(p).map(MapProjectionItem::Variable)
}

/// CASE, generic (`CASE WHEN pred THEN ...`) or simple (`CASE subject WHEN value ...`).
fn case_expression(p: &mut Parser<'_>) -> PResult<Expr> {
    let start = p.pos();
    p.rule(Frame::Plain, |p| {
        p.bump();
        let subject = if p.at_kw(Kw::When) {
            None
        } else {
            Some(expression(p)?)
        };
        let mut whens = Vec::new();
        while p.eat_kw(Kw::When) {
            let mut conditions = Vec::new();
            loop {
                conditions.push(if subject.is_some() {
                    extended_when(p)?
                } else {
                    When::Expr(expression(p)?)
                });
                if subject.is_none() || !p.eat(Tok::Comma) {
                    break;
                }
            }
            p.expect_kw(Kw::Then)?;
            let then = expression(p)?;
            whens.push((conditions, then));
        }
        if whens.is_empty() {
            return p.fail();
        }
        let default = if p.eat_kw(Kw::Else) {
            Some(expression(p)?)
        } else {
            None
        };
        p.expect_kw(Kw::End)?;
        Ok(new(
            p,
            start,
            ExprKind::Case(Box::new(Case {
                subject,
                whens,
                default,
            })),
        ))
    })
}

/// One condition of a simple CASE: a comparison with the subject left out, or a value.
fn extended_when(p: &mut Parser<'_>) -> PResult<When> {
    let op = match p.peek() {
        Tok::RegEq => Some(BinOp::RegexMatch),
        Tok::Kw(Kw::Starts) => Some(BinOp::StartsWith),
        Tok::Kw(Kw::Ends) => Some(BinOp::EndsWith),
        Tok::Eq => Some(BinOp::Eq),
        Tok::Neq | Tok::InvalidNeq => Some(BinOp::Neq),
        Tok::Le => Some(BinOp::Le),
        Tok::Ge => Some(BinOp::Ge),
        Tok::Lt => Some(BinOp::Lt),
        Tok::Gt => Some(BinOp::Gt),
        _ => None,
    };
    if let Some(op) = op {
        p.bump();
        if matches!(op, BinOp::StartsWith | BinOp::EndsWith) {
            p.expect_kw(Kw::With)?;
            return Ok(When::Compare(op, additive(p)?));
        }
        if op == BinOp::RegexMatch {
            return Ok(When::Compare(op, additive(p)?));
        }
        return Ok(When::Compare(op, expression7(p)?));
    }
    if p.peek() == Tok::ColonColon {
        p.bump();
        return Ok(When::IsType(false, cypher_type(p)?));
    }
    if p.peek() == Tok::Kw(Kw::Is) {
        p.bump();
        let negated = p.eat_kw(Kw::Not);
        if p.eat_kw(Kw::Null) {
            return Ok(When::IsNull(negated));
        }
        if p.eat_kw(Kw::Typed) || p.eat(Tok::ColonColon) {
            return Ok(When::IsType(negated, cypher_type(p)?));
        }
        let form = normal_form(p);
        p.expect_kw(Kw::Normalized)?;
        return Ok(When::IsNormalized(negated, form));
    }
    Ok(When::Expr(expression(p)?))
}

/// `type`: `typePart (| typePart)*`.
pub fn cypher_type(p: &mut Parser<'_>) -> PResult<CypherType> {
    p.nest(|p| {
        p.rule(Frame::Plain, |p| {
            let mut parts = vec![type_part(p)?];
            while p.eat(Tok::Bar) {
                parts.push(type_part(p)?);
            }
            Ok(CypherType { parts })
        })
    })
}

fn nullability(p: &mut Parser<'_>) -> PResult<bool> {
    if p.eat(Tok::Bang) {
        return Ok(true);
    }
    if p.eat_kw(Kw::Not) {
        p.expect_kw(Kw::Null)?;
        return Ok(true);
    }
    Ok(false)
}

fn type_part(p: &mut Parser<'_>) -> PResult<TypePart> {
    let name = type_name(p)?;
    let not_null = nullability(p)?;
    let mut list_suffixes = Vec::new();
    while p.eat_kw(Kw::List) || p.eat_kw(Kw::Array) {
        list_suffixes.push(nullability(p)?);
    }
    Ok(TypePart {
        name,
        not_null,
        list_suffixes,
    })
}

fn time_zone_tail(p: &mut Parser<'_>) -> PResult<bool> {
    let with = if p.eat_kw(Kw::Without) {
        false
    } else {
        p.expect_kw(Kw::With)?;
        true
    };
    if !p.eat_kw(Kw::Timezone) {
        p.expect_seq(super::expected::TIME_ZONE)?;
    }
    Ok(with)
}

fn angle_type(p: &mut Parser<'_>) -> PResult<Box<CypherType>> {
    p.expect(Tok::Lt)?;
    let inner = cypher_type(p)?;
    p.expect(Tok::Gt)?;
    Ok(Box::new(inner))
}

fn type_name(p: &mut Parser<'_>) -> PResult<TypeName> {
    const FIRST: &[Kw] = &[
        Kw::Any,
        Kw::Array,
        Kw::Bool,
        Kw::Boolean,
        Kw::Date,
        Kw::Duration,
        Kw::Edge,
        Kw::Float,
        Kw::Int,
        Kw::Integer,
        Kw::List,
        Kw::Local,
        Kw::Map,
        Kw::Node,
        Kw::Nothing,
        Kw::Null,
        Kw::Path,
        Kw::Paths,
        Kw::Point,
        Kw::Property,
        Kw::Relationship,
        Kw::Signed,
        Kw::String,
        Kw::Time,
        Kw::Timestamp,
        Kw::Varchar,
        Kw::Vertex,
        Kw::Zoned,
    ];
    let record_first = |p: &mut Parser<'_>| {
        for k in FIRST {
            if *k == Kw::Property {
                p.record(super::expected::PROPERTY_VALUE);
            } else {
                p.record(Item::kw(*k));
            }
        }
    };
    let Tok::Kw(k) = p.peek() else {
        record_first(p);
        return p.fail();
    };
    if !FIRST.contains(&k) {
        record_first(p);
        return p.fail();
    }
    p.bump();
    Ok(match k {
        Kw::Nothing => TypeName::Nothing,
        Kw::Null => TypeName::Null,
        Kw::Bool | Kw::Boolean => TypeName::Boolean,
        Kw::Varchar | Kw::String => TypeName::String,
        Kw::Int | Kw::Integer => TypeName::Integer,
        Kw::Signed => {
            p.expect_kw(Kw::Integer)?;
            TypeName::Integer
        }
        Kw::Float => TypeName::Float,
        Kw::Date => TypeName::Date,
        Kw::Local | Kw::Zoned => {
            let local = k == Kw::Local;
            if p.eat_kw(Kw::Time) {
                if local {
                    TypeName::LocalTime
                } else {
                    TypeName::ZonedTime
                }
            } else {
                p.expect_kw(Kw::Datetime)?;
                if local {
                    TypeName::LocalDateTime
                } else {
                    TypeName::ZonedDateTime
                }
            }
        }
        Kw::Time => {
            if time_zone_tail(p)? {
                TypeName::ZonedTime
            } else {
                TypeName::LocalTime
            }
        }
        Kw::Timestamp => {
            if time_zone_tail(p)? {
                TypeName::ZonedDateTime
            } else {
                TypeName::LocalDateTime
            }
        }
        Kw::Duration => TypeName::Duration,
        Kw::Point => TypeName::Point,
        Kw::Node | Kw::Vertex => TypeName::Node,
        Kw::Relationship | Kw::Edge => TypeName::Relationship,
        Kw::Map => TypeName::Map,
        Kw::List | Kw::Array => TypeName::List(angle_type(p)?),
        Kw::Path | Kw::Paths => TypeName::Path,
        Kw::Property => {
            p.expect_kw(Kw::Value)?;
            TypeName::PropertyValue
        }
        _ => {
            // ANY [NODE | VERTEX | RELATIONSHIP | EDGE | MAP | PROPERTY VALUE | VALUE? <T> |
            // VALUE]
            match p.peek() {
                Tok::Kw(Kw::Node | Kw::Vertex) => {
                    p.bump();
                    TypeName::Node
                }
                Tok::Kw(Kw::Relationship | Kw::Edge) => {
                    p.bump();
                    TypeName::Relationship
                }
                Tok::Kw(Kw::Map) => {
                    p.bump();
                    TypeName::Map
                }
                Tok::Kw(Kw::Property) => {
                    p.bump();
                    p.expect_kw(Kw::Value)?;
                    TypeName::PropertyValue
                }
                Tok::Kw(Kw::Value) => {
                    p.bump();
                    if p.peek() == Tok::Lt {
                        TypeName::Any(Some(angle_type(p)?))
                    } else {
                        TypeName::Any(None)
                    }
                }
                Tok::Lt => TypeName::Any(Some(angle_type(p)?)),
                _ => {
                    for k in [
                        Kw::Node,
                        Kw::Vertex,
                        Kw::Relationship,
                        Kw::Edge,
                        Kw::Map,
                        Kw::Property,
                        Kw::Value,
                    ] {
                        p.record(Item::kw(k));
                    }
                    p.record(Item::tok(Tok::Lt));
                    TypeName::Any(None)
                }
            }
        }
    })
}
