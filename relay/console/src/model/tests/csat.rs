//! A visitor's rating reaching the console: the agent's closed
//! conversation stays listed and carries the rating from the summary.

use shared::csat::Csat;
use shared::{ConversationId, ConversationStatus, ServerFrame};

use super::{mine, signed_in, summary};

#[test]
fn a_rating_after_closing_lands_on_the_agents_conversation() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 2)]);
    let closed = summary("c1", ConversationStatus::Closed, Some("a_me"), 2);
    m.apply(ServerFrame::Conversation(closed.clone()));
    assert_eq!(m.convs.get(&c1).and_then(|c| c.summary.csat.clone()), None);
    let csat = Csat {
        rating: 5,
        comment: Some("Lovely".into()),
        at_ms: 9,
    };
    m.apply(ServerFrame::Conversation(shared::ConversationSummary {
        csat: Some(csat.clone()),
        ..closed
    }));
    let conv = m.convs.get(&c1).expect("still listed");
    assert_eq!(conv.summary.csat.as_ref(), Some(&csat));
    assert_eq!(conv.summary.status, ConversationStatus::Closed);
    assert_eq!(m.list(), vec![c1]);
}
