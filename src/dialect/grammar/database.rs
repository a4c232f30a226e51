//! Database commands: CREATE [OR REPLACE] [COMPOSITE] DATABASE, ALTER DATABASE,
//! DROP [COMPOSITE] DATABASE, START / STOP DATABASE, with their TOPOLOGY, DEFAULT
//! LANGUAGE, OPTIONS and WAIT clauses and Neo4j's parse-time checks on them.
//!
//! It owns these commands' grammar. It must not judge names or counts beyond what Neo4j
//! refuses when it parses (name rules and topology limits belong to the cluster).

use super::expected::{self, Item};
use super::expr::expression;
use super::names::{alias_name_or_param, int_or_param, map_or_param, symbolic_name};
use super::parser::{Frame, PResult, Parser};
use crate::dialect::ast::*;
use crate::dialect::lexer::{Kw, Tok};

/// The display of a name in Neo4j's messages: the joined name, or `$param`.
pub fn display(name: &NameOrParam) -> String {
    match name {
        NameOrParam::Name(n) => n.joined(),
        NameOrParam::Param(p) => format!("${}", p.name),
    }
}

/// How many components Neo4j counts in a dotted name: adjacent unquoted parts merge into
/// one (`a.b.c` is one name), a quoted part stands alone (`` `a`.b `` is two).
pub fn components(p: &Parser<'_>, start: usize, parts: usize) -> usize {
    // Name tokens sit at start, start+2, ... (dots between them).
    let quoted: Vec<bool> = (0..parts)
        .map(|i| p.token_at(start + 2 * i).kind == Tok::Escaped)
        .collect();
    1 + quoted.windows(2).filter(|w| w[0] || w[1]).count()
}

