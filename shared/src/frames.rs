//! Protocol v1 frames: JSON text messages tagged by `type`.
//!
//! A connection opens with the client's `hello` (carrying
//! [`crate::PROTOCOL_VERSION`]) and the relay's `welcome`/`agent_welcome`.
//! Every chat message has a per-conversation [`Seq`] assigned when it is
//! stored; clients remember the last seq they saw per conversation and send
//! it back (`resume`) to get exactly what they missed.

use serde::{Deserialize, Serialize};

use crate::canned::{CannedReply, Note};
use crate::card::{Acknowledgement, ContactHit, CustomerCard, PrechatDetails, TimelineCursor};
use crate::contacts::{MergeDecision, TimelineItem};
use crate::csat::Csat;
use crate::hours::OpeningHours;
use crate::knowledge::{
    Article, ArticleDraft, ArticleView, Block, Category, Feedback, Revision, SearchHit,
};
use crate::privacy::{ContactExport, Erased};
use crate::report_period::{ReportDays, ReportPeriod};
use crate::reports::{LiveView, Report};
use crate::routing::{Availability, Route, SiteRouting, TopicChoice};
use crate::{
    AgentId, ArticleId, CannedReplyId, CategoryId, ClientMsgId, ContactId, ConversationId,
    ErrorCode, MergeProposalId, Seq, SiteId, VisitorId,
};

/// Who wrote a message or is typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Visitor,
    Agent,
    System,
}

/// An agent's availability. Only `online` agents receive new conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Online,
    Away,
    Offline,
}

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// In the queue, no agent yet.
    Waiting,
    /// An agent is handling it.
    Assigned,
    /// Finished; no more messages are accepted.
    Closed,
}

/// The author of a stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub role: Role,
    /// Set when `role` is `agent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentId>,
    /// Display name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A stored chat message, as both sides see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub conversation: ConversationId,
    pub seq: Seq,
    pub client_msg_id: ClientMsgId,
    pub author: Author,
    pub text: String,
    /// Unix time in milliseconds when the relay stored it.
    pub sent_at_ms: u64,
}

/// A conversation's current state; sent whenever it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub site: SiteId,
    pub visitor: VisitorId,
    pub status: ConversationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    /// Seq of the newest message; 0 when there is none.
    pub last_seq: Seq,
    pub created_at_ms: u64,
    /// The case code the visitor was given (`CASE-1001`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_code: Option<String>,
    /// What it asks of routing: language, topic, team, priority, offline.
    #[serde(default, skip_serializing_if = "is_default_route")]
    pub route: Route,
    /// The visitor's satisfaction rating, once given (closed ones only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<Csat>,
}

fn is_default_route(route: &Route) -> bool {
    *route == Route::default()
}

/// An agent as other agents and the agent itself see it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentProfile {
    pub id: AgentId,
    pub email: String,
    pub name: String,
    pub admin: bool,
    pub max_concurrent: u32,
    pub presence: Presence,
    /// Disabled by an admin: cannot sign in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
    /// Languages the agent answers in (BCP 47); none: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
}

/// A site as agents pick it: id, name, languages (the first is the default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteBrief {
    pub id: SiteId,
    pub name: String,
    pub languages: Vec<String>,
}

/// "I have everything up to `after_seq` in `conversation`; send what follows."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumePoint {
    pub conversation: ConversationId,
    pub after_seq: Seq,
}

/// How an agent proves who it is in `hello`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum AgentAuth {
    /// First sign-in: email and password.
    Password { email: String, password: String },
    /// Reconnect with the session token from an earlier `agent_welcome`.
    Session { token: String },
}

/// Frames a visitor's widget sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorFrame {
    /// First frame. Without a token the relay issues a new one.
    Hello {
        protocol: u32,
        site: SiteId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        visitor_token: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        resume: Vec<ResumePoint>,
    },
    /// Start a conversation, or get the visitor's open one back; with
    /// the pre-chat form's answers when the site asks for them.
    Start {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<PrechatDetails>,
        /// The topic picked from `welcome.topics`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
        /// The visitor's language (BCP 47), for routing to an agent who speaks it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        /// The host page's URL, for the site's topic rules.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page_url: Option<String>,
    },
    /// A message left through the offline form when nobody can answer
    /// (`acknowledgement` with `offline`): opens a case with this as its
    /// first message, answered when an agent takes it.
    OfflineMessage {
        details: PrechatDetails,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page_url: Option<String>,
    },
    Send {
        conversation: ConversationId,
        client_msg_id: ClientMsgId,
        text: String,
    },
    Typing {
        conversation: ConversationId,
        typing: bool,
    },
    Close {
        conversation: ConversationId,
    },
    /// The satisfaction survey of a closed conversation of the visitor's:
    /// `rating` 1–5, an optional comment (`rated`; once per conversation).
    Rate {
        conversation: ConversationId,
        rating: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    Resume(ResumePoint),
    /// The host page's signed identity token (`Switchboard.identify`).
    Identify {
        token: String,
    },
    /// Search the site's published articles (`kb_results`); `lang` picks
    /// the language (the site's default when absent).
    KbSearch {
        query: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
    },
    /// Read one published article (`kb_article`).
    KbArticle {
        article: ArticleId,
    },
    /// Whether the article answered the visitor's question (`feedback_recorded`).
    KbFeedback {
        article: ArticleId,
        feedback: Feedback,
    },
}

