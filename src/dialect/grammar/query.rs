//! Queries: `regularQuery` (single queries joined by UNION) and every clause — USE,
//! MATCH, OPTIONAL MATCH, WHERE, WITH, RETURN, ORDER BY / SKIP / LIMIT, UNWIND, CREATE,
//! INSERT, MERGE, SET, REMOVE, DELETE, FOREACH, CALL of procedures and subqueries (with IN
//! TRANSACTIONS), LOAD CSV and FINISH.
//!
//! It owns the clause grammar. It must not decide what a clause may follow (RETURN last,
//! WITH before MATCH, ...): that is semantic analysis.

use super::expected::{self, Item, ItemSet};
use super::expr::expression;
use super::names::{
    alias_name, at_name, string_literal, symbolic_name, symbolic_name_hinted, variable,
};
use super::parser::{Frame, PResult, Parser};
use super::pattern::pattern;
use crate::dialect::ast::expr::{Expr, ExprKind, Variable};
use crate::dialect::ast::pattern::{LabelExpr, Pattern};
use crate::dialect::ast::query::*;
use crate::dialect::ast::{SortItem, Span};
use crate::dialect::lexer::{Kw, Tok};
use crate::value::Value;
use std::sync::LazyLock;

/// The tokens that may start a clause, recorded wherever one may come next.
static CLAUSE_START: LazyLock<ItemSet> = LazyLock::new(|| {
    let mut s = ItemSet::EMPTY;
    for k in [
        Kw::Use,
        Kw::Finish,
        Kw::Return,
        Kw::Create,
        Kw::Insert,
        Kw::Delete,
        Kw::Detach,
        Kw::Nodetach,
        Kw::Set,
        Kw::Remove,
        Kw::Match,
        Kw::Optional,
        Kw::Merge,
        Kw::With,
        Kw::Unwind,
        Kw::Call,
        Kw::Foreach,
        Kw::Skip,
        Kw::Offset,
        Kw::Limit,
    ] {
        s.insert(Item::kw(k));
    }
    s.insert(expected::ORDER_BY);
    s.insert(expected::LOAD_CSV);
    s
});

/// Cypher 25's clause starts: Cypher 5's, the clauses only Cypher 25 has (FILTER, FOR,
/// LET) and the SHOW and TERMINATE commands, which Cypher 25 composes with clauses.
static CLAUSE_START_25: LazyLock<ItemSet> = LazyLock::new(|| {
    let mut s = *CLAUSE_START;
    for k in [Kw::Filter, Kw::For, Kw::Let, Kw::Show, Kw::Terminate] {
        s.insert(Item::kw(k));
    }
    s
});

/// Records every clause start at the current token (of the parser's Cypher version).
pub fn record_clause_start(p: &mut Parser<'_>) {
    if p.cypher25 {
        p.record_all(&CLAUSE_START_25);
    } else {
        p.record_all(&CLAUSE_START);
    }
}

/// True when the current token starts a clause.
pub fn at_clause_start(p: &Parser<'_>) -> bool {
    match p.peek() {
        Tok::Kw(k) => {
            matches!(
                k,
                Kw::Use
                    | Kw::Finish
                    | Kw::Return
                    | Kw::Create
                    | Kw::Insert
                    | Kw::Delete
                    | Kw::Detach
                    | Kw::Nodetach
                    | Kw::Set
                    | Kw::Remove
                    | Kw::Match
                    | Kw::Optional
                    | Kw::Merge
                    | Kw::With
                    | Kw::Unwind
                    | Kw::Call
                    | Kw::Foreach
                    | Kw::Skip
                    | Kw::Offset
                    | Kw::Limit
                    | Kw::Load
            ) || (k == Kw::Order && p.nth(1) == Tok::Kw(Kw::By))
                || (p.cypher25 && matches!(k, Kw::Filter | Kw::For | Kw::Let))
        }
        _ => false,
    }
}

/// `regularQuery`: single queries joined by `UNION [ALL|DISTINCT]`.
pub fn regular_query(p: &mut Parser<'_>) -> PResult<Query> {
    regular_query_from(p, None)
}

