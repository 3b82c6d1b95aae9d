//! The knowledge base and canned replies to and from Redis values, in the
//! style of `contact_codec`: records are the serde JSON the SQLite store
//! keeps; index fields join their parts with a space, which no language
//! tag, shortcut, day or feedback word holds.

use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::canned::CannedReply;
use shared::knowledge::Feedback;
use shared::ArticleId;

use super::codec::corrupt;
use crate::store::knowledge::FeedbackCount;
use crate::store::StoreResult;

/// The slug index's field. A language tag has no space, so `lang slug`
/// names one pair; `unindex_article` in `lua/prelude.lua` spells it alike.
pub(super) fn slug_field(lang: &str, slug: &str) -> String {
    format!("{lang} {slug}")
}

/// The shortcut index's field: the scope the shortcut is unique in
/// (`shared`, or `agent:{owner}`), a space, the shortcut lower-cased.
pub(super) fn shortcut_field(reply: &CannedReply) -> String {
    let shortcut = reply.shortcut.to_lowercase();
    match &reply.owner {
        None => format!("shared {shortcut}"),
        Some(owner) => format!("agent:{owner} {shortcut}"),
    }
}

/// The feedback hash's field: `article day feedback`.
pub(super) fn feedback_field(article: &str, day: u64, feedback: Feedback) -> String {
    format!("{article} {day} {}", feedback.as_str())
}

pub(super) fn feedback_count(field: &str, count: u64) -> StoreResult<FeedbackCount> {
    let bad = || corrupt("feedback count", format_args!("field {field:?}"));
    let mut parts = field.rsplitn(3, ' ');
    let (Some(word), Some(day), Some(article)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let feedback = [Feedback::Answered, Feedback::NeedHelp]
        .into_iter()
        .find(|f| f.as_str() == word)
        .ok_or_else(bad)?;
    Ok(FeedbackCount {
        article: ArticleId::from(article),
        day: day.parse().map_err(|_| bad())?,
        feedback,
        count,
    })
}

pub(super) fn to_json<T: Serialize>(what: &str, value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| corrupt(what, e))
}

fn from_json<T: DeserializeOwned>(what: &str, raw: &str) -> StoreResult<T> {
    serde_json::from_str(raw).map_err(|e| corrupt(what, e))
}

pub(super) fn all_from_json<T: DeserializeOwned>(
    what: &str,
    raws: &[String],
) -> StoreResult<Vec<T>> {
    raws.iter().map(|raw| from_json(what, raw)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_fields_read_back_whatever_the_article_id() {
        for article in ["kb_1", "odd id"] {
            let field = feedback_field(article, 19_675, Feedback::NeedHelp);
            let count = feedback_count(&field, 3).unwrap();
            assert_eq!(
                (
                    count.article.as_str(),
                    count.day,
                    count.feedback,
                    count.count
                ),
                (article, 19_675, Feedback::NeedHelp, 3)
            );
        }
        assert!(feedback_count("kb_1 x answered", 1).is_err());
        assert!(feedback_count("kb_1 1 maybe", 1).is_err());
    }

    #[test]
    fn shortcuts_are_scoped_and_lower_cased() {
        let mut reply = CannedReply {
            id: "r1".into(),
            site: "demo".into(),
            shortcut: "ÄrGer".into(),
            text: String::new(),
            owner: None,
        };
        assert_eq!(shortcut_field(&reply), "shared ärger");
        reply.owner = Some("a_1".into());
        assert_eq!(shortcut_field(&reply), "agent:a_1 ärger");
    }
}
