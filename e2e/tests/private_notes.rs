//! Private notes over real sockets, on both stores: an agent's note
//! reaches another agent watching the conversation and is listed by
//! `notes` and on the customer card's timeline as a `note` item, while the
//! visitor, connected the whole time, reconnecting with resume points and
//! starting afresh with a replay, never receives a frame that holds it
//! (checked on the raw JSON text). Markup in a note is stored as text;
//! an empty note and a note on an unknown conversation are refused.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{bail, Context};
use e2e::both_backends;
use e2e::client::{Client, WAIT};
use e2e::kb;
use e2e::relay_harness::{Backend, TestRelay};
use futures_util::{SinkExt, StreamExt};
use shared::canned::Note;
use shared::card::PrechatDetails;
use shared::contacts::Channel;
use shared::{
    AgentFrame, ConversationId, ErrorCode, ResumePoint, ServerFrame, VisitorFrame, PROTOCOL_VERSION,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

both_backends!(
    notes_reach_agents_and_never_the_visitor,
    empty_and_misdirected_notes_are_refused
);

const NOTE: &str = "VIP customer: refund approved by Lee";
const BEA: &str = "bea@example.com";
/// The visitor's last message: a replay is complete once it arrives.
const LAST: &str = "still there?";
const MARKUP: &str = "<script>alert('x')</script> & <b>bold</b>";
/// How long a visitor socket is listened to after its last expected frame.
const QUIET: Duration = Duration::from_millis(1_500);

/// A visitor socket that keeps every frame's raw JSON text.
struct RawVisitor {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    seen: Vec<String>,
}

impl RawVisitor {
    async fn connect(addr: SocketAddr) -> anyhow::Result<Self> {
        let mut request = format!("ws://{addr}/ws/visitor?site=demo").into_client_request()?;
        let origin = format!("http://127.0.0.1:{}", addr.port());
        request.headers_mut().insert("origin", origin.parse()?);
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Self {
            socket,
            seen: Vec::new(),
        })
    }

    async fn send(&mut self, frame: &VisitorFrame) -> anyhow::Result<()> {
        let text = serde_json::to_string(frame)?;
        self.socket.send(Message::Text(text.into())).await?;
        Ok(())
    }

    /// Reads (keeping the raw text) until a frame matches; returns it.
    async fn until(
        &mut self,
        wanted: impl Fn(&ServerFrame) -> bool,
    ) -> anyhow::Result<ServerFrame> {
        loop {
            let next = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .context("the visitor waited in vain")?;
            let Some(Ok(Message::Text(text))) = next else {
                match next {
                    Some(Ok(_)) => continue,
                    other => bail!("the visitor socket ended: {other:?}"),
                }
            };
            self.seen.push(text.to_string());
            let frame: ServerFrame = serde_json::from_str(&text)?;
            if wanted(&frame) {
                return Ok(frame);
            }
        }
    }

    /// Everything that arrives within [`QUIET`].
    async fn drain(&mut self) {
        let deadline = tokio::time::Instant::now() + QUIET;
        while let Ok(Some(Ok(message))) =
            tokio::time::timeout_at(deadline, self.socket.next()).await
        {
            if let Message::Text(text) = message {
                self.seen.push(text.to_string());
            }
        }
    }

    async fn hello(
        &mut self,
        token: Option<&str>,
        resume: Vec<ResumePoint>,
    ) -> anyhow::Result<String> {
        self.send(&VisitorFrame::Hello {
            protocol: PROTOCOL_VERSION,
            site: "demo".into(),
            visitor_token: token.map(str::to_owned),
            resume,
        })
        .await?;
        match self
            .until(|f| matches!(f, ServerFrame::Welcome { .. } | ServerFrame::Error { .. }))
            .await?
        {
            ServerFrame::Welcome { visitor_token, .. } => Ok(visitor_token),
            other => bail!("expected welcome, got {other:?}"),
        }
    }

    /// Says `text` and waits for its ack: everything published before it
    /// on this conversation has been delivered by then.
    async fn say(
        &mut self,
        conversation: &ConversationId,
        id: &str,
        text: &str,
    ) -> anyhow::Result<()> {
        self.send(&VisitorFrame::Send {
            conversation: conversation.clone(),
            client_msg_id: id.into(),
            text: text.into(),
        })
        .await?;
        self.until(
            |f| matches!(f, ServerFrame::Ack { client_msg_id, .. } if client_msg_id.as_str() == id),
        )
        .await?;
        Ok(())
    }

    /// Fails if any frame this socket received is a note or holds a note's text.
    fn never_saw_a_note(&self, when: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            !self.seen.is_empty(),
            "{when}: the visitor received nothing"
        );
        let leak = |t: &&String| {
            t.contains("refund approved") || t.contains("<script>") || t.contains(r#""type":"note"#)
        };
        match self.seen.iter().find(leak) {
            Some(leak) => bail!("{when}: the visitor received a note: {leak}"),
            None => Ok(()),
        }
    }

    /// Another connection of the visitor `token`, replaying the transcript
    /// (asked in its `hello`, or afterwards) and listened to a while.
    async fn replay(
        addr: SocketAddr,
        token: &str,
        point: ResumePoint,
        in_hello: bool,
    ) -> anyhow::Result<Self> {
        let mut visitor = Self::connect(addr).await?;
        if in_hello {
            visitor.hello(Some(token), vec![point]).await?;
        } else {
            visitor.hello(Some(token), vec![]).await?;
            visitor.send(&VisitorFrame::Resume(point)).await?;
        }
        visitor
            .until(|f| matches!(f, ServerFrame::Message(m) if m.text == LAST))
            .await?;
        visitor.drain().await;
        Ok(visitor)
    }
}

