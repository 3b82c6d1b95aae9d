//! Adding, removing and changing rows of the routing form: teams (and
//! their members), topics, and the schedules of the site and each team.
//! Removing a team leaves its topics without a team rather than pointing
//! at nothing.

use shared::AgentId;

use super::hours_form::{HoursForm, Keys};
use super::routing_form::{HoursOwner, RoutingForm, TeamForm, TopicForm};

impl RoutingForm {
    pub(crate) fn add_team(&mut self) {
        let key = self.keys.next();
        self.teams.push(TeamForm {
            key,
            id: String::new(),
            name: String::new(),
            members: Vec::new(),
            answer_within: String::new(),
            hours: None,
        });
    }

    /// Removes a team; its topics keep no team.
    pub(crate) fn remove_team(&mut self, key: u64) {
        self.teams.retain(|t| t.key != key);
        for topic in self.topics.iter_mut().filter(|t| t.team == Some(key)) {
            topic.team = None;
        }
    }

    pub(crate) fn team_mut(&mut self, key: u64) -> Option<&mut TeamForm> {
        self.teams.iter_mut().find(|t| t.key == key)
    }

    /// Adds or removes a member of a team.
    pub(crate) fn set_member(&mut self, team: u64, agent: &AgentId, member: bool) {
        if let Some(team) = self.team_mut(team) {
            team.members.retain(|a| a != agent);
            if member {
                team.members.push(agent.clone());
            }
        }
    }

    pub(crate) fn add_topic(&mut self) {
        let key = self.keys.next();
        self.topics.push(TopicForm {
            key,
            id: String::new(),
            label: String::new(),
            team: None,
            skill: String::new(),
            urls: String::new(),
        });
    }

    pub(crate) fn remove_topic(&mut self, key: u64) {
        self.topics.retain(|t| t.key != key);
    }

    pub(crate) fn topic_mut(&mut self, key: u64) -> Option<&mut TopicForm> {
        self.topics.iter_mut().find(|t| t.key == key)
    }

    pub(crate) fn hours(&self, owner: HoursOwner) -> Option<&HoursForm> {
        match owner {
            HoursOwner::Site => self.hours.as_ref(),
            HoursOwner::Team(key) => self.teams.iter().find(|t| t.key == key)?.hours.as_ref(),
        }
    }

    /// Gives `owner` a schedule (office hours in `time_zone`) or takes it away.
    pub(crate) fn set_hours(&mut self, owner: HoursOwner, on: bool, time_zone: &str) {
        let new = on.then(|| HoursForm::office(time_zone, &mut self.keys));
        match owner {
            HoursOwner::Site => self.hours = new,
            HoursOwner::Team(key) => {
                if let Some(team) = self.team_mut(key) {
                    team.hours = new;
                }
            }
        }
    }

    /// Changes `owner`'s schedule; `change` also gets the form's keys for new rows.
    pub(crate) fn edit_hours(
        &mut self,
        owner: HoursOwner,
        change: impl FnOnce(&mut HoursForm, &mut Keys),
    ) {
        let keys = &mut self.keys;
        let hours = match owner {
            HoursOwner::Site => self.hours.as_mut(),
            HoursOwner::Team(key) => self
                .teams
                .iter_mut()
                .find(|t| t.key == key)
                .and_then(|t| t.hours.as_mut()),
        };
        if let Some(hours) = hours {
            change(hours, keys);
        }
    }
}
