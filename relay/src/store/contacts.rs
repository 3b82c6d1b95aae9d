//! The customer record in the store: contacts, the identities that point
//! at them, their timelines, case numbers and merge proposals. A separate
//! trait so the record's contract reads on its own; every [`super::Store`]
//! implements it, and the conformance suite (`e2e/tests/contact_store.rs`)
//! runs it against each. The few rules both implementations compute the
//! same way (normalising identities, the merge's timeline item, search
//! ranking) live here, once.
//!
//! Rules every implementation keeps (atomically, like the rest of the store):
//! - An identity (site, kind, value) belongs to at most one contact.
//!   Creating a contact or adding an identity that another contact holds is
//!   a `Conflict` and changes nothing; the caller decides (a verified match
//!   links, an unverified one becomes a [`MergeProposal`]). The store
//!   normalises every identity value it is given ([`Identity::normalise`]).
//! - A timeline item with an `external_id` is stored once per site; a
//!   second push returns the first item unchanged (`duplicate: true`).
//! - Case numbers count up per site from 1, never repeat, across nodes.
//! - Accepting a merge moves every identity, attribute (existing values
//!   win; the name too, taken from `from` only if `into` has none) and
//!   timeline item of `from` to `into`, points `from`'s visitors, cases and
//!   other open proposals at `into`, records the merge on `into`'s timeline
//!   (a [`Channel::System`] item, see [`merge_item`]), and leaves `from` as
//!   a forwarding record. Rejecting only drops the proposal.
//! - Every method that takes a [`ContactId`] follows merges: reads answer
//!   for the surviving record and writes land on it. A forwarding record
//!   never appears in search.
//! - Sites do not mix: a contact, item or visitor of another site than the
//!   one asked about is `NotFound`, as if it did not exist.
//!
//! Timelines are ordered by `at_ms`, then id, both newest first, and page
//! with a [`TimelineCursor`] on both, so a page that ends inside a run of
//! items sharing one `at_ms` goes on exactly where it stopped.

use std::collections::BTreeMap;

use async_trait::async_trait;
use shared::card::TimelineCursor;
use shared::contacts::{
    Channel, Contact, Direction, Identity, IdentityKind, MergeDecision, MergeProposal, TimelineItem,
};
use shared::{AgentId, ContactId, MergeProposalId, SiteId, TimelineItemId, VisitorId};

use super::StoreResult;

/// The result of adding a timeline item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub item: TimelineItem,
    /// The contact the item is on (for a duplicate: where the first one is).
    pub contact: ContactId,
    /// True when the `external_id` was already stored: nothing was written.
    pub duplicate: bool,
}