/// A query whose first clause (a USE) is already parsed, when `first` is given.
pub fn regular_query_from(p: &mut Parser<'_>, first: Option<Clause>) -> PResult<Query> {
    p.nest(|p| {
        let start = match &first {
            Some(c) => c.span,
            None => p.span_from(p.pos()),
        };
        let first = single_query_from(p, first)?;
        let mut unions = Vec::new();
        loop {
            if !p.at_kw(Kw::Union) {
                break;
            }
            let ustart = p.pos();
            p.bump();
            let all = if p.eat_kw(Kw::All) {
                true
            } else {
                p.eat_kw(Kw::Distinct);
                false
            };
            let span = p.span_from(ustart);
            let query = single_query(p)?;
            unions.push(UnionPart { all, span, query });
        }
        // Cypher 25 chains queries with NEXT; each part is a whole query with unions.
        let mut next = Vec::new();
        if p.cypher25 {
            while p.eat_kw(Kw::Next) {
                next.push(p.rule(Frame::Plain, |p| {
                    if !at_clause_start(p) {
                        // A conditional query or a braced block may follow too (listed,
                        // not parsed yet).
                        record_clause_start(p);
                        p.record(Item::kw(Kw::When));
                        p.record(Item::tok(Tok::LCurly));
                        return p.fail();
                    }
                    regular_query(p)
                })?);
            }
        }
        let span = start.to(p.span_from(p.pos().saturating_sub(1)));
        Ok(Query {
            first,
            unions,
            next,
            span,
        })
    })
}

/// `singleQuery`: one or more clauses.
pub fn single_query(p: &mut Parser<'_>) -> PResult<SingleQuery> {
    single_query_from(p, None)
}

fn single_query_from(p: &mut Parser<'_>, first: Option<Clause>) -> PResult<SingleQuery> {
    p.rule(Frame::Plain, |p| single_query_inner(p, first))
}

fn single_query_inner(p: &mut Parser<'_>, first: Option<Clause>) -> PResult<SingleQuery> {
    let start = match &first {
        Some(c) => c.span,
        None => p.span_from(p.pos()),
    };
    let mut clauses: Vec<Clause> = first.into_iter().collect();
    loop {
        if !at_clause_start(p) {
            record_clause_start(p);
            if clauses.is_empty() {
                return p.fail();
            }
            break;
        }
        clauses.push(clause(p)?);
    }
    let span = start.to(p.span_from(p.pos().saturating_sub(1)));
    Ok(SingleQuery { clauses, span })
}

/// One clause (the current token starts one).
pub fn clause(p: &mut Parser<'_>) -> PResult<Clause> {
    p.rule(Frame::Plain, |p| {
        let start = p.pos();
        let written_as = match p.peek() {
            Tok::Kw(Kw::Filter) if p.cypher25 => Some("FILTER"),
            Tok::Kw(Kw::Let) if p.cypher25 => Some("LET"),
            Tok::Kw(Kw::For) if p.cypher25 => Some("FOR"),
            _ => None,
        };
        let kind = clause_kind(p)?;
        Ok(Clause {
            kind,
            span: p.span_from(start),
            written_as,
        })
    })
}

fn clause_kind(p: &mut Parser<'_>) -> PResult<ClauseKind> {
    let Tok::Kw(k) = p.peek() else {
        return p.fail();
    };
    match k {
        Kw::Use => use_clause(p).map(ClauseKind::Use),
        Kw::Finish => {
            p.bump();
            Ok(ClauseKind::Finish)
        }
        Kw::Return => {
            p.bump();
            return_body(p).map(ClauseKind::Return)
        }
        Kw::With => {
            p.bump();
            let body = return_body(p)?;
            let filter = where_clause(p)?;
            Ok(ClauseKind::With(body, filter))
        }
        Kw::Create => {
            p.bump();
            pattern_list(p).map(ClauseKind::Create)
        }
        Kw::Insert => {
            p.bump();
            pattern_list(p).map(ClauseKind::Insert)
        }
        Kw::Delete | Kw::Detach | Kw::Nodetach => delete(p),
        Kw::Set => set_clause(p).map(ClauseKind::Set),
        Kw::Remove => remove(p),
        Kw::Match => match_clause(p, false),
        Kw::Optional => {
            p.bump();
            if p.at_kw(Kw::Match) {
                return match_clause(p, true);
            }
            if p.at_kw(Kw::Call) {
                return call_clause(p, true);
            }
            p.fail()
        }
        Kw::Merge => merge(p),
        Kw::Unwind => {
            p.bump();
            let e = expression(p)?;
            p.expect_kw(Kw::As)?;
            let v = variable(p)?;
            Ok(ClauseKind::Unwind(e, v))
        }
        Kw::Call => call_clause(p, false),
        Kw::Filter | Kw::For | Kw::Let if p.cypher25 => cypher25_clause(p, k),
        Kw::Load => load_csv(p),
        Kw::Foreach => foreach(p),
        Kw::Order | Kw::Skip | Kw::Offset | Kw::Limit => {
            let paging = paging(p)?;
            Ok(ClauseKind::OrderBySkipLimit(paging))
        }
        _ => p.fail(),
    }
}

