//! Names and the small literal forms every part of the grammar uses: symbolic names
//! (any keyword is one, and so is a backtick-quoted name), variables, dotted database
//! names, `$parameters`, string and number literals, and the "literal or parameter"
//! forms of administration commands.
//!
//! It owns how Neo4j spells and unquotes them and the rule names its messages use for them
//! ("an identifier", "a variable name", "a database name", "a parameter", "a string").
//! It must not know which statement uses them.

use super::expected::{Hint, Item, Rule};
use super::parser::{Frame, PResult, Parser};
use crate::dialect::ast::expr::Variable;
use crate::dialect::ast::{
    IntOrParam, MapOrParam, NameOrParam, Param, Span, StringOrParam, SymbolicName,
};
use crate::dialect::lexer::{Kw, Tok, Token};

/// True when the current token can be a symbolic name: an identifier, a quoted name or
/// any keyword.
pub fn at_name(p: &Parser<'_>) -> bool {
    matches!(p.peek(), Tok::Ident | Tok::Kw(_) | Tok::Escaped)
}

/// The keywords that are names but not label names after `IS` (`IS NULL`, `IS NOT ...`,
/// `IS TYPED ...`, `IS NORMALIZED`, `IS NFC NORMALIZED`).
pub fn is_non_label_keyword(t: Tok) -> bool {
    matches!(
        t,
        Tok::Kw(
            Kw::Not
                | Kw::Null
                | Kw::Typed
                | Kw::Normalized
                | Kw::Nfc
                | Kw::Nfd
                | Kw::Nfkc
                | Kw::Nfkd
        )
    )
}

/// The name a name token stands for: its text, or a quoted name's text with backticks
/// removed and doubled backticks made single.
pub fn name_text(p: &Parser<'_>, t: Token) -> String {
    let text = p.text(t);
    if t.kind == Tok::Escaped {
        text[1..text.len() - 1].replace("``", "`")
    } else {
        text.to_string()
    }
}

/// Takes a name token, or records that a name was expected here (with `hint` for
/// completion) and fails. The caller's frame decides how the message names it.
fn name_token(p: &mut Parser<'_>, hint: Option<Hint>) -> PResult<Token> {
    if at_name(p) {
        return Ok(p.bump());
    }
    p.record(Item::tok(Tok::Ident));
    if let Some(h) = hint {
        p.record(Item::hint(h));
    }
    p.fail()
}

/// `symbolicNameString`: a name, reported as "an identifier".
pub fn symbolic_name(p: &mut Parser<'_>) -> PResult<(String, Span)> {
    symbolic_name_hinted(p, None)
}

/// A symbolic name whose kind completion should know (a procedure, a user, ...).
pub fn symbolic_name_hinted(p: &mut Parser<'_>, hint: Option<Hint>) -> PResult<(String, Span)> {
    p.rule(Frame::Named(Rule::Identifier), |p| {
        let t = name_token(p, hint)?;
        Ok((name_text(p, t), Span::new(t.start as usize, t.end as usize)))
    })
}

/// `variable`: a name, reported as "a variable name".
pub fn variable(p: &mut Parser<'_>) -> PResult<Variable> {
    p.rule(Frame::Named(Rule::Variable), |p| {
        // The name itself is an inner rule: a variable missing where one is required is
        // reported as "an identifier", one missing among alternatives as "a variable name".
        // Cypher 25 names the inner rule (`symbolicVariableNameString`) a variable too.
        let inner = if p.cypher25 {
            Rule::Variable
        } else {
            Rule::Identifier
        };
        let t = p.rule(Frame::Named(inner), |p| name_token(p, Some(Hint::Variable)))?;
        Ok(Variable {
            name: name_text(p, t),
            span: Span::new(t.start as usize, t.end as usize),
        })
    })
}

/// `$name` or `$0`, reported as "a parameter".
pub fn parameter(p: &mut Parser<'_>) -> PResult<Param> {
    p.rule(Frame::Named(Rule::Parameter), |p| {
        let offset = p.offset();
        if !p.at(Tok::Dollar) {
            p.record(Item::hint(Hint::Parameter));
            return p.fail();
        }
        p.bump();
        // The name after `$` is its own rule: a broken one lists what a name may be.
        let name = p.rule(Frame::Plain, |p| {
            if p.at(Tok::Int) {
                let t = p.bump();
                return Ok(p.text(t).to_string());
            }
            if !at_name(p) {
                p.record(Item::rule(Rule::Identifier));
                return p.fail();
            }
            symbolic_name(p).map(|(n, _)| n)
        })?;
        Ok(Param { name, offset })
    })
}

/// A string literal, reported as "a string": its value with escapes resolved.
pub fn string_literal(p: &mut Parser<'_>) -> PResult<(String, Span)> {
    p.rule(Frame::Named(Rule::String), |p| {
        let t = p.expect(Tok::Str)?;
        Ok((
            unescape(p.text(t)),
            Span::new(t.start as usize, t.end as usize),
        ))
    })
}

