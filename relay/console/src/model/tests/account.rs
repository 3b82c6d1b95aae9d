//! The account panel: a password change checked before it is sent and its
//! answer on its form (a wrong current password does not sign the console
//! out), signing out everywhere, and an admin disabling and enabling others.

use shared::{AgentFrame, AgentId, AgentProfile, ConversationId, ErrorCode, Presence, ServerFrame};

use super::*;
use crate::model::{Account, Fetch, Model, Note, Phase};

const GOOD: &str = "a-long-new-password";

fn bea(disabled: bool) -> AgentProfile {
    AgentProfile {
        id: AgentId::from("a_bea"),
        email: "bea@example.com".into(),
        name: "Bea".into(),
        admin: false,
        max_concurrent: 2,
        presence: if disabled {
            Presence::Offline
        } else {
            Presence::Online
        },
        disabled,
        languages: vec![],
        skills: vec![],
    }
}

fn team(bea_disabled: bool) -> ServerFrame {
    ServerFrame::Agents {
        agents: vec![bea(bea_disabled), me()],
    }
}

fn disable_bea(disabled: bool) -> AgentFrame {
    AgentFrame::SetAgentDisabled {
        agent: AgentId::from("a_bea"),
        disabled,
    }
}

#[test]
fn a_password_change_is_checked_before_it_is_sent() {
    let mut m = signed_in(vec![]);
    assert_eq!(m.change_password("old", GOOD, "a-long-new-passw0rd"), None);
    assert_eq!(m.account.password, Some(Note::PasswordsDiffer));
    assert_eq!(m.change_password("old", "seven77", "seven77"), None);
    assert_eq!(m.account.password, Some(Note::PasswordTooShort));
    // Eight characters, counted as characters and not bytes.
    assert!(m.change_password("old", "éééééééé", "éééééééé").is_some());
    m.apply(ServerFrame::PasswordChanged);

    assert_eq!(
        m.change_password("old", GOOD, GOOD),
        Some(AgentFrame::ChangePassword {
            current: "old".into(),
            new: GOOD.into()
        })
    );
    assert_eq!(m.account.password, None);
    assert!(m.changing_password());
    assert_eq!(m.change_password("old", GOOD, GOOD), None, "one at a time");

    m.apply(ServerFrame::PasswordChanged);
    assert_eq!(m.account.password, Some(Note::PasswordChanged));
    assert!(!m.changing_password());

    // Closing the panel clears what it said.
    m.forget_account_notes();
    assert_eq!(m.account, Account::default());
}

#[test]
fn a_wrong_current_password_is_told_on_the_form_not_by_signing_out() {
    let mut m = signed_in(vec![]);
    m.change_password("wrong", GOOD, GOOD).unwrap();
    m.apply(ServerFrame::error(ErrorCode::AuthFailed, "x"));
    assert_eq!(m.phase, Phase::SignedIn);
    assert_eq!(m.account.password, Some(Note::CurrentPasswordWrong));
    assert_eq!((m.banner.clone(), m.sign_in_note.clone()), (None, None));

    // With no password change in flight, a refusal is the session's.
    m.apply(ServerFrame::error(ErrorCode::AuthFailed, "x"));
    assert_eq!(m.phase, Phase::SignedOut);
}

#[test]
fn errors_go_to_the_oldest_request_whichever_form_asked() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    assert!(m.open(&c1).contains(&card_request("c1")));
    m.change_password("current", GOOD, GOOD).unwrap();
    m.apply(ServerFrame::error(ErrorCode::Unavailable, "x"));
    assert_eq!(m.card.fetch, Fetch::Failed(ErrorCode::Unavailable));
    assert_eq!(m.account.password, None);
    m.apply(ServerFrame::error(ErrorCode::RateLimited, "x"));
    assert_eq!(
        m.account.password,
        Some(Note::Error(ErrorCode::RateLimited))
    );
    assert!(!m.changing_password());
}

