//! The relay's frames as a visitor's widget decodes them: only the kinds a
//! visitor can receive, each exactly as [`crate::ServerFrame`] writes it,
//! and one catch-all for the rest. The widget ships to every visitor of
//! every site, so it should not carry the code that decodes agents' frames
//! (cards, timelines, agent lists); `shared/tests/frozen_json.rs` checks
//! that every visitor frame reads the same through both enums.

use serde::{Deserialize, Serialize};

use crate::card::Acknowledgement;
use crate::knowledge::{ArticleView, SearchHit};
use crate::{
    ArticleId, ChatMessage, ClientMsgId, ConversationId, ConversationSummary, ErrorCode, Role, Seq,
    VisitorId,
};

/// A server frame, as a visitor reads it. Field docs: [`crate::ServerFrame`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorServerFrame {
    Welcome {
        protocol: u32,
        visitor: VisitorId,
        visitor_token: String,
        conversations: Vec<ConversationSummary>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        prechat_form: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        topics: Vec<crate::routing::TopicChoice>,
        #[serde(default)]
        availability: crate::routing::Availability,
    },
    Conversation(ConversationSummary),
    Message(ChatMessage),
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
    QueuePosition {
        conversation: ConversationId,
        position: u32,
    },
    Error {
        code: ErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_msg_id: Option<ClientMsgId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
    Reconnect {
        after_ms: u64,
    },
    Identified {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        conversations: Vec<ConversationSummary>,
    },
    Acknowledgement(Acknowledgement),
    KbResults {
        query: String,
        hits: Vec<SearchHit>,
    },
    KbArticle(Box<ArticleView>),
    FeedbackRecorded {
        article: ArticleId,
    },
    Rated {
        conversation: ConversationId,
        csat: crate::csat::Csat,
    },
    /// Any other type: agents' frames (never sent to a visitor) or one a
    /// newer relay added. Ignored.
    #[serde(other)]
    Other,
}