/// Cypher 25's `FILTER [WHERE] expr`, `FOR var IN expr` and `LET var = expr, ...`,
/// read as the Cypher 5 clauses they mean: `WITH * WHERE expr`, `UNWIND expr AS var` and
/// `WITH *, expr AS var, ...` (LET's items see only what came before the clause, as
/// WITH's do), so the semantic checks and the embedded cluster need nothing new.
fn cypher25_clause(p: &mut Parser<'_>, k: Kw) -> PResult<ClauseKind> {
    p.bump();
    let star = |items| Projection {
        distinct: false,
        star: true,
        items,
        paging: Paging::default(),
    };
    match k {
        Kw::Filter => {
            if !p.eat_kw(Kw::Where) && !super::expr::at_expression_start(p) {
                p.record(Item::rule(expected::Rule::Expression));
                p.record(Item::kw(Kw::Where));
                return p.fail();
            }
            let e = expression(p)?;
            Ok(ClauseKind::With(star(Vec::new()), Some(e)))
        }
        Kw::For => {
            let v = variable(p)?;
            p.expect_kw(Kw::In)?;
            let e = expression(p)?;
            Ok(ClauseKind::Unwind(e, v))
        }
        _ => {
            let mut items = Vec::new();
            loop {
                let v = variable(p)?;
                p.expect(Tok::Eq)?;
                let expr = expression(p)?;
                items.push(ReturnItem {
                    expr,
                    alias: Some(v),
                });
                if !p.eat(Tok::Comma) {
                    break;
                }
            }
            Ok(ClauseKind::With(star(items), None))
        }
    }
}

/// `USE [GRAPH] graph`.
pub fn use_clause(p: &mut Parser<'_>) -> PResult<GraphRef> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Use)?;
        // GRAPH is optional, and also a valid graph name.
        if p.peek() == Tok::Kw(Kw::Graph)
            && matches!(
                p.nth(1),
                Tok::Ident | Tok::Escaped | Tok::Kw(_) | Tok::LParen
            )
        {
            p.bump();
        } else {
            p.record(Item::kw(Kw::Graph));
        }
        graph_reference(p)
    })
}

fn graph_reference(p: &mut Parser<'_>) -> PResult<GraphRef> {
    if p.peek() == Tok::LParen {
        p.bump();
        let inner = p.nest(graph_reference)?;
        p.expect(Tok::RParen)?;
        return Ok(inner);
    }
    p.record(Item::tok(Tok::LParen));
    // A dotted name followed by `(` is a function (`graph.byName(...)`).
    let mut i = 1;
    while p.nth(i) == Tok::Dot && matches!(p.nth(i + 1), Tok::Ident | Tok::Escaped | Tok::Kw(_)) {
        i += 2;
    }
    if at_name(p) && p.nth(i) == Tok::LParen {
        return expression(p).map(GraphRef::Function);
    }
    alias_name(p).map(GraphRef::Name)
}

/// `returnBody`: `[DISTINCT] (* | item) (, item)* [ORDER BY] [SKIP] [LIMIT]`.
pub fn return_body(p: &mut Parser<'_>) -> PResult<Projection> {
    p.rule(Frame::Plain, |p| return_body_inner(p, false))
}

/// The same as the RETURN of a SHOW or TERMINATE command. There Neo4j reads each of ORDER
/// BY, SKIP and LIMIT whole before taking it, so a broken one is reported at its keyword.
pub fn command_return_body(p: &mut Parser<'_>) -> PResult<Projection> {
    p.rule(Frame::Plain, |p| return_body_inner(p, true))
}

fn return_body_inner(p: &mut Parser<'_>, command: bool) -> PResult<Projection> {
    // DISTINCT is also a name, so Neo4j decides between it, `*` and an item by looking
    // further: a bad first item is reported here, with all three.
    let distinct = p.peek() == Tok::Kw(Kw::Distinct)
        && (super::expr::at_expression_start_tok(p.nth(1)) || p.nth(1) == Tok::Times);
    if distinct {
        p.bump();
    } else {
        p.record(Item::kw(Kw::Distinct));
        // Cypher 25 also allows the explicit `RETURN ALL ...` (ALL followed by `(` is the
        // list predicate `all(x IN ...)`).
        if p.cypher25 {
            let all = p.peek() == Tok::Kw(Kw::All)
                && p.nth(1) != Tok::LParen
                && (super::expr::at_expression_start_tok(p.nth(1)) || p.nth(1) == Tok::Times);
            if all {
                p.bump();
            } else {
                p.record(Item::kw(Kw::All));
            }
        }
    }
    let mut star = false;
    let mut items = Vec::new();
    if p.eat(Tok::Times) {
        star = true;
    } else if super::expr::at_expression_start(p) {
        items.push(return_item(p)?);
    } else {
        p.record(Item::rule(expected::Rule::Expression));
        return p.fail();
    }
    while p.eat(Tok::Comma) {
        items.push(return_item(p)?);
    }
    if p.cypher25 {
        group_by(p)?;
    }
    let paging = if command {
        command_paging(p)?
    } else {
        paging_opt(p)?
    };
    Ok(Projection {
        distinct,
        star,
        items,
        paging,
    })
}

