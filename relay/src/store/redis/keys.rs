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

    /// The token hashes of the agent's sessions (for ending them all).
    pub(super) fn agent_sessions(&self, id: &str) -> String {
        self.key(&["agent:", id, ":sessions"])
    }

    pub(super) fn agent_leases(&self, id: &str) -> String {
        self.key(&["agent:", id, ":leases"])
    }

    pub(super) fn agent_email(&self, email: &str) -> String {
        self.key(&["agent-email:", email])
    }

    /// A hashed sign-in key's failure count (see `store::sign_ins`).
    pub(super) fn sign_in_failures(&self, key: &str) -> String {
        self.key(&["sign-in-failures:", key])
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

    /// Waiting conversations; arrivals scored by [`Keys::queue_seq`],
    /// requeued ones below the lowest score (the front).
    pub(super) fn queue(&self) -> String {
        self.key(&["queue"])
    }

    pub(super) fn queue_seq(&self) -> String {
        self.key(&["queue-seq"])
    }

    // Retention's indexes (see `retention`); scripts that reach them from
    // the prefix spell them the same way.

    /// Closed conversation ids, scored by `closed_at_ms`.
    pub(super) fn closed(&self) -> String {
        self.key(&["closed"])
    }

    /// Visitors that were anonymous when last changed, scored by
    /// `created_at_ms`.
    pub(super) fn visitors_by_time(&self) -> String {
        self.key(&["visitors-by-time"])
    }

    /// Set once data stored before those indexes has been indexed.
    pub(super) fn retention_indexed(&self) -> String {
        self.key(&["retention-indexed"])
    }

    // The customer record. Scripts that follow a merge build a contact's
    // sub-keys from the prefix with these same spellings (`lua/prelude.lua`).

    pub(super) fn contact(&self, id: &str) -> String {
        self.key(&["contact:", id])
    }

    pub(super) fn contact_identities(&self, id: &str) -> String {
        self.key(&["contact:", id, ":identities"])
    }

    pub(super) fn contact_attrs(&self, id: &str) -> String {
        self.key(&["contact:", id, ":attrs"])
    }

    pub(super) fn contact_timeline(&self, id: &str) -> String {
        self.key(&["contact:", id, ":timeline"])
    }

    pub(super) fn contact_visitors(&self, id: &str) -> String {
        self.key(&["contact:", id, ":visitors"])
    }

    pub(super) fn contact_proposals(&self, id: &str) -> String {
        self.key(&["contact:", id, ":proposals"])
    }

    pub(super) fn item(&self, id: &str) -> String {
        self.key(&["item:", id])
    }

    pub(super) fn site_contacts(&self, site: &str) -> String {
        self.key(&["site:", site, ":contacts"])
    }

    /// The site's audit log (see `lua/erase_contact.lua`).
    pub(super) fn site_audit(&self, site: &str) -> String {
        self.key(&["site:", site, ":audit"])
    }

    /// The key layout's version (see `RedisStore::check_format`).
    pub(super) fn format(&self) -> String {
        self.key(&["format"])
    }

    /// Set once every contact's name is in its site's name index.
    pub(super) fn names_indexed(&self) -> String {
        self.key(&["names-indexed"])
    }

    pub(super) fn site_names(&self, site: &str) -> String {
        self.key(&["site:", site, ":names"])
    }

    /// `kind` as serde spells it (`email`); `value` normalised.
    pub(super) fn identity(&self, site: &str, kind: &str, value: &str) -> String {
        self.key(&["site:", site, ":identity:", kind, ":", value])
    }

    pub(super) fn external(&self, site: &str, external_id: &str) -> String {
        self.key(&["site:", site, ":external:", external_id])
    }

    pub(super) fn case_seq(&self, site: &str) -> String {
        self.key(&["site:", site, ":case-seq"])
    }

    pub(super) fn case(&self, site: &str, code: &str) -> String {
        self.key(&["site:", site, ":case:", code])
    }

    pub(super) fn visitor_contact(&self, id: &str) -> String {
        self.key(&["visitor:", id, ":contact"])
    }

    pub(super) fn merge_proposal(&self, id: &str) -> String {
        self.key(&["merge-proposal:", id])
    }

    // The knowledge base and canned replies (see `knowledge`). Scripts that
    // reach an article's old translation group get the group key without
    // its id ([`Keys::kb_group`] of `""`) and append the id.

    /// One article's JSON.
    pub(super) fn kb_article(&self, site: &str, id: &str) -> String {
        self.key(&["site:", site, ":kb:article:", id])
    }

    /// The article's revisions' JSON, newest first.
    pub(super) fn kb_revisions(&self, site: &str, id: &str) -> String {
        self.key(&["site:", site, ":kb:article:", id, ":revisions"])
    }

    /// The site's article ids.
    pub(super) fn kb_articles(&self, site: &str) -> String {
        self.key(&["site:", site, ":kb:articles"])
    }

    /// `lang slug` → article id.
    pub(super) fn kb_slugs(&self, site: &str) -> String {
        self.key(&["site:", site, ":kb:slugs"])
    }

    /// A translation group: lang → article id.
    pub(super) fn kb_group(&self, site: &str, group: &str) -> String {
        self.key(&["site:", site, ":kb:group:", group])
    }

    /// Category id → category JSON.
    pub(super) fn kb_categories(&self, site: &str) -> String {
        self.key(&["site:", site, ":kb:categories"])
    }

    /// `article day feedback` → count.
    pub(super) fn kb_feedback(&self, site: &str) -> String {
        self.key(&["site:", site, ":kb:feedback"])
    }

    /// Canned reply id → reply JSON.
    pub(super) fn canned(&self, site: &str) -> String {
        self.key(&["site:", site, ":canned"])
    }

    /// `scope shortcut` (lower-cased) → canned reply id.
    pub(super) fn canned_shortcuts(&self, site: &str) -> String {
        self.key(&["site:", site, ":canned:shortcuts"])
    }

    /// Canned reply id → the `scope shortcut` field it holds, so a rename
    /// or a delete frees exactly that field.
    pub(super) fn canned_held(&self, site: &str) -> String {
        self.key(&["site:", site, ":canned:held"])
    }

    // Report roll-ups (see `reports`).

    /// One roll-up row: its counters as 32-bit big-endian integers by
    /// slot, grown with `BITFIELD … OVERFLOW SAT INCRBY u32 #slot`. The
    /// row key (`channel:chat`, `agent:{id}`) is opaque and may hold `:`.
    pub(super) fn report_row(&self, site: &str, bucket_ms: u64, row: &str) -> String {
        self.key(&[
            "site:",
            site,
            ":report-row:",
            &bucket_ms.to_string(),
            ":",
            row,
        ])
    }

    /// The site's rows: member [`report_row_member`], scored by the
    /// bucket's start, so a period is one `ZRANGEBYSCORE`.
    pub(super) fn report_rows(&self, site: &str) -> String {
        self.key(&["site:", site, ":report-rows"])
    }

    /// Set once the fact with this key has been counted (expires).
    pub(super) fn report_fact(&self, site: &str, key: &str) -> String {
        self.key(&["site:", site, ":report-fact:", key])
    }
}

/// A row's member in [`Keys::report_rows`]: `{bucket_ms}:{row}`; the
/// bucket holds no `:`, so the first one splits them.
pub(super) fn report_row_member(bucket_ms: u64, row: &str) -> String {
    format!("{bucket_ms}:{row}")
}

/// The bucket and row key of a [`report_row_member`], if it is one.
pub(super) fn report_row_of_member(member: &str) -> Option<(u64, &str)> {
    let (bucket, row) = member.split_once(':')?;
    Some((bucket.parse().ok()?, row))
}

/// Whether `id` can name a record. Ids the relay generates never contain
/// `:`; one that does (sent by a client) would alias another record's
/// sub-key (`c_1:messages`), so lookups answer "no such record" for it
/// instead of reading a key of the wrong type.
pub(super) fn addressable(id: &str) -> bool {
    !id.is_empty() && !id.contains(':')
}
