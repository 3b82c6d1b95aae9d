//! Who the customer is: each identity with its kind and a verified mark
//! (a glyph for the eye, words for screen readers), and the attributes the
//! site or integrations recorded.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shared::contacts::{Identity, IdentityKind};

use crate::i18n::catalog;

/// The words for an identity's kind.
pub(crate) fn kind_label(kind: IdentityKind) -> &'static str {
    let t = catalog();
    match kind {
        IdentityKind::Visitor => t.kind_visitor,
        IdentityKind::Email => t.kind_email,
        IdentityKind::Phone => t.kind_phone,
        IdentityKind::External => t.kind_external,
        IdentityKind::Social => t.kind_social,
    }
}

/// "Email ada@example.com", as one line of text.
pub(crate) fn identity_text(identity: &Identity) -> String {
    format!("{} {}", kind_label(identity.kind), identity.value)
}

/// The ✓ of a verified identity, or the word "unverified".
#[component]
pub(crate) fn VerifiedMark(verified: bool) -> impl IntoView {
    let t = catalog();
    if verified {
        view! {
            <span class="mark verified">
                <span aria-hidden="true">"✓"</span>
                <span class="visually-hidden">{t.verified}</span>
            </span>
        }
        .into_any()
    } else {
        view! { <span class="mark unverified">{t.unverified}</span> }.into_any()
    }
}

/// A list of identities.
#[component]
pub(crate) fn IdentityList(identities: Vec<Identity>) -> impl IntoView {
    view! {
        <ul class="identities">
            {identities
                .into_iter()
                .map(|identity| {
                    view! {
                        <li data-verified=identity.verified.to_string()>
                            <span class="kind">{kind_label(identity.kind)}</span>
                            <span class="value">{identity.value}</span>
                            <VerifiedMark verified=identity.verified/>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The contact's attributes as a key/value list; nothing when there are none.
#[component]
pub(crate) fn Attributes(attributes: BTreeMap<String, String>) -> impl IntoView {
    let t = catalog();
    (!attributes.is_empty()).then(|| {
        view! {
            <section class="customer-part" aria-label=t.attributes>
                <h3>{t.attributes}</h3>
                <dl class="attributes">
                    {attributes
                        .into_iter()
                        .map(|(key, value)| view! { <dt>{key}</dt><dd>{value}</dd> })
                        .collect_view()}
                </dl>
            </section>
        }
    })
}
