//! The agents who can take a conversation now, as bitsets over agent
//! numbers, so the best fit for a conversation is the first bit of an
//! "and" of a few bitsets instead of a scan of every agent, and an
//! assignment flips a bit or two.
//!
//! Agents are numbered in the order routing prefers them at the start of
//! the plan (most free, idle longest, smallest id), so among those not
//! given anything yet the lowest number is the best: no set to sort or
//! keep ordered. An agent given a conversation moves to a small "taken"
//! bitset for their new free capacity, numbered there by id rank (they
//! all share one activity time, so the id decides among them). Who has a
//! team, language or skill is kept in both numberings.
//!
//! Strings become numbers through FxHash tables (`rustc-hash`): SipHash
//! was the largest single cost of a plan, as every conversation looks up
//! its site, team, language and skill. Safe without a keyed hash because
//! the tables only ever hold values admins set (agents' ids, languages,
//! skills, sites and their teams); a visitor's language is only looked
//! up, so crafted collisions cannot pile up in a table.

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::Hash;

use rustc_hash::FxHashMap as FastMap;
use shared::AgentId;

use super::wants::{Site, SPEAKS_ANY};
use super::AgentLoad;

/// One bit per agent, in one of the two numberings.
pub(super) type Bits = Vec<u64>;

/// Who has something, by agent number and by id rank.
#[derive(Debug, Clone, Default)]
pub(super) struct Mask {
    pub(super) number: Bits,
    pub(super) rank: Bits,
}

impl Mask {
    pub(super) fn empty(words: usize) -> Self {
        Self {
            number: vec![0; words],
            rank: vec![0; words],
        }
    }

    fn add(&mut self, slot: &Slot<'_>, number: u32) {
        set_bit(&mut self.number, number);
        set_bit(&mut self.rank, slot.rank);
    }
}

/// An agent's standing, best (smallest) first: most free, idle longest,
/// then id rank. Packed in one integer so comparing is cheap.
pub(super) type Entry = u128;

#[derive(Debug)]
pub(super) struct Slot<'a> {
    id: &'a AgentId,
    pub(super) free: u32,
    last_activity_ms: u64,
    /// Place in id order.
    pub(super) rank: u32,
}

impl<'a> Slot<'a> {
    fn of(agent: &'a AgentLoad, rank: u32) -> Self {
        Self {
            id: &agent.id,
            free: agent.free(),
            last_activity_ms: agent.last_activity_ms,
            rank,
        }
    }

    pub(super) fn entry(&self) -> Entry {
        (u128::from(u32::MAX - self.free) << 96)
            | (u128::from(self.last_activity_ms) << 32)
            | u128::from(self.rank)
    }
}

pub(super) fn rank_of(entry: Entry) -> u32 {
    (entry & u128::from(u32::MAX)) as u32
}

#[derive(Debug, Default)]
pub(super) struct AgentIndex<'a> {
    pub(super) agents: Vec<Slot<'a>>,
    /// Id rank -> agent number.
    pub(super) by_rank: Vec<u32>,
    pub(super) numbers: FastMap<&'a str, u32>,
    /// By number: free and given nothing yet in this plan.
    pub(super) untouched: Bits,
    /// By id rank, per free capacity (most first): given something in
    /// this plan and still free.
    pub(super) taken: Vec<(u32, Bits)>,
    available: usize,
    pub(super) nobody: Mask,
    /// Everyone: what a dimension that asks nothing restricts to.
    pub(super) everyone: Mask,
    pub(super) speaks_any: Mask,
    pub(super) languages: FastMap<Cow<'a, str>, u32>,
    pub(super) language_masks: Vec<Mask>,
    pub(super) skills: FastMap<&'a str, u32>,
    pub(super) skill_masks: Vec<Mask>,
    /// Filled as conversations name them (see `wants`).
    pub(super) sites: FastMap<&'a str, Site<'a>>,
    pub(super) teams: FastMap<(u32, &'a str), u32>,
    pub(super) team_masks: Vec<Option<Mask>>,
    pub(super) team_members: Vec<&'a HashSet<AgentId>>,
}

