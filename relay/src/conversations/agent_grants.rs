//! An agent session's grants, kept between its messages so that a reply
//! costs one store call, not a read and then a write. Keeping them is safe
//! because the store checks the assignment again, atomically, with every
//! message a grant posts (`NewMessage::assignee`); what a grant carries
//! besides (the site, the offline mark) never changes.

use std::collections::HashMap;

use shared::{ClientMsgId, ConversationId};

use super::actor::{agent_author, Grant};
use super::messages::Posted;
use super::{ConversationService, ServiceResult};
use crate::store::AgentRecord;

/// Grants one session holds at most; past it the oldest are not worth
/// sorting out, so all are dropped (an agent holds a few conversations).
const MAX_HELD: usize = 64;

/// The grants of one agent connection, by conversation.
#[derive(Debug, Default)]
pub struct AgentGrants {
    held: HashMap<ConversationId, Grant>,
}

impl AgentGrants {
    /// The conversation left the agent: its grant would only be refused.
    pub fn forget(&mut self, conversation: &ConversationId) {
        self.held.remove(conversation);
    }

    /// The held grant, if it was made for this agent as it is now (another
    /// sign-in on the socket, or a new name, needs a fresh one).
    fn usable(&self, agent: &AgentRecord, conversation: &ConversationId) -> Option<Grant> {
        self.held
            .get(conversation)
            .filter(|grant| *grant.author() == agent_author(agent))
            .cloned()
    }

    fn keep(&mut self, grant: Grant) {
        if self.held.len() >= MAX_HELD {
            self.held.clear();
        }
        self.held.insert(grant.conversation().clone(), grant);
    }
}

impl ConversationService {
    /// An agent's reply: under the grant the session holds for the
    /// conversation, or one read now. A refusal drops the grant, so the
    /// next message asks the store afresh.
    pub async fn agent_post(
        &self,
        grants: &mut AgentGrants,
        agent: &AgentRecord,
        conversation: &ConversationId,
        client_msg_id: ClientMsgId,
        text: String,
    ) -> ServiceResult<Posted> {
        let grant = match grants.usable(agent, conversation) {
            Some(grant) => grant,
            None => self.agent_grant(agent, conversation).await?,
        };
        let posted = self.post(&grant, client_msg_id, text).await;
        match posted {
            Ok(_) => grants.keep(grant),
            Err(_) => grants.forget(conversation),
        }
        posted
    }
}