/// Sends `frame` and returns the next note, notes, card or error frame.
async fn ask(agent: &mut Client, frame: AgentFrame) -> anyhow::Result<ServerFrame> {
    agent.send(&frame).await?;
    agent
        .recv_until(|f| {
            matches!(
                f,
                ServerFrame::Note(_)
                    | ServerFrame::Notes { .. }
                    | ServerFrame::Card(_)
                    | ServerFrame::Error { .. }
            )
        })
        .await
}

/// The note `add_note` answers with.
async fn add_note(agent: &mut Client, conv: &ConversationId, text: &str) -> anyhow::Result<Note> {
    let text = text.into();
    let frame = AgentFrame::AddNote {
        conversation: conv.clone(),
        text,
    };
    match ask(agent, frame).await? {
        ServerFrame::Note(note) => Ok(note),
        other => bail!("add_note answered {other:?}"),
    }
}

/// A demo visitor who gave a name and email and asked something; the
/// conversation waits (no agent is online) and the visitor's token.
async fn visitor_waiting(
    relay: &TestRelay,
) -> anyhow::Result<(RawVisitor, ConversationId, String)> {
    let mut visitor = RawVisitor::connect(relay.addr()).await?;
    let token = visitor.hello(None, vec![]).await?;
    let (name, email) = (Some("Ada".into()), Some("ada@example.com".into()));
    let details = Some(PrechatDetails {
        name,
        email,
        phone: None,
    });
    visitor.send(&VisitorFrame::start(details)).await?;
    let acked = visitor.until(|f| matches!(f, ServerFrame::Acknowledgement(_)));
    let ServerFrame::Acknowledgement(ack) = acked.await? else {
        unreachable!()
    };
    visitor
        .say(&ack.conversation, "m1", "where is my refund?")
        .await?;
    Ok((visitor, ack.conversation, token))
}

async fn notes_reach_agents_and_never_the_visitor(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let addr = relay.addr();
    let (mut visitor, conversation, token) = visitor_waiting(&relay).await?;

    let mut admin = kb::admin(addr).await?;
    admin.add_agent(BEA, "Bea", "bea-password-1").await?;
    let mut bea = Client::agent(addr).await?;
    bea.agent_sign_in(BEA, "bea-password-1").await?;
    // Bea reads the waiting conversation, and so follows it live.
    bea.send(&AgentFrame::Resume(ResumePoint {
        conversation: conversation.clone(),
        after_seq: 0,
    }))
    .await?;
    bea.message(&conversation, 1).await?;

    let note = add_note(&mut admin, &conversation, NOTE).await?;
    assert_eq!(
        (note.text.as_str(), &note.conversation),
        (NOTE, &conversation)
    );
    let pushed = bea
        .recv_until(|f| matches!(f, ServerFrame::Note(_)))
        .await?;
    assert_eq!(
        pushed,
        ServerFrame::Note(note.clone()),
        "Bea, watching, hears of it"
    );
    let markup = add_note(&mut admin, &conversation, MARKUP).await?;
    assert_eq!(markup.text, MARKUP, "markup is kept as the text it is");

    // The visitor, connected all along: nothing up to its next ack, nor after.
    visitor.say(&conversation, "m2", LAST).await?;
    visitor.drain().await;
    visitor.never_saw_a_note("connected")?;
    // Replays (resume points in the hello, or a fresh hello and a resume)
    // bring the transcript back, not the notes.
    let point = ResumePoint {
        conversation: conversation.clone(),
        after_seq: 0,
    };
    RawVisitor::replay(addr, &token, point.clone(), true)
        .await?
        .never_saw_a_note("resumed")?;
    RawVisitor::replay(addr, &token, point, false)
        .await?
        .never_saw_a_note("fresh hello")?;

    let listed = ask(
        &mut admin,
        AgentFrame::Notes {
            conversation: conversation.clone(),
        },
    )
    .await?;
    let ServerFrame::Notes { notes, .. } = listed else {
        bail!("notes answered {listed:?}");
    };
    assert_eq!(notes, vec![note.clone(), markup.clone()], "oldest first");

    let ServerFrame::Card(card) = ask(
        &mut admin,
        AgentFrame::Card {
            conversation: conversation.clone(),
        },
    )
    .await?
    else {
        bail!("no card");
    };
    let item = card
        .timeline
        .iter()
        .find(|i| i.id == note.id)
        .context("the note is not on the customer's timeline")?;
    assert_eq!((item.channel, item.text.as_str()), (Channel::Note, NOTE));
    assert_eq!(serde_json::to_value(item)?["channel"], "note");
    assert_eq!(item.conversation.as_ref(), Some(&conversation));
    assert!(card
        .timeline
        .iter()
        .any(|i| i.id == markup.id && i.text == MARKUP));

    visitor.drain().await;
    visitor.never_saw_a_note("at the end")?;
    relay.stop().await;
    Ok(())
}

async fn empty_and_misdirected_notes_are_refused(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let (_visitor, conversation, _) = visitor_waiting(&relay).await?;
    let mut admin = kb::admin(relay.addr()).await?;
    for (conversation, text, code) in [
        (conversation.clone(), "   ", ErrorCode::EmptyText),
        (
            ConversationId::from("c_nobody"),
            "hello",
            ErrorCode::NotFound,
        ),
    ] {
        let refused = ask(
            &mut admin,
            AgentFrame::AddNote {
                conversation,
                text: text.into(),
            },
        )
        .await?;
        assert!(
            matches!(refused, ServerFrame::Error { code: c, .. } if c == code),
            "{text:?}: {refused:?}"
        );
    }
    let listed = ask(&mut admin, AgentFrame::Notes { conversation }).await?;
    assert!(matches!(listed, ServerFrame::Notes { notes, .. } if notes.is_empty()));
    relay.stop().await;
    Ok(())
}
