//! Presence leases: which nodes hold an agent's sockets, so that presence
//! is right across nodes. Each node that holds sockets of an agent keeps a
//! lease in `{p}agent:{id}:leases` (a sorted set: node id scored by the
//! lease's expiry, Unix ms) and renews it while the sockets stay. The last
//! node to let go sets the agent offline (one script, so two nodes letting
//! go at once cannot both think the other still holds it). A node that
//! dies lets go of nothing; its leases run out and any node's sweep sets
//! the agent offline. The key has no Redis expiry on purpose: it is the
//! evidence that the agent was held, even if every node was down for a
//! while. Expiries are written with the holding node's clock and compared
//! with the sweeping node's, so the nodes' clocks must agree to within the
//! lease's slack (15 s lease, renewed every 5 s: about 10 s).

use shared::AgentId;

use super::scripts::unexpected;
use super::{keys, RedisStore};
use crate::store::{StoreError, StoreResult};

impl RedisStore {
    pub(super) async fn hold(
        &self,
        node: &str,
        agents: &[AgentId],
        until_ms: u64,
    ) -> StoreResult<()> {
        if agents.is_empty() {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        for agent in agents.iter().filter(|a| keys::addressable(a.as_str())) {
            pipe.zadd(self.keys.agent_leases(agent.as_str()), node, until_ms)
                .ignore();
        }
        self.write_pipe::<()>(&pipe).await
    }

    pub(super) async fn release(
        &self,
        node: &str,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<bool> {
        if !keys::addressable(agent.as_str()) {
            return Err(StoreError::NotFound);
        }
        let mut call = self.scripts.release_presence.prepare_invoke();
        call.key(self.keys.agent(agent.as_str()))
            .key(self.keys.agent_leases(agent.as_str()))
            .arg(node)
            .arg(at_ms);
        let (word, _) = self.eval(&call).await?;
        match word.as_str() {
            "offline" => Ok(true),
            "held" => Ok(false),
            other => Err(unexpected(other)),
        }
    }

    pub(super) async fn expire(&self, now_ms: u64) -> StoreResult<Vec<AgentId>> {
        let mut call = self.scripts.expire_presence.prepare_invoke();
        call.key(self.keys.agents())
            .arg(self.keys.prefix())
            .arg(now_ms);
        let (word, ids) = self.eval(&call).await?;
        match word.as_str() {
            "ok" => Ok(ids.iter().map(|id| AgentId::from(id.as_str())).collect()),
            other => Err(unexpected(other)),
        }
    }
}
