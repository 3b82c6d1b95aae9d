//! Recording report facts as conversations happen (see `crate::reports`):
//! every step that reports count calls one of these after its own store
//! write succeeded, with times from the service's clock as stored on the
//! conversation and its messages. Each fact has an idempotency key, so a
//! step repeated (a resend, a second node racing) counts once.
//!
//! What is counted where: a conversation opened (a chat or an offline
//! message) in `start` and `offline`; its first assignment, by routing or
//! by hand, with the wait since it opened; every visitor and agent
//! message (by the store, with the append: [`ConversationService::message_report`]),
//! and the first agent reply with the time since the first visitor
//! message; a transfer; a close of a conversation an agent had
//! (resolution since it opened, handling since the closing agent got it,
//! each also in business time; a conversation reopened and closed again
//! counts its first resolution only); a reopening;
//! an inbound item ingested from another channel; a knowledge-base
//! article that answered a visitor's question.

use shared::contacts::{Channel, Direction, TimelineItem};
use shared::{AgentId, ArticleId, Author, ChatMessage, Role, SiteId};

use super::actor::Grant;
use super::ConversationService;
use jiff::tz::TimeZone;
use shared::hours::OpeningHours;

use crate::opening_hours::{day_start_ms, time_zone};
use crate::reports::business_time::business_ms;
use crate::reports::facts::{Fact, Measure};
use crate::reports::rollup::adds_of;
use crate::secrets::new_id;
use crate::store::{Conversation, MessageReport};

/// Messages read per page while looking for a conversation's first
/// visitor message and first agent reply (both are early as a rule).
const SCAN_PAGE: usize = 64;

impl ConversationService {
    /// Adds `fact` to the site's roll-ups, once (by its key), in the
    /// site's local day as its time zone is now. A failure is logged,
    /// never the caller's: a report a little short beats a lost message.
    pub(crate) async fn record_fact(&self, fact: Fact) {
        let adds = adds_of(&fact, self.day_start(&fact.site, fact.at_ms).await);
        if let Err(e) = self.store.record_fact(&fact.site, &fact.key, &adds).await {
            tracing::warn!(error = %e, site = %fact.site, key = %fact.key, "report fact not recorded");
        }
    }

    /// The start of the site's local day holding `at_ms`, in its time zone
    /// as it is now (UTC for a site without hours).
    async fn day_start(&self, site: &SiteId, at_ms: u64) -> u64 {
        let zone = self
            .site_hours(site)
            .await
            .map_or(TimeZone::UTC, |hours| time_zone(&hours));
        day_start_ms(&zone, at_ms)
    }

    /// What a new message adds to the reports (a visitor's counts in,
    /// an agent's out, in the agent's row too), for the store to count
    /// with the append itself: once, and in the same round trip.
    pub(super) async fn message_report(
        &self,
        grant: &Grant,
        author: &Author,
        at_ms: u64,
    ) -> Option<MessageReport> {
        let (measure, agent) = match author.role {
            Role::Visitor => (Measure::MessageIn, None),
            Role::Agent => (Measure::MessageOut, author.agent.clone()),
            Role::System => return None,
        };
        let site = grant.site().clone();
        let fact = Fact {
            // No key: the append's own dedupe counts it once.
            key: String::new(),
            site: site.clone(),
            at_ms,
            agent,
            channel: Channel::Chat,
            measure,
        };
        let adds = adds_of(&fact, self.day_start(&site, at_ms).await);
        Some(MessageReport { site, adds })
    }

    /// The site's opening hours (`None` for a site without, or one gone
    /// or unreadable: then the day is UTC's and all time is business time).
    async fn site_hours(&self, site: &SiteId) -> Option<OpeningHours> {
        match self.assigner.site(site).await {
            Ok(site) => site.and_then(|s| s.hours),
            Err(e) => {
                tracing::warn!(error = %e, site = %site, "site unreadable; reports read it as always open, in UTC");
                None
            }
        }
    }

    /// The part of `[from_ms, to_ms)` inside the site's opening hours (all
    /// of it for a site without hours, or one gone).
    async fn business_part(&self, site: &SiteId, from_ms: u64, to_ms: u64) -> u64 {
        business_ms(self.site_hours(site).await.as_ref(), from_ms, to_ms)
    }

    /// A conversation was opened (a chat, or an offline message).
    pub(super) async fn opened_fact(&self, opened: &Conversation) {
        self.record_fact(Fact {
            key: Fact::key_for(&opened.id, "opened"),
            site: opened.site.clone(),
            at_ms: opened.created_at_ms,
            agent: None,
            channel: Channel::Chat,
            measure: Measure::Opened,
        })
        .await;
    }

    /// A conversation was assigned; only its first assignment counts (the
    /// key), with how long it waited since it opened.
    pub(super) async fn assigned_fact(&self, assigned: &Conversation) {
        let Some(at_ms) = assigned.assigned_at_ms else {
            return;
        };
        let opened = assigned.created_at_ms;
        let business_ms = self.business_part(&assigned.site, opened, at_ms).await;
        self.record_fact(Fact {
            key: Fact::key_for(&assigned.id, "waited"),
            site: assigned.site.clone(),
            at_ms,
            agent: assigned.agent.clone(),
            channel: Channel::Chat,
            measure: Measure::Waited {
                ms: at_ms.saturating_sub(opened),
                business_ms,
            },
        })
        .await;
    }

