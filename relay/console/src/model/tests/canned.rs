//! Canned replies: the `/shortcut` picker loads a site's replies once,
//! filters them as the agent types, moves its selection with the arrow
//! keys, and inserts a reply with its placeholders filled in; the replies
//! panel checks a reply as the relay would, and non-admins change only
//! their own.

use shared::canned::CannedReply;
use shared::{AgentFrame, AgentId, CannedReplyId, ConversationId, ErrorCode, ServerFrame};

use super::card::card;
use super::*;
use crate::model::Note;

const THANKS: &str = "Thanks {{visitor.name}}, your case is {{case.code}}. — {{agent.name}}";

fn reply(shortcut: &str, text: &str, owner: Option<&str>) -> CannedReply {
    CannedReply {
        id: CannedReplyId::from(format!("cr_{shortcut}").as_str()),
        site: "demo".into(),
        shortcut: shortcut.into(),
        text: text.into(),
        owner: owner.map(AgentId::from),
    }
}

fn replies() -> ServerFrame {
    ServerFrame::CannedReplies {
        site: "demo".into(),
        replies: vec![
            reply("thanks", THANKS, None),
            reply("tracking", "Your parcel is on its way.", Some("a_me")),
            reply("refund", "Refunds take 5 days.", None),
        ],
    }
}

fn shortcuts(m: &Model) -> Vec<String> {
    m.canned_matches().into_iter().map(|r| r.shortcut).collect()
}

/// Signed in with one conversation, c1, whose case code is CASE-1001.
fn with_case() -> (Model, ConversationId) {
    let mut summary = mine("c1", 0);
    summary.case_code = Some("CASE-1001".into());
    (signed_in(vec![summary]), ConversationId::from("c1"))
}

#[test]
fn a_slash_loads_the_sites_replies_once_and_what_follows_filters_them() {
    let (mut m, c1) = with_case();
    assert_eq!(
        m.canned_typed(&c1, "/"),
        Some(AgentFrame::CannedReplies {
            site: "demo".into()
        })
    );
    assert_eq!(m.canned_typed(&c1, "/t"), None, "asked once per site");
    assert!(shortcuts(&m).is_empty(), "nothing known yet");
    m.apply(replies());
    // The agent's own first, then shared ones, each by shortcut.
    assert_eq!(shortcuts(&m), ["tracking", "thanks"]);
    m.canned_typed(&c1, "/THA");
    assert_eq!(shortcuts(&m), ["thanks"]);
    m.canned_typed(&c1, "/x");
    assert!(shortcuts(&m).is_empty());
    // Anything but a slash and a shortcut closes it.
    m.canned_typed(&c1, "/tha nks");
    assert_eq!(m.kb.canned.picker, None);
    m.canned_typed(&c1, "hello /tha");
    assert_eq!(m.kb.canned.picker, None);
}

#[test]
fn arrow_keys_move_the_selection_around_the_list() {
    let (mut m, c1) = with_case();
    m.canned_typed(&c1, "/");
    m.apply(replies());
    assert_eq!(shortcuts(&m), ["tracking", "refund", "thanks"]);
    let selected = |m: &Model| m.kb.canned.picker.as_ref().map(|p| p.selected);
    assert_eq!(selected(&m), Some(0));
    m.canned_move(true);
    m.canned_move(true);
    assert_eq!(selected(&m), Some(2));
    m.canned_move(true);
    assert_eq!(
        selected(&m),
        Some(0),
        "down from the last wraps to the first"
    );
    m.canned_move(false);
    assert_eq!(selected(&m), Some(2), "up from the first wraps to the last");
    // Narrowing the list starts again at its top.
    m.canned_typed(&c1, "/r");
    assert_eq!(
        (shortcuts(&m), selected(&m)),
        (vec!["refund".into()], Some(0))
    );
    m.canned_close();
    assert_eq!(m.canned_pick(None), None, "Escape closed it");
}