/// The name as Neo4j prints it in component errors: quoted parts in backticks.
pub fn written(p: &Parser<'_>, start: usize, parts: usize) -> String {
    (0..parts)
        .map(|i| {
            let t = p.token_at(start + 2 * i);
            let text = super::names::name_text(p, t);
            if t.kind == Tok::Escaped {
                format!("`{}`", text.replace('`', "``"))
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A database or alias name or parameter, with Neo4j's component check: at most `max`
/// components (1 for CREATE DATABASE, 2 elsewhere).
pub fn checked_name(p: &mut Parser<'_>, max: usize) -> PResult<NameOrParam> {
    let start = p.pos();
    let name = alias_name_or_param(p)?;
    if let NameOrParam::Name(n) = &name
        && n.parts.len() > 1
        && components(p, start, n.parts.len()) > max
    {
        let text = written(p, start, n.parts.len());
        let message = if max == 1 {
            format!(
                "Invalid input `{text}` for database name. Expected name to contain at most one \
                 component."
            )
        } else {
            format!(
                "Invalid input `{text}` for name. Expected name to contain at most two components \
                 separated by `.`."
            )
        };
        p.semantic_error(n.offset, message);
    }
    Ok(name)
}

/// `[IF NOT EXISTS]`.
pub fn if_not_exists(p: &mut Parser<'_>) -> PResult<bool> {
    p.eat_seq(expected::IF_NOT_EXISTS)
}

/// `[IF EXISTS]`.
pub fn if_exists(p: &mut Parser<'_>) -> PResult<bool> {
    p.eat_seq(expected::IF_EXISTS)
}

/// Neo4j refuses `OR REPLACE` together with `IF NOT EXISTS`; `what` is e.g.
/// `database`, `user`. Reported at the start of the statement.
pub fn check_or_replace(
    p: &mut Parser<'_>,
    or_replace: bool,
    if_not_exists: bool,
    what: &str,
    name: &NameOrParam,
) {
    if or_replace && if_not_exists {
        p.semantic_error(
            p.statement_start(),
            format!(
                "Failed to create the specified {what} '{}': cannot have both `OR REPLACE` and \
                 `IF NOT EXISTS`.",
                display(name)
            ),
        );
    }
}

/// `DEFAULT LANGUAGE CYPHER n` (the DEFAULT is current).
pub fn default_language(p: &mut Parser<'_>) -> PResult<CypherVersion> {
    p.expect_seq(expected::DEFAULT_LANGUAGE_CYPHER)?;
    let t = p.expect(Tok::Int)?;
    Ok(match p.text(t) {
        "5" => CypherVersion::Cypher5,
        "25" => CypherVersion::Cypher25,
        other => {
            p.semantic_error(
                t.start as usize,
                format!("Invalid Cypher version '{other}'. Valid Cypher versions are: 5, 25"),
            );
            CypherVersion::Cypher5
        }
    })
}

/// `[DEFAULT LANGUAGE CYPHER n]`.
pub fn opt_default_language(p: &mut Parser<'_>) -> PResult<Option<CypherVersion>> {
    if p.peek() == Tok::Kw(Kw::Default) {
        return default_language(p).map(Some);
    }
    p.record(expected::DEFAULT_LANGUAGE_CYPHER);
    Ok(None)
}

/// `[DEFAULT LANGUAGE CYPHER n]` of CREATE [COMPOSITE] DATABASE; Cypher 25 also allows
/// `SET` before it.
fn opt_set_default_language(p: &mut Parser<'_>) -> PResult<Option<CypherVersion>> {
    if p.cypher25 {
        if p.peek() == Tok::Kw(Kw::Set) && p.nth(1) == Tok::Kw(Kw::Default) {
            p.bump();
            return default_language(p).map(Some);
        }
        p.record(Item::kw(Kw::Set));
    }
    opt_default_language(p)
}

/// Cypher 25's `[[SET] GRAPH SHARD { [[SET] TOPOLOGY ..] }] [SET] PROPERTY SHARD[S]
/// { COUNT n [[SET] TOPOLOGY n REPLICA[S]] }` (the current token is SET, GRAPH or
/// PROPERTY).
fn create_shards(p: &mut Parser<'_>, command: &str) -> PResult<Shards> {
    p.eat_kw(Kw::Set);
    let mut graph = None;
    if p.eat_kw(Kw::Graph) {
        p.expect_kw(Kw::Shard)?;
        p.expect(Tok::LCurly)?;
        if p.peek() == Tok::Kw(Kw::Set) || p.peek() == Tok::Kw(Kw::Topology) {
            p.eat_kw(Kw::Set);
            p.expect_kw(Kw::Topology)?;
            graph = Some(topology(p, command)?);
        } else {
            p.record(Item::kw(Kw::Topology));
        }
        p.expect(Tok::RCurly)?;
        // Neo4j does not list the optional SET here.
        if p.peek() == Tok::Kw(Kw::Set) {
            p.bump();
        }
    }
    p.expect_kw(Kw::Property)?;
    if !(p.eat_kw(Kw::Shard) || p.eat_kw(Kw::Shards)) {
        return p.fail();
    }
    p.expect(Tok::LCurly)?;
    p.expect_kw(Kw::Count)?;
    let t = p.expect(Tok::Int)?;
    let property_count = super::names::unsigned_value(p, t);
    let mut property_replicas = None;
    if p.peek() == Tok::Kw(Kw::Set) || p.peek() == Tok::Kw(Kw::Topology) {
        p.eat_kw(Kw::Set);
        p.expect_kw(Kw::Topology)?;
        property_replicas = Some(replicas(p)?);
    } else {
        p.record(Item::kw(Kw::Topology));
    }
    p.expect(Tok::RCurly)?;
    Ok(Shards {
        graph,
        property_count,
        property_replicas,
    })
}

/// `n REPLICA[S]` after TOPOLOGY of a property shard.
fn replicas(p: &mut Parser<'_>) -> PResult<IntOrParam> {
    let n = int_or_param(p)?;
    if !(p.eat_kw(Kw::Replica) || p.eat_kw(Kw::Replicas)) {
        return p.fail();
    }
    Ok(n)
}

/// `[OPTIONS map|$param]`.
pub fn opt_options(p: &mut Parser<'_>) -> PResult<Option<MapOrParam>> {
    if p.eat_kw(Kw::Options) {
        return map_or_param(p).map(Some);
    }
    Ok(None)
}

/// `[WAIT [n [SEC|SECOND|SECONDS]] | NOWAIT]`; absent means NOWAIT.
pub fn wait_clause(p: &mut Parser<'_>) -> PResult<Wait> {
    if p.eat_kw(Kw::Nowait) {
        return Ok(Wait::NoWait);
    }
    if !p.eat_kw(Kw::Wait) {
        return Ok(Wait::NoWait);
    }
    if p.peek() != Tok::Int {
        p.record(Item::tok(Tok::Int));
        return Ok(Wait::Wait(DEFAULT_WAIT_SECONDS));
    }
    let t = p.bump();
    let n = super::names::unsigned_value(p, t);
    let _ = p.eat_kw(Kw::Sec) || p.eat_kw(Kw::Second) || p.eat_kw(Kw::Seconds);
    Ok(Wait::Wait(u64::try_from(n).unwrap_or(0)))
}

/// `(n PRIMAR{Y|IES} | n SECONDAR{Y|IES})+` after TOPOLOGY; `command` names the
/// statement in messages.
pub fn topology(p: &mut Parser<'_>, command: &str) -> PResult<Topology> {
    let mut topo = Topology::default();
    loop {
        let at = p.offset();
        let started = !(topo.primaries.is_none() && topo.secondaries.is_none());
        if started && !matches!(p.peek(), Tok::Int | Tok::Dollar) {
            p.record(Item::tok(Tok::Int));
            p.record(Item::rule(expected::Rule::Parameter));
            if topo.primaries == Some(IntOrParam::Literal(0)) {
                let count = |c: &IntOrParam| match c {
                    IntOrParam::Literal(n) => n.to_string(),
                    IntOrParam::Param(p) => format!("${}", p.name),
                };
                let secondaries = match &topo.secondaries {
                    Some(s @ IntOrParam::Literal(1)) => format!(" {} SECONDARY", count(s)),
                    Some(s) => format!(" {} SECONDARIES", count(s)),
                    None => String::new(),
                };
                p.semantic_error(
                    p.statement_start(),
                    format!(
                        "Failed to {command} with `TOPOLOGY 0 PRIMARIES{secondaries}`, PRIMARY \
                         must be greater than 0."
                    ),
                );
            }
            return Ok(topo);
        }
        let count = int_or_param(p)?;
        if p.cypher25 && !started && command == "ALTER DATABASE" {
            // Cypher 25's `SET TOPOLOGY n REPLICA[S]` (of replica databases) is listed
            // as Neo4j lists it; not parsed yet.
            p.record(Item::kw(Kw::Replica));
            p.record(Item::kw(Kw::Replicas));
        }
        if p.eat_kw(Kw::Primary) || p.eat_kw(Kw::Primaries) {
            if topo.primaries.is_some() {
                p.semantic_error(at, "Duplicate PRIMARY clause");
            }
            topo.primaries.get_or_insert(count);
        } else if p.eat_kw(Kw::Secondary) || p.eat_kw(Kw::Secondaries) {
            if topo.secondaries.is_some() {
                p.semantic_error(at, "Duplicate SECONDARY clause");
            }
            topo.secondaries.get_or_insert(count);
        } else {
            return p.fail();
        }
    }
}

/// After CREATE [OR REPLACE]: `DATABASE name ...`.
pub fn create_database(p: &mut Parser<'_>, or_replace: bool) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Database)?;
        let name = checked_name(p, 1)?;
        let if_not = if_not_exists(p)?;
        check_or_replace(p, or_replace, if_not, "database", &name);
        let default_language = opt_set_default_language(p)?;
        let command = if or_replace {
            "CREATE OR REPLACE DATABASE"
        } else {
            "CREATE DATABASE"
        };
        let mut shards = None;
        let topology = if p.cypher25 {
            // Cypher 25: `[SET] TOPOLOGY ..` or the shards of a sharded database.
            let word = if p.peek() == Tok::Kw(Kw::Set) {
                p.nth(1)
            } else {
                p.peek()
            };
            match word {
                Tok::Kw(Kw::Topology) => {
                    p.eat_kw(Kw::Set);
                    p.bump();
                    Some(topology(p, command)?)
                }
                Tok::Kw(Kw::Graph | Kw::Property) => {
                    shards = Some(Box::new(create_shards(p, command)?));
                    None
                }
                _ => {
                    for k in [Kw::Topology, Kw::Set, Kw::Property] {
                        p.record(Item::kw(k));
                    }
                    p.record(expected::GRAPH_SHARD);
                    None
                }
            }
        } else if p.eat_kw(Kw::Topology) {
            Some(topology(p, command)?)
        } else {
            None
        };
        let options = opt_options(p)?;
        let wait = wait_clause(p)?;
        Ok(Statement::CreateDatabase(CreateDatabase {
            name,
            or_replace,
            if_not_exists: if_not,
            default_language,
            topology,
            shards,
            options: options.map(Box::new),
            wait,
        }))
    })
}

/// After CREATE [OR REPLACE]: `COMPOSITE DATABASE name ...`.
pub fn create_composite(p: &mut Parser<'_>, or_replace: bool) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Composite)?;
        p.expect_kw(Kw::Database)?;
        let name = alias_name_or_param(p)?;
        if let NameOrParam::Name(n) = &name
            && n.parts.len() > 1
        {
            p.semantic_error(
                n.offset,
                format!(
                    "Failed to create the specified composite database '{}': COMPOSITE DATABASE \
                     names cannot contain \".\". COMPOSITE DATABASE names using '.' must be \
                     quoted with backticks e.g. `composite.database`.",
                    n.joined()
                ),
            );
        }
        let if_not = if_not_exists(p)?;
        check_or_replace(p, or_replace, if_not, "composite database", &name);
        let default_language = opt_set_default_language(p)?;
        let options = opt_options(p)?;
        let wait = wait_clause(p)?;
        Ok(Statement::CreateCompositeDatabase(
            CreateCompositeDatabase {
                name,
                or_replace,
                if_not_exists: if_not,
                default_language,
                options,
                wait,
            },
        ))
    })
}