#[test]
fn a_reconnect_forgets_requests_the_old_socket_cannot_answer() {
    let mut m = signed_in(vec![]);
    m.change_password("current", GOOD, GOOD).unwrap();
    m.sign_out_everywhere().unwrap();
    m.apply(welcome(vec![], vec![]));
    assert!(!m.changing_password());
    assert!(!m.signing_out_everywhere());
    assert!(m.change_password("current", GOOD, GOOD).is_some());
}

#[test]
fn signing_out_everywhere_is_sent_once_and_its_close_explained() {
    let mut m = signed_in(vec![]);
    assert_eq!(m.sign_out_everywhere(), Some(AgentFrame::SignOutEverywhere));
    assert_eq!(m.sign_out_everywhere(), None);
    m.apply(ServerFrame::error(ErrorCode::Unavailable, "x"));
    assert_eq!(
        m.account.everywhere,
        Some(Note::Error(ErrorCode::Unavailable))
    );
    assert_eq!(m.phase, Phase::SignedIn);

    m.sign_out_everywhere().unwrap();
    assert_eq!(m.account.everywhere, None);
    m.session_closed();
    assert_eq!(
        (m.phase, m.sign_in_note.clone()),
        (Phase::SignedOut, Some(Note::SignedOutEverywhere))
    );
}

#[test]
fn a_session_ended_elsewhere_says_so_and_a_sign_out_here_does_not() {
    let mut m = signed_in(vec![]);
    m.session_closed();
    assert_eq!(m.sign_in_note, Some(Note::SessionEnded));

    let mut m = signed_in(vec![]);
    m.sign_out();
    m.session_closed();
    assert_eq!((m.phase, m.sign_in_note.clone()), (Phase::SignedOut, None));
}

#[test]
fn admins_disable_and_enable_others_but_never_themselves() {
    let mut m = signed_in(vec![]);
    m.apply(team(false));
    let rows = m.team();
    let names: Vec<_> = rows.iter().map(|r| (r.name.as_str(), r.me)).collect();
    assert_eq!(names, vec![("Bea", false), ("Me", true)]);

    assert_eq!(m.set_agent_disabled(&AgentId::from("a_me"), true), None);
    assert_eq!(m.set_agent_disabled(&AgentId::from("a_nobody"), true), None);
    assert_eq!(m.set_agent_disabled(&AgentId::from("a_bea"), false), None);
    let bea_id = AgentId::from("a_bea");
    assert_eq!(m.set_agent_disabled(&bea_id, true), Some(disable_bea(true)));
    assert_eq!(m.set_agent_disabled(&bea_id, true), None, "in flight");
    assert!(m.team()[0].changing);

    // A list asked for earlier still shows Bea enabled: not the answer.
    m.apply(team(false));
    assert!(m.team()[0].changing);
    assert_eq!(m.account.team, None);
    m.apply(team(true));
    let bea_row = m.team_row(&bea_id).unwrap();
    assert_eq!((bea_row.disabled, bea_row.changing), (true, false));
    assert_eq!(m.account.team, Some(Note::AgentDisabled("Bea".into())));

    assert_eq!(
        m.set_agent_disabled(&bea_id, false),
        Some(disable_bea(false))
    );
    assert_eq!(m.account.team, None);
    m.apply(ServerFrame::error(ErrorCode::Unavailable, "x"));
    assert_eq!(m.account.team, Some(Note::Error(ErrorCode::Unavailable)));
    assert_eq!(m.banner, None);
    m.set_agent_disabled(&bea_id, false).unwrap();
    m.apply(team(false));
    assert_eq!(m.account.team, Some(Note::AgentEnabled("Bea".into())));
}

#[test]
fn only_admins_change_access() {
    let mut m: Model = signed_in(vec![]);
    m.apply(team(false));
    if let Some(me) = m.me.as_mut() {
        me.admin = false;
    }
    assert_eq!(m.set_agent_disabled(&AgentId::from("a_bea"), true), None);
}
