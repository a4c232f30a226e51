//! Schema commands: CREATE [OR REPLACE] INDEX of every kind (range, text, point,
//! vector, lookup, fulltext, the refused btree and `ON :Label(prop)` forms), CREATE
//! CONSTRAINT (unique, key, not null, property type; `FOR ... REQUIRE` and the refused
//! `ON ... ASSERT` forms), DROP INDEX and DROP CONSTRAINT, with Neo4j's parse-time
//! refusals of the old syntax.
//!
//! It owns these commands' grammar. It must not know which indexes exist.

use super::database::{if_exists, if_not_exists, opt_options};
use super::expected::{self, Item, Rule};
use super::expr::cypher_type;
use super::names::{at_name, parameter, symbolic_name, variable};
use super::parser::{Frame, PResult, Parser};
use crate::dialect::ast::expr::Variable;
use crate::dialect::ast::schema::*;
use crate::dialect::ast::{Statement, StringOrParam};
use crate::dialect::lexer::{Kw, Tok};

/// `commandNameExpression?`: an index or constraint name, when one is written.
fn opt_name(p: &mut Parser<'_>, before: &[Kw]) -> PResult<Option<StringOrParam>> {
    if p.peek() == Tok::Dollar {
        return parameter(p).map(|x| Some(StringOrParam::Param(x)));
    }
    let is_clause_start = match p.peek() {
        Tok::Kw(Kw::If) => p.nth(1) == Tok::Kw(Kw::Not) && p.nth(2) == Tok::Kw(Kw::Exists),
        Tok::Kw(k) if before.contains(&k) => p.nth(1) == Tok::LParen,
        _ => false,
    };
    if at_name(p) && !is_clause_start {
        return symbolic_name(p).map(|(n, _)| Some(StringOrParam::Literal(n)));
    }
    p.record(Item::rule(Rule::Identifier));
    p.record(Item::rule(Rule::Parameter));
    Ok(None)
}

/// `(var:Label)` or `()-[var:TYPE]-()` of an index or constraint.
fn target(p: &mut Parser<'_>) -> PResult<SchemaTarget> {
    p.rule(Frame::Plain, |p| {
        p.expect(Tok::LParen)?;
        if p.eat(Tok::RParen) {
            let _ = p.eat(Tok::Lt) || p.eat(Tok::ArrowLeft);
            if !(p.eat(Tok::Minus) || p.eat(Tok::ArrowLine)) {
                return p.fail();
            }
            p.expect(Tok::LBracket)?;
            let var = variable(p)?;
            p.expect(Tok::Colon)?;
            let (label, _) = symbolic_name(p)?;
            p.expect(Tok::RBracket)?;
            if !(p.eat(Tok::Minus) || p.eat(Tok::ArrowLine)) {
                return p.fail();
            }
            let _ = p.eat(Tok::Gt) || p.eat(Tok::ArrowRight);
            p.expect(Tok::LParen)?;
            p.expect(Tok::RParen)?;
            return Ok(SchemaTarget {
                var,
                relationship: true,
                labels: vec![label],
            });
        }
        let var = variable(p)?;
        p.expect(Tok::Colon)?;
        let (label, _) = symbolic_name(p)?;
        p.expect(Tok::RParen)?;
        Ok(SchemaTarget {
            var,
            relationship: false,
            labels: vec![label],
        })
    })
}

/// `var.prop` or `(var.a, var.b)`; gives the property names and where the second one is.
fn property_list(p: &mut Parser<'_>) -> PResult<(Vec<String>, Option<usize>)> {
    let one = |p: &mut Parser<'_>| -> PResult<String> {
        variable(p)?;
        p.expect(Tok::Dot)?;
        Ok(symbolic_name(p)?.0)
    };
    if p.eat(Tok::LParen) {
        let mut props = vec![one(p)?];
        let mut second = None;
        while p.eat(Tok::Comma) {
            second.get_or_insert(p.offset());
            props.push(one(p)?);
        }
        p.expect(Tok::RParen)?;
        return Ok((props, second));
    }
    p.record(Item::tok(Tok::LParen));
    Ok((vec![one(p)?], None))
}