/// Cypher 25's `GROUP BY (() | ALL | expr, ...)` after the items of a projection. The
/// grouping keys are read and dropped: a valid explicit grouping names the projection's
/// non-aggregating items, which is the implicit grouping the rest of cysh computes.
fn group_by(p: &mut Parser<'_>) -> PResult<()> {
    if !p.eat_seq(expected::GROUP_BY)? {
        return Ok(());
    }
    if p.peek() == Tok::LParen && p.nth(1) == Tok::RParen {
        p.bump();
        p.bump();
        return Ok(());
    }
    if p.eat_kw(Kw::All) {
        return Ok(());
    }
    if !super::expr::at_expression_start(p) {
        // Neo4j lists `(` (of `()`) and ALL beside the expression.
        p.record(Item::rule(expected::Rule::Expression));
        p.record(Item::tok(Tok::LParen));
        p.record(Item::kw(Kw::All));
        return p.fail();
    }
    expression(p)?;
    while p.eat(Tok::Comma) {
        expression(p)?;
    }
    Ok(())
}

fn return_item(p: &mut Parser<'_>) -> PResult<ReturnItem> {
    let expr = expression(p)?;
    let alias = if p.eat_kw(Kw::As) {
        Some(variable(p)?)
    } else {
        None
    };
    Ok(ReturnItem { expr, alias })
}

/// `[ORDER BY ...] [SKIP|OFFSET n] [LIMIT n]` after a projection.
fn paging_opt(p: &mut Parser<'_>) -> PResult<Paging> {
    let mut paging = Paging::default();
    if p.eat_seq(expected::ORDER_BY)? {
        paging.order_by = order_items(p)?;
    }
    if p.eat_kw(Kw::Skip) || p.eat_kw(Kw::Offset) {
        paging.skip = Some(row_count(p)?);
    }
    if p.eat_kw(Kw::Limit) {
        paging.limit = Some(row_count(p)?);
    }
    Ok(paging)
}

/// [`paging_opt`] in a command's RETURN: each part is taken whole or not at all.
fn command_paging(p: &mut Parser<'_>) -> PResult<Paging> {
    let mut paging = Paging::default();
    if p.peek() == Tok::Kw(Kw::Order) {
        let order = p.speculate(|p| {
            p.expect_seq(expected::ORDER_BY)?;
            order_items(p)
        })?;
        // A broken part is left untaken: what follows then fails at its keyword, with
        // everything that could stand there.
        match order {
            Some(items) => paging.order_by = items,
            None => p.record(expected::ORDER_BY),
        }
    } else {
        p.record(expected::ORDER_BY);
    }
    for (limit, keywords) in [
        (false, &[Kw::Skip, Kw::Offset][..]),
        (true, &[Kw::Limit][..]),
    ] {
        if keywords.iter().any(|&k| p.peek() == Tok::Kw(k)) {
            let count = p.speculate(|p| {
                p.bump();
                row_count(p)
            })?;
            let Some(count) = count else {
                keywords.iter().for_each(|&k| p.record(Item::kw(k)));
                continue;
            };
            if limit {
                paging.limit = Some(count);
            } else {
                paging.skip = Some(count);
            }
        } else {
            keywords.iter().for_each(|&k| p.record(Item::kw(k)));
        }
    }
    Ok(paging)
}

