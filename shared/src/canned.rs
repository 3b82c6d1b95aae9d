//! Canned replies and private notes: what agents write for each other and
//! insert into replies. The placeholder filling and the `/shortcut` rule
//! live here so the console's preview and the relay's API agree.

use serde::{Deserialize, Serialize};

use crate::{AgentId, CannedReplyId, ConversationId, SiteId, TimelineItemId};

/// A saved answer an agent inserts by typing `/shortcut`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReply {
    pub id: CannedReplyId,
    pub site: SiteId,
    /// Without the slash: letters, digits, `-` and `_`.
    pub shortcut: String,
    /// May hold placeholders (see [`fill`]).
    pub text: String,
    /// `None`: shared by the site's agents; `Some`: that agent's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<AgentId>,
}

/// A note agents leave inside a conversation; never sent to a visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: TimelineItemId,
    pub conversation: ConversationId,
    pub agent_name: String,
    pub text: String,
    pub at_ms: u64,
}

/// Longest shortcut, in characters.
pub const MAX_SHORTCUT_CHARS: usize = 32;
/// Longest canned reply or note, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// Whether `shortcut` is a shortcut (without its slash).
pub fn valid_shortcut(shortcut: &str) -> bool {
    !shortcut.is_empty()
        && shortcut.chars().count() <= MAX_SHORTCUT_CHARS
        && shortcut
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The shortcut being typed: the composer holds `/` and a (possibly empty)
/// shortcut prefix and nothing else.
pub fn typed_shortcut(composer: &str) -> Option<&str> {
    let rest = composer.strip_prefix('/')?;
    (rest.is_empty() || valid_shortcut(rest)).then_some(rest)
}

/// The replies whose shortcut starts with `prefix` (case-insensitively),
/// the agent's own before shared ones, then by shortcut.
pub fn matching<'a>(replies: &'a [CannedReply], prefix: &str) -> Vec<&'a CannedReply> {
    let prefix = prefix.to_lowercase();
    let mut found: Vec<&CannedReply> = replies
        .iter()
        .filter(|r| r.shortcut.to_lowercase().starts_with(&prefix))
        .collect();
    found.sort_by(|a, b| (a.owner.is_none(), &a.shortcut).cmp(&(b.owner.is_none(), &b.shortcut)));
    found
}

/// What the placeholders of a reply stand for at the moment it is inserted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    pub visitor_name: Option<String>,
    pub case_code: Option<String>,
    pub agent_name: Option<String>,
}

/// `text` with `{{visitor.name}}`, `{{case.code}}` and `{{agent.name}}`
/// filled in. A placeholder without a value becomes empty (and a space
/// before it goes too, so "Hello {{visitor.name}}," reads "Hello,");
/// anything else in braces is left as written.
pub fn fill(text: &str, values: &Placeholders) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let value = match after[..end].trim() {
            "visitor.name" => Some(values.visitor_name.as_deref()),
            "case.code" => Some(values.case_code.as_deref()),
            "agent.name" => Some(values.agent_name.as_deref()),
            _ => None,
        };
        match value {
            Some(Some(value)) => out.push_str(value),
            Some(None) => {
                if out.ends_with(' ') {
                    out.pop();
                }
            }
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(shortcut: &str, owner: Option<&str>) -> CannedReply {
        CannedReply {
            id: CannedReplyId::from(shortcut),
            site: SiteId::from("s"),
            shortcut: shortcut.into(),
            text: String::new(),
            owner: owner.map(AgentId::from),
        }
    }

    #[test]
    fn placeholders_fill_and_unknown_ones_stay() {
        let values = Placeholders {
            visitor_name: Some("Ada".into()),
            case_code: Some("CASE-12".into()),
            agent_name: Some("Grace".into()),
        };
        assert_eq!(
            fill(
                "Hi {{visitor.name}}, {{agent.name}} here about {{ case.code }}. {{x}}",
                &values
            ),
            "Hi Ada, Grace here about CASE-12. {{x}}"
        );
        assert_eq!(
            fill("Hello {{visitor.name}}, welcome", &Placeholders::default()),
            "Hello, welcome"
        );
        assert_eq!(
            fill("broken {{visitor.name", &values),
            "broken {{visitor.name"
        );
        assert_eq!(
            fill(
                "<b>{{visitor.name}}</b>",
                &Placeholders {
                    visitor_name: Some("<i>".into()),
                    ..Default::default()
                }
            ),
            "<b><i></b>"
        );
    }

    #[test]
    fn shortcuts_are_typed_from_the_start_of_the_composer() {
        assert_eq!(typed_shortcut("/"), Some(""));
        assert_eq!(typed_shortcut("/ref"), Some("ref"));
        assert_eq!(typed_shortcut("/ref now"), None);
        assert_eq!(typed_shortcut("see /ref"), None);
        assert!(valid_shortcut("refund_2"));
        assert!(!valid_shortcut("re fund"));
        assert!(!valid_shortcut(""));
    }

    #[test]
    fn own_replies_come_before_shared_ones() {
        let replies = [
            reply("refund", None),
            reply("reset", Some("a1")),
            reply("hello", None),
        ];
        let names: Vec<&str> = matching(&replies, "RE")
            .iter()
            .map(|r| r.shortcut.as_str())
            .collect();
        assert_eq!(names, ["reset", "refund"]);
    }
}