/// After CREATE [OR REPLACE]: `[kind] INDEX ...`.
pub fn create_index(p: &mut Parser<'_>, or_replace: bool) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        let kind = match p.peek() {
            Tok::Kw(Kw::Index) => IndexKind::Range,
            Tok::Kw(Kw::Btree) => IndexKind::Btree,
            Tok::Kw(Kw::Range) => IndexKind::Range,
            Tok::Kw(Kw::Text) => IndexKind::Text,
            Tok::Kw(Kw::Point) => IndexKind::Point,
            Tok::Kw(Kw::Vector) => IndexKind::Vector,
            Tok::Kw(Kw::Lookup) => IndexKind::Lookup,
            _ => IndexKind::Fulltext,
        };
        let plain = p.peek() == Tok::Kw(Kw::Index);
        if kind == IndexKind::Btree {
            // Cypher 5 still parses BTREE, then refuses it.
            p.semantic_error(
                p.offset(),
                "Invalid index type b-tree, use range, point or text index instead.",
            );
        }
        if !plain {
            p.bump();
        }
        p.expect_kw(Kw::Index)?;
        if plain && p.peek() == Tok::Kw(Kw::On) && p.nth(1) == Tok::Colon {
            // The old `CREATE INDEX ON :Label(prop)` form: parsed, then refused.
            let on = p.offset();
            p.bump();
            p.expect(Tok::Colon)?;
            let (label, span) = symbolic_name(p)?;
            p.expect(Tok::LParen)?;
            let mut properties = vec![symbolic_name(p)?.0];
            while p.eat(Tok::Comma) {
                properties.push(symbolic_name(p)?.0);
            }
            p.expect(Tok::RParen)?;
            if or_replace {
                p.semantic_error(
                    p.statement_start() + 10,
                    "'REPLACE' is not allowed for this index syntax",
                );
            }
            p.semantic_error(
                on,
                "Invalid create index syntax, use `CREATE INDEX FOR ...` instead.",
            );
            return Ok(Statement::Schema(Box::new(SchemaCommand::CreateIndex(
                CreateIndex {
                    kind,
                    or_replace,
                    name: None,
                    if_not_exists: false,
                    target: SchemaTarget {
                        var: Variable {
                            name: String::new(),
                            span,
                        },
                        relationship: false,
                        labels: vec![label],
                    },
                    properties,
                    options: None,
                },
            ))));
        }
        let name = opt_name(p, &[Kw::For])?;
        let if_not_exists = if_not_exists(p)?;
        p.expect_kw(Kw::For)?;
        let (target, properties) = match kind {
            IndexKind::Fulltext => fulltext_target(p)?,
            IndexKind::Lookup => lookup_target(p)?,
            _ => {
                let target = target(p)?;
                p.expect_kw(Kw::On)?;
                let (props, _) = property_list(p)?;
                (target, props)
            }
        };
        let options = opt_options(p)?;
        if or_replace {
            p.semantic_error(
                p.statement_start(),
                "Failed to create index: `OR REPLACE` cannot be used together with this command.",
            );
        }
        Ok(Statement::Schema(Box::new(SchemaCommand::CreateIndex(
            CreateIndex {
                kind,
                or_replace,
                name,
                if_not_exists,
                target,
                properties,
                options,
            },
        ))))
    })
}