    /// The store appended an agent's message in a conversation no agent
    /// had written in (it counted the message itself with the append, see
    /// [`Self::message_report`]): it may be the first response.
    pub(super) async fn first_reply_fact(&self, grant: &Grant, message: &ChatMessage) {
        let agent = message.author.agent.clone();
        self.first_response_fact(grant.site(), message, agent).await;
    }

    /// `reply` is an agent's message in a conversation no agent had
    /// answered: counts the time since the first visitor message, if
    /// `reply` is the first agent message after it.
    async fn first_response_fact(
        &self,
        site: &SiteId,
        reply: &ChatMessage,
        agent: Option<AgentId>,
    ) {
        let asked_at = match self.first_question(reply).await {
            Ok(Some(at)) => at,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, conversation = %reply.conversation, "first response not counted");
                return;
            }
        };
        let answered_at = reply.sent_at_ms.max(asked_at);
        let business_ms = self.business_part(site, asked_at, answered_at).await;
        self.record_fact(Fact {
            key: Fact::key_for(&reply.conversation, "first_response"),
            site: site.clone(),
            at_ms: answered_at,
            agent,
            channel: Channel::Chat,
            measure: Measure::FirstResponse {
                ms: answered_at - asked_at,
                business_ms,
            },
        })
        .await;
    }

    /// When the visitor first wrote, if `reply` is the first agent message
    /// since (`None`: another agent message came first, or no visitor
    /// message did).
    async fn first_question(&self, reply: &ChatMessage) -> crate::store::StoreResult<Option<u64>> {
        let mut after = 0;
        let mut asked_at = None;
        while after + 1 < reply.seq {
            let page = self
                .store
                .messages_after(&reply.conversation, after, SCAN_PAGE)
                .await?;
            let Some(last) = page.last() else {
                break;
            };
            after = last.seq;
            for message in page.iter().filter(|m| m.seq < reply.seq) {
                match message.author.role {
                    Role::Agent => return Ok(None),
                    Role::Visitor if asked_at.is_none() => asked_at = Some(message.sent_at_ms),
                    _ => {}
                }
            }
        }
        Ok(asked_at)
    }

    /// `from` handed the conversation to another agent.
    pub(super) async fn transferred_fact(&self, moved: &Conversation, from: &AgentId) {
        self.record_fact(Fact {
            key: Fact::key_for(&moved.id, &format!("transfer:{}", moved.version)),
            site: moved.site.clone(),
            at_ms: moved.assigned_at_ms.unwrap_or_else(|| self.clock.now_ms()),
            agent: Some(from.clone()),
            channel: Channel::Chat,
            measure: Measure::Transferred,
        })
        .await;
    }

    /// A conversation was closed. One no agent ever had (left in the
    /// queue, abandoned) is no resolution: reports see it as opened and
    /// never waited-for.
    pub(super) async fn resolved_fact(&self, closed: &Conversation) {
        let (Some(closed_at), Some(assigned_at)) = (closed.closed_at_ms, closed.assigned_at_ms)
        else {
            return;
        };
        let opened = closed.created_at_ms;
        let business_resolution_ms = self.business_part(&closed.site, opened, closed_at).await;
        let business_handling_ms = self
            .business_part(&closed.site, assigned_at, closed_at)
            .await;
        self.record_fact(Fact {
            key: Fact::key_for(&closed.id, "resolved"),
            site: closed.site.clone(),
            at_ms: closed_at,
            agent: closed.agent.clone(),
            channel: Channel::Chat,
            measure: Measure::Resolved {
                resolution_ms: closed_at.saturating_sub(opened),
                business_resolution_ms,
                handling_ms: closed_at.saturating_sub(assigned_at),
                business_handling_ms,
            },
        })
        .await;
    }

    /// `by` opened a closed conversation again.
    pub(super) async fn reopened_fact(&self, reopened: &Conversation, by: &AgentId) {
        self.record_fact(Fact {
            key: Fact::key_for(&reopened.id, &format!("reopen:{}", reopened.version)),
            site: reopened.site.clone(),
            at_ms: reopened.route.queued_at_ms,
            agent: Some(by.clone()),
            channel: Channel::Chat,
            measure: Measure::Reopened,
        })
        .await;
    }

    /// An item from another channel landed on the record. Volume counts
    /// what customers sent (inbound), on the channel it came by.
    pub(super) async fn item_fact(&self, site: &SiteId, item: &TimelineItem) {
        // A survey answer pushed in is a rating, not a customer writing in.
        let rating = item.csat.is_some();
        if rating || item.direction != Direction::In || !Channel::INGESTIBLE.contains(&item.channel)
        {
            return;
        }
        self.record_fact(Fact {
            key: format!("item:{}", item.id.0),
            site: site.clone(),
            at_ms: item.at_ms,
            agent: None,
            channel: item.channel,
            measure: Measure::Opened,
        })
        .await;
    }

    /// A visitor said an article answered their question. Feedback has no
    /// identity of its own, so each one is a new fact.
    pub(super) async fn deflected_fact(&self, site: &SiteId, article: &ArticleId) {
        self.record_fact(Fact {
            key: format!("kb:{article}:{}", new_id("d")),
            site: site.clone(),
            at_ms: self.clock.now_ms(),
            agent: None,
            channel: Channel::Chat,
            measure: Measure::Deflected,
        })
        .await;
    }
}