/// The value of a string literal token (quotes included): Neo4j's escapes `\\`, `\'`,
/// `\"`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` and `\UXXXXXXXX`; any other backslash
/// pair is kept as written.
pub fn unescape(token: &str) -> String {
    let body = &token[1..token.len().saturating_sub(1).max(1)];
    if !body.contains('\\') {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&(_, e)) = chars.peek() else {
            out.push('\\');
            break;
        };
        let simple = match e {
            '\\' => Some('\\'),
            '\'' => Some('\''),
            '"' => Some('"'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            chars.next();
            continue;
        }
        if e == 'u' || e == 'U' {
            let len = if e == 'u' { 4 } else { 8 };
            let hex = body.get(i + 2..i + 2 + len).unwrap_or("");
            if hex.len() == len
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
                && let Some(ch) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            {
                out.push(ch);
                chars.next();
                for _ in 0..len {
                    chars.next();
                }
                continue;
            }
        }
        out.push('\\');
    }
    out
}

/// `symbolicAliasName`: a possibly dotted name, reported as "a database name".
pub fn alias_name(p: &mut Parser<'_>) -> PResult<SymbolicName> {
    p.rule(Frame::Named(Rule::DatabaseName), |p| {
        let offset = p.offset();
        let mut parts = vec![name_part_hinted(p, Hint::Database)?];
        while p.eat(Tok::Dot) {
            parts.push(name_part_hinted(p, Hint::Database)?);
        }
        Ok(SymbolicName { parts, offset })
    })
}

fn name_part_hinted(p: &mut Parser<'_>, hint: Hint) -> PResult<String> {
    symbolic_name_hinted(p, Some(hint)).map(|(n, _)| n)
}

/// `symbolicAliasNameOrParameter`.
pub fn alias_name_or_param(p: &mut Parser<'_>) -> PResult<NameOrParam> {
    if p.peek() == Tok::Dollar {
        return parameter(p).map(NameOrParam::Param);
    }
    p.record(Item::rule(Rule::Parameter));
    if !at_name(p) {
        p.record(Item::rule(Rule::DatabaseName));
        p.record(Item::hint(Hint::Database));
        return p.fail();
    }
    alias_name(p).map(NameOrParam::Name)
}

/// `commandNameExpression`: a (single-part) name or a `$param` — user and role names.
pub fn command_name(p: &mut Parser<'_>, hint: Hint) -> PResult<NameOrParam> {
    if p.peek() == Tok::Dollar {
        return parameter(p).map(NameOrParam::Param);
    }
    p.record(Item::rule(Rule::Parameter));
    if !at_name(p) {
        p.record(Item::rule(Rule::Identifier));
        p.record(Item::hint(hint));
        return p.fail();
    }
    let offset = p.offset();
    let (name, _) = symbolic_name_hinted(p, Some(hint))?;
    Ok(NameOrParam::Name(SymbolicName {
        parts: vec![name],
        offset,
    }))
}

/// `name, name, ...` of command names.
pub fn command_names(p: &mut Parser<'_>, hint: Hint) -> PResult<Vec<NameOrParam>> {
    let mut out = vec![command_name(p, hint)?];
    while p.eat(Tok::Comma) {
        out.push(command_name(p, hint)?);
    }
    Ok(out)
}

/// `symbolicAliasNameList`.
pub fn alias_names(p: &mut Parser<'_>) -> PResult<Vec<NameOrParam>> {
    let mut out = vec![alias_name_or_param(p)?];
    while p.eat(Tok::Comma) {
        out.push(alias_name_or_param(p)?);
    }
    Ok(out)
}

/// `stringOrParameter`.
pub fn string_or_param(p: &mut Parser<'_>, hint: Option<Hint>) -> PResult<StringOrParam> {
    if p.peek() == Tok::Dollar {
        return parameter(p).map(StringOrParam::Param);
    }
    p.record(Item::rule(Rule::Parameter));
    if let Some(h) = hint {
        p.record(Item::hint(h));
    }
    if p.peek() != Tok::Str {
        p.record(Item::rule(Rule::String));
        return p.fail();
    }
    string_literal(p).map(|(s, _)| StringOrParam::Literal(s))
}

/// `uIntOrIntParameter`: an unsigned integer literal or a `$param`.
pub fn int_or_param(p: &mut Parser<'_>) -> PResult<IntOrParam> {
    if p.peek() == Tok::Dollar {
        return parameter(p).map(|param| IntOrParam::Param(Box::new(param)));
    }
    p.record(Item::rule(Rule::Parameter));
    let t = p.expect(Tok::Int)?;
    Ok(IntOrParam::Literal(unsigned_value(p, t)))
}

/// The value of an unsigned integer token, recording Neo4j's error for a malformed or
/// too large one (and giving 0 so that parsing goes on).
pub fn unsigned_value(p: &mut Parser<'_>, t: Token) -> i64 {
    match super::literals::integer(p.text(t), t.kind, false) {
        Ok(n) => n,
        Err(message) => {
            p.semantic_error(t.start as usize, message.to_string());
            0
        }
    }
}

/// `mapOrParameter`.
pub fn map_or_param(p: &mut Parser<'_>) -> PResult<MapOrParam> {
    if p.peek() == Tok::Dollar {
        return parameter(p).map(MapOrParam::Param);
    }
    p.record(Item::rule(Rule::Parameter));
    if !p.at(Tok::LCurly) {
        return p.fail();
    }
    super::map_literal(p).map(MapOrParam::Literal)
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn escapes() {
        assert_eq!(unescape(r#"'a\'b'"#), "a'b");
        assert_eq!(unescape(r#""x\u0041\n""#), "xA\n");
        assert_eq!(unescape(r"'\q'"), r"\q");
        assert_eq!(unescape(r"'\u12'"), r"\u12");
        assert_eq!(unescape(r"'\U0001F600'"), "😀");
        assert_eq!(unescape("''"), "");
    }
}
