//! An article body as readers will see it: the relay's block tree (its
//! safe subset of Markdown) rendered as Leptos elements, one element per
//! block or inline. Nothing here sets HTML: text stays text, and a link or
//! image whose address is not http(s) (or mailto, for links) is shown as
//! its words only, whatever the relay sent.

use leptos::prelude::*;
use shared::knowledge::{Block, Inline};

/// Whether `url` uses one of `schemes` (`"https:"`, ...), case-insensitively.
fn has_scheme(url: &str, schemes: &[&str]) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    schemes.iter().any(|s| url.starts_with(s))
}

/// The blocks of a body.
pub(crate) fn blocks_view(blocks: Vec<Block>) -> AnyView {
    blocks.into_iter().map(block_view).collect_view().into_any()
}

fn block_view(block: Block) -> AnyView {
    match block {
        Block::Paragraph { inlines } => view! { <p>{inlines_view(inlines)}</p> }.into_any(),
        // The preview sits under the panel's own headings.
        Block::Heading { level, inlines } => match level {
            0 | 1 => view! { <h3>{inlines_view(inlines)}</h3> }.into_any(),
            2 => view! { <h4>{inlines_view(inlines)}</h4> }.into_any(),
            3 => view! { <h5>{inlines_view(inlines)}</h5> }.into_any(),
            _ => view! { <h6>{inlines_view(inlines)}</h6> }.into_any(),
        },
        Block::List { ordered, items } => {
            let items = items
                .into_iter()
                .map(|item| view! { <li>{blocks_view(item)}</li> })
                .collect_view();
            if ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
        Block::Code { text } => view! { <pre><code>{text}</code></pre> }.into_any(),
    }
}

fn inlines_view(inlines: Vec<Inline>) -> AnyView {
    inlines
        .into_iter()
        .map(inline_view)
        .collect_view()
        .into_any()
}

fn inline_view(inline: Inline) -> AnyView {
    match inline {
        Inline::Text { text } => text.into_any(),
        Inline::Strong { inlines } => view! { <strong>{inlines_view(inlines)}</strong> }.into_any(),
        Inline::Emphasis { inlines } => view! { <em>{inlines_view(inlines)}</em> }.into_any(),
        Inline::Code { text } => view! { <code>{text}</code> }.into_any(),
        Inline::Link { href, inlines } => {
            if has_scheme(&href, &["http:", "https:", "mailto:"]) {
                view! {
                    <a href=href rel="noopener noreferrer nofollow" target="_blank">
                        {inlines_view(inlines)}
                    </a>
                }
                .into_any()
            } else {
                inlines_view(inlines)
            }
        }
        Inline::Image { src, alt } => {
            if has_scheme(&src, &["http:", "https:"]) {
                view! { <img src=src alt=alt loading="lazy"/> }.into_any()
            } else {
                alt.into_any()
            }
        }
        Inline::LineBreak => view! { <br/> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::has_scheme;

    #[test]
    fn only_web_and_mail_addresses_become_links() {
        assert!(has_scheme("https://example.com", &["http:", "https:"]));
        assert!(has_scheme(" HTTP://x", &["http:"]));
        assert!(!has_scheme(
            "javascript:alert(1)",
            &["http:", "https:", "mailto:"]
        ));
        assert!(!has_scheme("data:text/html,x", &["http:", "https:"]));
    }
}
