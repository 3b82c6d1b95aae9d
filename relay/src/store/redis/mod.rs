//! The Redis store: several relay nodes share one Redis, and every
//! cross-node decision (assigning, transferring, requeueing, closing,
//! reopening, numbering messages, claiming an email or a contact's
//! identity, merging contacts) is one Lua script, so it is atomic however many nodes race (DESIGN
//! principle 5). Reads are plain commands or pipelines. Values are plain hash fields so other systems can read a
//! customer's record with `redis-cli`; the layout below is a public
//! contract (the README copies it).
//!
//! | key (`{p}` = prefix, e.g. `sb:`) | type | contents |
//! | --- | --- | --- |
//! | `{p}sites` | set | site ids |
//! | `{p}site:{id}` | hash | `name`, `origins` (JSON array), `languages` (JSON array), `identity_secret`, `previous_identity_secret` and `previous_secret_until_ms` (the secret before the last rotation and when it stops being accepted; empty when none), `api_key_hashes` (JSON array of SHA-256 hex), `prechat_form` (`1`/`0`), `hours` (JSON `OpeningHours`; empty when always staffed), `routing` (JSON `shared::routing::SiteRouting`: teams, topics, widening, reassignment, priority, offline form; absent reads as the defaults) |
//! | `{p}agents` | list | agent ids in creation order |
//! | `{p}agent:{id}` | hash | `email`, `name`, `password_hash`, `admin` (`1`/`0`), `max_concurrent`, `created_at_ms`, `presence` (`online`/`away`/`offline`), `last_activity_ms`, `disabled` (`1` while an admin has disabled it), `languages` and `skills` (JSON arrays of BCP 47 tags and skill slugs; absent reads as empty) |
//! | `{p}agent:{id}:sessions` | set | token hashes of the agent's sessions (to end them all); expires with the newest session |
//! | `{p}agent:{id}:open` | set | the agent's open conversation ids (its load is `SCARD`) |
//! | `{p}agent:{id}:leases` | sorted set | node ids holding the agent's sockets, scored by lease expiry (see `presence`) |
//! | `{p}agent-email:{email}` | string | agent id (claimed with `SET NX`: emails are unique) |
//! | `{p}session:{token_hash}` | hash | `agent`, `expires_at_ms`; expires in Redis a minute after `expires_at_ms` |
//! | `{p}sign-in-failures:{sha256}` | hash | `count`, `last` (ms): failed sign-ins of one account or address (the key is a hash of it); expires an hour after the last failure |
//! | `{p}visitor:{id}` | hash | `site`, `token_hash`, `created_at_ms`; `proven` = `1` once a signed identity linked it (only proven visitors read their contact's other proven visitors' chats) |
//! | `{p}visitor-token:{token_hash}` | string | visitor id |
//! | `{p}visitor:{id}:conversations` | list | conversation ids, oldest first |
//! | `{p}visitor:{id}:open` | string | the visitor's open conversation id (deleted on close, set again on reopen) |
//! | `{p}conversation:{id}` | hash | `site`, `visitor`, `status` (`waiting`/`assigned`/`closed`), `agent`, `agent_name`, `last_seq`, `created_at_ms`, `closed_at_ms` (fields absent while unset), `case_number` (the code is `CASE-` and 1000 + it; drawn from `site:{s}:case-seq`), `version` (1 when opened, +1 on every message, assignment, transfer, requeue, close and reopen: sessions drop conversation events older than the version they hold), `visitor_seen_ms` (when a node last saw the visitor's socket on it: a waiting conversation unseen for `SWITCHBOARD_ABANDON_AFTER_SECS` is closed), `route` (JSON `shared::routing::Route`: language, topic, team, skill, priority, offline, `returned`, `returned_from`, `queued_at_ms`, `matched`; absent reads as the default), `assigned_at_ms` (when the current agent got it; absent while waiting), `agent_replied_at_ms` (when an agent last wrote in it), `csat` (JSON `shared::csat::Csat`, once rated after closing; the rating adds 1 to `version`) |
//! | `{p}conversation:{id}:messages` | list | messages as JSON (`shared::ChatMessage`); element `i` has seq `i + 1` |
//! | `{p}conversation:{id}:client-ids` | hash | client message id → seq (deduplicates resends) |
//! | `{p}queue` | sorted set | waiting conversation ids, scored by `{p}queue-seq`; one sent back (requeued) goes to the front, scored one below the lowest |
//! | `{p}queue-seq` | string | counter giving the queue a strict arrival order |
//! | `{p}closed` | sorted set | closed conversation ids, scored by `closed_at_ms`: retention finds the old ones without a scan (`store::retention`) |
//! | `{p}visitors-by-time` | sorted set | ids of visitors anonymous when last changed (no contact, no conversation), scored by `created_at_ms`: retention's candidates |
//! | `{p}retention-indexed` | string | `1` once visitors and closed conversations stored before those two indexes have been indexed (done by the first retention sweep) |
//! | `{p}events` | pub/sub channel | bus events as JSON (see `bus::redis`); a new message's event is published by the script that appends it |
//! | `{p}contact:{id}` | hash | `site`, `name`, `created_at_ms`; `name_words` (the words indexed in `site:{s}:names`, space-separated); once merged away only `site`, `created_at_ms` and `merged_into` (the surviving contact's id) |
//! | `{p}contact:{id}:identities` | hash | `kind:value` → `1` (verified) / `0`, e.g. `email:ada@example.com` → `1` |
//! | `{p}contact:{id}:attrs` | hash | attribute → value |
//! | `{p}contact:{id}:timeline` | sorted set | timeline item ids, scored by `at_ms` |
//! | `{p}contact:{id}:visitors` | set | visitor ids linked to the contact |
//! | `{p}contact:{id}:proposals` | set | open merge proposal ids involving the contact |
//! | `{p}contact:{id}:merged` | set | ids of the records merged into the contact (their forwarding records go when it is erased) |
//! | `{p}item:{id}` | hash | a timeline item: `contact`, `site`, `channel` (`email`/`phone`/`sms`/`social`/`web_form`/`chat`/`system`/`note`), `direction` (`in`/`out`), `at_ms`, `text`, and when set `agent`, `case_code`, `external_id`, `conversation`, `csat` (JSON `shared::csat::Csat`) |
//! | `{p}site:{s}:contacts` | set | the site's live contact ids |
//! | `{p}site:{s}:names` | sorted set | `word:contact_id` for each word of each live contact's name (lower-cased letters and digits, score 0): search finds names by a word's prefix with `ZRANGEBYLEX` |
//! | `{p}site:{s}:audit` | list | the site's audit log, newest first: JSON `{at_ms, by, action, subject, counts}` (`action` `contact_erased`: who erased which contact, and how many records, items, visitors, conversations and messages it touched) |
//! | `{p}format` | string | the key layout's version (`1`): a relay refuses a newer one and migrates an older one |
//! | `{p}names-indexed` | string | `1` once contacts stored before the name index have been indexed (done at startup) |
//! | `{p}site:{s}:identity:{kind}:{value}` | string | the contact holding the identity (value normalised) |
//! | `{p}site:{s}:external:{external_id}` | string | the item pushed with that external id (pushes are idempotent) |
//! | `{p}site:{s}:case-seq` | string | the site's case counter (`INCR`) |
//! | `{p}site:{s}:case:{code}` | string | the first item carrying the case code, e.g. `CASE-1001` |
//! | `{p}visitor:{id}:contact` | string | the contact the visitor is linked to |
//! | `{p}merge-proposal:{id}` | hash | `from`, `into`, `kind`, `value`, `verified`, `created_at_ms` |
//! | `{p}merge-pair:{a}:{b}` | string | the open proposal for the pair (ids sorted): one proposal per pair |
//! | `{p}site:{s}:kb:articles` | set | the site's knowledge-base article ids |
//! | `{p}site:{s}:kb:article:{id}` | string | the article as JSON (`shared::knowledge::Article`: `id`, `site`, `group`, `lang`, `slug`, `title`, `body`, `category`, `status`, `revision`, `updated_at_ms`, `updated_by`) |
//! | `{p}site:{s}:kb:article:{id}:revisions` | list | the article's revisions as JSON (`shared::knowledge::Revision`), newest first; deleted with the article |
//! | `{p}site:{s}:kb:slugs` | hash | `lang slug` (a space between) → article id: one article per slug and language |
//! | `{p}site:{s}:kb:group:{group}` | hash | a translation group: lang → article id (one article per language) |
//! | `{p}site:{s}:kb:categories` | hash | category id → category JSON (`id`, `site`, `name`, `position`) |
//! | `{p}site:{s}:kb:feedback` | hash | `article day feedback` (day = `at_ms` / 86,400,000; feedback `answered`/`need_help`) → how many visitors said so |
//! | `{p}site:{s}:canned` | hash | canned reply id → reply JSON (`id`, `site`, `shortcut`, `text`, `owner` for a personal one) |
//! | `{p}site:{s}:canned:shortcuts` | hash | `scope shortcut` → reply id, the scope `shared` or `agent:{owner}`, the shortcut lower-cased: one reply per shortcut and scope |
//! | `{p}site:{s}:canned:held` | hash | reply id → the `scope shortcut` field it holds (a rename or a delete frees exactly that one) |
//! | `{p}site:{s}:report-row:{bucket_ms}:{row}` | string | a report roll-up row: its counters as 32-bit big-endian unsigned integers, slot after slot (`relay/src/reports/layout.rs`), grown with `BITFIELD … OVERFLOW SAT INCRBY u32 #{slot}`. `bucket_ms` is the start of a UTC hour (volume rows) or of the site's local day (the rest); `row` is `channel:{channel}` or `agent:{agent id}` and may itself hold `:` |
//! | `{p}site:{s}:report-rows` | sorted set | the site's rows as `{bucket_ms}:{row}` (split at the first `:`), scored by `bucket_ms`: a period is one `ZRANGEBYSCORE` |
//! | `{p}site:{s}:report-fact:{key}` | string | `1` once the report fact with that key (`{conversation}:opened`, `:waited`, `:first_response`, `:resolved`, `:transfer:{version}`, `:reopen:{version}`, `:csat`, `item:{id}`, `item:{id}:csat`, `kb:{article}:{id}`) has been added to the roll-ups (`SET NX` in the same script as the `BITFIELD`s, so it counts once); expires after 400 days |
//!
//! Timestamps are Unix milliseconds. Ids the relay generates never contain
//! `:`; an id that does is treated as unknown (see `keys::addressable`).
//! Scripts derive a few keys from ids they read (an agent's open set from a
//! conversation's `agent`), so on Redis Cluster the prefix must carry a
//! hash tag (`{sb}:`) that puts every key in one slot: [`RedisStore::connect_to`]
//! refuses one without. Every script is invoked with at least one key, so
//! the cluster client sends it to the node holding that slot.

