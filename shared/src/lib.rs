//! The wire protocol between Switchboard's relay and its clients (the visitor
//! widget and the agent console), and the value types both sides name.
//!
//! This crate holds types and pure policies only: no I/O, no async runtime,
//! so it builds for native and for `wasm32-unknown-unknown`. A policy both
//! sides apply (origins, text direction, reconnect delays) lives here once,
//! so they cannot drift apart. Each side encodes and decodes in exactly one
//! place of its own (the relay's `ws::codec`, the clients' connection
//! modules).
//!
//! - [`ids`]: identifiers and sequence numbers.
//! - [`limits`]: the protocol's default limits.
//! - [`error`]: typed error codes sent in `error` frames.
//! - [`frames`]: the frames themselves, one enum per direction and role.
//! - [`links`]: splitting message text into plain runs and safe links.
//! - [`contacts`]: the customer record: identities, attributes, timeline.
//! - [`card`]: the customer card, pre-chat details, the acknowledgement.
//! - [`csat`]: the satisfaction survey's rating and its rule.
//! - [`hours`]: a site's opening hours.
//! - [`routing`]: teams, topics, priorities; what a conversation asks of routing.
//! - [`knowledge`]: the knowledge base: articles, revisions, search hits, safe bodies.
//! - [`canned`]: canned replies, their placeholders, private notes.
//! - [`privacy`]: a contact's exported record and an erasure's report.
//! - [`reports`]: a service report's figures and the live view, as sent.
//! - [`report_period`]: the days a report covers, as picked and as read.
//! - [`visitor_inbound`]: the server frames narrowed to what a visitor receives.
//! - [`origin`]: what counts as an origin, and whether one is allowed.
//! - [`lang`]: whether a language is written right to left.
//! - [`backoff`]: the clients' reconnect delays.

pub mod backoff;
pub mod canned;
pub mod card;
pub mod contacts;
pub mod csat;
pub mod error;
pub mod frames;
pub mod hours;
pub mod ids;
pub mod knowledge;
pub mod lang;
pub mod limits;
pub mod links;
pub mod origin;
pub mod privacy;
pub mod report_period;
pub mod reports;
pub mod routing;
pub mod visitor_inbound;

pub use error::ErrorCode;
pub use frames::{
    AgentAuth, AgentFrame, AgentProfile, Author, ChatMessage, ConversationStatus,
    ConversationSummary, Presence, ResumePoint, Role, ServerFrame, VisitorFrame,
};
pub use ids::{
    AgentId, ArticleId, CannedReplyId, CategoryId, ClientMsgId, ContactId, ConversationId,
    MergeProposalId, Seq, SiteId, TimelineItemId, VisitorId,
};
pub use visitor_inbound::VisitorServerFrame;

/// The protocol version this build speaks; sent in every `hello` and `welcome`.
pub const PROTOCOL_VERSION: u32 = 1;
