//! The rows of an opening-hours editor (`hours.rs`): a weekly period, a
//! holiday, an exception with its own periods. Each row's controls are
//! filled once and write into the form; "Remove" returns focus to the
//! section's "Add" button.

use leptos::prelude::*;

use super::fields::{checkbox, focus_soon, input};
use crate::i18n::catalog;
use crate::model::{ExceptionRow, HoursForm, HoursOwner, Keys, RoutingForm};

/// Ids and test ids of one editor's controls: the site's, or a team's.
#[derive(Debug, Clone, Copy)]
pub(super) struct Names {
    pub(super) owner: HoursOwner,
}

impl Names {
    pub(super) fn id(self, what: &str) -> String {
        match self.owner {
            HoursOwner::Site => format!("site-hours-{what}"),
            HoursOwner::Team(key) => format!("team-{key}-hours-{what}"),
        }
    }

    pub(super) fn test(self, what: &str) -> String {
        match self.owner {
            HoursOwner::Site => what.to_owned(),
            HoursOwner::Team(_) => format!("team-{what}"),
        }
    }
}

/// Runs `change` on the editor's schedule.
pub(super) fn edit(
    form: RwSignal<RoutingForm>,
    owner: HoursOwner,
    change: impl FnOnce(&mut HoursForm, &mut Keys),
) {
    form.update(|f| f.edit_hours(owner, change));
}

/// A "Remove" button for the row or period `key`, named `label`.
fn remove(
    form: RwSignal<RoutingForm>,
    names: Names,
    key: u64,
    label: &'static str,
    back: &'static str,
) -> impl IntoView {
    let click = move |_| {
        edit(form, names.owner, |h, _| h.remove(key));
        focus_soon(names.id(back));
    };
    view! {
        <button type="button" class="remove" aria-label=label on:click=click>
            {catalog().routing.remove}
        </button>
    }
}

#[component]
pub(super) fn Period(form: RwSignal<RoutingForm>, names: Names, key: u64) -> impl IntoView {
    let w = &catalog().routing;
    let owner = names.owner;
    let Some(row) = form.with_untracked(|f| {
        f.hours(owner)?
            .periods
            .iter()
            .find(|r| r.key == key)
            .cloned()
    }) else {
        return ().into_any();
    };
    let write = move |change: fn(&mut crate::model::PeriodRow, String)| {
        move |value: String| {
            edit(form, owner, |h, _| {
                if let Some(row) = h.periods.iter_mut().find(|r| r.key == key) {
                    change(row, value);
                }
            });
        }
    };
    let day = write(|r, v| r.weekday = v.parse().unwrap_or(r.weekday));
    let day_id = names.id(&format!("{key}-day"));
    view! {
        <li class="routing-row period" data-testid=names.test("period")>
            <label for=day_id.clone()>{w.weekday}</label>
            <select id=day_id data-testid=names.test("period-day") on:change=move |ev| day(event_target_value(&ev))>
                {w.weekdays.iter().zip(0_u8..).map(|(name, value)| view! {
                    <option value=value.to_string() prop:selected=value == row.weekday>{*name}</option>
                }).collect_view()}
            </select>
            {input(names.id(&format!("{key}-opens")), w.opens, "time", row.opens.clone(), &names.test("period-opens"), write(|r, v| r.opens = v))}
            {input(names.id(&format!("{key}-closes")), w.closes, "time", row.closes.clone(), &names.test("period-closes"), write(|r, v| r.closes = v))}
            {remove(form, names, key, w.remove_period, "period-add")}
        </li>
    }
    .into_any()
}

#[component]
pub(super) fn Holiday(form: RwSignal<RoutingForm>, names: Names, key: u64) -> impl IntoView {
    let w = &catalog().routing;
    let owner = names.owner;
    let Some(row) = form.with_untracked(|f| {
        f.hours(owner)?
            .holidays
            .iter()
            .find(|r| r.key == key)
            .cloned()
    }) else {
        return ().into_any();
    };
    let write = move |change: fn(&mut crate::model::HolidayRow, String)| {
        move |value: String| {
            edit(form, owner, |h, _| {
                if let Some(row) = h.holidays.iter_mut().find(|r| r.key == key) {
                    change(row, value);
                }
            });
        }
    };
    view! {
        <li class="routing-row holiday" data-testid=names.test("holiday")>
            {input(names.id(&format!("{key}-date")), w.date, "date", row.date.clone(), &names.test("holiday-date"), write(|r, v| r.date = v))}
            {input(names.id(&format!("{key}-name")), w.holiday_name, "text", row.name.clone(), &names.test("holiday-name"), write(|r, v| r.name = v))}
            {remove(form, names, key, w.remove_holiday, "holiday-add")}
        </li>
    }
    .into_any()
}

