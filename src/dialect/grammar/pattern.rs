//! Graph patterns: `[p =] [selector] path`, node and relationship patterns, label
//! expressions, variable lengths, quantifiers, parenthesized (quantified) paths and
//! `shortestPath` / `allShortestPaths`.
//!
//! It owns the pattern grammar and the frames Neo4j's messages name ("a graph pattern",
//! "a node label name", ...). It must not judge patterns (which directions CREATE allows,
//! juxtaposition): that is semantic analysis.

use super::expected::{Hint, Item, Rule};
use super::expr::{expression, map_literal};
use super::names::{at_name, is_non_label_keyword, name_text, parameter, variable};
use super::parser::{Frame, PResult, Parser};
use crate::dialect::ast::Span;
use crate::dialect::ast::expr::{Expr, ExprKind};
use crate::dialect::ast::pattern::*;
use crate::dialect::lexer::{Kw, Tok};

/// `pattern`, reported as "a graph pattern".
pub fn pattern(p: &mut Parser<'_>) -> PResult<Pattern> {
    p.nest(|p| {
        p.rule(Frame::Named(Rule::GraphPattern), |p| {
            let start = p.pos();
            // A name at the start of a pattern can only be a path variable (`p = ...`),
            // unless it is a selector word or shortestPath.
            let selector_word = matches!(p.peek(), Tok::Kw(Kw::Any | Kw::All | Kw::Shortest))
                && p.nth(1) != Tok::Eq;
            let shortest = matches!(p.peek(), Tok::Kw(Kw::ShortestPath | Kw::AllShortestPaths))
                && p.nth(1) == Tok::LParen;
            let path_var = if at_name(p) && !selector_word && !shortest {
                let v = variable(p)?;
                p.expect(Tok::Eq)?;
                Some(v)
            } else {
                p.record(Item::rule(Rule::Variable));
                None
            };
            let anonymous = |p: &mut Parser<'_>| -> PResult<(Option<Selector>, PatternBody)> {
                let selector = selector(p)?;
                let body = anonymous_pattern(p)?;
                Ok((selector, body))
            };
            // After `p =` the rest is its own rule; otherwise Neo4j decides at the start
            // of the pattern and names "a graph pattern".
            let (selector, body) = if path_var.is_some() {
                p.rule(Frame::Plain, anonymous)?
            } else {
                if !(p.peek() == Tok::LParen || selector_word || shortest) {
                    p.record(Item::tok(Tok::LParen));
                    return p.fail();
                }
                anonymous(p)?
            };
            Ok(Pattern {
                path_var,
                selector,
                body,
                span: p.span_from(start),
            })
        })
    })
}

/// `anonymousPattern`: `shortestPath(...)`, `allShortestPaths(...)` or a path.
fn anonymous_pattern(p: &mut Parser<'_>) -> PResult<PatternBody> {
    p.rule(Frame::Plain, anonymous_pattern_inner)
}

fn anonymous_pattern_inner(p: &mut Parser<'_>) -> PResult<PatternBody> {
    match p.peek() {
        Tok::Kw(Kw::ShortestPath | Kw::AllShortestPaths) if p.nth(1) == Tok::LParen => {
            let all = p.peek() == Tok::Kw(Kw::AllShortestPaths);
            p.bump();
            p.expect(Tok::LParen)?;
            let path = pattern_element(p)?;
            p.expect(Tok::RParen)?;
            Ok(PatternBody::ShortestPath { all, path })
        }
        _ => {
            p.record(Item::kw(Kw::ShortestPath));
            p.record(Item::kw(Kw::AllShortestPaths));
            if !p.at(Tok::LParen) {
                return p.fail();
            }
            Ok(PatternBody::Path(pattern_element(p)?))
        }
    }
}

/// `shortestPath(...)` / `allShortestPaths(...)` where an expression stands.
pub fn shortest_path(p: &mut Parser<'_>) -> PResult<Pattern> {
    p.rule(Frame::Plain, |p| {
        let start = p.pos();
        let all = p.peek() == Tok::Kw(Kw::AllShortestPaths);
        p.bump();
        p.expect(Tok::LParen)?;
        let path = pattern_element(p)?;
        p.expect(Tok::RParen)?;
        Ok(Pattern {
            path_var: None,
            selector: None,
            body: PatternBody::ShortestPath { all, path },
            span: p.span_from(start),
        })
    })
}