mod agent_ops;
mod codec;
mod contact_codec;
mod contact_erase;
mod contact_merge;
mod contact_proof;
mod contact_reads;
mod contacts;
mod conversations;
mod csat;
mod keys;
mod knowledge;
mod knowledge_codec;
mod ops;
mod presence;
mod reports;
mod retention;
mod routing;
mod scripts;
mod sign_ins;

use std::sync::Arc;

use prometheus_client::metrics::counter::Counter;
use redis::{FromRedisValue, Pipeline, ScriptInvocation};
use shared::ConversationId;

use self::codec::Fields;
use self::keys::Keys;
use self::scripts::Scripts;
use super::{AgentRecord, Conversation, StoreError, StoreResult};
use crate::redis_conn::{has_hash_tag, Conn, Connection, RedisTarget};

/// The Redis store. Cheap to clone; clones share one connection.
#[derive(Clone)]
pub struct RedisStore {
    conn: Connection,
    keys: Keys,
    scripts: Arc<Scripts>,
    /// The bus channel the append script publishes new messages on, when
    /// the bus is this Redis (see [`RedisStore::publishing_messages_on`]).
    message_events: Option<Arc<str>>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.keys.prefix())
            .finish_non_exhaustive()
    }
}

fn backend(e: redis::RedisError) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// The key layout this build writes (`{p}format`). Bump it with a
/// migration in [`RedisStore::check_format`].
pub const FORMAT_VERSION: u64 = 1;

