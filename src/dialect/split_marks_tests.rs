//! The splitter's byte scan against the lexer: from every start offset of many inputs, the
//! marks (`;`, braces, comments, unclosed strings, names and comments, other tokens) and
//! the end of each token it reports must be the ones the lexer's tokens give, up to the
//! first unclosed one (where every caller stops). The reference below is the splitter's
//! former reading of the input through `Lexer::with_trivia`.

use super::{Mark, Tokens};
use crate::dialect::lexer::{Lexer, Tok};
use proptest::prelude::*;

/// The marks from `from` by the lexer, with the end of each token, up to the first
/// unclosed one.
fn by_lexer(input: &str, from: usize) -> Vec<(Mark, usize)> {
    let mut out = Vec::new();
    let mut base = from;
    let mut lexer = Lexer::with_trivia(&input[base..]);
    loop {
        let t = lexer.next_token();
        let start = base + t.start as usize;
        let end = base + t.end as usize;
        let text = &input[start..end];
        let mark = match t.kind {
            Tok::Eof => return out,
            Tok::Comment => Mark::Comment,
            Tok::Semicolon => Mark::Semicolon(start),
            Tok::LCurly => Mark::Open,
            Tok::RCurly => Mark::Close,
            Tok::Error if matches!(text, "'" | "\"" | "`") => Mark::Unclosed(start),
            Tok::Divide if input[end..].starts_with('*') => Mark::Unclosed(start),
            Tok::Error if text == "\\" => {
                let skip = input[end..].chars().next().map_or(0, char::len_utf8);
                base = end + skip;
                lexer = Lexer::with_trivia(&input[base..]);
                out.push((Mark::Other(start), base));
                continue;
            }
            _ => Mark::Other(start),
        };
        let unclosed = matches!(mark, Mark::Unclosed(_));
        out.push((mark, end));
        if unclosed {
            return out;
        }
    }
}

/// The same by the splitter's scan. A token of the lexer that is not a mark may come out
/// as several `Other`s (one per character): only the first of a run is compared, with
/// the run's end.
fn by_scan(input: &str, from: usize) -> Vec<(Mark, usize)> {
    let mut out = Vec::new();
    let mut tokens = Tokens::from(input, from);
    while let Some(mark) = tokens.next() {
        let unclosed = matches!(mark, Mark::Unclosed(_));
        out.push((mark, tokens.end));
        if unclosed {
            break;
        }
    }
    out
}

/// `by_lexer`'s and `by_scan`'s marks with runs of `Other` joined: a run of adjacent
/// plain tokens (no white space between) is one entry.
fn joined(marks: Vec<(Mark, usize)>, input: &str) -> Vec<(Mark, usize)> {
    let mut out: Vec<(Mark, usize)> = Vec::new();
    for (mark, end) in marks {
        if let (Mark::Other(at), Some((Mark::Other(_), last_end))) = (&mark, out.last_mut())
            && *at == *last_end
            && !input[..*at].ends_with('\\')
            && !input[*at..].starts_with(['\\', '\'', '"', '`', '/'])
        {
            *last_end = end;
            continue;
        }
        out.push((mark, end));
    }
    out
}

/// `marks` without the `Other`s, which [`Tokens::marks_from`] may pass over.
fn without_others(marks: Vec<(Mark, usize)>) -> Vec<(Mark, usize)> {
    marks
        .into_iter()
        .filter(|(m, _)| !matches!(m, Mark::Other(_)))
        .collect()
}

fn agree(input: &str) {
    for from in (0..=input.len()).filter(|&i| input.is_char_boundary(i)) {
        let lexer = by_lexer(input, from);
        assert_eq!(
            joined(by_scan(input, from), input),
            joined(by_lexer(input, from), input),
            "{input:?} from {from}"
        );
        let mut tokens = Tokens::marks_from(input, from);
        let mut marks = Vec::new();
        while let Some(mark) = tokens.next() {
            let unclosed = matches!(mark, Mark::Unclosed(_));
            marks.push((mark, tokens.end));
            if unclosed {
                break;
            }
        }
        assert_eq!(
            without_others(marks),
            without_others(lexer),
            "{input:?} from {from}, marks only"
        );
    }
}

#[test]
fn the_scan_finds_the_lexers_marks_in_the_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/parse");
    for name in ["seeds-accept.txt", "grammar-reject.txt", "cypher.txt"] {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap_or_default();
        // Every start offset of a whole file is quadratic: its lines instead.
        for line in text.lines() {
            agree(line);
        }
    }
}

#[test]
fn the_scan_finds_the_lexers_marks_in_tricky_inputs() {
    for input in [
        "a\\;b; 'x\\'y;' \"q\\\"\" `a``b;` /* c; */ d // e;\nf",
        "******/*x*/;1.5e3/*",
        "\u{1c}{ }\u{a0}é—x\\é;",
        "'unclosed; `also /* too",
        "1//x\n2/ *3",
        "\\",
        "'\\",
    ] {
        agree(input);
    }
}

proptest! {
    #[test]
    fn the_scan_finds_the_lexers_marks(input in "[ a1_;{}'\"`/*\\\\\n\t\u{1c}.eé—\u{a0}+x]{0,24}") {
        agree(&input);
    }
}