/// `ALTER DATABASE name [IF EXISTS] (SET ...)+ | (REMOVE OPTION key)+ [WAIT]`.
pub fn alter_database(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        p.expect_kw(Kw::Database)?;
        let name = checked_name(p, 2)?;
        let if_exists = if_exists(p)?;
        let mut alterations: Vec<DatabaseAlteration> = Vec::new();
        if p.peek() == Tok::Kw(Kw::Remove) {
            while p.peek() == Tok::Kw(Kw::Remove) {
                p.expect_seq(expected::REMOVE_OPTION)?;
                let at = p.offset();
                let (key, _) = symbolic_name(p)?;
                if alterations
                    .iter()
                    .any(|a| matches!(a, DatabaseAlteration::RemoveOption(k) if *k == key))
                {
                    p.semantic_error(at, format!("Duplicate 'REMOVE OPTION {key}' clause"));
                }
                alterations.push(DatabaseAlteration::RemoveOption(key));
            }
            p.record(expected::REMOVE_OPTION);
        } else {
            p.record(expected::REMOVE_OPTION);
            if !p.at_kw(Kw::Set) {
                return p.fail();
            }
            while p.eat_kw(Kw::Set) {
                let at = p.offset();
                let alteration = set_alteration(p)?;
                if let Some(message) = duplicate(&alterations, &alteration) {
                    p.semantic_error(at, message);
                }
                alterations.push(alteration);
            }
        }
        let wait = wait_clause(p)?;
        Ok(Statement::AlterDatabase(AlterDatabase {
            name,
            if_exists,
            alterations,
            wait,
        }))
    })
}

