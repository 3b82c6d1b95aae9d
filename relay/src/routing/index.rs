//! The agents who can take a conversation now, in ordered sets keyed by
//! what conversations ask for (team, language, skill, each possibly "any"),
//! so the best fit is the first entry of one or two sets instead of a scan
//! of every agent, and an assignment re-keys one agent in its few sets.
//!
//! Sets are built the first time a conversation asks for their key, from
//! the shortest list of agents that could be in them, so a plan that ends
//! early (little capacity) never pays for keys deep in the queue.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

use shared::lang::primary_language;
use shared::routing::Match;
use shared::{AgentId, SiteId};

use super::{AgentLoad, SitePolicy, Waiting};

/// A dimension of a key that asks nothing.
const ANY: u32 = u32::MAX;
/// The language of agents who listed none: they answer in any.
const SPEAKS_ANY: u32 = u32::MAX - 1;

/// Team, language and skill as interned ids, or [`ANY`] / [`SPEAKS_ANY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    team: u32,
    language: u32,
    skill: u32,
}

const ANYONE: Key = Key {
    team: ANY,
    language: ANY,
    skill: ANY,
};

/// Sorts best first: most free, idle longest, then smallest id (agents are
/// numbered in id order).
type Entry = (Reverse<u32>, u64, u32);

#[derive(Debug)]
struct Slot<'a> {
    id: &'a AgentId,
    free: u32,
    last_activity_ms: u64,
    /// Interned; few, so a scan beats any lookup.
    teams: Vec<u32>,
    languages: Vec<u32>,
    skills: Vec<u32>,
    /// The sets this agent is in, to re-key it after an assignment.
    sets: Vec<u32>,
}

impl Slot<'_> {
    fn entry(&self, number: u32) -> Entry {
        (Reverse(self.free), self.last_activity_ms, number)
    }

    fn fits(&self, key: Key) -> bool {
        (key.team == ANY || self.teams.contains(&key.team))
            && match key.language {
                ANY => true,
                SPEAKS_ANY => self.languages.is_empty(),
                language => self.languages.contains(&language),
            }
            && (key.skill == ANY || self.skills.contains(&key.skill))
    }
}

#[derive(Debug, Default)]
pub(super) struct AgentIndex<'a> {
    agents: Vec<Slot<'a>>,
    /// Agent numbers of everyone, and of who could ever be in a set of
    /// each team, language or skill: the candidates when a set is built.
    all: Vec<u32>,
    speaks_any: Vec<u32>,
    languages: HashMap<String, u32>,
    skills: HashMap<&'a str, u32>,
    teams: HashMap<(&'a SiteId, &'a str), u32>,
    /// Indexed by the interned ids above.
    language_members: Vec<Vec<u32>>,
    skill_members: Vec<Vec<u32>>,
    team_members: Vec<Vec<u32>>,
    keys: HashMap<Key, u32>,
    sets: Vec<BTreeSet<Entry>>,
    /// Agents with free capacity left.
    available: usize,
}

impl<'a> AgentIndex<'a> {
    /// The agents who can take a conversation now (the first of each id).
    pub(super) fn new(agents: &'a [AgentLoad]) -> Self {
        let mut free: Vec<&AgentLoad> = agents.iter().filter(|a| a.can_take()).collect();
        free.sort_by(|a, b| a.id.cmp(&b.id));
        free.dedup_by(|later, first| later.id == first.id);
        let mut index = Self {
            available: free.len(),
            ..Self::default()
        };
        for (number, agent) in (0u32..).zip(free) {
            let mut slot = Slot {
                id: &agent.id,
                free: agent.free(),
                last_activity_ms: agent.last_activity_ms,
                teams: Vec::new(),
                languages: Vec::new(),
                skills: Vec::new(),
                sets: Vec::new(),
            };
            index.all.push(number);
            if agent.languages.is_empty() {
                index.speaks_any.push(number);
            }
            let mut languages: Vec<String> = agent
                .languages
                .iter()
                .map(|l| primary_language(l))
                .collect();
            languages.sort();
            languages.dedup();
            for language in languages {
                let next = intern_len(&index.language_members);
                let id = *index.languages.entry(language).or_insert(next);
                push_member(&mut index.language_members, id, number);
                slot.languages.push(id);
            }
            let mut skills: Vec<&str> = agent.skills.iter().map(String::as_str).collect();
            skills.sort_unstable();
            skills.dedup();
            for skill in skills {
                let next = intern_len(&index.skill_members);
                let id = *index.skills.entry(skill).or_insert(next);
                push_member(&mut index.skill_members, id, number);
                slot.skills.push(id);
            }
            index.agents.push(slot);
        }
        index
    }

    pub(super) fn available(&self) -> usize {
        self.available
    }