/// A selector: `ANY SHORTEST`, `ALL SHORTEST`, `ANY [k]`, `ALL`, `SHORTEST [k] GROUPS`,
/// `SHORTEST k`, each with an optional `PATH[S]`.
fn selector(p: &mut Parser<'_>) -> PResult<Option<Selector>> {
    // A selector word followed by `=` is a path variable (`any = (a)-->(b)`); a
    // pattern cannot start with a name otherwise.
    let is_selector_word =
        matches!(p.peek(), Tok::Kw(Kw::Any | Kw::All | Kw::Shortest)) && p.nth(1) != Tok::Eq;
    if !is_selector_word {
        for k in [Kw::Any, Kw::All, Kw::Shortest] {
            p.record(Item::kw(k));
        }
        return Ok(None);
    }
    let first = p.bump();
    let count = |p: &mut Parser<'_>| -> Option<u64> {
        if p.peek() == Tok::Int {
            let t = p.bump();
            let v = super::names::unsigned_value(p, t);
            Some(u64::try_from(v).unwrap_or(0))
        } else {
            p.record(Item::tok(Tok::Int));
            None
        }
    };
    let path_token = |p: &mut Parser<'_>| {
        let _ = p.eat_kw(Kw::Path) || p.eat_kw(Kw::Paths);
    };
    let sel = match first.kind {
        Tok::Kw(Kw::Any) => {
            if p.eat_kw(Kw::Shortest) {
                path_token(p);
                Selector::AnyShortest
            } else {
                let k = count(p);
                path_token(p);
                Selector::Any(k)
            }
        }
        Tok::Kw(Kw::All) => {
            if p.eat_kw(Kw::Shortest) {
                path_token(p);
                Selector::AllShortest
            } else {
                path_token(p);
                Selector::All
            }
        }
        _ => {
            let k = count(p);
            path_token(p);
            if p.eat_kw(Kw::Group) || p.eat_kw(Kw::Groups) {
                Selector::ShortestGroups(k)
            } else {
                match k {
                    Some(k) => Selector::Shortest(k),
                    None => return p.fail(),
                }
            }
        }
    };
    Ok(Some(sel))
}

/// `patternElement`: nodes joined by relationships, and parenthesized groups, one after
/// another.
pub fn pattern_element(p: &mut Parser<'_>) -> PResult<PathPattern> {
    p.rule(Frame::Plain, |p| {
        let start = p.pos();
        let mut factors = Vec::new();
        loop {
            if !p.at(Tok::LParen) {
                if factors.is_empty() {
                    return p.fail();
                }
                break;
            }
            factor_group(p, &mut factors)?;
        }
        Ok(PathPattern {
            factors,
            span: p.span_from(start),
        })
    })
}

/// One `(`-started unit: a node with the relationships and nodes chained after it, or a
/// parenthesized path.
fn factor_group(p: &mut Parser<'_>, out: &mut Vec<PathFactor>) -> PResult<()> {
    // After `(`, a name may start a node or a parenthesized path (`(p = ...)`); a token
    // that starts neither fails both, and Neo4j lists what each would have taken.
    let ambiguous = at_name_at(p, 1)
        || !matches!(
            p.nth(1),
            Tok::RParen | Tok::Colon | Tok::LCurly | Tok::Dollar | Tok::Kw(_)
        );
    let paren_only = p.nth(1) == Tok::LParen;
    if paren_only {
        out.push(PathFactor::Group(Box::new(parenthesized_path(p)?)));
        return Ok(());
    }
    let first = if ambiguous {
        p.either(
            |p| node_pattern(p).map(PathFactor::Node),
            |p| parenthesized_path(p).map(|g| PathFactor::Group(Box::new(g))),
        )?
    } else {
        node_pattern(p).map(PathFactor::Node)?
    };
    let is_node = matches!(first, PathFactor::Node(_));
    out.push(first);
    if !is_node {
        return Ok(());
    }
    while at_relationship(p) {
        let rel = relationship_pattern(p)?;
        let q = quantifier(p)?;
        out.push(PathFactor::Relationship(rel, q));
        out.push(PathFactor::Node(node_pattern(p)?));
    }
    Ok(())
}

/// True when the current token may start a pattern: `(`, a path variable, a selector or
/// shortestPath.
pub fn at_pattern_start(p: &Parser<'_>) -> bool {
    matches!(
        p.peek(),
        Tok::LParen | Tok::Ident | Tok::Escaped | Tok::Kw(_)
    )
}

