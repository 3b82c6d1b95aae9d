//! The panel header: the title, one status line (the agent who is helping,
//! the place in the queue while waiting, or, for a message left through
//! the offline form, that it arrived) and the close button, whose
//! accessible name is "Close chat".

use leptos::prelude::*;
use shared::{ConversationStatus, ConversationSummary};

use crate::i18n::{fill, Catalog};
use crate::state::{Actions, ChatState, Strings};

/// The status line for the open conversation, if there is one to show.
pub(crate) fn status_line(
    strings: &Catalog,
    open: Option<&ConversationSummary>,
    position: Option<u32>,
) -> Option<String> {
    let open = open?;
    match open.status {
        ConversationStatus::Assigned => {
            let name = open.agent_name.as_deref().unwrap_or(strings.agent);
            Some(fill(strings.agent_here, name))
        }
        // No live queue: the place in line would mean nothing.
        ConversationStatus::Waiting if open.route.offline => {
            Some(strings.offline_status.to_owned())
        }
        ConversationStatus::Waiting => Some(match position {
            Some(n) => fill(strings.queue_position, n),
            None => strings.waiting.to_owned(),
        }),
        ConversationStatus::Closed => None,
    }
}

#[allow(unreachable_pub, reason = "#[component] emits a `pub` props struct")]
#[component]
pub(crate) fn Header() -> impl IntoView {
    let Strings(strings) = expect_context::<Strings>();
    let state = expect_context::<ChatState>();
    let actions = expect_context::<Actions>();
    let status = move || {
        let position = state.queue_position.get();
        state
            .transcript
            .with(|t| status_line(strings, t.open(), position))
            .unwrap_or_default()
    };
    view! {
        <header class="sb-header">
            <div class="sb-heading">
                <h1 class="sb-title">{strings.title}</h1>
                <p class="sb-status">{status}</p>
            </div>
            <button
                type="button"
                class="sb-close"
                aria-label=strings.close
                title=strings.close
                on:click=move |_| actions.close()
            >
                <span aria-hidden="true">"×"</span>
            </button>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::catalog;

    fn summary(status: ConversationStatus, agent_name: Option<&str>) -> ConversationSummary {
        ConversationSummary {
            id: "c1".into(),
            site: "demo".into(),
            visitor: "v1".into(),
            status,
            agent: None,
            agent_name: agent_name.map(Into::into),
            last_seq: 0,
            created_at_ms: 0,
            case_code: None,
            route: Default::default(),
            csat: None,
        }
    }

    #[test]
    fn header_says_who_helps_or_where_in_line() {
        let en = catalog("en");
        let assigned = summary(ConversationStatus::Assigned, Some("Dana"));
        assert_eq!(
            status_line(en, Some(&assigned), None).as_deref(),
            Some("Dana is here to help")
        );
        let waiting = summary(ConversationStatus::Waiting, None);
        assert_eq!(
            status_line(en, Some(&waiting), Some(2)).as_deref(),
            Some("You are number 2 in line")
        );
        assert_eq!(
            status_line(en, Some(&waiting), None).as_deref(),
            Some("Waiting for an agent…")
        );
        assert_eq!(status_line(en, None, Some(2)), None);
        let mut left = waiting;
        left.route.offline = true;
        assert_eq!(
            status_line(en, Some(&left), Some(2)).as_deref(),
            Some("Message received—we'll answer soon")
        );
    }
}