#[test]
fn inserting_fills_the_placeholders_from_the_card_the_case_and_the_agent() {
    let (mut m, c1) = with_case();
    m.open(&c1);
    m.canned_typed(&c1, "/tha");
    m.apply(replies());
    // The card is not loaded yet: no name, and no space before the comma.
    assert_eq!(
        m.canned_pick(None).as_deref(),
        Some("Thanks, your case is CASE-1001. — Me")
    );
    assert_eq!(m.kb.canned.picker, None, "inserting closes the list");

    let mut ada = card("k1", &["c1"]);
    ada.contact.name = Some("Ada".into());
    m.apply(ServerFrame::Card(ada));
    m.canned_typed(&c1, "/");
    m.canned_move(true);
    // A click picks by index, whatever is highlighted.
    assert_eq!(
        m.canned_pick(Some(2)).as_deref(),
        Some("Thanks Ada, your case is CASE-1001. — Me")
    );
    m.canned_typed(&c1, "/tr");
    assert_eq!(
        m.canned_pick(None).as_deref(),
        Some("Your parcel is on its way.")
    );
}

#[test]
fn the_panel_checks_a_reply_before_sending_it() {
    let mut m = signed_in(vec![]);
    let demo = "demo".into();
    assert_eq!(m.save_canned(&demo, None, "two words", "x", false), None);
    assert_eq!(
        m.kb.canned.note,
        Some(Note::CannedFailed(ErrorCode::InvalidFrame))
    );
    assert_eq!(m.save_canned(&demo, None, "hi", "   ", false), None);
    assert_eq!(
        m.kb.canned.note,
        Some(Note::CannedFailed(ErrorCode::EmptyText))
    );
    assert_eq!(
        m.save_canned(&demo, None, "/hi", " Hello! ", true),
        Some(AgentFrame::SaveCannedReply {
            site: "demo".into(),
            id: None,
            shortcut: "hi".into(),
            text: "Hello!".into(),
            shared: true,
        })
    );
    assert!(m.canned_changing(&demo));
    m.apply(replies());
    assert!(!m.canned_changing(&demo));
    assert_eq!(m.kb.canned.note, Some(Note::ReplySaved("/hi".into())));

    m.save_canned(&demo, None, "dup", "x", false).unwrap();
    m.apply(ServerFrame::error(ErrorCode::AlreadyExists, "x"));
    assert_eq!(
        m.kb.canned.note,
        Some(Note::CannedFailed(ErrorCode::AlreadyExists))
    );
    assert_eq!(m.banner, None);
}

#[test]
fn agents_who_are_not_admins_change_only_their_own_replies() {
    let mut m = signed_in(vec![]);
    if let Some(me) = m.me.as_mut() {
        me.admin = false;
    }
    let demo = "demo".into();
    m.apply(replies());
    let rows: Vec<(String, bool, bool)> = m
        .canned_rows(&demo)
        .into_iter()
        .map(|r| (r.shortcut, r.shared, r.editable))
        .collect();
    assert_eq!(
        rows,
        [
            ("tracking".into(), false, true),
            ("refund".into(), true, false),
            ("thanks".into(), true, false)
        ]
    );
    assert_eq!(m.save_canned(&demo, None, "mine", "x", true), None);
    assert_eq!(
        m.kb.canned.note,
        Some(Note::CannedFailed(ErrorCode::Forbidden))
    );
    assert!(m.save_canned(&demo, None, "mine", "x", false).is_some());
    assert_eq!(m.delete_canned(&demo, &"cr_refund".into()), None);
    assert_eq!(
        m.delete_canned(&demo, &"cr_tracking".into()),
        Some(AgentFrame::DeleteCannedReply {
            site: "demo".into(),
            id: "cr_tracking".into()
        })
    );
}

#[test]
fn a_reconnect_asks_for_the_replies_again_when_next_wanted() {
    let (mut m, c1) = with_case();
    m.canned_typed(&c1, "/");
    m.apply(replies());
    m.apply(welcome(vec![mine("c1", 0)], vec![]));
    assert!(m.canned_typed(&c1, "/t").is_some());
    assert_eq!(
        shortcuts(&m),
        ["tracking", "thanks"],
        "the known ones meanwhile"
    );
}
