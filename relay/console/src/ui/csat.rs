//! A satisfaction rating where the console shows one: on the open
//! conversation, in the customer's past conversations and on the
//! timeline. Stars for the eye, "Rated 4 of 5" for screen readers, and
//! the customer's comment quoted.

use leptos::prelude::*;
use shared::csat::Csat;

use crate::i18n::catalog;
use crate::model::csat::rating_view;

/// One rating (nothing when `csat` is `None`).
#[component]
pub(crate) fn Rating(csat: Option<Csat>) -> impl IntoView {
    let t = catalog();
    csat.map(|csat| {
        let view = rating_view(t, &csat);
        view! {
            <p class="csat" data-testid="csat" data-rating=csat.rating.to_string()>
                <span class="csat-label">{t.csat_label}": "</span>
                <span class="stars" role="img" aria-label=view.said.clone()>{view.stars}</span>
                {view.comment.map(|c| view! { " " <q class="csat-comment">{c}</q> })}
            </p>
        }
    })
}