/// The expression after SKIP, OFFSET or LIMIT. A literal there must be a non-negative
/// integer; Neo4j checks that before running anything, naming the literal as written
/// (a string by its value, `null` as `NULL`).
fn row_count(p: &mut Parser<'_>) -> PResult<Expr> {
    let e = expression(p)?;
    if let ExprKind::Literal(v) = &e.kind {
        let shown = match v {
            Value::Int(n) if *n >= 0 => None,
            Value::String(s) => Some(s.clone()),
            Value::Null => Some("NULL".to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => Some(e.span.text(p.src).split_whitespace().collect()),
        };
        if let Some(shown) = shown {
            p.semantic_error(
                e.span.start as usize,
                format!(
                    "Invalid input. '{shown}' is not a valid value. Must be a non-negative integer."
                ),
            );
        }
    }
    Ok(e)
}

/// A standalone `ORDER BY` / `SKIP` / `LIMIT` clause (at least one of them).
fn paging(p: &mut Parser<'_>) -> PResult<Paging> {
    paging_opt(p)
}

fn order_items(p: &mut Parser<'_>) -> PResult<Vec<SortItem>> {
    let mut out = Vec::new();
    loop {
        let expr = expression(p)?;
        let descending = if p.eat_kw(Kw::Desc) || p.eat_kw(Kw::Descending) {
            true
        } else {
            let _ = p.eat_kw(Kw::Asc) || p.eat_kw(Kw::Ascending);
            false
        };
        out.push(SortItem { expr, descending });
        if !p.eat(Tok::Comma) {
            return Ok(out);
        }
    }
}

/// `[WHERE expr]`.
pub fn where_clause(p: &mut Parser<'_>) -> PResult<Option<Expr>> {
    if p.eat_kw(Kw::Where) {
        return expression(p).map(Some);
    }
    Ok(None)
}

/// `pattern (, pattern)*`.
pub fn pattern_list(p: &mut Parser<'_>) -> PResult<Vec<Pattern>> {
    let mut out = vec![pattern(p)?];
    while p.eat(Tok::Comma) {
        out.push(pattern(p)?);
    }
    Ok(out)
}

/// `[REPEATABLE ELEMENT[S] [BINDINGS] | DIFFERENT RELATIONSHIP[S] [BINDINGS]]`.
pub fn match_mode(p: &mut Parser<'_>) -> PResult<Option<MatchMode>> {
    if p.eat_kw(Kw::Repeatable) {
        if p.eat_kw(Kw::Element) {
            p.eat_kw(Kw::Bindings);
        } else {
            p.expect_kw(Kw::Elements)?;
        }
        return Ok(Some(MatchMode::RepeatableElements));
    }
    if p.eat_kw(Kw::Different) {
        if p.eat_kw(Kw::Relationship) {
            p.eat_kw(Kw::Bindings);
        } else {
            p.expect_kw(Kw::Relationships)?;
        }
        return Ok(Some(MatchMode::DifferentRelationships));
    }
    Ok(None)
}

fn match_clause(p: &mut Parser<'_>, optional: bool) -> PResult<ClauseKind> {
    p.expect_kw(Kw::Match)?;
    let mode = match_mode(p)?;
    if !super::pattern::at_pattern_start(p) {
        p.record(Item::rule(expected::Rule::GraphPattern));
        return p.fail();
    }
    let patterns = pattern_list(p)?;
    let mut hints = Vec::new();
    while p.at_kw(Kw::Using) {
        hints.push(hint(p)?);
    }
    // Cypher 25's SEARCH clause (vector and fulltext search) may follow the pattern or
    // its WHERE; it is listed where it may come but not parsed yet.
    if p.cypher25 {
        p.record(Item::kw(Kw::Search));
    }
    let filter = where_clause(p)?;
    if p.cypher25 && filter.is_some() {
        p.record(Item::kw(Kw::Search));
    }
    Ok(ClauseKind::Match(Box::new(Match {
        optional,
        mode,
        patterns,
        hints,
        filter,
    })))
}

/// `USING INDEX ... | USING JOIN ON ... | USING SCAN ... | USING EXPAND ...`.
fn hint(p: &mut Parser<'_>) -> PResult<Hint> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Using)?;
        if p.eat_kw(Kw::Join) {
            p.expect_kw(Kw::On)?;
            return Ok(Hint::Join(name_list(p)?));
        }
        if p.eat_kw(Kw::Scan) {
            let var = variable(p)?;
            p.expect(Tok::Colon)?;
            let (label, _) = symbolic_name(p)?;
            return Ok(Hint::Scan(var, label));
        }
        if p.eat_kw(Kw::Expand) {
            expand_step(p)?;
            while p.eat(Tok::Comma) {
                expand_step(p)?;
            }
            return Ok(Hint::Expand);
        }
        let kind_word = matches!(
            p.peek(),
            Tok::Kw(Kw::Btree | Kw::Text | Kw::Range | Kw::Point)
        );
        if kind_word {
            p.bump();
        } else {
            for k in [Kw::Btree, Kw::Text, Kw::Range, Kw::Point] {
                p.record(Item::kw(k));
            }
        }
        p.expect_kw(Kw::Index)?;
        p.eat_kw(Kw::Seek);
        let var = variable(p)?;
        p.expect(Tok::Colon)?;
        let (label, _) = symbolic_name(p)?;
        p.expect(Tok::LParen)?;
        let properties = name_list(p)?;
        p.expect(Tok::RParen)?;
        Ok(Hint::Index {
            var,
            label,
            properties,
        })
    })
}

fn expand_step(p: &mut Parser<'_>) -> PResult<()> {
    let _ = p.eat_kw(Kw::All) || p.eat_kw(Kw::Into);
    if p.eat_kw(Kw::From) {
        variable(p)?;
        p.expect_kw(Kw::To)?;
        variable(p)?;
        if p.eat_kw(Kw::Via) {
            variable(p)?;
        }
        return Ok(());
    }
    p.expect_kw(Kw::Via)?;
    variable(p)?;
    Ok(())
}

