//! Taking an agent's access back, in Redis: ending all its sessions (one
//! script over `agent:{id}:sessions`, the index `create_session` keeps),
//! and changing its password hash or its disabled flag (one script each
//! way, refusing an unknown agent).

use shared::AgentId;

use super::RedisStore;
use crate::store::{StoreError, StoreResult};

impl RedisStore {
    pub(super) async fn end_sessions(
        &self,
        agent: &AgentId,
        keep: Option<&str>,
    ) -> StoreResult<usize> {
        let mut call = self.scripts.end_agent_sessions.prepare_invoke();
        call.key(self.keys.agent_sessions(agent.as_str()))
            .arg(self.keys.prefix())
            .arg(keep.unwrap_or_default());
        let reply = self.eval_ok(&call).await?;
        reply
            .first()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| StoreError::Corrupt("end_agent_sessions reply".into()))
    }

    pub(super) async fn set_agent_field(
        &self,
        agent: &AgentId,
        field: &str,
        value: &str,
    ) -> StoreResult<()> {
        let mut call = self.scripts.set_agent_field.prepare_invoke();
        call.key(self.keys.agent(agent.as_str()))
            .arg(field)
            .arg(value);
        self.eval_ok(&call).await.map(drop)
    }
}