/// Frames an agent's console sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentFrame {
    Hello {
        protocol: u32,
        auth: AgentAuth,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        resume: Vec<ResumePoint>,
    },
    SetPresence {
        presence: Presence,
    },
    Send {
        conversation: ConversationId,
        client_msg_id: ClientMsgId,
        text: String,
    },
    Typing {
        conversation: ConversationId,
        typing: bool,
    },
    Transfer {
        conversation: ConversationId,
        to_agent: AgentId,
    },
    Close {
        conversation: ConversationId,
    },
    /// Opens a closed conversation again: the agent who had it, or an
    /// admin. It goes to this agent when they have room, else to the queue.
    Reopen {
        conversation: ConversationId,
    },
    Resume(ResumePoint),
    ListAgents,
    /// Admins only.
    AddAgent {
        email: String,
        name: String,
        password: String,
        max_concurrent: u32,
        #[serde(default)]
        admin: bool,
    },
    /// Ends the session token, then the relay closes the connection.
    SignOut,
    /// Ends every session of this agent, on every node (this one too).
    SignOutEverywhere,
    /// Answered with `password_changed`; the agent's other sessions end.
    ChangePassword {
        current: String,
        new: String,
    },
    /// Admins only: a disabled agent cannot sign in and its sessions end.
    /// Answered with `agents`.
    SetAgentDisabled {
        agent: AgentId,
        disabled: bool,
    },
    /// The customer card of a conversation's visitor (`card`).
    Card {
        conversation: ConversationId,
    },
    /// The customer card of a contact (from search or a proposal).
    Contact {
        contact: ContactId,
    },
    /// Older timeline items of a contact (`timeline_page`).
    Timeline {
        contact: ContactId,
        before: TimelineCursor,
    },
    /// Contacts by name, email, phone, user id or case code (`contact_results`).
    SearchContacts {
        query: String,
    },
    /// Accept or reject a merge proposal; answered with the survivor's `card`.
    DecideMerge {
        proposal: MergeProposalId,
        decision: MergeDecision,
    },
    /// Admins only: the contact's whole record (`contact_export`).
    ExportContact {
        contact: ContactId,
    },
    /// Admins only: erase the contact (`contact_erased`); see
    /// `relay::store::erasure` for what goes.
    EraseContact {
        contact: ContactId,
    },
    /// Search a site's published articles (`kb_results`).
    KbSearch {
        site: SiteId,
        query: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
    },
    /// Read one article, drafts too (`kb_article`).
    KbArticle {
        site: SiteId,
        article: ArticleId,
    },
    /// Every article of a site, drafts too, and its categories (`articles`).
    ListArticles {
        site: SiteId,
    },
    /// Admins only: create or change an article (`article_saved`).
    SaveArticle(Box<ArticleDraft>),
    /// An article's kept revisions, newest first (`article_revisions`).
    ArticleRevisions {
        site: SiteId,
        article: ArticleId,
    },
    /// Admins only: delete an article and its revisions (`article_deleted`).
    DeleteArticle {
        site: SiteId,
        article: ArticleId,
    },
    /// A Markdown body as it will be shown (`article_preview`).
    PreviewArticle {
        body: String,
    },
    /// Admins only: create (`id` absent) or rename/reorder a category (`categories`).
    SaveCategory {
        site: SiteId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<CategoryId>,
        name: String,
        position: u32,
    },
    /// Admins only: delete a category; its articles keep no category (`categories`).
    DeleteCategory {
        site: SiteId,
        category: CategoryId,
    },
    /// The site's shared canned replies and the agent's own (`canned_replies`).
    CannedReplies {
        site: SiteId,
    },
    /// Create (`id` absent) or change a canned reply; `shared` ones are
    /// admins' to write, personal ones the agent's (`canned_replies`).
    SaveCannedReply {
        site: SiteId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<CannedReplyId>,
        shortcut: String,
        text: String,
        shared: bool,
    },
    /// Delete a canned reply (same rule as saving; `canned_replies`).
    DeleteCannedReply {
        site: SiteId,
        id: CannedReplyId,
    },
    /// A private note in a conversation: agents only (`note` to every agent
    /// watching it).
    AddNote {
        conversation: ConversationId,
        text: String,
    },
    /// The notes of a conversation (`notes`).
    Notes {
        conversation: ConversationId,
    },
    /// Take a waiting conversation (an offline message) yourself; the
    /// usual capacity rule holds (`conversation` to everyone watching).
    Take {
        conversation: ConversationId,
    },
    /// Admins only: an agent's languages, skills and capacity (`agents`).
    SetAgentRouting {
        agent: AgentId,
        languages: Vec<String>,
        skills: Vec<String>,
        max_concurrent: u32,
    },
    /// A site's routing settings and hours (`site_settings`).
    SiteSettings {
        site: SiteId,
    },
    /// Admins only: replace a site's routing settings and hours (`site_settings`).
    SaveSiteSettings {
        site: SiteId,
        routing: Box<SiteRouting>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hours: Option<OpeningHours>,
    },
    /// Admins only: a site's service report for `period`, read in the
    /// site's time zone (`report`).
    Report {
        site: SiteId,
        period: ReportPeriod,
        /// Durations count only the time inside the site's opening hours.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        business_hours: bool,
    },
    /// Admins only: start (`watch: true`) or stop pushing `live_view`
    /// to this connection, on every queue or agent change and every few
    /// seconds while watched.
    WatchLive {
        watch: bool,
    },
}

