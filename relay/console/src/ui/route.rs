//! A conversation's routing in words, for the list and the open
//! conversation: what it asked for (language, topic, team), and either
//! why it waits where it does in the queue ("Priority: identified
//! customer · Waiting since …") or, once an agent has it, how far routing
//! widened to find them. Language names come from the browser.

use shared::ConversationStatus;

use super::language::language_name;
use super::when::short_date_time;
use crate::i18n::catalog;
use crate::model::RouteView;

/// The two lines: what it asked for, and why it is where it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RouteLines {
    pub(crate) facts: Option<String>,
    pub(crate) why: Option<String>,
}

pub(crate) fn route_lines(view: &RouteView, status: ConversationStatus) -> RouteLines {
    let t = catalog();
    let facts = Some(t.route_facts(view, &language_name)).filter(|f| !f.is_empty());
    let why = match status {
        ConversationStatus::Waiting => {
            Some(t.queue_line(&view.why, &short_date_time(view.since_ms)))
        }
        ConversationStatus::Assigned => t.widened(view, &language_name),
        ConversationStatus::Closed => None,
    };
    RouteLines { facts, why }
}
