//! Standalone procedure calls: `CALL proc.name(args) [YIELD ...] [RETURN ...]`.
//!
//! It owns the CALL grammar. It must not know which procedures exist or their
//! signatures (the cluster and the completer do).

use super::expr::comma_list;
use super::names::procedure_name;
use super::show::{opt_return, opt_yield};
use super::token::{PResult, opt_sym};
use crate::dialect::ast::{Call, Statement};

/// After `CALL`.
pub fn call(input: &str) -> PResult<'_, Statement> {
    let (rest, (procedure, offset)) = procedure_name(input)?;
    let (rest, open) = opt_sym(rest, "(")?;
    let (rest, args) = if open {
        let (r, args) = comma_list(rest, ")", 0)?;
        (r, Some(args))
    } else {
        (rest, None)
    };
    let (rest, yield_) = opt_yield(rest, false)?;
    let (rest, return_) = if yield_.is_some() {
        opt_return(rest)?
    } else {
        (rest, None)
    };
    Ok((
        rest,
        Statement::Call(Call {
            procedure,
            offset,
            args,
            yield_,
            return_,
        }),
    ))
}