/// `(n:A|B) ON EACH [n.a, n.b]` or the relationship form.
fn fulltext_target(p: &mut Parser<'_>) -> PResult<(SchemaTarget, Vec<String>)> {
    p.expect(Tok::LParen)?;
    let relationship = p.eat(Tok::RParen);
    if relationship {
        let _ = p.eat(Tok::Lt) || p.eat(Tok::ArrowLeft);
        if !(p.eat(Tok::Minus) || p.eat(Tok::ArrowLine)) {
            return p.fail();
        }
        p.expect(Tok::LBracket)?;
    }
    let var = variable(p)?;
    p.expect(Tok::Colon)?;
    let mut labels = vec![symbolic_name(p)?.0];
    while p.eat(Tok::Bar) {
        labels.push(symbolic_name(p)?.0);
    }
    if relationship {
        p.expect(Tok::RBracket)?;
        if !(p.eat(Tok::Minus) || p.eat(Tok::ArrowLine)) {
            return p.fail();
        }
        let _ = p.eat(Tok::Gt) || p.eat(Tok::ArrowRight);
        p.expect(Tok::LParen)?;
    }
    p.expect(Tok::RParen)?;
    p.expect_seq(expected::ON_EACH)?;
    p.expect(Tok::LBracket)?;
    let mut props = Vec::new();
    loop {
        variable(p)?;
        p.expect(Tok::Dot)?;
        props.push(symbolic_name(p)?.0);
        if !p.eat(Tok::Comma) {
            break;
        }
    }
    p.expect(Tok::RBracket)?;
    Ok((
        SchemaTarget {
            var,
            relationship,
            labels,
        },
        props,
    ))
}

/// `(n) ON EACH labels(n)` or `()-[r]-() ON [EACH] type(r)`.
fn lookup_target(p: &mut Parser<'_>) -> PResult<(SchemaTarget, Vec<String>)> {
    p.expect(Tok::LParen)?;
    let (var, relationship, each) = if p.eat(Tok::RParen) {
        let _ = p.eat(Tok::Lt) || p.eat(Tok::ArrowLeft);
        if !(p.eat(Tok::Minus) || p.eat(Tok::ArrowLine)) {
            return p.fail();
        }
        p.expect(Tok::LBracket)?;
        let var = variable(p)?;
        p.expect(Tok::RBracket)?;
        if !(p.eat(Tok::Minus) || p.eat(Tok::ArrowLine)) {
            return p.fail();
        }
        let _ = p.eat(Tok::Gt) || p.eat(Tok::ArrowRight);
        p.expect(Tok::LParen)?;
        p.expect(Tok::RParen)?;
        p.expect_kw(Kw::On)?;
        // EACH is optional here, and also a valid function name.
        let each = p.peek() == Tok::Kw(Kw::Each) && p.nth(1) != Tok::LParen;
        if each {
            p.bump();
        }
        (var, true, each)
    } else {
        let var = variable(p)?;
        p.expect(Tok::RParen)?;
        p.expect_seq(expected::ON_EACH)?;
        (var, false, true)
    };
    let (function, _) = symbolic_name(p)?;
    let paren = p.offset();
    p.expect(Tok::LParen)?;
    variable(p)?;
    p.expect(Tok::RParen)?;
    if relationship && !each && function.eq_ignore_ascii_case("EACH") {
        p.semantic_error(paren, "Missing function name for the LOOKUP INDEX");
    }
    Ok((
        SchemaTarget {
            var,
            relationship,
            labels: Vec::new(),
        },
        vec![function],
    ))
}

/// After CREATE [OR REPLACE]: `CONSTRAINT [name] [IF NOT EXISTS] FOR|ON target REQUIRE|ASSERT
/// ... [OPTIONS]`.
pub fn create_constraint(p: &mut Parser<'_>, or_replace: bool) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Constraint)?;
        let name = opt_name(p, &[Kw::For, Kw::On])?;
        let if_not_exists = if_not_exists(p)?;
        let on = if p.at_kw(Kw::On) {
            Some(p.offset())
        } else {
            None
        };
        if on.is_none() {
            p.expect_kw(Kw::For)?;
        } else {
            p.bump();
        }
        let target_at = p.offset();
        let target = target(p)?;
        let (kind, properties) = constraint_type(p, on, target_at, target.relationship)?;
        let options = opt_options(p)?;
        if or_replace {
            let entity = if target.relationship {
                "relationship "
            } else {
                "node "
            };
            let what = match &kind {
                ConstraintKind::Unique if !target.relationship => "uniqueness".to_string(),
                ConstraintKind::Unique => format!("{entity}uniqueness"),
                ConstraintKind::Key => format!("{entity}key"),
                ConstraintKind::NotNull => format!("{entity}property existence"),
                ConstraintKind::Type(_) => format!("{entity}property type"),
            };
            p.semantic_error(
                p.statement_start(),
                format!(
                    "Failed to create {what} constraint: `OR REPLACE` cannot be used together \
                     with this command."
                ),
            );
        }
        Ok(Statement::Schema(Box::new(
            SchemaCommand::CreateConstraint(CreateConstraint {
                or_replace,
                name,
                if_not_exists,
                target,
                properties,
                kind,
                options,
            }),
        )))
    })
}