impl RedisStore {
    /// Refuses data written by a newer Switchboard (its layout may mean
    /// something else); marks older or unmarked data as this format once
    /// its migrations (today: the name index) have run.
    async fn check_format(&self) -> StoreResult<()> {
        let key = self.keys.format();
        let found: Option<u64> = self.query(redis::cmd("GET").arg(&key)).await?;
        match found {
            Some(v) if v > FORMAT_VERSION => Err(StoreError::Corrupt(format!(
                "the Redis data under prefix {:?} was written by a newer Switchboard \
                 (key layout {v}; this relay reads up to {FORMAT_VERSION}): upgrade the relay",
                self.keys.prefix()
            ))),
            Some(v) if v == FORMAT_VERSION => Ok(()),
            _ => {
                let _: () = self
                    .write(redis::cmd("SET").arg(&key).arg(FORMAT_VERSION))
                    .await?;
                Ok(())
            }
        }
    }

    /// Connects to one server and pings, so a wrong URL fails at startup,
    /// not at the first visitor.
    pub async fn connect(url: &str, prefix: &str) -> StoreResult<RedisStore> {
        Self::connect_to(&RedisTarget::Server(url.to_owned()), prefix, 0).await
    }

    /// Like [`RedisStore::connect`], to any [`RedisTarget`]; each write
    /// waits until `wait_replicas` replicas hold it (see `redis_conn`). On
    /// a cluster the prefix must carry a hash tag, or the scripts' keys
    /// would be spread over slots they cannot reach.
    pub async fn connect_to(
        target: &RedisTarget,
        prefix: &str,
        wait_replicas: u32,
    ) -> StoreResult<RedisStore> {
        Self::connect_counted(target, prefix, wait_replicas, Counter::default()).await
    }

