//! Property tests of the three parsers that read what an attacker (or a
//! crash) hands the relay: the frame decoder, the identity-token verifier
//! and the journal reader. Each runs a fixed number of generated cases
//! (bounded, part of the test command): none may panic; the decoder and
//! the verifier answer every input with a value or a typed refusal; a
//! token changed anywhere is refused; a damaged journal either opens with
//! what was written before the damage or refuses to open, naming the
//! byte offset, and never crashes the relay.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use relay::identity::jwt::{sign, verify};
use relay::store::embedded::EmbeddedStore;
use relay::store::{NewMessage, Store, StoreError, VisitorRecord};
use relay::ws::codec;
use serde_json::json;
use shared::{AgentFrame, Author, Role, VisitorFrame};

const SITE: &str = "demo";
const SECRET: &[u8] = b"a-site-secret-of-enough-length!!";
const NOW: u64 = 1_700_000_000;

/// Valid frames of both roles, for mutation.
fn frames() -> Vec<String> {
    vec![
        r#"{"type":"hello","protocol":1,"site":"demo","visitor_token":"t","resume":[{"conversation":"c1","after_seq":3}]}"#.into(),
        r#"{"type":"send","conversation":"c1","client_msg_id":"m1","text":"hello"}"#.into(),
        r#"{"type":"start","details":{"name":"Ada","email":"ada@example.com"}}"#.into(),
        r#"{"type":"hello","protocol":1,"auth":{"method":"password","email":"a@b.c","password":"pw"}}"#.into(),
        r#"{"type":"timeline","contact":"ct1","before":{"at_ms":5,"id":"it1"}}"#.into(),
    ]
}

/// A frame with one byte replaced, inserted or removed.
fn mutated_frame() -> impl Strategy<Value = String> {
    (0..frames().len(), any::<usize>(), any::<u8>(), 0..3u8).prop_map(|(i, at, byte, how)| {
        let mut bytes = frames()[i].clone().into_bytes();
        let at = at % bytes.len();
        match how {
            0 => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            _ => {
                bytes.remove(at);
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn token() -> String {
    sign(
        &json!({"sub": "user-1", "email": "a@example.com", "exp": NOW + 600}),
        SECRET,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn any_text_decodes_or_is_refused_with_a_code(text in any::<String>()) {
        let _ = codec::decode::<VisitorFrame>(&text, VisitorFrame::TYPES);
        let _ = codec::decode::<AgentFrame>(&text, AgentFrame::TYPES);
    }

    #[test]
    fn damaged_frames_decode_or_are_refused(text in mutated_frame()) {
        let visitor = codec::decode::<VisitorFrame>(&text, VisitorFrame::TYPES);
        let agent = codec::decode::<AgentFrame>(&text, AgentFrame::TYPES);
        for refusal in [visitor.err(), agent.err()].into_iter().flatten() {
            prop_assert!(!refusal.message.is_empty());
        }
    }

    #[test]
    fn any_token_is_verified_or_refused(text in any::<String>()) {
        let _ = verify(&text, SITE, SECRET, NOW);
    }

    #[test]
    fn a_token_changed_anywhere_is_refused(at in any::<usize>(), byte in any::<u8>()) {
        let good = token();
        prop_assert!(verify(&good, SITE, SECRET, NOW).is_ok());
        let mut bytes = good.clone().into_bytes();
        let at = at % bytes.len();
        prop_assume!(bytes[at] != byte);
        bytes[at] = byte;
        let changed = String::from_utf8_lossy(&bytes).into_owned();
        prop_assume!(changed != good);
        prop_assert!(verify(&changed, SITE, SECRET, NOW).is_err(), "{changed}");
    }
}

/// A journal with a visitor, a conversation and `messages` messages.
fn written_journal(dir: &std::path::Path, messages: u64) -> Vec<u8> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = EmbeddedStore::open(dir).unwrap();
        let visitor = VisitorRecord {
            id: "v1".into(),
            site: SITE.into(),
            token_hash: "h".into(),
            created_at_ms: 1,
        };
        store.create_visitor(&visitor).await.unwrap();
        let (conversation, _) = store
            .open_conversation(&visitor, &"c1".into(), 1)
            .await
            .unwrap();
        for n in 1..=messages {
            let message = NewMessage {
                conversation: conversation.id.clone(),
                client_msg_id: format!("m{n}").as_str().into(),
                author: Author {
                    role: Role::Visitor,
                    agent: None,
                    name: None,
                },
                text: format!("message {n} with some text"),
                at_ms: n,
                assignee: None,
                report: None,
            };
            store.append_message(&message).await.unwrap();
        }
    });
    std::fs::read(dir.join("journal.jsonl")).unwrap()
}

/// Opens the journal in `dir` and counts the messages it holds.
fn reopen(dir: &std::path::Path) -> Result<usize, StoreError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = EmbeddedStore::open(dir)?;
        Ok(store.messages_after(&"c1".into(), 0, 1_000).await?.len())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_damaged_journal_opens_with_its_good_part_or_names_the_offset(
        at in any::<usize>(),
        byte in any::<u8>(),
        how in 0..3u8,
    ) {
        let original = tempfile::tempdir().unwrap();
        let journal = written_journal(original.path(), 20);
        let at = at % journal.len();
        let damaged = match how {
            0 => journal[..at].to_vec(),
            1 => {
                let mut bytes = journal.clone();
                bytes[at] = byte;
                bytes
            }
            _ => {
                let mut bytes = journal.clone();
                bytes.splice(at..at, [byte, b'{', b'\n']);
                bytes
            }
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("journal.jsonl"), &damaged).unwrap();
        match reopen(dir.path()) {
            Ok(messages) => prop_assert!(messages <= 20),
            Err(StoreError::Corrupt(why)) => prop_assert!(why.contains("byte offset"), "{why}"),
            Err(other) => prop_assert!(false, "unexpected refusal: {other}"),
        }
    }
}