fn constraint_type(
    p: &mut Parser<'_>,
    on: Option<usize>,
    target_at: usize,
    relationship: bool,
) -> PResult<(ConstraintKind, Vec<String>)> {
    let keyword_at = p.offset();
    let assert = p.peek() == Tok::Kw(Kw::Assert);
    if assert && p.nth(1) == Tok::Kw(Kw::Exists) {
        p.bump();
        p.bump();
        let (props, second) = property_list(p)?;
        if let Some(at) = second {
            p.semantic_error(
                at,
                "Constraint type 'EXISTS' does not allow multiple properties",
            );
        }
        if on.is_none() {
            p.semantic_error(
                keyword_at,
                "Invalid constraint syntax, FOR should not be used in combination with ASSERT \
                 EXISTS. Replace ASSERT EXISTS with REQUIRE ... IS NOT NULL.",
            );
        } else if let Some(on) = on {
            p.semantic_error(
                on,
                "Invalid constraint syntax, ON and ASSERT EXISTS should not be used. Replace ON \
                 with FOR and ASSERT EXISTS with REQUIRE ... IS NOT NULL.",
            );
        }
        return Ok((ConstraintKind::NotNull, props));
    }
    if !assert && !p.at_kw(Kw::Require) {
        p.record(Item::kw(Kw::Assert));
        return p.fail();
    }
    p.bump();
    let (props, second) = property_list(p)?;
    let mixed = |p: &mut Parser<'_>| match (on, assert) {
        (Some(on), false) => p.semantic_error(
            on,
            "Invalid constraint syntax, ON should not be used in combination with REQUIRE. \
             Replace ON with FOR.",
        ),
        (None, true) => p.semantic_error(
            keyword_at,
            "Invalid constraint syntax, FOR should not be used in combination with ASSERT. \
             Replace ASSERT with REQUIRE.",
        ),
        (Some(on), true) => p.semantic_error(
            on,
            "Invalid constraint syntax, ON and ASSERT should not be used. Replace ON with FOR \
             and ASSERT with REQUIRE.",
        ),
        (None, false) => {}
    };
    let multiple = |p: &mut Parser<'_>, what: &str| {
        if let Some(at) = second {
            p.semantic_error(
                at,
                format!("Constraint type '{what}' does not allow multiple properties"),
            );
        }
    };
    if p.eat(Tok::ColonColon) {
        let ty = cypher_type(p)?;
        multiple(p, "IS TYPED");
        mixed(p);
        return Ok((ConstraintKind::Type(ty), props));
    }
    p.expect_kw(Kw::Is)?;
    if p.eat_kw(Kw::Typed) || p.eat(Tok::ColonColon) {
        let ty = cypher_type(p)?;
        multiple(p, "IS TYPED");
        mixed(p);
        return Ok((ConstraintKind::Type(ty), props));
    }
    if p.eat_kw(Kw::Not) {
        p.expect_kw(Kw::Null)?;
        multiple(p, "IS NOT NULL");
        mixed(p);
        return Ok((ConstraintKind::NotNull, props));
    }
    let entity = match p.peek() {
        Tok::Kw(Kw::Node) => Some(false),
        Tok::Kw(Kw::Relationship | Kw::Rel) => Some(true),
        _ => None,
    };
    if entity.is_some() {
        p.bump();
    }
    let unique = if p.eat_kw(Kw::Unique) {
        true
    } else if p.eat_kw(Kw::Key) {
        false
    } else {
        return p.fail();
    };
    let what = |rel: bool| match (rel, unique) {
        (false, true) => "NODE UNIQUE",
        (true, true) => "RELATIONSHIP UNIQUE",
        (false, false) => "NODE KEY",
        (true, false) => "RELATIONSHIP KEY",
    };
    match entity {
        Some(true) if !relationship => p.semantic_error(
            target_at,
            format!("'{}' does not allow node patterns", what(true)),
        ),
        Some(false) if relationship => p.semantic_error(
            target_at,
            format!("'{}' does not allow relationship patterns", what(false)),
        ),
        _ => {}
    }
    mixed(p);
    Ok((
        if unique {
            ConstraintKind::Unique
        } else {
            ConstraintKind::Key
        },
        props,
    ))
}