    /// [`RedisStore::connect_to`], counting its round trips to Redis in
    /// `round_trips` (the relay's `switchboard_redis_round_trips_total`).
    pub async fn connect_counted(
        target: &RedisTarget,
        prefix: &str,
        wait_replicas: u32,
        round_trips: Counter,
    ) -> StoreResult<RedisStore> {
        if target.is_cluster() && !has_hash_tag(prefix) {
            return Err(StoreError::Backend(format!(
                "on Redis Cluster the key prefix must carry a hash tag so every key is in one \
                 slot, e.g. SWITCHBOARD_REDIS_PREFIX={{sb}}: (got {prefix:?})"
            )));
        }
        let store = RedisStore {
            conn: Connection::open(target, wait_replicas, round_trips).map_err(backend)?,
            keys: Keys::new(prefix),
            scripts: Arc::new(Scripts::new()),
            message_events: None,
        };
        let _: String = store.query(&redis::cmd("PING")).await?;
        store.check_format().await?;
        store.index_old_names().await?;
        Ok(store)
    }

    /// Publishes each new message's bus event on `channel` from the append
    /// script itself: store and publish in one round trip. Not while writes
    /// wait for replicas: the event must not go out before the `WAIT` that
    /// follows the script says the message is safe.
    pub fn publishing_messages_on(mut self, channel: String) -> Self {
        if !self.conn.waits_for_replicas() {
            self.message_events = Some(channel.into());
        }
        self
    }