fn at_name_at(p: &Parser<'_>, n: usize) -> bool {
    matches!(p.nth(n), Tok::Ident | Tok::Escaped | Tok::Kw(_))
}

/// True at the start of a relationship pattern (`-`, `<`, or their Unicode forms);
/// records those otherwise.
fn at_relationship(p: &mut Parser<'_>) -> bool {
    match p.peek() {
        Tok::Minus | Tok::ArrowLine | Tok::Lt | Tok::ArrowLeft => true,
        _ => {
            p.record(Item::tok(Tok::Minus));
            p.record(Item::tok(Tok::Lt));
            p.record(Item::tok(Tok::LParen));
            false
        }
    }
}

/// `pathPatternNonEmpty`: a node and at least one relationship and node (pattern
/// expressions and comprehensions).
pub fn path_pattern_non_empty(p: &mut Parser<'_>) -> PResult<PathPattern> {
    p.nest(|p| {
        p.rule(Frame::Plain, |p| {
            let start = p.pos();
            let mut factors = vec![PathFactor::Node(node_pattern(p)?)];
            // The first relationship is required: a missing one is reported by its rule.
            let rel = relationship_pattern(p)?;
            factors.push(PathFactor::Relationship(rel, None));
            factors.push(PathFactor::Node(node_pattern(p)?));
            while at_relationship(p) {
                let rel = relationship_pattern(p)?;
                factors.push(PathFactor::Relationship(rel, None));
                factors.push(PathFactor::Node(node_pattern(p)?));
            }
            Ok(PathPattern {
                factors,
                span: p.span_from(start),
            })
        })
    })
}

/// `(var :Labels {props} WHERE pred)`.
pub fn node_pattern(p: &mut Parser<'_>) -> PResult<NodePattern> {
    p.rule(Frame::Node, |p| {
        let start = p.pos();
        p.expect(Tok::LParen)?;
        let var = if at_name(p) {
            Some(variable(p)?)
        } else {
            p.record(Item::rule(Rule::Variable));
            None
        };
        let labels = label_expression_opt(p)?;
        let properties = properties(p)?;
        let filter = if p.eat_kw(Kw::Where) {
            Some(expression(p)?)
        } else {
            None
        };
        p.expect(Tok::RParen)?;
        Ok(NodePattern {
            var,
            labels,
            properties,
            filter,
            span: p.span_from(start),
        })
    })
}

/// `properties`: a map literal or a `$param`.
fn properties(p: &mut Parser<'_>) -> PResult<Option<Expr>> {
    let start = p.pos();
    match p.peek() {
        Tok::LCurly => {
            let entries = map_literal(p)?;
            Ok(Some(Expr::new(ExprKind::Map(entries), p.span_from(start))))
        }
        Tok::Dollar => {
            let param = parameter(p)?;
            Ok(Some(Expr::new(ExprKind::Param(param), p.span_from(start))))
        }
        _ => {
            p.record(Item::tok(Tok::LCurly));
            p.record(Item::rule(Rule::Parameter));
            Ok(None)
        }
    }
}

/// `((a)-->(b) WHERE pred){1,3}`.
fn parenthesized_path(p: &mut Parser<'_>) -> PResult<GroupPattern> {
    p.rule(Frame::Plain, |p| {
        let start = p.pos();
        p.expect(Tok::LParen)?;
        let pattern = pattern(p)?;
        let filter = if p.eat_kw(Kw::Where) {
            Some(expression(p)?)
        } else {
            None
        };
        p.expect(Tok::RParen)?;
        let quantifier = quantifier(p)?;
        Ok(GroupPattern {
            pattern,
            filter,
            quantifier,
            span: p.span_from(start),
        })
    })
}

