//! A message's text as the page shows it: text nodes, with only
//! `http:`/`https:`/`mailto:` links made clickable (see [`crate::linkify`]).
//! Nothing from a message is ever parsed as HTML.

use leptos::prelude::*;

use shared::links::{split_links as segments, Segment};

#[component]
pub(crate) fn MessageText(text: String) -> impl IntoView {
    segments(&text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(t) => t.to_owned().into_any(),
            Segment::Link(url) => view! {
                <a href=url.to_owned() rel="noopener noreferrer nofollow" target="_blank">
                    {url.to_owned()}
                </a>
            }
            .into_any(),
        })
        .collect_view()
}
