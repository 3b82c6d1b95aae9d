//! Getting participants onto a [`Cluster`]: a visitor with an open
//! conversation on one node, an agent signed in and online on another.
//! Fault tests start from here and hand the sockets to
//! [`crate::chatter::Chatter`]s.

use relay::store::{AgentRecord, Store};
use shared::{AgentId, ConversationSummary, Presence};

use crate::client::Client;
use crate::cluster::{Cluster, ADMIN_EMAIL, ADMIN_PASSWORD};

/// A greeted visitor on one node.
#[derive(Debug)]
pub struct Visitor {
    pub client: Client,
    pub token: String,
    pub conversation: ConversationSummary,
}

/// A visitor on `node` that has started a conversation.
pub async fn visitor_on(cluster: &Cluster, node: usize) -> anyhow::Result<Visitor> {
    let mut client = Client::visitor(cluster.addr(node), "demo", Some(&cluster.origin())).await?;
    let welcome = client.visitor_hello(None, vec![]).await?;
    let conversation = client.start().await?;
    Ok(Visitor {
        client,
        token: welcome.token,
        conversation,
    })
}

/// The admin signed in on `node` and online; returns the socket and the
/// session token (for reconnecting).
pub async fn admin_on(cluster: &Cluster, node: usize) -> anyhow::Result<(Client, String)> {
    agent_on(cluster, node, ADMIN_EMAIL, ADMIN_PASSWORD).await
}

/// An agent signed in on `node` and online.
pub async fn agent_on(
    cluster: &Cluster,
    node: usize,
    email: &str,
    password: &str,
) -> anyhow::Result<(Client, String)> {
    let mut client = Client::agent(cluster.addr(node)).await?;
    let session = client.agent_sign_in(email, password).await?;
    client.set_presence(Presence::Online).await?;
    Ok((client, session))
}

/// An agent that routing sees online with `capacity` places, put straight
/// into the store (no socket, no lease: nothing expires it). For tests
/// about routing, where nobody needs to sign in as it.
pub async fn routable_agent(store: &dyn Store, id: &str, capacity: u32) -> anyhow::Result<AgentId> {
    let agent = AgentId::from(id);
    store
        .create_agent(&AgentRecord {
            id: agent.clone(),
            email: format!("{id}@cluster.test"),
            name: id.to_owned(),
            password_hash: "unused".into(),
            admin: false,
            max_concurrent: capacity,
            created_at_ms: relay::now_ms(),
            disabled: false,
            languages: Vec::new(),
            skills: Vec::new(),
        })
        .await?;
    store
        .set_presence(&agent, Presence::Online, relay::now_ms())
        .await?;
    Ok(agent)
}