    pub(super) fn id(&self, number: u32) -> &'a AgentId {
        self.agents[number as usize].id
    }

    /// The number of an agent with room, if `id` is one (numbers follow
    /// id order).
    pub(super) fn number_of(&self, id: &AgentId) -> Option<u32> {
        let at = self.agents.binary_search_by(|slot| slot.id.cmp(id)).ok()?;
        u32::try_from(at).ok()
    }

    /// The best agent for `waiting` at the narrowest stage, up to
    /// `widest`, where one fits, and how far routing widened to find them.
    pub(super) fn find(
        &mut self,
        waiting: &'a Waiting,
        policy: Option<&'a SitePolicy>,
        widest: usize,
        avoid: Option<u32>,
    ) -> Option<(u32, Match)> {
        let route = &waiting.route;
        let team = match (route.team.as_deref(), policy) {
            (Some(team), Some(policy)) => self.team(&waiting.site, team, policy),
            _ => ANY,
        };
        // A language no free agent lists can still go to one who speaks any.
        let languages = match route.language.as_deref().map(primary_language) {
            Some(language) if !language.is_empty() => match self.languages.get(&language) {
                Some(&id) => [Some(id), Some(SPEAKS_ANY)],
                None => [Some(SPEAKS_ANY), None],
            },
            _ => [Some(ANY), None],
        };
        // A skill no free agent has: nobody fits until routing widens.
        let skill = match route.skill.as_deref() {
            None => Some(ANY),
            Some(skill) => self.skills.get(skill).copied(),
        };
        if let Some(skill) = skill {
            let mut best = None;
            for language in languages.into_iter().flatten() {
                let set = self.set(Key {
                    team,
                    language,
                    skill,
                });
                best = best.into_iter().chain(self.first(set, avoid)).min();
            }
            if let Some((_, _, number)) = best {
                return Some((number, Match::Exact));
            }
        }
        let widened = [
            (Key { team, ..ANYONE }, Match::Team),
            (ANYONE, Match::Anyone),
        ];
        for (key, matched) in widened.into_iter().take(widest) {
            let set = self.set(key);
            if let Some((_, _, number)) = self.first(set, avoid) {
                return Some((number, matched));
            }
        }
        None
    }

    /// The best entry of a set but `avoid`'s (at most two looked at).
    fn first(&self, set: u32, avoid: Option<u32>) -> Option<Entry> {
        self.sets[set as usize]
            .iter()
            .find(|(_, _, number)| Some(*number) != avoid)
            .copied()
    }

    /// The interned id of a team that exists in the site's policy, else
    /// [`ANY`] (a team since deleted asks nothing).
    fn team(&mut self, site: &'a SiteId, team: &'a str, policy: &'a SitePolicy) -> u32 {
        if let Some(&id) = self.teams.get(&(site, team)) {
            return id;
        }
        let id = match policy.teams.get(team) {
            Some(members) => {
                let id = intern_len(&self.team_members);
                let mut numbers: Vec<u32> = members
                    .iter()
                    .filter_map(|m| self.agents.binary_search_by(|a| a.id.cmp(m)).ok())
                    .map(|number| intern_len(&self.agents[..number]))
                    .collect();
                numbers.sort_unstable();
                for &number in &numbers {
                    self.agents[number as usize].teams.push(id);
                }
                self.team_members.push(numbers);
                id
            }
            None => ANY,
        };
        self.teams.insert((site, team), id);
        id
    }

    /// The set of `key`, built now if no conversation asked for it yet.
    fn set(&mut self, key: Key) -> u32 {
        if let Some(&set) = self.keys.get(&key) {
            return set;
        }
        let set = intern_len(&self.sets);
        // Collected then built in one go: cheaper than inserting one by one.
        let members: BTreeSet<Entry> = self
            .candidates(key)
            .iter()
            .map(|&number| (number, &self.agents[number as usize]))
            .filter(|(_, slot)| slot.free > 0 && slot.fits(key))
            .map(|(number, slot)| slot.entry(number))
            .collect();
        for &(_, _, number) in &members {
            self.agents[number as usize].sets.push(set);
        }
        self.sets.push(members);
        self.keys.insert(key, set);
        set
    }

    /// The shortest list of agents that holds everyone `key` could match.
    fn candidates(&self, key: Key) -> &[u32] {
        [
            self.team_list(key.team),
            self.language_list(key.language),
            self.skill_list(key.skill),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|list| list.len())
        .unwrap_or(&self.all)
    }

    fn team_list(&self, team: u32) -> Option<&[u32]> {
        (team != ANY).then(|| self.team_members[team as usize].as_slice())
    }

    fn language_list(&self, language: u32) -> Option<&[u32]> {
        match language {
            ANY => None,
            SPEAKS_ANY => Some(&self.speaks_any),
            id => Some(&self.language_members[id as usize]),
        }
    }

    fn skill_list(&self, skill: u32) -> Option<&[u32]> {
        (skill != ANY).then(|| self.skill_members[skill as usize].as_slice())
    }

    /// Counts a new conversation for agent `number`, active at `now_ms`.
    pub(super) fn take(&mut self, number: u32, now_ms: u64) {
        let slot = &mut self.agents[number as usize];
        let old = slot.entry(number);
        slot.free -= 1;
        slot.last_activity_ms = now_ms;
        let new = slot.entry(number);
        let full = slot.free == 0;
        for &set in &slot.sets {
            let members = &mut self.sets[set as usize];
            members.remove(&old);
            if !full {
                members.insert(new);
            }
        }
        if full {
            slot.sets.clear();
            self.available -= 1;
        }
    }
}

/// The next interned id; the limits on agents and settings keep it far
/// below the reserved values.
fn intern_len<T>(list: &[T]) -> u32 {
    u32::try_from(list.len()).unwrap_or(SPEAKS_ANY - 1)
}

fn push_member(lists: &mut Vec<Vec<u32>>, id: u32, number: u32) {
    match lists.get_mut(id as usize) {
        Some(list) => list.push(number),
        None => lists.push(vec![number]),
    }
}