impl VisitorFrame {
    /// A plain `start`: the pre-chat answers only, no topic, language or page.
    pub fn start(details: Option<PrechatDetails>) -> Self {
        Self::Start {
            details,
            topic: None,
            language: None,
            page_url: None,
        }
    }

    /// Every `type` a visitor may send, for telling an unknown type from a
    /// known one with bad fields. Kept complete by the frozen-JSON tests.
    pub const TYPES: &'static [&'static str] = &[
        "hello",
        "start",
        "offline_message",
        "send",
        "typing",
        "close",
        "rate",
        "resume",
        "identify",
        "kb_search",
        "kb_article",
        "kb_feedback",
    ];
}

impl AgentFrame {
    /// Every `type` an agent may send (see [`VisitorFrame::TYPES`]).
    pub const TYPES: &'static [&'static str] = &[
        "hello",
        "set_presence",
        "send",
        "typing",
        "transfer",
        "close",
        "reopen",
        "resume",
        "list_agents",
        "add_agent",
        "sign_out",
        "sign_out_everywhere",
        "change_password",
        "set_agent_disabled",
        "card",
        "contact",
        "timeline",
        "search_contacts",
        "decide_merge",
        "export_contact",
        "erase_contact",
        "kb_search",
        "kb_article",
        "list_articles",
        "save_article",
        "article_revisions",
        "delete_article",
        "preview_article",
        "save_category",
        "delete_category",
        "canned_replies",
        "save_canned_reply",
        "delete_canned_reply",
        "add_note",
        "notes",
        "take",
        "set_agent_routing",
        "site_settings",
        "save_site_settings",
        "report",
        "watch_live",
    ];
}

