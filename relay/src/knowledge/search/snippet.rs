//! The passage of a hit's text shown under its title, with the matched
//! words marked. tantivy's `SnippetGenerator::create` only knows a query's
//! exact terms (fuzzy and prefix matches would go unmarked), so the terms
//! to mark are found here with the query's own rule ([`Plan::term_score`])
//! and handed to the generator.

use std::collections::BTreeMap;

use shared::knowledge::Span;
use tantivy::schema::Field;
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::tokenizer::TextAnalyzer;

use super::analysis::{terms, Family};
use super::query::Plan;

/// The passage's length. tantivy counts bytes: about 160 Latin characters,
/// fewer in other scripts.
const SNIPPET_BYTES: usize = 200;
/// The opening shown when the text itself does not match.
const OPENING_CHARS: usize = 160;
const ELLIPSIS: &str = "…";

/// The snippet of `text` (of an article of `family`, indexed in `field`).
pub(super) fn snippet(
    plan: &Plan,
    family: Family,
    mut analyzer: TextAnalyzer,
    field: Field,
    text: &str,
) -> Vec<Span> {
    let mut marked = BTreeMap::new();
    for term in terms(&mut analyzer, text) {
        if marked.contains_key(&term) {
            continue;
        }
        if let Some(score) = plan.term_score(family, &term) {
            marked.insert(term, score);
        }
    }
    if marked.is_empty() {
        return opening(text);
    }
    let generator = SnippetGenerator::new(marked, analyzer, field, SNIPPET_BYTES);
    let snippet = generator.snippet(text);
    if snippet.highlighted().is_empty() {
        return opening(text);
    }
    spans(&snippet, text.len())
}

/// The fragment as runs, marked where the generator highlighted, with an
/// ellipsis where the text goes on.
fn spans(snippet: &Snippet, text_len: usize) -> Vec<Span> {
    let fragment = snippet.fragment();
    let range = snippet.fragment_range();
    let mut out = Vec::new();
    let mut at = 0;
    for hit in tantivy::snippet::collapse_overlapped_ranges(snippet.highlighted()) {
        push(&mut out, &fragment[at..hit.start], false);
        push(&mut out, &fragment[hit.start..hit.end], true);
        at = hit.end;
    }
    push(&mut out, &fragment[at..], false);
    if range.start > 0 {
        out.insert(0, plain(ELLIPSIS));
    }
    if range.end < text_len {
        out.push(plain(ELLIPSIS));
    }
    out
}

fn push(out: &mut Vec<Span>, text: &str, hit: bool) {
    if !text.is_empty() {
        out.push(Span {
            text: text.to_owned(),
            hit,
        });
    }
}

fn plain(text: &str) -> Span {
    Span {
        text: text.to_owned(),
        hit: false,
    }
}

/// The first [`OPENING_CHARS`] characters of `text`, cut at a space when
/// there is one, unmarked.
fn opening(text: &str) -> Vec<Span> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    let Some((cut, _)) = text.char_indices().nth(OPENING_CHARS) else {
        return vec![plain(text)];
    };
    let head = &text[..cut];
    let head = head
        .rfind(char::is_whitespace)
        .filter(|at| *at > cut / 2)
        .map_or(head, |at| &head[..at]);
    vec![plain(head.trim_end()), plain(ELLIPSIS)]
}

#[cfg(test)]
mod tests {
    use super::opening;

    #[test]
    fn the_opening_is_cut_at_a_space() {
        let text = "word ".repeat(100);
        let spans = opening(&text);
        assert_eq!(spans.len(), 2);
        assert!(spans[0].text.chars().count() <= 160);
        assert!(spans[0].text.ends_with("word"));
        assert_eq!(spans[1].text, "…");
        assert!(spans.iter().all(|s| !s.hit));
        assert_eq!(opening("short text")[0].text, "short text");
        assert!(opening("  ").is_empty());
    }
}