/// Changes the exception `key` of the editor's schedule.
fn edit_exception(
    form: RwSignal<RoutingForm>,
    owner: HoursOwner,
    key: u64,
    change: impl FnOnce(&mut ExceptionRow, &mut Keys),
) {
    edit(form, owner, |h, keys| {
        if let Some(row) = h.exceptions.iter_mut().find(|r| r.key == key) {
            change(row, keys);
        }
    });
}

#[component]
pub(super) fn Exception(form: RwSignal<RoutingForm>, names: Names, key: u64) -> impl IntoView {
    let w = &catalog().routing;
    let owner = names.owner;
    let Some(row) = form.with_untracked(|f| {
        f.hours(owner)?
            .exceptions
            .iter()
            .find(|r| r.key == key)
            .cloned()
    }) else {
        return ().into_any();
    };
    let current = move || {
        form.with(|f| {
            f.hours(owner)?
                .exceptions
                .iter()
                .find(|r| r.key == key)
                .cloned()
        })
    };
    let closed = Memo::new(move |_| current().is_none_or(|r| r.closed));
    let spans = Memo::new(move |_| {
        current()
            .map(|r| r.spans.iter().map(|s| s.key).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let add_span = move |_| {
        edit(form, owner, |h, keys| h.add_exception_span(key, keys));
        if let Some(span) = spans.get_untracked().last() {
            focus_soon(names.id(&format!("{span}-opens")));
        }
    };
    view! {
        <li class="routing-row exception" data-testid=names.test("exception")>
            {input(names.id(&format!("{key}-date")), w.date, "date", row.date.clone(), &names.test("exception-date"), move |v| {
                edit_exception(form, owner, key, |r, _| r.date = v);
            })}
            {checkbox(names.id(&format!("{key}-closed")), w.closed_all_day, row.closed, &names.test("exception-closed"), move |on| {
                edit_exception(form, owner, key, |r, _| r.closed = on);
            })}
            <Show when=move || !closed.get()>
                <ul class="routing-rows">
                    <For each=move || spans.get() key=|k| *k let:span>
                        <ExceptionSpan form names exception=key span/>
                    </For>
                </ul>
            </Show>
            <button type="button" id=names.id(&format!("{key}-add-span")) on:click=add_span>{w.add_period}</button>
            {remove(form, names, key, w.remove_exception, "exception-add")}
        </li>
    }
    .into_any()
}

#[component]
fn ExceptionSpan(
    form: RwSignal<RoutingForm>,
    names: Names,
    exception: u64,
    span: u64,
) -> impl IntoView {
    let w = &catalog().routing;
    let owner = names.owner;
    let found = form.with_untracked(|f| {
        let row = f
            .hours(owner)?
            .exceptions
            .iter()
            .find(|r| r.key == exception)?;
        row.spans.iter().find(|s| s.key == span).cloned()
    });
    let Some(row) = found else {
        return ().into_any();
    };
    let write = move |change: fn(&mut crate::model::SpanRow, String)| {
        move |value: String| {
            edit_exception(form, owner, exception, |r, _| {
                if let Some(s) = r.spans.iter_mut().find(|s| s.key == span) {
                    change(s, value);
                }
            });
        }
    };
    view! {
        <li class="routing-row span">
            {input(names.id(&format!("{span}-opens")), w.opens, "time", row.opens.clone(), &names.test("exception-opens"), write(|s, v| s.opens = v))}
            {input(names.id(&format!("{span}-closes")), w.closes, "time", row.closes.clone(), &names.test("exception-closes"), write(|s, v| s.closes = v))}
            {remove(form, names, span, w.remove_period, "exception-add")}
        </li>
    }
    .into_any()
}