/// `nonEmptyNameList`.
fn name_list(p: &mut Parser<'_>) -> PResult<Vec<String>> {
    let mut out = vec![symbolic_name(p)?.0];
    while p.eat(Tok::Comma) {
        out.push(symbolic_name(p)?.0);
    }
    Ok(out)
}

fn merge(p: &mut Parser<'_>) -> PResult<ClauseKind> {
    p.expect_kw(Kw::Merge)?;
    let pattern = pattern(p)?;
    let mut actions = Vec::new();
    while p.eat_kw(Kw::On) {
        let create = if p.eat_kw(Kw::Create) {
            true
        } else {
            p.expect_kw(Kw::Match)?;
            false
        };
        actions.push((create, set_clause(p)?));
    }
    Ok(ClauseKind::Merge(Box::new(Merge { pattern, actions })))
}

fn delete(p: &mut Parser<'_>) -> PResult<ClauseKind> {
    let detach = if p.eat_kw(Kw::Detach) {
        Some(true)
    } else if p.eat_kw(Kw::Nodetach) {
        Some(false)
    } else {
        None
    };
    p.expect_kw(Kw::Delete)?;
    let mut items = vec![expression(p)?];
    while p.eat(Tok::Comma) {
        items.push(expression(p)?);
    }
    Ok(ClauseKind::Delete(detach, items))
}

/// `SET item (, item)*`.
pub fn set_clause(p: &mut Parser<'_>) -> PResult<Vec<SetItem>> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Set)?;
        let mut items = vec![set_item(p)?];
        while p.eat(Tok::Comma) {
            items.push(set_item(p)?);
        }
        Ok(items)
    })
}

/// The target of a SET or REMOVE item: `expression1` then `.key`s or `[key]`, or a
/// variable with labels.
enum Target {
    Property(Expr),
    Dynamic(Expr),
    Variable(Variable),
}

fn target(p: &mut Parser<'_>) -> PResult<Target> {
    let start = p.pos();
    // A plain variable is the common case; anything else is an `expression1` atom
    // followed by at least one property or one dynamic property.
    let atom = super::expr::atom_for_target(p)?;
    if p.peek() == Tok::Dot {
        let mut e = atom;
        let mut levels = 0u32;
        let plain = matches!(e.kind, ExprKind::Variable(_));
        while p.eat(Tok::Dot) {
            let (key, _) = symbolic_name_hinted(p, Some(expected::Hint::PropertyKey))?;
            e = Expr::new(ExprKind::Property(Box::new(e), key), p.span_from(start));
            levels += 1;
            if levels > super::parser::MAX_DEPTH {
                return p.nest(|p| p.fail());
            }
        }
        p.record(Item::tok(Tok::Dot));
        if plain {
            // `n.x` could still be the name of a function (`n.x(...)`), which Neo4j
            // counts as "an expression" being possible here.
            p.record(Item::rule(expected::Rule::Expression));
        }
        return Ok(Target::Property(e));
    }
    if p.peek() == Tok::LBracket {
        p.bump();
        let key = expression(p)?;
        p.expect(Tok::RBracket)?;
        let e = Expr::new(
            ExprKind::Index(Box::new(atom), Box::new(key)),
            p.span_from(start),
        );
        return Ok(Target::Dynamic(e));
    }
    p.record(Item::tok(Tok::Dot));
    p.record(Item::tok(Tok::LBracket));
    match atom.kind {
        ExprKind::Variable(name) => Ok(Target::Variable(Variable {
            name,
            span: atom.span,
        })),
        _ => p.fail(),
    }
}

fn set_item(p: &mut Parser<'_>) -> PResult<SetItem> {
    match target(p)? {
        Target::Property(t) => {
            p.expect(Tok::Eq)?;
            Ok(SetItem::Property(t, expression(p)?))
        }
        Target::Dynamic(t) => {
            p.expect(Tok::Eq)?;
            Ok(SetItem::DynamicProperty(t, expression(p)?))
        }
        Target::Variable(v) => match p.peek() {
            Tok::Eq => {
                p.bump();
                Ok(SetItem::AllProperties(v, expression(p)?, false))
            }
            Tok::PlusEq => {
                p.bump();
                Ok(SetItem::AllProperties(v, expression(p)?, true))
            }
            Tok::Colon | Tok::Kw(Kw::Is) => Ok(SetItem::Labels(v, node_labels(p)?)),
            _ => {
                p.record(Item::tok(Tok::Eq));
                p.record(Item::tok(Tok::PlusEq));
                p.record(Item::tok(Tok::Colon));
                p.record(Item::kw(Kw::Is));
                p.fail()
            }
        },
    }
}

