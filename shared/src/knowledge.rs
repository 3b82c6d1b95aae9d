//! The knowledge base as every client sees it: articles (one per language,
//! linked as translations), their revisions, categories, search hits, and
//! an article's body as a tree of allowed blocks. The relay parses an
//! article's Markdown once into [`Block`]s, dropping everything the safe
//! subset does not allow; the widget, the console and the help center only
//! ever render that tree, so no client parses Markdown or sets HTML.

use serde::{Deserialize, Serialize};

use crate::{ArticleId, CategoryId, SiteId};

/// Whether visitors, the help center and the API see an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Published,
}

/// An article as stored: one language of one piece of help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    pub site: SiteId,
    /// The translation group: the id of the article this one translates
    /// (its own id for the first). One article per language per group.
    pub group: ArticleId,
    /// BCP 47 tag (`en`, `he`, `fa-IR`).
    pub lang: String,
    /// Unique per site and language; the help center's address.
    pub slug: String,
    pub title: String,
    /// Markdown (the safe subset; see [`Block`]).
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryId>,
    pub status: ArticleStatus,
    /// 1 for the first save, then one more per change.
    pub revision: u32,
    pub updated_at_ms: u64,
    /// The agent who saved the last revision (or `api`).
    pub updated_by: String,
}

/// What an admin sends to create or change an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDraft {
    pub site: SiteId,
    /// `None`: a new article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ArticleId>,
    /// For a new article: the article it translates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_of: Option<ArticleId>,
    pub lang: String,
    /// Empty: made from the title.
    #[serde(default)]
    pub slug: String,
    pub title: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryId>,
    pub status: ArticleStatus,
    /// The revision the editor started from; a save over a newer one is
    /// refused (`conflict`) instead of losing someone's change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_revision: Option<u32>,
}

/// One kept change of an article: who, when, and what it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub revision: u32,
    pub at_ms: u64,
    pub author: String,
    /// The fields that changed from the revision before (`title`, `body`,
    /// `status`, `category`, `slug`; everything for the first).
    pub changed: Vec<String>,
    pub title: String,
    pub body: String,
    pub status: ArticleStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryId>,
    pub slug: String,
}

/// A group of articles, in the order admins set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub site: SiteId,
    pub name: String,
    pub position: u32,
}

/// A run of text in a search hit; `hit` runs matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hit: bool,
}

/// One search result, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub article: ArticleId,
    pub lang: String,
    pub slug: String,
    pub title: String,
    /// A short passage of the body around the best match.
    pub snippet: Vec<Span>,
}

/// Another language of the same article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    pub article: ArticleId,
    pub lang: String,
    pub slug: String,
    pub title: String,
}

/// A published article ready to read: its body already parsed into the
/// allowed blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    pub id: ArticleId,
    pub site: SiteId,
    pub lang: String,
    pub slug: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub blocks: Vec<Block>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<Translation>,
    pub updated_at_ms: u64,
}

/// A block of an article body: the safe subset of Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        inlines: Vec<Inline>,
    },
    /// Level 1 to 6.
    Heading {
        level: u8,
        inlines: Vec<Inline>,
    },
    /// Each item is a list of blocks.
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    /// Preformatted text, shown as is.
    Code {
        text: String,
    },
}

/// Text inside a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text {
        text: String,
    },
    Strong {
        inlines: Vec<Inline>,
    },
    Emphasis {
        inlines: Vec<Inline>,
    },
    Code {
        text: String,
    },
    /// `href` is http, https or mailto (checked by the relay).
    Link {
        href: String,
        inlines: Vec<Inline>,
    },
    /// `src` is http or https (checked by the relay).
    Image {
        src: String,
        alt: String,
    },
    LineBreak,
}

/// What a visitor said after reading an article (deflection, for reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feedback {
    /// "This answered my question."
    Answered,
    /// "I still need help."
    NeedHelp,
}

impl Feedback {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::NeedHelp => "need_help",
        }
    }
}

/// Longest article body, in bytes: half a frame
/// ([`crate::limits::MAX_FRAME_BYTES`]), so a save fits in one frame even
/// with JSON escaping.
pub const MAX_BODY_BYTES: usize = 32 * 1024;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest search query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most hits one search returns.
pub const MAX_HITS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_names_match_the_wire() {
        for feedback in [Feedback::Answered, Feedback::NeedHelp] {
            assert_eq!(
                serde_json::to_value(feedback).ok(),
                Some(serde_json::Value::from(feedback.as_str()))
            );
        }
    }
}