/// `{n}`, `{m,n}`, `{,n}`, `{m,}`, `+`, `*`.
fn quantifier(p: &mut Parser<'_>) -> PResult<Option<QuantifierSpec>> {
    let start = p.pos();
    match p.peek() {
        Tok::Plus => {
            p.bump();
            Ok(Some(QuantifierSpec {
                min: Some(1),
                max: None,
                span: p.span_from(start),
            }))
        }
        Tok::Times => {
            p.bump();
            Ok(Some(QuantifierSpec {
                min: Some(0),
                max: None,
                span: p.span_from(start),
            }))
        }
        Tok::LCurly => p.rule(Frame::Plain, |p| {
            p.bump();
            let bound = |p: &mut Parser<'_>| -> Option<u64> {
                if p.peek() == Tok::Int {
                    let t = p.bump();
                    Some(u64::try_from(super::names::unsigned_value(p, t)).unwrap_or(0))
                } else {
                    p.record(Item::tok(Tok::Int));
                    None
                }
            };
            let min = bound(p);
            let (min, max) = if p.eat(Tok::Comma) {
                (min, bound(p))
            } else if min.is_some() {
                (min, min)
            } else {
                return p.fail();
            };
            p.expect(Tok::RCurly)?;
            Ok(Some(QuantifierSpec {
                min,
                max,
                span: p.span_from(start),
            }))
        }),
        _ => {
            p.record(Item::tok(Tok::LCurly));
            p.record(Item::tok(Tok::Plus));
            p.record(Item::tok(Tok::Times));
            Ok(None)
        }
    }
}

/// `arrowLine`: `-` or a Unicode dash, as its own rule (a missing one is reported alone).
fn arrow_line(p: &mut Parser<'_>) -> PResult<()> {
    p.rule(Frame::Plain, |p| {
        if p.eat(Tok::Minus) || p.eat(Tok::ArrowLine) {
            Ok(())
        } else {
            p.fail()
        }
    })
}

/// A relationship pattern with its arrow heads.
fn relationship_pattern(p: &mut Parser<'_>) -> PResult<RelPattern> {
    p.rule(Frame::Rel, |p| {
        let start = p.pos();
        let left = p.eat(Tok::Lt) || p.eat(Tok::ArrowLeft);
        arrow_line(p)?;
        let mut var = None;
        let mut types = None;
        let mut length = None;
        let mut props = None;
        let mut filter = None;
        if p.eat(Tok::LBracket) {
            var = if at_name(p) {
                Some(variable(p)?)
            } else {
                p.record(Item::rule(Rule::Variable));
                None
            };
            types = label_expression_opt(p)?;
            length = path_length(p)?;
            props = properties(p)?;
            filter = if p.eat_kw(Kw::Where) {
                Some(expression(p)?)
            } else {
                None
            };
            p.expect(Tok::RBracket)?;
        }
        arrow_line(p)?;
        let right = p.eat(Tok::Gt) || p.eat(Tok::ArrowRight);
        let direction = match (left, right) {
            (true, false) => Direction::Incoming,
            (false, true) => Direction::Outgoing,
            _ => Direction::Both,
        };
        Ok(RelPattern {
            direction,
            both_heads: left && right,
            var,
            types,
            length,
            properties: props,
            filter,
            span: p.span_from(start),
        })
    })
}

/// `*`, `*n`, `*m..n`, `*..n`, `*m..`.
fn path_length(p: &mut Parser<'_>) -> PResult<Option<PathLength>> {
    if !p.eat(Tok::Times) {
        return Ok(None);
    }
    let bound = |p: &mut Parser<'_>| -> Option<u64> {
        if p.peek() == Tok::Int {
            let t = p.bump();
            Some(u64::try_from(super::names::unsigned_value(p, t)).unwrap_or(0))
        } else {
            p.record(Item::tok(Tok::Int));
            None
        }
    };
    let min = bound(p);
    if p.eat(Tok::DotDot) {
        let max = bound(p);
        return Ok(Some(PathLength {
            min,
            max,
            range: true,
        }));
    }
    Ok(Some(PathLength {
        min,
        max: min,
        range: false,
    }))
}

/// An optional label expression in a node or relationship pattern.
fn label_expression_opt(p: &mut Parser<'_>) -> PResult<Option<LabelExpr>> {
    if p.peek() == Tok::Colon || p.peek() == Tok::Kw(Kw::Is) {
        return label_expression(p).map(Some);
    }
    p.record(Item::tok(Tok::Colon));
    p.record(Item::kw(Kw::Is));
    Ok(None)
}

/// A label expression after an expression (`n:A|B`, `n IS A`).
pub fn label_expression_postfix(p: &mut Parser<'_>) -> PResult<LabelExpr> {
    label_expression(p)
}