impl<'a> AgentIndex<'a> {
    /// The agents who can take a conversation now (the first of each id).
    pub(super) fn new(agents: &'a [AgentLoad]) -> Self {
        let mut free: Vec<&AgentLoad> = agents.iter().filter(|a| a.can_take()).collect();
        // Stable (the first of each id stays), and quick on a roster that
        // comes sorted already.
        free.sort_by(|a, b| a.id.cmp(&b.id));
        free.dedup_by(|later, first| later.id == first.id);
        let mut order: Vec<Entry> = (0u32..)
            .zip(&free)
            .map(|(rank, agent)| Slot::of(agent, rank).entry())
            .collect();
        order.sort_unstable();
        let words = free.len().div_ceil(64);
        let mut index = Self {
            available: free.len(),
            untouched: vec![0; words],
            nobody: Mask::empty(words),
            everyone: Mask {
                number: vec![u64::MAX; words],
                rank: vec![u64::MAX; words],
            },
            speaks_any: Mask::empty(words),
            by_rank: vec![0; free.len()],
            ..Self::default()
        };
        index.numbers.reserve(free.len());
        for (number, entry) in (0u32..).zip(order) {
            let rank = rank_of(entry);
            let agent = free[rank as usize];
            let slot = Slot::of(agent, rank);
            index.by_rank[rank as usize] = number;
            index.numbers.insert(agent.id.as_str(), number);
            set_bit(&mut index.untouched, number);
            if agent.languages.is_empty() {
                index.speaks_any.add(&slot, number);
            }
            for language in &agent.languages {
                let (table, masks) = (&mut index.languages, &mut index.language_masks);
                let id = intern(table, masks, primary(language), words);
                masks[id].add(&slot, number);
            }
            for skill in &agent.skills {
                let (table, masks) = (&mut index.skills, &mut index.skill_masks);
                let id = intern(table, masks, skill.as_str(), words);
                masks[id].add(&slot, number);
            }
            index.agents.push(slot);
        }
        index
    }

    pub(super) fn words(&self) -> usize {
        self.untouched.len()
    }

    pub(super) fn available(&self) -> usize {
        self.available
    }

    pub(super) fn id(&self, number: u32) -> &'a AgentId {
        self.agents[number as usize].id
    }

    /// The number of an agent with room, if `id` is one.
    pub(super) fn number_of(&self, id: &AgentId) -> Option<u32> {
        self.numbers.get(id.as_str()).copied()
    }

    /// Those of `members` who are in the index, as a mask.
    pub(super) fn mask_of<'m>(&self, members: impl Iterator<Item = &'m AgentId>) -> Mask {
        let mut mask = Mask::empty(self.words());
        for member in members {
            if let Some(&number) = self.numbers.get(member.as_str()) {
                mask.add(&self.agents[number as usize], number);
            }
        }
        mask
    }

    /// Counts a new conversation for agent `number`, active at `now_ms`.
    pub(super) fn take(&mut self, number: u32, now_ms: u64) {
        let slot = &mut self.agents[number as usize];
        let (was, rank) = (slot.free, slot.rank);
        slot.free -= 1;
        slot.last_activity_ms = now_ms;
        let now = slot.free;
        if bit(&self.untouched, number) {
            clear_bit(&mut self.untouched, number);
        } else if let Some((_, bits)) = self.taken.iter_mut().find(|(free, _)| *free == was) {
            clear_bit(bits, rank);
        }
        if now == 0 {
            self.available -= 1;
            return;
        }
        let at = self.taken.partition_point(|(free, _)| *free > now);
        if self.taken.get(at).is_none_or(|(free, _)| *free != now) {
            self.taken.insert(at, (now, vec![0; self.untouched.len()]));
        }
        set_bit(&mut self.taken[at].1, rank);
    }
}

/// `shared::lang::primary_language` without allocating for a tag that is
/// lower-case already (the usual case).
pub(super) fn primary(tag: &str) -> Cow<'_, str> {
    let tag = tag.trim();
    // Both separators are ASCII, so a byte search splits where `split` would.
    let primary = match tag.bytes().position(|b| b == b'-' || b == b'_') {
        Some(end) => &tag[..end],
        None => tag,
    };
    if primary.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(primary.to_ascii_lowercase())
    } else {
        Cow::Borrowed(primary)
    }
}

/// The id of `value` in `table`, adding it (and an empty mask) if new.
fn intern<K: Eq + Hash>(
    table: &mut FastMap<K, u32>,
    masks: &mut Vec<Mask>,
    value: K,
    words: usize,
) -> usize {
    let next = masks.len();
    let id = *table
        .entry(value)
        .or_insert_with(|| u32::try_from(next).unwrap_or(SPEAKS_ANY - 1));
    if id as usize == next {
        masks.push(Mask::empty(words));
    }
    id as usize
}

fn set_bit(bits: &mut [u64], at: u32) {
    bits[at as usize / 64] |= 1 << (at % 64);
}

fn clear_bit(bits: &mut [u64], at: u32) {
    bits[at as usize / 64] &= !(1 << (at % 64));
}

fn bit(bits: &[u64], at: u32) -> bool {
    bits[at as usize / 64] & (1 << (at % 64)) != 0
}
