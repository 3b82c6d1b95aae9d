//! What one conversation asks of the index, turned from strings into the
//! index's numbers: its site's policy, its team, language and skill. Done
//! once per conversation (the retry without `avoid` reuses it), through
//! tables that only hold what sites and agents define, so a value nobody
//! defined is a lookup that misses, never a new entry.

use shared::SiteId;

use super::index::{primary, AgentIndex};
use super::{Policies, SitePolicy, Waiting};

/// A dimension of a key that asks nothing.
pub(super) const ANY: u32 = u32::MAX;
/// The language of agents who listed none: they answer in any.
pub(super) const SPEAKS_ANY: u32 = u32::MAX - 1;

/// A site the queue names, numbered in the order first met.
#[derive(Debug, Clone, Copy)]
pub(super) struct Site<'a> {
    number: u32,
    pub(super) policy: Option<&'a SitePolicy>,
}

/// A conversation's team, languages (its own, then "speaks any") and
/// skill as index numbers. `skill` is `None` when no free agent has it:
/// nobody fits exactly until routing widens.
#[derive(Debug, Clone, Copy)]
pub(super) struct Wants {
    pub(super) team: u32,
    pub(super) languages: [Option<u32>; 2],
    pub(super) skill: Option<u32>,
}

impl<'a> AgentIndex<'a> {
    /// The site a conversation is on, and its policy (looked up once).
    pub(super) fn site(&mut self, id: &'a SiteId, policies: &'a Policies) -> Site<'a> {
        match self.sites.get(id.as_str()) {
            Some(site) => *site,
            None => self.add_site(id, policies),
        }
    }

    /// Registers a site met for the first time, and the names of its
    /// teams (their members are looked up when first asked for).
    fn add_site(&mut self, id: &'a SiteId, policies: &'a Policies) -> Site<'a> {
        let number = u32::try_from(self.sites.len()).unwrap_or(SPEAKS_ANY - 1);
        let policy = policies.site(id);
        for (name, members) in policy.into_iter().flat_map(|p| &p.teams) {
            let team = u32::try_from(self.team_masks.len()).unwrap_or(SPEAKS_ANY - 1);
            self.team_masks.push(None);
            self.team_members.push(members);
            self.teams.insert((number, name.as_str()), team);
        }
        let site = Site { number, policy };
        self.sites.insert(id.as_str(), site);
        site
    }

    /// What `waiting`, on `site`, asks for.
    pub(super) fn wants(&mut self, waiting: &'a Waiting, site: Site<'a>) -> Wants {
        let route = &waiting.route;
        // A team since deleted (or a site without settings) asks nothing.
        let team = match route.team.as_deref() {
            Some(team) => self.team(site.number, team),
            None => ANY,
        };
        // A language no free agent lists can still go to one who speaks any.
        let languages = match route.language.as_deref().map(primary) {
            Some(language) if !language.is_empty() => match self.languages.get(&*language) {
                Some(&id) => [Some(id), Some(SPEAKS_ANY)],
                None => [Some(SPEAKS_ANY), None],
            },
            _ => [Some(ANY), None],
        };
        let skill = match route.skill.as_deref() {
            None => Some(ANY),
            Some(skill) => self.skills.get(skill).copied(),
        };
        Wants {
            team,
            languages,
            skill,
        }
    }

    /// The number of `site`'s team `name`, its members' mask built on
    /// first use; [`ANY`] if the site has no such team.
    fn team(&mut self, site: u32, name: &'a str) -> u32 {
        let Some(&team) = self.teams.get(&(site, name)) else {
            return ANY;
        };
        let slot = team as usize;
        if self.team_masks[slot].is_none() {
            self.team_masks[slot] = Some(self.mask_of(self.team_members[slot].iter()));
        }
        team
    }
}
