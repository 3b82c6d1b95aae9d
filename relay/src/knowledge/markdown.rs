//! Article bodies: Markdown in, the safe subset of blocks out.
//!
//! Parsed once by the relay, so no client ever parses Markdown or trusts
//! HTML. Kept: paragraphs, headings, lists, strong, emphasis, code, http(s)
//! and mailto links, http(s) images, line breaks. Everything else keeps
//! only its text: block quotes, tables (a row per paragraph, cells joined
//! by " | "), footnotes, task lists, links and images with any other
//! scheme. Raw HTML, block or inline, is shown as literal text, never
//! dropped: nothing an author wrote vanishes, and the preview shows it is
//! not markup. Lists deeper than [`MAX_LIST_DEPTH`] and spans deeper than
//! [`MAX_SPAN_DEPTH`] are flattened, so the tree (and every recursive
//! walk of it, here or in a client) stays shallow whatever the input.

mod build;
mod html;

use pulldown_cmark::{Options, Parser};
use shared::knowledge::{Block, Inline};

pub(crate) use html::escape as escape_html;
pub use html::to_html;

/// Lists nested deeper than this put their items, as paragraphs, into the
/// deepest kept item.
pub const MAX_LIST_DEPTH: usize = 8;
/// Strong, emphasis and links nested deeper than this keep only their text.
pub const MAX_SPAN_DEPTH: usize = 8;

const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];
/// Schemes of images, and of links that leave the site (a new tab).
const WEB_SCHEMES: &[&str] = &["http", "https"];

/// The blocks an article body shows: the safe subset, everything else
/// dropped or kept as text.
pub fn parse(markdown: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut builder = build::Builder::default();
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

/// The words of the blocks, for the search index and snippets: one line
/// per paragraph, heading, list item paragraph or code line.
pub fn plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    blocks_text(blocks, &mut out);
    out.truncate(out.trim_end().len());
    out
}

/// `url` as it may be written into an attribute, if its scheme is one of
/// `schemes`. ASCII control characters (tabs and newlines too), which
/// browsers skip even inside a scheme (`java\tscript:`), are removed and
/// the ends trimmed before the scheme is compared, ignoring case; inner
/// spaces become `%20`. Relative and protocol-relative URLs have no scheme
/// and are refused.
fn safe_url(url: &str, schemes: &[&str]) -> Option<String> {
    let cleaned: String = url.chars().filter(|c| !c.is_ascii_control()).collect();
    let cleaned = cleaned.trim().replace(' ', "%20");
    let (scheme, _) = cleaned.split_once(':')?;
    schemes
        .iter()
        .any(|allowed| scheme.eq_ignore_ascii_case(allowed))
        .then_some(cleaned)
}

fn blocks_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph { inlines } | Block::Heading { inlines, .. } => {
                inlines_text(inlines, out);
                out.push('\n');
            }
            Block::List { items, .. } => items.iter().for_each(|item| blocks_text(item, out)),
            Block::Code { text } => {
                out.push_str(text);
                out.push('\n');
            }
        }
    }
}

fn inlines_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { inlines }
            | Inline::Emphasis { inlines }
            | Inline::Link { inlines, .. } => {
                inlines_text(inlines, out);
            }
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::LineBreak => out.push('\n'),
        }
    }
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;

#[cfg(test)]
mod safety_tests;
