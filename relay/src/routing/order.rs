//! The queue's routing order in one place, so the planner and the
//! positions visitors are shown can never disagree about who is next.

use std::cmp::Reverse;

use shared::ConversationId;

use super::Waiting;

/// The live queue in routing order: offline ones left out; returned first,
/// then priority (`Route::queue_rank`, higher first), then store order
/// (stable).
pub fn live_queue(waiting: &[Waiting]) -> Vec<&Waiting> {
    let mut queue: Vec<&Waiting> = waiting.iter().filter(|w| !w.route.offline).collect();
    // Stable: equal ranks keep the store's (arrival) order.
    queue.sort_by_key(|w| Reverse(w.route.queue_rank()));
    queue
}

/// 1-based position of `conversation` in `queue` (from [`live_queue`]),
/// if it is waiting there.
pub fn queue_position(queue: &[&Waiting], conversation: &ConversationId) -> Option<u32> {
    queue
        .iter()
        .position(|w| &w.id == conversation)
        .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
}
