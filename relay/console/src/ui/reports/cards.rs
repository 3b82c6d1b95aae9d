//! The overview cards: each figure of the period, the previous period's,
//! and the change said in words with an arrow (the colour only repeats
//! it). Per-channel volume and the CSAT distribution are cards too.

use leptos::prelude::*;
use shared::reports::{Figure, Report};

use crate::i18n::{catalog, fill};
use crate::model::reports::figures::{count, maybe_duration, maybe_score, Change};

/// How a card's value reads.
#[derive(Clone, Copy)]
enum Reads {
    Count,
    Duration,
    Score,
}

fn reads(kind: Reads, value: Option<f64>) -> String {
    let w = &catalog().reports;
    match kind {
        Reads::Count => count(value),
        Reads::Duration => maybe_duration(value, w),
        Reads::Score => maybe_score(value, w),
    }
}

#[component]
pub(super) fn OverviewCards(
    /// The report whose overview is shown.
    report: Report,
) -> impl IntoView {
    let t = catalog();
    let w = &t.reports;
    let o = &report.overview;
    let cards = [
        (
            "conversations",
            w.conversations,
            Reads::Count,
            o.conversations,
        ),
        (
            "first-response-p50",
            w.first_response_p50,
            Reads::Duration,
            o.first_response_p50_ms,
        ),
        (
            "first-response-p90",
            w.first_response_p90,
            Reads::Duration,
            o.first_response_p90_ms,
        ),
        (
            "resolution-p50",
            w.resolution_p50,
            Reads::Duration,
            o.resolution_p50_ms,
        ),
        (
            "resolution-p90",
            w.resolution_p90,
            Reads::Duration,
            o.resolution_p90_ms,
        ),
        ("csat", w.csat_score, Reads::Score, o.csat_score),
        ("deflections", w.deflections, Reads::Count, o.deflections),
    ];
    let ratings = fill(w.csat_count, &[("n", &count(o.csat_count.value))]);
    let volume = o.volume.clone();
    view! {
        <ul class="report-cards" aria-label=w.overview>
            {cards.into_iter().map(|(id, title, kind, figure)| {
                let extra = (id == "csat").then(|| ratings.clone());
                view! { <Card id title kind figure extra/> }
            }).collect_view()}
            <li class="report-card volume" data-testid="card-volume">
                <h3>{w.volume_by_channel}</h3>
                <dl>
                    {volume.into_iter().map(|c| {
                        let change = Change::of(&c.figure);
                        view! {
                            <div>
                                <dt>{t.channel(c.channel)}</dt>
                                <dd>
                                    {count(c.figure.value)}
                                    " "
                                    <span class=format!("change {}", change.class())>
                                        <span aria-hidden="true">{change.arrow()}</span>
                                        " "
                                        {change.signed(w)}
                                    </span>
                                </dd>
                            </div>
                        }
                    }).collect_view()}
                </dl>
            </li>
        </ul>
    }
}

#[component]
fn Card(
    /// For tests: `card-<id>`.
    id: &'static str,
    title: &'static str,
    kind: Reads,
    figure: Figure,
    /// A line under the value (the number of ratings).
    extra: Option<String>,
) -> impl IntoView {
    let w = &catalog().reports;
    let change = Change::of(&figure);
    let previous = fill(
        w.previous_value,
        &[("value", &reads(kind, figure.previous))],
    );
    view! {
        <li class="report-card" data-testid=format!("card-{id}")>
            <h3>{title}</h3>
            <p class="value" data-testid="value">{reads(kind, figure.value)}</p>
            {extra.map(|e| view! { <p class="extra">{e}</p> })}
            <p class=format!("change {}", change.class())>
                <span aria-hidden="true">{change.arrow()}</span>
                " "
                {change.words(w)}
            </p>
            <p class="previous">{previous}</p>
        </li>
    }
}
