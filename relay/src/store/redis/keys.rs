//! Key names, in one place, so the layout documented in the module docs of
//! [`super`] and the keys the code touches cannot drift apart. Lua scripts
//! that discover a key at run time (an agent's open set, read from a
//! conversation) build it from the same prefix and the same spelling; see
//! `lua/*.lua`.

/// Builds every key under one prefix.
#[derive(Debug, Clone)]
pub(super) struct Keys {
    prefix: String,
}

impl Keys {
    pub(super) fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
        }
    }

    /// Passed to scripts that derive keys from ids they read.
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    fn key(&self, parts: &[&str]) -> String {
        let mut key = self.prefix.clone();
        key.extend(parts.iter().copied());
        key
    }

    pub(super) fn sites(&self) -> String {
        self.key(&["sites"])
    }

    pub(super) fn site(&self, id: &str) -> String {
        self.key(&["site:", id])
    }

    pub(super) fn agents(&self) -> String {
        self.key(&["agents"])
    }

    pub(super) fn agent(&self, id: &str) -> String {
        self.key(&["agent:", id])
    }

    pub(super) fn agent_open(&self, id: &str) -> String {
        self.key(&["agent:", id, ":open"])
    }

    pub(super) fn agent_leases(&self, id: &str) -> String {
        self.key(&["agent:", id, ":leases"])
    }

    pub(super) fn agent_email(&self, email: &str) -> String {
        self.key(&["agent-email:", email])
    }

    pub(super) fn session(&self, token_hash: &str) -> String {
        self.key(&["session:", token_hash])
    }

    pub(super) fn visitor(&self, id: &str) -> String {
        self.key(&["visitor:", id])
    }

    pub(super) fn visitor_token(&self, token_hash: &str) -> String {
        self.key(&["visitor-token:", token_hash])
    }

    pub(super) fn visitor_conversations(&self, id: &str) -> String {
        self.key(&["visitor:", id, ":conversations"])
    }

    pub(super) fn visitor_open(&self, id: &str) -> String {
        self.key(&["visitor:", id, ":open"])
    }

    pub(super) fn conversation(&self, id: &str) -> String {
        self.key(&["conversation:", id])
    }

    pub(super) fn messages(&self, id: &str) -> String {
        self.key(&["conversation:", id, ":messages"])
    }

    pub(super) fn client_ids(&self, id: &str) -> String {
        self.key(&["conversation:", id, ":client-ids"])
    }

    pub(super) fn queue(&self) -> String {
        self.key(&["queue"])
    }

    pub(super) fn queue_seq(&self) -> String {
        self.key(&["queue-seq"])
    }
}

/// Whether `id` can name a record. Ids the relay generates never contain
/// `:`; one that does (sent by a client) would alias another record's
/// sub-key (`c_1:messages`), so lookups answer "no such record" for it
/// instead of reading a key of the wrong type.
pub(super) fn addressable(id: &str) -> bool {
    !id.is_empty() && !id.contains(':')
}

/// The one pub/sub channel the Redis bus uses.
pub(crate) fn events_channel(prefix: &str) -> String {
    format!("{prefix}events")
}