/// Customer records. See the module docs for the rules.
#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Creates a contact with its identities (may be empty) and attributes.
    /// `Conflict` if the id exists or another contact holds an identity.
    async fn create_contact(&self, contact: &Contact) -> StoreResult<()>;
    /// The contact, following merges to the surviving record. Its
    /// identities are ordered by kind, then value.
    async fn contact(&self, id: &ContactId) -> StoreResult<Option<Contact>>;
    /// Who holds this identity on the site (value as
    /// [`Identity::normalise`] makes it), following merges.
    async fn contact_by_identity(
        &self,
        site: &SiteId,
        kind: IdentityKind,
        value: &str,
    ) -> StoreResult<Option<ContactId>>;
    /// Adds an identity, or marks the contact's own copy verified (never
    /// unverified). `Conflict` if another contact holds it.
    async fn add_identity(&self, contact: &ContactId, identity: &Identity) -> StoreResult<()>;
    /// Sets the name (when `Some`) and merges `attributes` in (an empty
    /// value removes the key). Returns the updated contact.
    async fn update_contact(
        &self,
        contact: &ContactId,
        name: Option<&str>,
        attributes: &BTreeMap<String, String>,
    ) -> StoreResult<Contact>;

    /// The contact a visitor is linked to, if any.
    async fn visitor_contact(&self, visitor: &VisitorId) -> StoreResult<Option<ContactId>>;
    /// Links (or re-links) a visitor to a contact. `NotFound` unless the
    /// visitor exists on the contact's site.
    async fn link_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()>;
    /// The visitors linked to a contact (after merges, both records'
    /// visitors), sorted by id.
    async fn contact_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>>;
    /// Adds `identity` as verified: a signed identity or a site vouching
    /// for it. Another contact holding it *unverified* (someone typed it)
    /// loses it, and that contact is returned; `Conflict` if another
    /// holds it verified.
    async fn take_identity(
        &self,
        contact: &ContactId,
        identity: &Identity,
    ) -> StoreResult<Option<ContactId>>;
    /// Links a visitor to a contact as proven by the site's signed
    /// identity (a visitor stays proven). Only proven visitors read their
    /// contact's other proven visitors' conversations: a merge or a typed
    /// email never grants that. `NotFound` as for `link_visitor`.
    async fn prove_visitor(&self, visitor: &VisitorId, contact: &ContactId) -> StoreResult<()>;
    /// The proven visitors linked to a contact (after merges), sorted by id.
    async fn proven_visitors(&self, contact: &ContactId) -> StoreResult<Vec<VisitorId>>;

    /// Adds an item to the contact's timeline; idempotent by `external_id`
    /// per site. Indexes its `case_code` for [`ContactStore::find_case`].
    /// `NotFound` unless the contact is on `site`; `Conflict` if the item
    /// id is taken.
    async fn record(
        &self,
        site: &SiteId,
        contact: &ContactId,
        item: &TimelineItem,
    ) -> StoreResult<Recorded>;
    /// The item pushed earlier with this `external_id` on the site, and
    /// the contact it is on: lets the API answer a retried push without
    /// resolving (and maybe creating) contacts again.
    async fn item_by_external_id(
        &self,
        site: &SiteId,
        external_id: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>>;
    /// Items older than `before` in timeline order (all when `None`),
    /// newest first (ties: greater id first), at most `limit`. Empty for
    /// no contact.
    async fn timeline(
        &self,
        contact: &ContactId,
        before: Option<&TimelineCursor>,
        limit: usize,
    ) -> StoreResult<Vec<TimelineItem>>;
    /// The next case number of the site: 1, 2, 3, ...
    async fn next_case_number(&self, site: &SiteId) -> StoreResult<u64>;
    /// The contact and the first timeline item carrying `code`, compared
    /// exactly as shown (`CASE-1001`; callers canonicalise with
    /// `identity::case_code::CaseCode`).
    async fn find_case(
        &self,
        site: &SiteId,
        code: &str,
    ) -> StoreResult<Option<(ContactId, TimelineItem)>>;
    /// Contacts with a name every word of `query` begins a word of
    /// (case-insensitive, see [`name_matches`]) or with an identity equal to
    /// it (normalised per kind), at most `limit`:
    /// identity matches first, then by name (see [`rank_search`]). A blank
    /// query finds nothing. Names are found through an index of their
    /// words (at most [`MAX_NAME_SCAN`] entries read), never by walking
    /// every contact.
    async fn search_contacts(
        &self,
        site: &SiteId,
        query: &str,
        limit: usize,
    ) -> StoreResult<Vec<Contact>>;

    /// Stores a proposal unless the same pair (either way round) is
    /// already proposed, or the two are already one contact (then nothing
    /// is stored). `from` and `into` are stored as their survivors.
    /// `NotFound` unless both exist on one site.
    async fn propose_merge(&self, proposal: &MergeProposal) -> StoreResult<()>;
    /// Open proposals that involve the contact (either side), oldest first.
    async fn merge_proposals(&self, contact: &ContactId) -> StoreResult<Vec<MergeProposal>>;
    /// Settles a proposal (see the module docs); returns the surviving
    /// contact (`into`, which a rejection leaves as it was). `NotFound` if
    /// the proposal is gone (already settled).
    async fn resolve_merge(
        &self,
        proposal: &MergeProposalId,
        decision: MergeDecision,
        agent: &AgentId,
        at_ms: u64,
    ) -> StoreResult<Contact>;
}

/// How many forwarding records a lookup follows before calling the chain
/// corrupt (merges only ever point at a live record, so chains stay short).
pub(crate) const MAX_FORWARDS: usize = 32;

/// The wire spelling of a unit enum value (`IdentityKind::WebForm` →
/// `web_form`), which stores also use so records read the same everywhere.
pub(crate) fn wire_word<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(word)) => word,
        _ => String::new(),
    }
}

/// An identity as stored: its value normalised.
pub(crate) fn normalised(identity: &Identity) -> Identity {
    Identity::new(identity.kind, &identity.value, identity.verified)
}