    /// A command that changes nothing (retried once on a stale connection).
    async fn query<T: FromRedisValue>(&self, cmd: &redis::Cmd) -> StoreResult<T> {
        self.conn
            .read(|mut c| async move { cmd.query_async(&mut c).await })
            .await
            .map_err(backend)
    }

    /// A command that writes (never retried: it may have been applied).
    async fn write<T: FromRedisValue>(&self, cmd: &redis::Cmd) -> StoreResult<T> {
        self.conn
            .run(|mut c| async move { cmd.query_async(&mut c).await })
            .await
            .map_err(backend)
    }

    async fn read_pipe<T: FromRedisValue>(&self, pipe: &Pipeline) -> StoreResult<T> {
        self.conn
            .read(|mut c| async move { pipe.query_async(&mut c).await })
            .await
            .map_err(backend)
    }

    async fn write_pipe<T: FromRedisValue>(&self, pipe: &Pipeline) -> StoreResult<T> {
        self.conn
            .run(|mut c| async move { pipe.query_async(&mut c).await })
            .await
            .map_err(backend)
    }

    /// A script; `read_only` ones are retried like [`RedisStore::query`].
    async fn invoke<T: FromRedisValue>(
        &self,
        call: &ScriptInvocation<'_>,
        read_only: bool,
    ) -> StoreResult<T> {
        let run = |mut c: Conn| async move { call.invoke_async(&mut c).await };
        let result = if read_only {
            self.conn.read(run).await
        } else {
            self.conn.run(run).await
        };
        result.map_err(backend)
    }

    /// Runs a script and splits its reply (see [`scripts::status`]).
    async fn eval(&self, call: &ScriptInvocation<'_>) -> StoreResult<(String, Vec<String>)> {
        scripts::status(self.invoke(call, false).await?)
    }

    /// `HGETALL` of each key in one round trip.
    async fn hashes(&self, keys: impl Iterator<Item = String>) -> StoreResult<Vec<Fields>> {
        let mut pipe = redis::pipe();
        let mut any = false;
        for key in keys {
            pipe.hgetall(key);
            any = true;
        }
        if !any {
            return Ok(Vec::new());
        }
        self.read_pipe(&pipe).await
    }

    /// The conversations among `ids` that exist, in the order given.
    async fn conversations(&self, ids: &[String]) -> StoreResult<Vec<Conversation>> {
        let hashes = self
            .hashes(ids.iter().map(|id| self.keys.conversation(id)))
            .await?;
        ids.iter()
            .zip(hashes)
            .filter(|(_, fields)| !fields.is_empty())
            .map(|(id, fields)| codec::conversation(id, &fields))
            .collect()
    }

    async fn agents_by_id(&self, ids: &[String]) -> StoreResult<Vec<AgentRecord>> {
        let hashes = self
            .hashes(ids.iter().map(|id| self.keys.agent(id)))
            .await?;
        ids.iter()
            .zip(hashes)
            .filter(|(_, fields)| !fields.is_empty())
            .map(|(id, fields)| codec::agent(id, &fields))
            .collect()
    }

    /// Runs a script that replies with a conversation.
    async fn conversation_script(
        &self,
        call: &ScriptInvocation<'_>,
    ) -> StoreResult<(String, Conversation)> {
        let (word, payload) = self.eval(call).await?;
        Ok((word, codec::conversation_reply(payload)?))
    }
}

/// Oldest first, as the embedded store orders them: by creation time, then
/// id, so equal timestamps still give one order.
fn oldest_first(mut list: Vec<Conversation>) -> Vec<Conversation> {
    list.sort_by(|a, b| {
        a.created_at_ms
            .cmp(&b.created_at_ms)
            .then_with(|| a.id.cmp(&b.id))
    });
    list
}

fn unknown_conversation(id: &ConversationId) -> bool {
    !keys::addressable(id.as_str())
}
