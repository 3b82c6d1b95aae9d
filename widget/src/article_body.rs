//! An article's body as Leptos elements, built only from the relay's safe
//! tree of blocks and inlines: every text is a text node, never markup;
//! headings start at `h2` (see `self_service::heading_level`); links open
//! in a new tab without opener or referrer; images load lazily. A link or
//! an image whose address is not one the relay allows is shown as its text.
//!
//! Elements are made by tag name (`html::custom`), so the whole recursive
//! tree has four view types (element, link, image, text), not one per tag:
//! each type costs code in the wasm every visitor downloads.

use leptos::html::custom;
use leptos::prelude::*;
use shared::knowledge::{Block, Inline};

use crate::self_service::{heading_level, image_allowed, link_allowed};

/// The body's blocks, in order. Read from the article where it is kept
/// (only the texts are copied).
pub(crate) fn blocks(blocks: &[Block]) -> Vec<AnyView> {
    blocks.iter().map(block).collect()
}

/// An element with only children; `tag` is always one of ours.
fn element(tag: &'static str, children: Vec<AnyView>) -> AnyView {
    custom(tag).child(children).into_any()
}

fn block(block: &Block) -> AnyView {
    match block {
        Block::Paragraph { inlines: i } => element("p", inlines(i)),
        Block::Heading { level, inlines: i } => {
            let tag = match heading_level(*level) {
                2 => "h2",
                3 => "h3",
                _ => "h4",
            };
            element(tag, inlines(i))
        }
        Block::List { ordered, items } => {
            let items = items
                .iter()
                .map(|item| element("li", blocks(item)))
                .collect();
            element(if *ordered { "ol" } else { "ul" }, items)
        }
        Block::Code { text } => {
            element("pre", vec![element("code", vec![text.clone().into_any()])])
        }
    }
}

fn inlines(inlines: &[Inline]) -> Vec<AnyView> {
    inlines.iter().map(inline).collect()
}

fn inline(inline: &Inline) -> AnyView {
    match inline {
        Inline::Text { text } => text.clone().into_any(),
        Inline::Strong { inlines: i } => element("strong", inlines(i)),
        Inline::Emphasis { inlines: i } => element("em", inlines(i)),
        Inline::Code { text } => element("code", vec![text.clone().into_any()]),
        Inline::Link { href, inlines: i } if link_allowed(href) => custom("a")
            .attr("href", href.clone())
            .attr("target", "_blank")
            .attr("rel", "noopener noreferrer")
            .child(inlines(i))
            .into_any(),
        Inline::Link { inlines: i, .. } => element("span", inlines(i)),
        Inline::Image { src, alt } if image_allowed(src) => custom("img")
            .attr("src", src.clone())
            .attr("alt", alt.clone())
            .attr("loading", "lazy")
            .into_any(),
        Inline::Image { alt, .. } => alt.clone().into_any(),
        Inline::LineBreak => element("br", Vec::new()),
    }
}