/// A contact's identities as stored: normalised, one per (kind, value),
/// verified if any copy was, in the order first given.
pub(crate) fn normalised_identities(list: &[Identity]) -> Vec<Identity> {
    let mut out: Vec<Identity> = Vec::with_capacity(list.len());
    for identity in list.iter().map(normalised) {
        match out
            .iter_mut()
            .find(|i| i.kind == identity.kind && i.value == identity.value)
        {
            Some(kept) => kept.verified |= identity.verified,
            None => out.push(identity),
        }
    }
    out
}

/// The identities a search query could be, one per kind, normalised
/// (blank ones dropped).
pub(crate) fn identity_queries(query: &str) -> Vec<(IdentityKind, String)> {
    use IdentityKind::*;
    [Visitor, Email, Phone, External, Social]
        .into_iter()
        .map(|kind| (kind, Identity::normalise(kind, query)))
        .filter(|(_, value)| !value.is_empty() && value != "+")
        .collect()
}

/// Most words of one name that are indexed for search.
const MAX_NAME_WORDS: usize = 16;
/// Longest indexed word, in characters (longer ones are cut).
const MAX_WORD_CHARS: usize = 64;
/// Index entries one name search reads at most: a query matching more
/// names than this is too vague to page through, and the cap keeps one
/// search from walking a large site's whole index.
pub(crate) const MAX_NAME_SCAN: usize = 1000;

/// The words a name is found by: lower-cased runs of letters and digits
/// (any script), each once, in order; at most [`MAX_NAME_WORDS`].
pub(crate) fn name_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in name.split(|c: char| !c.is_alphanumeric()) {
        let word: String = word.to_lowercase().chars().take(MAX_WORD_CHARS).collect();
        if !word.is_empty() && !words.contains(&word) && words.len() < MAX_NAME_WORDS {
            words.push(word);
        }
    }
    words
}

/// Whether every word of `query` begins a word of `name` ("ada love"
/// finds "Ada Lovelace", "ada" finds "Bob Adams"). A query without words
/// matches nothing.
pub(crate) fn name_matches(name: Option<&str>, query: &str) -> bool {
    let wanted = name_words(query);
    let Some(name) = name else { return false };
    let have = name_words(name);
    !wanted.is_empty()
        && wanted
            .iter()
            .all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
}

/// The query word an index scan starts from: the longest, as it narrows
/// the scan the most. `None` when the query has no words.
pub(crate) fn scan_word(query: &str) -> Option<String> {
    name_words(query)
        .into_iter()
        .max_by_key(|w| w.chars().count())
}

/// The order search answers in: contacts found by identity first (as
/// given), then those found by name, by lower-cased name and id; each once,
/// at most `limit`.
pub(crate) fn rank_search(
    by_identity: Vec<Contact>,
    mut by_name: Vec<Contact>,
    limit: usize,
) -> Vec<Contact> {
    let key = |c: &Contact| (c.name.as_deref().map(str::to_lowercase), c.id.clone());
    by_name.sort_by_key(key);
    let mut out: Vec<Contact> = Vec::new();
    for contact in by_identity.into_iter().chain(by_name) {
        if out.len() == limit {
            break;
        }
        if !out.iter().any(|c| c.id == contact.id) {
            out.push(contact);
        }
    }
    out
}

/// The item an accepted merge leaves on the survivor's timeline: who was
/// merged, on what evidence, by whom. Its id derives from the proposal's,
/// so it is unique and both stores write the same item.
pub(crate) fn merge_item(
    proposal: &MergeProposal,
    from: Option<&Contact>,
    agent_name: &str,
    at_ms: u64,
) -> TimelineItem {
    let who = match from.and_then(|c| c.name.as_deref()) {
        Some(name) => format!("{name} ({})", proposal.from),
        None => proposal.from.to_string(),
    };
    let kind = wire_word(proposal.matched.kind);
    TimelineItem {
        id: TimelineItemId(format!("{}-merged", proposal.id)),
        channel: Channel::System,
        // The company's own act on the record, so outward.
        direction: Direction::Out,
        at_ms,
        text: format!(
            "Merged {who} into this contact; both had {kind} {}",
            proposal.matched.value
        ),
        agent: Some(agent_name.to_owned()),
        case_code: None,
        external_id: None,
        conversation: None,
        csat: None,
    }
}