/// `DROP CONSTRAINT name [IF EXISTS]` (the old `ON ... ASSERT ...` forms are refused).
pub fn drop_constraint(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        let start = p.statement_start();
        p.expect_kw(Kw::Constraint)?;
        if p.peek() == Tok::Kw(Kw::On) && p.nth(1) == Tok::LParen {
            p.bump();
            let target = target(p)?;
            p.expect_kw(Kw::Assert)?;
            let kind;
            if p.eat_kw(Kw::Exists) {
                let (_, second) = property_list(p)?;
                if let Some(at) = second {
                    p.semantic_error(
                        at,
                        "Constraint type 'EXISTS' does not allow multiple properties",
                    );
                }
                kind = if target.relationship {
                    "Relationship property existence"
                } else {
                    "Node property existence"
                };
            } else {
                property_list(p)?;
                p.expect_kw(Kw::Is)?;
                if p.eat_kw(Kw::Unique) {
                    kind = "Uniqueness";
                } else if p.eat_kw(Kw::Node) {
                    p.expect_kw(Kw::Key)?;
                    kind = "Node key";
                } else {
                    p.expect_kw(Kw::Not)?;
                    p.expect_kw(Kw::Null)?;
                    kind = "";
                }
            }
            let message = if kind.is_empty() || (target.relationship && !kind.contains("existence"))
            {
                "Unsupported drop constraint command: Please delete the constraint by name \
                 instead"
                    .to_string()
            } else {
                format!(
                    "{kind} constraints cannot be dropped by schema, please drop by name instead: \
                     DROP CONSTRAINT constraint_name. The constraint name can be found using SHOW \
                     CONSTRAINTS."
                )
            };
            p.semantic_error(start, message);
            return Ok(Statement::Schema(Box::new(SchemaCommand::DropConstraint {
                name: None,
                if_exists: false,
            })));
        }
        let name = if p.peek() == Tok::Dollar {
            StringOrParam::Param(parameter(p)?)
        } else {
            p.record(Item::rule(Rule::Parameter));
            StringOrParam::Literal(symbolic_name(p)?.0)
        };
        let if_exists = if_exists(p)?;
        Ok(Statement::Schema(Box::new(SchemaCommand::DropConstraint {
            name: Some(name),
            if_exists,
        })))
    })
}

/// `DROP INDEX name [IF EXISTS]` (the old `ON :Label(prop)` form is refused).
pub fn drop_index(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Index)?;
        if p.peek() == Tok::Kw(Kw::On) && p.nth(1) == Tok::Colon {
            let on = p.offset();
            p.bump();
            p.bump();
            symbolic_name(p)?;
            p.expect(Tok::LParen)?;
            symbolic_name(p)?;
            while p.eat(Tok::Comma) {
                symbolic_name(p)?;
            }
            p.expect(Tok::RParen)?;
            p.semantic_error(
                on,
                "Indexes cannot be dropped by schema, please drop by name instead: DROP INDEX \
                 index_name. The index name can be found using SHOW INDEXES.",
            );
            return Ok(Statement::Schema(Box::new(SchemaCommand::DropIndex {
                name: None,
                if_exists: false,
            })));
        }
        let name = if p.peek() == Tok::Dollar {
            StringOrParam::Param(parameter(p)?)
        } else {
            p.record(Item::rule(Rule::Parameter));
            StringOrParam::Literal(symbolic_name(p)?.0)
        };
        let if_exists = if_exists(p)?;
        Ok(Statement::Schema(Box::new(SchemaCommand::DropIndex {
            name: Some(name),
            if_exists,
        })))
    })
}
