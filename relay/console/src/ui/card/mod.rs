//! The customer card: beside the open conversation (a collapsible panel,
//! below the thread on narrow screens) or on its own for a contact found by
//! search. The parts are one file each: identities and attributes, an
//! admin's export and erasure, merge proposals, past conversations, the
//! timeline.

mod conversations;
mod identity;
mod privacy;
mod proposals;
mod timeline;

use leptos::prelude::*;

use self::conversations::PastConversations;
use self::identity::Attributes;
pub(crate) use self::identity::IdentityList;
use self::privacy::Privacy;
use self::proposals::Proposals;
use self::timeline::Timeline;
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};
use crate::model::Fetch;

/// The card beside the open conversation; the agent can fold it away.
#[component]
pub(crate) fn CustomerPanel() -> impl IntoView {
    let t = catalog();
    view! {
        <aside class="customer" aria-label=t.customer>
            <details open>
                <summary>{t.customer}</summary>
                <CardBody/>
            </details>
        </aside>
    }
}

/// A contact's card shown in place of a conversation.
#[component]
pub(crate) fn ContactCard() -> impl IntoView {
    let ctl = ctl();
    let t = catalog();
    view! {
        <section class="customer standalone" aria-label=t.customer>
            <button type="button" class="back contact-back" on:click=move |_| ctl.get().close_contact()>
                {t.back}
            </button>
            <CardBody/>
        </section>
    }
}

#[component]
fn CardBody() -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let contact =
        Memo::new(move |_| model.with(|m| m.card.card.as_ref().map(|c| c.contact.clone())));
    let fetch = Memo::new(move |_| model.with(|m| m.card.fetch));
    let status = move || {
        let shown = contact.with(Option::is_some);
        match fetch.get() {
            Fetch::Pending if !shown => Some(
                view! {
                    <p class="note" role="status">{t.loading_customer}</p>
                }
                .into_any(),
            ),
            Fetch::Failed(code) => {
                let reason = t.record_error(code);
                Some(
                    view! {
                        <p class="note error" role="alert">
                            <span>{fill(t.card_failed, &[("reason", reason)])}</span>
                            " "
                            <button type="button" on:click=move |_| ctl.get().retry_card()>
                                {t.try_again}
                            </button>
                        </p>
                    }
                    .into_any(),
                )
            }
            _ => None,
        }
    };
    // The privacy part sits outside the card's own parts: its note outlives
    // a card cleared by an erasure.
    view! {
        <div class="customer-body">
            {status}
            {move || {
                contact.get().map(|c| {
                    let name = c.name.unwrap_or_else(|| t.anonymous_visitor.to_owned());
                    view! { <h2 class="customer-name">{name}</h2> }
                })
            }}
            <Privacy/>
            {move || {
                contact.get().map(|c| {
                    view! {
                        <section class="customer-part" aria-label=t.identities>
                            <h3>{t.identities}</h3>
                            <IdentityList identities=c.identities/>
                        </section>
                        <Attributes attributes=c.attributes/>
                        <Proposals/>
                        <PastConversations/>
                        <Timeline/>
                    }
                })
            }}
        </div>
    }
}