/// `nodeLabels` (`:A:B`, `:$(expr)`) or `nodeLabelsIs` (`IS A:B`).
fn node_labels(p: &mut Parser<'_>) -> PResult<Vec<LabelExpr>> {
    let mut out = Vec::new();
    let is = p.eat_kw(Kw::Is);
    if is {
        out.push(label_name_or_dynamic(p)?);
    }
    loop {
        if !p.at(Tok::Colon) {
            if out.is_empty() {
                return p.fail();
            }
            return Ok(out);
        }
        p.bump();
        out.push(label_name_or_dynamic(p)?);
    }
}

fn label_name_or_dynamic(p: &mut Parser<'_>) -> PResult<LabelExpr> {
    let start = p.pos();
    if p.eat(Tok::Dollar) {
        p.expect(Tok::LParen)?;
        let e = expression(p)?;
        p.expect(Tok::RParen)?;
        return Ok(LabelExpr::Dynamic {
            any: false,
            expr: Box::new(e),
            span: p.span_from(start),
        });
    }
    p.record(Item::tok(Tok::Dollar));
    let (name, span) = symbolic_name(p)?;
    Ok(LabelExpr::Name(name, span))
}

fn remove(p: &mut Parser<'_>) -> PResult<ClauseKind> {
    p.expect_kw(Kw::Remove)?;
    let mut items = vec![remove_item(p)?];
    while p.eat(Tok::Comma) {
        items.push(remove_item(p)?);
    }
    Ok(ClauseKind::Remove(items))
}

fn remove_item(p: &mut Parser<'_>) -> PResult<RemoveItem> {
    match target(p)? {
        Target::Property(t) => Ok(RemoveItem::Property(t)),
        Target::Dynamic(t) => Ok(RemoveItem::DynamicProperty(t)),
        Target::Variable(v) => {
            if matches!(p.peek(), Tok::Colon | Tok::Kw(Kw::Is)) {
                Ok(RemoveItem::Labels(v, node_labels(p)?))
            } else {
                p.record(Item::tok(Tok::Colon));
                p.record(Item::kw(Kw::Is));
                p.fail()
            }
        }
    }
}

/// `[OPTIONAL] CALL`: a procedure call or a subquery.
fn call_clause(p: &mut Parser<'_>, optional: bool) -> PResult<ClauseKind> {
    p.expect_kw(Kw::Call)?;
    if matches!(p.peek(), Tok::LCurly | Tok::LParen) {
        return subquery(p, optional);
    }
    p.record(Item::tok(Tok::LCurly));
    p.record(Item::tok(Tok::LParen));
    if !at_name(p) {
        p.record(Item::rule(expected::Rule::Identifier));
        p.record(Item::hint(expected::Hint::Procedure));
        return p.fail();
    }
    procedure_call(p, optional).map(|c| ClauseKind::Call(Box::new(c)))
}

/// `ns.name [(args)] [YIELD * | item, ... [WHERE pred]]` (after CALL).
pub fn procedure_call(p: &mut Parser<'_>, optional: bool) -> PResult<ProcedureCall> {
    let start = p.offset();
    let mut name = symbolic_name_hinted(p, Some(expected::Hint::Procedure))?.0;
    while p.eat(Tok::Dot) {
        name.push('.');
        name.push_str(&symbolic_name_hinted(p, Some(expected::Hint::Procedure))?.0);
    }
    let name_span = Span::new(start, p.span_from(p.pos().saturating_sub(1)).end as usize);
    let args = if p.eat(Tok::LParen) {
        let mut args = Vec::new();
        if !p.eat(Tok::RParen) {
            if !super::expr::at_expression_start(p) {
                p.record(Item::rule(expected::Rule::Expression));
                return p.fail();
            }
            loop {
                args.push(expression(p)?);
                if !p.eat(Tok::Comma) {
                    p.expect(Tok::RParen)?;
                    break;
                }
            }
        }
        Some(args)
    } else {
        None
    };
    let mut yields = None;
    let mut filter = None;
    if p.eat_kw(Kw::Yield) {
        if p.eat(Tok::Times) {
            yields = Some(None);
        } else {
            if !at_name(p) {
                p.record(Item::rule(expected::Rule::Identifier));
                return p.fail();
            }
            let mut items = vec![yield_item(p)?];
            while p.eat(Tok::Comma) {
                items.push(yield_item(p)?);
            }
            yields = Some(Some(items));
            filter = where_clause(p)?;
        }
    }
    Ok(ProcedureCall {
        optional,
        name,
        name_span,
        args,
        yields,
        filter,
    })
}

fn yield_item(p: &mut Parser<'_>) -> PResult<YieldItem> {
    let (column, span) = symbolic_name_hinted(p, Some(expected::Hint::Column))?;
    let alias = if p.eat_kw(Kw::As) {
        Some(variable(p)?)
    } else {
        None
    };
    Ok(YieldItem {
        column,
        span,
        alias,
    })
}