fn duplicate(done: &[DatabaseAlteration], new: &DatabaseAlteration) -> Option<String> {
    use DatabaseAlteration as A;
    done.iter().find_map(|d| match (d, new) {
        (A::SetOption(a, _), A::SetOption(b, _)) if a == b => {
            Some(format!("Duplicate 'SET OPTION {b}' clause"))
        }
        (A::Access(_), A::Access(_)) => Some("Duplicate ACCESS clause".to_string()),
        (A::Topology(_), A::Topology(_)) => Some("Duplicate TOPOLOGY clause".to_string()),
        _ => None,
    })
}

/// One alteration after SET.
fn set_alteration(p: &mut Parser<'_>) -> PResult<DatabaseAlteration> {
    match p.peek() {
        Tok::Kw(Kw::Access) => {
            p.expect_seq(expected::ACCESS_READ)?;
            if p.eat_kw(Kw::Only) {
                Ok(DatabaseAlteration::Access(Access::ReadOnly))
            } else {
                p.expect_kw(Kw::Write)?;
                Ok(DatabaseAlteration::Access(Access::ReadWrite))
            }
        }
        Tok::Kw(Kw::Topology) => {
            p.bump();
            topology(p, "ALTER DATABASE").map(DatabaseAlteration::Topology)
        }
        Tok::Kw(Kw::Option) => {
            p.bump();
            let (key, _) = symbolic_name(p)?;
            let value = expression(p)?;
            Ok(DatabaseAlteration::SetOption(key, value))
        }
        Tok::Kw(Kw::Default) => default_language(p).map(DatabaseAlteration::DefaultLanguage),
        // Cypher 25: `GRAPH SHARD { SET TOPOLOGY .. }`, `PROPERTY SHARD[S] { SET TOPOLOGY n
        // REPLICA[S] }`.
        Tok::Kw(Kw::Graph) if p.cypher25 => {
            p.bump();
            p.expect_kw(Kw::Shard)?;
            p.expect(Tok::LCurly)?;
            p.expect_kw(Kw::Set)?;
            p.expect_kw(Kw::Topology)?;
            let t = topology(p, "ALTER DATABASE")?;
            p.expect(Tok::RCurly)?;
            Ok(DatabaseAlteration::GraphShard(t))
        }
        Tok::Kw(Kw::Property) if p.cypher25 => {
            p.bump();
            if !(p.eat_kw(Kw::Shard) || p.eat_kw(Kw::Shards)) {
                return p.fail();
            }
            p.expect(Tok::LCurly)?;
            p.expect_kw(Kw::Set)?;
            p.expect_kw(Kw::Topology)?;
            let n = replicas(p)?;
            p.expect(Tok::RCurly)?;
            Ok(DatabaseAlteration::PropertyShards(n))
        }
        _ => {
            p.record(expected::ACCESS_READ);
            p.record(Item::kw(Kw::Topology));
            p.record(Item::kw(Kw::Option));
            p.record(expected::DEFAULT_LANGUAGE_CYPHER);
            if p.cypher25 {
                p.record(expected::GRAPH_SHARD);
                p.record(Item::kw(Kw::Property));
            }
            p.fail()
        }
    }
}