/// `labelExpression`: `:` or `IS` then a label expression.
pub fn label_expression(p: &mut Parser<'_>) -> PResult<LabelExpr> {
    p.nest(|p| {
        p.rule(Frame::LabelExpr, |p| {
            let is = p.peek() == Tok::Kw(Kw::Is);
            if !(p.eat(Tok::Colon) || p.eat_kw(Kw::Is)) {
                return p.fail();
            }
            label_or(p, is)
        })
    })
}

/// `labelExpression4`: `a | b | :c`.
fn label_or(p: &mut Parser<'_>, is: bool) -> PResult<LabelExpr> {
    let first = label_and(p, is)?;
    if p.peek() != Tok::Bar {
        p.record(Item::tok(Tok::Bar));
        return Ok(first);
    }
    let mut parts = vec![first];
    // Neo4j ends the expression before a `|` that no label follows (the `|` may belong
    // to what comes after: a comprehension's or a pattern's).
    while p.peek() == Tok::Bar && (p.nth(1) == Tok::Colon || starts_label(p.nth(1), is)) {
        p.bump();
        p.eat(Tok::Colon);
        parts.push(label_and(p, is)?);
    }
    p.record(Item::tok(Tok::Bar));
    Ok(LabelExpr::Or(parts))
}

/// `labelExpression3`: `a & b` or `a:b`.
fn label_and(p: &mut Parser<'_>, is: bool) -> PResult<LabelExpr> {
    let first = label_not(p, is)?;
    let mut parts = vec![first];
    let mut colon = false;
    loop {
        match p.peek() {
            Tok::Ampersand => {}
            // A `:` with no label after it ends the expression (Neo4j reports the `:`).
            Tok::Colon if starts_label(p.nth(1), is) => colon = true,
            _ => {
                p.record(Item::tok(Tok::Ampersand));
                p.record(Item::tok(Tok::Colon));
                break;
            }
        }
        p.bump();
        parts.push(label_not(p, is)?);
    }
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return Ok(only);
    }
    Ok(LabelExpr::And(parts, colon))
}

/// True for a token that may start a label (`labelExpression2`).
fn starts_label(t: Tok, is: bool) -> bool {
    match t {
        Tok::Bang | Tok::LParen | Tok::Percent | Tok::Dollar | Tok::Ident | Tok::Escaped => true,
        Tok::Kw(_) => !(is && is_non_label_keyword(t)),
        _ => false,
    }
}

/// `labelExpression2`: `!* labelExpression1`.
fn label_not(p: &mut Parser<'_>, is: bool) -> PResult<LabelExpr> {
    if p.eat(Tok::Bang) {
        let inner = p.nest(|p| label_not(p, is))?;
        return Ok(LabelExpr::Not(Box::new(inner)));
    }
    label_atom(p, is)
}

/// `labelExpression1`: `(expr)`, `%`, `$(expr)`, `$any(expr)`, `$all(expr)` or a name.
fn label_atom(p: &mut Parser<'_>, is: bool) -> PResult<LabelExpr> {
    p.rule(Frame::Plain, |p| {
        let start = p.pos();
        match p.peek() {
            Tok::LParen => {
                p.bump();
                let inner = p.nest(|p| label_or(p, is))?;
                p.expect(Tok::RParen)?;
                Ok(inner)
            }
            Tok::Percent => {
                p.bump();
                Ok(LabelExpr::Any(p.span_from(start)))
            }
            Tok::Dollar => {
                p.bump();
                let any = if p.eat_kw(Kw::Any) {
                    true
                } else {
                    p.eat_kw(Kw::All);
                    false
                };
                p.expect(Tok::LParen)?;
                let expr = expression(p)?;
                p.expect(Tok::RParen)?;
                Ok(LabelExpr::Dynamic {
                    any,
                    expr: Box::new(expr),
                    span: p.span_from(start),
                })
            }
            t if matches!(t, Tok::Ident | Tok::Escaped | Tok::Kw(_))
                && !(is && is_non_label_keyword(t)) =>
            {
                let tok = p.bump();
                Ok(LabelExpr::Name(
                    name_text(p, tok),
                    Span::new(tok.start as usize, tok.end as usize),
                ))
            }
            _ => {
                p.record(Item::rule(Rule::LabelName));
                p.record(Item::hint(Hint::PropertyKey));
                p.record(Item::tok(Tok::LParen));
                p.record(Item::tok(Tok::Percent));
                p.record(Item::tok(Tok::Dollar));
                p.fail()
            }
        }
    })
}