fn subquery(p: &mut Parser<'_>, optional: bool) -> PResult<ClauseKind> {
    let scope = if p.eat(Tok::LParen) {
        if p.eat(Tok::Times) {
            p.expect(Tok::RParen)?;
            Some(SubqueryScope::All)
        } else {
            let mut vars = Vec::new();
            if !p.eat(Tok::RParen) {
                loop {
                    vars.push(variable(p)?);
                    if !p.eat(Tok::Comma) {
                        p.expect(Tok::RParen)?;
                        break;
                    }
                }
            }
            Some(SubqueryScope::Vars(vars))
        }
    } else {
        None
    };
    p.expect(Tok::LCurly)?;
    let query = regular_query(p)?;
    p.expect(Tok::RCurly)?;
    let transactions = if p.eat_kw(Kw::In) {
        Some(in_transactions(p)?)
    } else {
        None
    };
    Ok(ClauseKind::Subquery(Box::new(Subquery {
        optional,
        scope,
        query,
        transactions,
    })))
}

/// After `IN`: `[n] CONCURRENT] TRANSACTIONS [OF n ROWS] [ON ERROR ...] [REPORT STATUS AS v]`.
fn in_transactions(p: &mut Parser<'_>) -> PResult<InTransactions> {
    let concurrency = if p.eat_kw(Kw::Concurrent) {
        Some(None)
    } else if p.at_kw(Kw::Transactions) {
        None
    } else {
        let n = expression(p)?;
        p.expect_kw(Kw::Concurrent)?;
        Some(Some(n))
    };
    p.expect_kw(Kw::Transactions)?;
    let mut t = InTransactions {
        concurrency,
        batch: None,
        on_error: None,
        report: None,
    };
    loop {
        if p.eat_kw(Kw::Of) {
            t.batch = Some(expression(p)?);
            p.expect_either(Kw::Row, Kw::Rows)?;
        } else if p.eat_seq(expected::ON_ERROR)? {
            t.on_error = Some(on_error(p)?);
        } else if p.eat_seq(expected::REPORT_STATUS_AS)? {
            t.report = Some(variable(p)?);
        } else {
            return Ok(t);
        }
    }
}

fn on_error(p: &mut Parser<'_>) -> PResult<OnError> {
    if p.eat_kw(Kw::Continue) {
        return Ok(OnError::Continue);
    }
    if p.eat_kw(Kw::Break) {
        return Ok(OnError::Break);
    }
    if p.eat_kw(Kw::Fail) {
        return Ok(OnError::Fail);
    }
    p.expect_kw(Kw::Retry)?;
    let duration = if p.peek() != Tok::Kw(Kw::Then)
        && (p.peek() == Tok::Kw(Kw::For) || super::expr::at_expression_start(p))
    {
        p.eat_kw(Kw::For);
        let d = expression(p)?;
        if !(p.eat_kw(Kw::Sec) || p.eat_kw(Kw::Second) || p.eat_kw(Kw::Seconds)) {
            return p.fail();
        }
        Some(d)
    } else {
        p.record(Item::kw(Kw::For));
        None
    };
    let then = if p.eat_kw(Kw::Then) {
        let e = if p.eat_kw(Kw::Continue) {
            OnError::Continue
        } else if p.eat_kw(Kw::Break) {
            OnError::Break
        } else {
            p.expect_kw(Kw::Fail)?;
            OnError::Fail
        };
        Some(Box::new(e))
    } else {
        None
    };
    Ok(OnError::Retry(duration, then))
}

fn load_csv(p: &mut Parser<'_>) -> PResult<ClauseKind> {
    p.expect_seq(expected::LOAD_CSV)?;
    let headers = p.eat_seq(expected::WITH_HEADERS)?;
    p.expect_kw(Kw::From)?;
    let url = expression(p)?;
    p.expect_kw(Kw::As)?;
    let var = variable(p)?;
    let terminator = if p.eat_kw(Kw::Fieldterminator) {
        Some(string_literal(p)?.0)
    } else {
        None
    };
    Ok(ClauseKind::LoadCsv(Box::new(LoadCsv {
        headers,
        url,
        var,
        terminator,
    })))
}

fn foreach(p: &mut Parser<'_>) -> PResult<ClauseKind> {
    p.expect_kw(Kw::Foreach)?;
    p.expect(Tok::LParen)?;
    let var = variable(p)?;
    p.expect_kw(Kw::In)?;
    let list = expression(p)?;
    p.expect(Tok::Bar)?;
    let mut clauses = Vec::new();
    loop {
        if !at_clause_start(p) {
            record_clause_start(p);
            if clauses.is_empty() {
                return p.fail();
            }
            break;
        }
        clauses.push(p.nest(clause)?);
    }
    p.expect(Tok::RParen)?;
    Ok(ClauseKind::Foreach(Box::new(Foreach {
        var,
        list,
        clauses,
    })))
}
