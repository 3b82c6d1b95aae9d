//! The best agent for one conversation, from the index's bitsets: among
//! agents given nothing yet in this plan, the first member in number
//! order; among those given something, the first member in id-rank order
//! at each free capacity, most free first. The better of the two wins.
//! Nothing to build or keep ordered per key, so a key asked once costs
//! no more than a key asked often.

use shared::routing::Match;

use super::index::{rank_of, AgentIndex, Bits, Entry, Mask};
use super::wants::{Wants, ANY, SPEAKS_ANY};

/// Team, language and skill as the index's numbers, or wildcards.
#[derive(Debug, Clone, Copy)]
struct Key {
    team: u32,
    language: u32,
    skill: u32,
}

impl AgentIndex<'_> {
    /// The best agent for `wants` at the narrowest stage, up to `widest`,
    /// where one fits, and how far routing widened to find them.
    pub(super) fn find(
        &self,
        wants: &Wants,
        widest: usize,
        avoid: Option<u32>,
    ) -> Option<(u32, Match)> {
        if let Some(skill) = wants.skill {
            let exact = |language| Key {
                team: wants.team,
                language,
                skill,
            };
            let languages = wants.languages.into_iter().flatten();
            let best = languages
                .filter_map(|language| self.best(exact(language), avoid))
                .min();
            if let Some(best) = best {
                return Some((self.number(best), Match::Exact));
            }
        }
        let team = Key {
            team: wants.team,
            language: ANY,
            skill: ANY,
        };
        let anyone = Key { team: ANY, ..team };
        let widened = [(team, Match::Team), (anyone, Match::Anyone)];
        widened
            .into_iter()
            .take(widest)
            .find_map(|(key, matched)| Some((self.number(self.best(key, avoid)?), matched)))
    }

    fn number(&self, entry: Entry) -> u32 {
        self.by_rank[rank_of(entry) as usize]
    }

    /// The best entry among agents who fit `key`, but `avoid`.
    fn best(&self, key: Key, avoid: Option<u32>) -> Option<Entry> {
        let masks = self.masks(key);
        let by_number = masks.map(|m| m.number.as_slice());
        let fresh = first(&self.untouched, by_number, avoid);
        let mut best = fresh.map(|number| self.agents[number as usize].entry());
        // Taken agents with less room than the best fresh one can't beat it.
        let floor = fresh.map_or(1, |number| self.agents[number as usize].free);
        let by_rank = masks.map(|m| m.rank.as_slice());
        let avoid_rank = avoid.map(|number| self.agents[number as usize].rank);
        let taken = self.taken.iter().take_while(|(free, _)| *free >= floor);
        for (_, bits) in taken {
            if let Some(rank) = first(bits, by_rank, avoid_rank) {
                let entry = self.agents[self.by_rank[rank as usize] as usize].entry();
                // More room wins outright; as much room as the fresh one:
                // activity then id decide.
                best = Some(best.map_or(entry, |best| best.min(entry)));
                break;
            }
        }
        best
    }

    /// What `key` restricts to, one mask per dimension (everyone where it
    /// asks nothing, so the scan needs no branch per dimension).
    fn masks(&self, key: Key) -> [&Mask; 3] {
        [
            match key.team {
                ANY => &self.everyone,
                team => self.team_masks[team as usize]
                    .as_ref()
                    .unwrap_or(&self.nobody),
            },
            match key.language {
                ANY => &self.everyone,
                SPEAKS_ANY => &self.speaks_any,
                id => &self.language_masks[id as usize],
            },
            match key.skill {
                ANY => &self.everyone,
                skill => &self.skill_masks[skill as usize],
            },
        ]
    }
}

/// The lowest bit set in `base` and every mask, but `skip`.
fn first(base: &Bits, masks: [&[u64]; 3], skip: Option<u32>) -> Option<u32> {
    let [a, b, c] = masks;
    let words = base.iter().zip(a).zip(b).zip(c);
    for (word, (((&base, &a), &b), &c)) in words.enumerate() {
        let mut bits = base & a & b & c;
        if let Some(skip) = skip.filter(|&at| at as usize / 64 == word) {
            bits &= !(1u64 << (skip % 64));
        }
        if bits != 0 {
            return u32::try_from(word * 64)
                .ok()
                .map(|at| at + bits.trailing_zeros());
        }
    }
    None
}
