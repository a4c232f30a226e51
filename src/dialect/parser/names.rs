//! Names and the small "literal or parameter" forms: database, alias, user and role names
//! (dotted, backtick-quoted, or `$param`), server strings, topology counts, OPTIONS maps
//! and procedure names.
//!
//! It owns how Neo4j spells a name. It must not know which statement uses it.

use super::expr;
use super::token::{
    Class, PResult, expect, fail, name_part, offset, opt_sym, parameter, string_literal,
    unsigned_integer, ws,
};
use crate::dialect::ast::{IntOrParam, MapOrParam, NameOrParam, StringOrParam, SymbolicName};

/// A possibly dotted symbolic name: `foo`, `` `foo-1` ``, `garden.flowers`.
pub fn symbolic_name(input: &str, class: Class) -> PResult<'_, SymbolicName> {
    let i = ws(input);
    let at = offset(i);
    let (mut rest, first) = name_part(i, class)?;
    let mut parts = vec![first];
    loop {
        let (after_dot, dot) = opt_sym(rest, ".")?;
        if !dot {
            break;
        }
        let (r, part) = name_part(after_dot, Class::Identifier)?;
        parts.push(part);
        rest = r;
    }
    Ok((rest, SymbolicName { parts, offset: at }))
}

/// A symbolic name or a `$param`.
pub fn name_or_param(input: &str, class: Class) -> PResult<'_, NameOrParam> {
    let i = ws(input);
    if i.starts_with('$') {
        let (rest, p) = parameter(i)?;
        return Ok((rest, NameOrParam::Param(p)));
    }
    expect(i, super::token::Expected::Class(Class::Parameter));
    let (rest, n) = symbolic_name(i, class)?;
    if class == Class::DatabaseName && n.parts.len() > 2 {
        let quoted: Vec<String> = n.parts.iter().map(|p| format!("`{p}`")).collect();
        return super::token::semantic(
            i,
            format!(
                "Invalid input `{}` for name. Expected name to contain at most two components separated by `.`.",
                quoted.join(".")
            ),
        );
    }
    Ok((rest, NameOrParam::Name(n)))
}

/// A comma-separated list of names or parameters.
pub fn name_list(input: &str, class: Class) -> PResult<'_, Vec<NameOrParam>> {
    let (mut rest, first) = name_or_param(input, class)?;
    let mut out = vec![first];
    loop {
        let (after, comma) = opt_sym(rest, ",")?;
        if !comma {
            return Ok((rest, out));
        }
        let (r, n) = name_or_param(after, class)?;
        out.push(n);
        rest = r;
    }
}

/// A string literal or a `$param` (server names and ids, URLs, passwords). `class` says
/// what the string stands for, for messages and completion.
pub fn string_or_param(input: &str, class: Class) -> PResult<'_, StringOrParam> {
    let i = ws(input);
    if i.starts_with('$') {
        let (rest, p) = parameter(i)?;
        return Ok((rest, StringOrParam::Param(p)));
    }
    if i.starts_with(['\'', '"']) {
        let (rest, s) = string_literal(i)?;
        return Ok((rest, StringOrParam::Literal(s)));
    }
    expect(i, super::token::Expected::Class(class));
    expect(i, super::token::Expected::Class(Class::Parameter));
    fail(i)
}

/// An unsigned integer literal or a `$param` (topology counts).
pub fn int_or_param(input: &str) -> PResult<'_, IntOrParam> {
    let i = ws(input);
    if i.starts_with('$') {
        let (rest, p) = parameter(i)?;
        return Ok((rest, IntOrParam::Param(p)));
    }
    expect(i, super::token::Expected::Class(Class::Parameter));
    let (rest, n) = unsigned_integer(i)?;
    Ok((rest, IntOrParam::Literal(n)))
}

/// A map literal or a `$param` (OPTIONS, PROPERTIES, DRIVER).
pub fn map_or_param(input: &str) -> PResult<'_, MapOrParam> {
    let i = ws(input);
    if i.starts_with('$') {
        let (rest, p) = parameter(i)?;
        return Ok((rest, MapOrParam::Param(p)));
    }
    expect(i, super::token::Expected::Class(Class::Parameter));
    let (rest, entries) = expr::map_literal(i, 0)?;
    Ok((rest, MapOrParam::Literal(entries)))
}

/// A dotted procedure name as written, and its offset.
pub fn procedure_name(input: &str) -> PResult<'_, (String, usize)> {
    let i = ws(input);
    let at = offset(i);
    let (mut rest, first) = name_part(i, Class::ProcedureName)?;
    let mut name = first;
    loop {
        let (after_dot, dot) = opt_sym(rest, ".")?;
        if !dot {
            break;
        }
        let (r, part) = name_part(after_dot, Class::ProcedureName)?;
        name.push('.');
        name.push_str(&part);
        rest = r;
    }
    Ok((rest, (name, at)))
}
