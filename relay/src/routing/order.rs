//! The queue's routing order in one place, so the planner and the
//! positions visitors are shown can never disagree about who is next.

use std::cmp::Reverse;

use shared::ConversationId;

use super::Waiting;

/// The live queue in routing order: offline ones left out; returned first,
/// then priority (`Route::queue_rank`, higher first), then store order
/// (stable).
pub fn live_queue(waiting: &[Waiting]) -> Vec<&Waiting> {
    LiveOrder::new(waiting).into_vec()
}

/// [`live_queue`] one conversation at a time, for the planner, which
/// often stops long before the end: one pass notes each conversation's
/// rank (there are a handful), then each rank's conversations are picked
/// out in store order with `memchr`. A comparison sort of a long
/// queue cost a tenth of a plan, most of it on conversations never
/// reached.
#[derive(Debug)]
pub(super) struct LiveOrder<'a> {
    waiting: &'a [Waiting],
    /// Per conversation, a small number for its rank (or [`OFFLINE`]).
    tags: Vec<u8>,
    /// Tags, best rank first.
    order: Vec<u8>,
    /// Where the walk is: a place in `order`, then in `waiting`.
    rank: usize,
    at: usize,
}

const OFFLINE: u8 = u8::MAX;

impl<'a> LiveOrder<'a> {
    pub(super) fn new(waiting: &'a [Waiting]) -> Self {
        // (returned, priority): six at most, far below OFFLINE.
        let mut ranks = Vec::new();
        let tags = waiting
            .iter()
            .map(|w| {
                if w.route.offline {
                    return OFFLINE;
                }
                let rank = w.route.queue_rank();
                let tag = match ranks.iter().position(|r| *r == rank) {
                    Some(tag) => tag,
                    None => {
                        ranks.push(rank);
                        ranks.len() - 1
                    }
                };
                u8::try_from(tag).unwrap_or(OFFLINE - 1)
            })
            .collect();
        let mut order: Vec<u8> = (0..=u8::MAX).take(ranks.len()).collect();
        order.sort_unstable_by_key(|&tag| Reverse(ranks[usize::from(tag)]));
        Self {
            waiting,
            tags,
            order,
            rank: 0,
            at: 0,
        }
    }

    /// The whole queue at once: a counting sort, stable, in one pass.
    fn into_vec(self) -> Vec<&'a Waiting> {
        let Some(first) = self.waiting.first() else {
            return Vec::new();
        };
        let mut starts = [0usize; 256];
        let mut next = 0;
        for &tag in &self.order {
            starts[usize::from(tag)] = next;
            next += self.tags.iter().filter(|&&t| t == tag).count();
        }
        let mut queue = vec![first; next];
        for (&tag, waiting) in self.tags.iter().zip(self.waiting) {
            if tag != OFFLINE {
                let at = &mut starts[usize::from(tag)];
                queue[*at] = waiting;
                *at += 1;
            }
        }
        queue
    }
}

impl<'a> Iterator for LiveOrder<'a> {
    type Item = &'a Waiting;

    fn next(&mut self) -> Option<&'a Waiting> {
        while let Some(&tag) = self.order.get(self.rank) {
            match memchr::memchr(tag, &self.tags[self.at..]) {
                Some(offset) => {
                    let at = self.at + offset;
                    self.at = at + 1;
                    return Some(&self.waiting[at]);
                }
                None => {
                    self.rank += 1;
                    self.at = 0;
                }
            }
        }
        None
    }
}

/// 1-based position of `conversation` in `queue` (from [`live_queue`]),
/// if it is waiting there.
pub fn queue_position(queue: &[&Waiting], conversation: &ConversationId) -> Option<u32> {
    queue
        .iter()
        .position(|w| &w.id == conversation)
        .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
}