/// Frames the relay sends to either role. (`PartialEq` only: reports
/// carry `f64` figures.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Answer to a visitor's `hello`. Keep `visitor_token` (it is the
    /// visitor's only credential) and send it in later `hello`s.
    Welcome {
        protocol: u32,
        visitor: VisitorId,
        visitor_token: String,
        conversations: Vec<ConversationSummary>,
        /// The site asks name and email/phone before the first message.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        prechat_form: bool,
        /// Topics the visitor may pick before starting.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        topics: Vec<TopicChoice>,
        /// Whether anyone can answer now; the widget offers the offline
        /// form instead of the queue when `offline_form` is set.
        #[serde(default)]
        availability: Availability,
    },
    /// Answer to an agent's `hello`: the session token for reconnects, the
    /// agent's own conversations and the waiting queue.
    AgentWelcome {
        protocol: u32,
        session_token: String,
        agent: AgentProfile,
        conversations: Vec<ConversationSummary>,
        waiting: Vec<ConversationSummary>,
        /// The sites agents serve (for the knowledge base and canned replies).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        sites: Vec<SiteBrief>,
    },
    /// A conversation was started, assigned, transferred or closed.
    Conversation(ConversationSummary),
    /// A stored message; delivered in seq order, once each.
    Message(ChatMessage),
    /// Your message is stored under `seq`. A resend gets the same seq.
    Ack {
        conversation: ConversationId,
        client_msg_id: ClientMsgId,
        seq: Seq,
    },
    Typing {
        conversation: ConversationId,
        role: Role,
        typing: bool,
    },
    /// The visitor's place in the queue (1 = next); sent again when it changes.
    QueuePosition {
        conversation: ConversationId,
        position: u32,
    },
    /// Answer to `site_settings` and `save_site_settings`.
    SiteSettings {
        site: SiteId,
        routing: Box<SiteRouting>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hours: Option<OpeningHours>,
    },
    /// For agents: the conversations waiting for an agent, in routing
    /// order (returned ones, then by priority, then oldest first);
    /// offline messages are among them, marked `route.offline`.
    Queue {
        waiting: Vec<ConversationSummary>,
    },
    /// For agents: what changed in the queue since the last `queue` or
    /// `queue_delta` (or the welcome's `waiting`): `removed` leave it,
    /// `added` join its end, oldest first.
    QueueDelta {
        added: Vec<ConversationSummary>,
        removed: Vec<ConversationId>,
    },
    /// The agent's presence as the relay now has it.
    Presence {
        presence: Presence,
    },
    Agents {
        agents: Vec<AgentProfile>,
    },
    AgentAdded {
        agent: AgentProfile,
    },
    /// The agent's password changed; its other sessions ended.
    PasswordChanged,
    Error {
        code: ErrorCode,
        message: String,
        /// The message this error refers to, when it refers to one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_msg_id: Option<ClientMsgId>,
        /// With `rate_limited` and `unavailable`: when to try again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
    /// The relay is going away; reconnect after `after_ms` (to any node).
    Reconnect {
        after_ms: u64,
    },
    /// Answer to `identify`: who the site says the visitor is, and the
    /// conversations of their other devices (their history follows as
    /// `message` frames).
    Identified {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        conversations: Vec<ConversationSummary>,
    },
    /// To the visitor, once, when a conversation starts: its case code
    /// and what happens next.
    Acknowledgement(Acknowledgement),
    /// To agents: one customer's card.
    Card(CustomerCard),
    /// To agents: older timeline items; `next` pages on.
    TimelinePage {
        contact: ContactId,
        items: Vec<TimelineItem>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<TimelineCursor>,
    },
    /// To agents: the answer to `search_contacts`.
    ContactResults {
        query: String,
        hits: Vec<ContactHit>,
    },
    /// To admins: the answer to `export_contact`.
    ContactExport(Box<ContactExport>),
    /// To admins: the answer to `erase_contact`.
    ContactErased(Erased),
    /// The answer to `kb_search`, best first.
    KbResults {
        query: String,
        hits: Vec<SearchHit>,
    },
    /// The answer to `kb_article`.
    KbArticle(Box<ArticleView>),
    /// The answer to `kb_feedback`.
    FeedbackRecorded {
        article: ArticleId,
    },
    /// To agents: the answer to `list_articles`.
    Articles {
        site: SiteId,
        articles: Vec<Article>,
        categories: Vec<Category>,
    },
    /// To admins: the answer to `save_article`.
    ArticleSaved(Box<Article>),
    /// To agents: the answer to `article_revisions`.
    ArticleRevisions {
        article: ArticleId,
        revisions: Vec<Revision>,
    },
    /// To admins: the answer to `delete_article`.
    ArticleDeleted {
        article: ArticleId,
    },
    /// To agents: the answer to `preview_article`.
    ArticlePreview {
        blocks: Vec<Block>,
    },
    /// To agents: a site's categories, after a change.
    Categories {
        site: SiteId,
        categories: Vec<Category>,
    },
    /// To agents: the canned replies they may use on a site.
    CannedReplies {
        site: SiteId,
        replies: Vec<CannedReply>,
    },
    /// To the visitor: the answer to `rate`, as stored. Agents see the
    /// rating on the conversation's summary (`csat`).
    Rated {
        conversation: ConversationId,
        csat: Csat,
    },
    /// To agents watching the conversation: a new private note.
    Note(Note),
    /// To agents: the answer to `notes`, oldest first.
    Notes {
        conversation: ConversationId,
        notes: Vec<Note>,
    },
    /// To admins: the answer to `report`, with the local dates it covers.
    Report {
        site: SiteId,
        days: ReportDays,
        report: Box<Report>,
    },
    /// To admins watching it (`watch_live`): the service right now.
    LiveView(LiveView),
}

impl ServerFrame {
    /// An error frame with no message reference and no retry hint.
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Error {
            code,
            message: message.into(),
            client_msg_id: None,
            retry_after_ms: None,
        }
    }
}
