//! Open merge proposals on the card: the other contact (name and
//! identities) and the identity both share, with "Accept" and "Reject"
//! for admins (the relay refuses anyone else: a merge puts two people's
//! histories in one record). One decision at a time; the relay answers
//! with the survivor's card, which replaces this one.

use leptos::prelude::*;
use shared::card::ProposalView;
use shared::contacts::MergeDecision;

use super::identity::{identity_text, IdentityList};
use crate::context::{ctl, state, State};
use crate::i18n::{catalog, fill};

#[component]
pub(crate) fn Proposals() -> impl IntoView {
    let State(model) = state();
    let t = catalog();
    let proposals = Memo::new(move |_| {
        model.with(|m| {
            m.card
                .card
                .as_ref()
                .map(|c| c.proposals.clone())
                .unwrap_or_default()
        })
    });
    let failed = Memo::new(move |_| model.with(|m| m.card.merge_failed));
    move || {
        (!proposals.with(Vec::is_empty)).then(|| {
            view! {
                <section class="customer-part proposals" aria-labelledby="proposals-heading">
                    <h3 id="proposals-heading">{t.merge_proposals}</h3>
                    <ul>
                        <For
                            each=move || proposals.get()
                            key=|p| p.proposal.id.clone()
                            let:view
                        >
                            <Proposal view/>
                        </For>
                    </ul>
                    {move || {
                        failed.get().map(|code| {
                            view! {
                                <p class="note error" role="alert">
                                    {fill(t.merge_failed, &[("reason", t.error(code))])}
                                </p>
                            }
                        })
                    }}
                </section>
            }
        })
    }
}

#[component]
fn Proposal(view: ProposalView) -> impl IntoView {
    let State(model) = state();
    let ctl = ctl();
    let t = catalog();
    let id = view.proposal.id.clone();
    // One decision at a time: the answer may change every proposal.
    let busy = Memo::new(move |_| model.with(|m| m.card.deciding.is_some()));
    let name = view
        .other
        .name
        .clone()
        .unwrap_or_else(|| t.anonymous_visitor.to_owned());
    let matched = fill(
        t.matched_on,
        &[("identity", &identity_text(&view.proposal.matched))],
    );
    let decide = move |decision| {
        let id = id.clone();
        move |_| ctl.get().decide_merge(&id, decision)
    };
    let admin = Memo::new(move |_| model.with(crate::model::Model::is_admin));
    view! {
        <li class="proposal">
            <p class="other">{name.clone()}</p>
            <IdentityList identities=view.other.identities.clone()/>
            <p class="matched">{matched}</p>
            <Show when=move || admin.get()>
            <div class="decide">
                <button
                    type="button"
                    class="accept"
                    aria-label=fill(t.accept_merge, &[("name", &name)])
                    disabled=move || busy.get()
                    on:click=decide(MergeDecision::Accept)
                >
                    {t.accept}
                </button>
                <button
                    type="button"
                    class="reject"
                    aria-label=fill(t.reject_merge, &[("name", &name)])
                    disabled=move || busy.get()
                    on:click=decide(MergeDecision::Reject)
                >
                    {t.reject}
                </button>
            </div>
            </Show>
        </li>
    }
}