/// `DROP [COMPOSITE] DATABASE name [IF EXISTS] [RESTRICT | CASCADE ALIAS[ES]]
/// [DUMP|DESTROY DATA] [WAIT]`.
pub fn drop_database(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        let composite = p.eat_kw(Kw::Composite);
        p.expect_kw(Kw::Database)?;
        let name = checked_name(p, 2)?;
        let if_exists = if_exists(p)?;
        let cascade_aliases = if p.eat_kw(Kw::Cascade) {
            if !(p.eat_kw(Kw::Alias) || p.eat_kw(Kw::Aliases)) {
                return p.fail();
            }
            true
        } else {
            p.eat_kw(Kw::Restrict);
            false
        };
        let data = if p.eat_kw(Kw::Dump) {
            p.expect_kw(Kw::Data)?;
            DropData::Dump
        } else {
            if p.eat_kw(Kw::Destroy) {
                p.expect_kw(Kw::Data)?;
            }
            DropData::Destroy
        };
        let wait = wait_clause(p)?;
        Ok(Statement::DropDatabase(DropDatabase {
            name,
            composite,
            if_exists,
            cascade_aliases,
            data,
            wait,
        }))
    })
}

/// `START DATABASE name [WAIT]` / `STOP DATABASE name [WAIT]`.
pub fn start_stop(p: &mut Parser<'_>) -> PResult<Statement> {
    p.rule(Frame::Plain, |p| {
        let start = p.peek() == Tok::Kw(Kw::Start);
        p.expect_seq(if start {
            expected::START_DATABASE
        } else {
            expected::STOP_DATABASE
        })?;
        let name = checked_name(p, 2)?;
        let wait = wait_clause(p)?;
        let s = StartStopDatabase { name, wait };
        Ok(if start {
            Statement::StartDatabase(s)
        } else {
            Statement::StopDatabase(s)
        })
    })
}
