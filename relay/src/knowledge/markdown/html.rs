//! The help center's HTML for the safe blocks: every text and attribute
//! escaped, every URL checked again.

use shared::knowledge::{Block, Inline};

use super::{safe_url, LINK_SCHEMES, WEB_SCHEMES};

/// Blocks as HTML, every text and attribute escaped. Hrefs and srcs are
/// checked again (blocks may come from elsewhere than [`parse`](super::parse)); external
/// links open in a new tab without an opener or referrer. No `dir`: the
/// page sets it.
pub fn to_html(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        block_html(block, &mut out);
    }
    out
}

fn block_html(block: &Block, out: &mut String) {
    match block {
        Block::Paragraph { inlines } => wrap(out, "p", |out| inlines_html(inlines, out)),
        Block::Heading { level, inlines } => {
            let tag = ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from((*level).clamp(1, 6) - 1)];
            wrap(out, tag, |out| inlines_html(inlines, out));
        }
        Block::List { ordered, items } => wrap(out, if *ordered { "ol" } else { "ul" }, |out| {
            for item in items {
                wrap(out, "li", |out| match item.as_slice() {
                    [Block::Paragraph { inlines }] => inlines_html(inlines, out),
                    blocks => blocks.iter().for_each(|block| block_html(block, out)),
                });
            }
        }),
        Block::Code { text } => wrap(out, "pre", |out| wrap(out, "code", |out| escape(text, out))),
    }
}

fn inlines_html(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => escape(text, out),
            Inline::Strong { inlines } => wrap(out, "strong", |out| inlines_html(inlines, out)),
            Inline::Emphasis { inlines } => wrap(out, "em", |out| inlines_html(inlines, out)),
            Inline::Code { text } => wrap(out, "code", |out| escape(text, out)),
            Inline::Link { href, inlines } => match safe_url(href, LINK_SCHEMES) {
                Some(href) => {
                    out.push_str("<a href=\"");
                    escape(&href, out);
                    out.push('"');
                    if safe_url(&href, WEB_SCHEMES).is_some() {
                        out.push_str(" rel=\"noopener noreferrer nofollow\" target=\"_blank\"");
                    }
                    out.push('>');
                    inlines_html(inlines, out);
                    out.push_str("</a>");
                }
                None => inlines_html(inlines, out),
            },
            Inline::Image { src, alt } => match safe_url(src, WEB_SCHEMES) {
                Some(src) => {
                    out.push_str("<img src=\"");
                    escape(&src, out);
                    out.push_str("\" alt=\"");
                    escape(alt, out);
                    out.push_str("\" loading=\"lazy\">");
                }
                None => escape(alt, out),
            },
            Inline::LineBreak => out.push_str("<br>"),
        }
    }
}

fn wrap(out: &mut String, tag: &str, inner: impl FnOnce(&mut String)) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    inner(out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// `text` safe both between tags and inside a quoted attribute.
/// Appends `text` with every character HTML gives meaning to escaped
/// (safe in text and in quoted attributes); the help center uses it too.
pub(crate) fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
