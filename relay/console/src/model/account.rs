//! The account panel's rules: changing one's own password, signing out
//! everywhere and, for admins, disabling or enabling another agent. Each
//! request waits in `requests.rs` (an error frame names no frame, so it is
//! matched to the request it answers there), and its answer or refusal
//! becomes the note its form shows. A new password the relay would refuse
//! is not sent at all.

use shared::limits::MIN_PASSWORD_CHARS;
use shared::{AgentFrame, AgentId, AgentProfile, ErrorCode, Presence};

use super::requests::{Answer, Request};
use super::{Model, Note, Phase};

/// What the account panel tells the agent, one note per form.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Account {
    /// "Change password": the relay's answer, or why it was not sent.
    pub(crate) password: Option<Note>,
    /// "Sign out everywhere": why the relay refused (a success signs out).
    pub(crate) everywhere: Option<Note>,
    /// The team list: the last access change, or why it was refused.
    pub(crate) team: Option<Note>,
}

/// One agent in the admin's team list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TeamRow {
    pub(crate) id: AgentId,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) presence: Presence,
    pub(crate) disabled: bool,
    pub(crate) admin: bool,
    /// The signed-in agent: offered no button (the relay refuses it anyway,
    /// and an admin locking themselves out is never what they meant).
    pub(crate) me: bool,
    /// A change of this agent's access is waiting for the relay.
    pub(crate) changing: bool,
}

impl Model {
    /// The `change_password` frame; `None` when one is already in flight,
    /// or (with the reason as the form's note) when the relay would refuse
    /// the new password or it differs from its repetition.
    pub(crate) fn change_password(
        &mut self,
        current: &str,
        new: &str,
        repeat: &str,
    ) -> Option<AgentFrame> {
        if self.phase != Phase::SignedIn || self.changing_password() || current.is_empty() {
            return None;
        }
        self.account.password = if new != repeat {
            Some(Note::PasswordsDiffer)
        } else if new.chars().count() < MIN_PASSWORD_CHARS {
            Some(Note::PasswordTooShort)
        } else {
            None
        };
        if self.account.password.is_some() {
            return None;
        }
        self.requests.push(Request::Password);
        Some(AgentFrame::ChangePassword {
            current: current.to_owned(),
            new: new.to_owned(),
        })
    }

    pub(crate) fn changing_password(&self) -> bool {
        self.requests.waiting(|r| *r == Request::Password)
    }

    /// The `sign_out_everywhere` frame, unless one is in flight.
    pub(crate) fn sign_out_everywhere(&mut self) -> Option<AgentFrame> {
        if self.phase != Phase::SignedIn || self.signing_out_everywhere() {
            return None;
        }
        self.account.everywhere = None;
        self.requests.push(Request::SignOutEverywhere);
        Some(AgentFrame::SignOutEverywhere)
    }

    pub(crate) fn signing_out_everywhere(&self) -> bool {
        self.requests.waiting(|r| *r == Request::SignOutEverywhere)
    }

    /// An admin's `set_agent_disabled` for another listed agent; `None`
    /// for oneself, for a non-admin, or when the list already shows the
    /// agent so (a second click) or a change of it is in flight.
    pub(crate) fn set_agent_disabled(
        &mut self,
        agent: &AgentId,
        disabled: bool,
    ) -> Option<AgentFrame> {
        if !self.is_admin() || self.my_id() == Some(agent) || self.access_changing(agent) {
            return None;
        }
        let listed = self.agents.iter().find(|a| a.id == *agent)?;
        if listed.disabled == disabled {
            return None;
        }
        self.account.team = None;
        self.requests.push(Request::Access {
            agent: agent.clone(),
            disabled,
        });
        Some(AgentFrame::SetAgentDisabled {
            agent: agent.clone(),
            disabled,
        })
    }

    fn access_changing(&self, agent: &AgentId) -> bool {
        self.requests
            .waiting(|r| matches!(r, Request::Access { agent: a, .. } if a == agent))
    }

    /// The panel closed: its notes are old news when it opens again (an
    /// answer still on its way sets its note anew).
    pub(crate) fn forget_account_notes(&mut self) {
        self.account = Account::default();
    }

    /// The team list for admins, by name.
    pub(crate) fn team(&self) -> Vec<TeamRow> {
        let mut rows: Vec<TeamRow> = self.agents.iter().map(|a| self.row_of(a)).collect();
        rows.sort_by_key(|r| r.name.to_lowercase());
        rows
    }

    /// One row of the team list.
    pub(crate) fn team_row(&self, id: &AgentId) -> Option<TeamRow> {
        let agent = self.agents.iter().find(|a| a.id == *id)?;
        Some(self.row_of(agent))
    }

    fn row_of(&self, agent: &AgentProfile) -> TeamRow {
        TeamRow {
            id: agent.id.clone(),
            name: agent.name.clone(),
            email: agent.email.clone(),
            presence: agent.presence,
            disabled: agent.disabled,
            admin: agent.admin,
            me: self.my_id() == Some(&agent.id),
            changing: self.access_changing(&agent.id),
        }
    }

    /// `password_changed`: the relay took the new password (and ended the
    /// agent's other sessions; this one stays).
    pub(super) fn on_password_changed(&mut self) {
        self.requests.answer(Answer::PasswordChanged);
        self.account.password = Some(Note::PasswordChanged);
    }

    /// An `agents` list, whether asked for or the answer to an access
    /// change: it ends each change it shows done. Matched by content
    /// because a `list_agents` answer sent earlier may arrive first.
    pub(super) fn on_agents(&mut self, agents: Vec<AgentProfile>) {
        self.agents = agents;
        loop {
            let agents = &self.agents;
            let done = self.requests.take(|r| {
                matches!(r, Request::Access { agent, disabled }
                    if agents.iter().any(|a| a.id == *agent && a.disabled == *disabled))
            });
            let Some(Request::Access { agent, disabled }) = done else {
                break;
            };
            let name = agents
                .iter()
                .find(|a| a.id == agent)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            self.account.team = Some(if disabled {
                Note::AgentDisabled(name)
            } else {
                Note::AgentEnabled(name)
            });
        }
        self.agent_routing_done();
    }

    /// Takes an `auth_failed` while signed in as the answer to a password
    /// change, the only step of a signed-in agent that checks a password;
    /// `false` when none is in flight (the session itself was refused).
    pub(super) fn password_refused(&mut self) -> bool {
        if self.phase != Phase::SignedIn {
            return false;
        }
        let refused = self.requests.take(|r| *r == Request::Password).is_some();
        if refused {
            self.account.password = Some(Note::CurrentPasswordWrong);
        }
        refused
    }

    /// An error taken as the answer to an account request: shown on its form.
    pub(super) fn account_failed(&mut self, request: &Request, code: ErrorCode) {
        let note = Some(Note::Error(code));
        match request {
            Request::Password => {
                // The relay's only `invalid_frame` for this step is the length.
                self.account.password = Some(match code {
                    ErrorCode::AuthFailed => Note::CurrentPasswordWrong,
                    ErrorCode::InvalidFrame => Note::PasswordTooShort,
                    _ => Note::Error(code),
                });
            }
            Request::SignOutEverywhere => self.account.everywhere = note,
            Request::Access { .. } => self.account.team = note,
            Request::Card(_)
            | Request::Merge { .. }
            | Request::Older { .. }
            | Request::Search(_)
            | Request::Export(_)
            | Request::Erase(_)
            | Request::Knowledge(_)
            | Request::Routing(_)
            | Request::Report(_) => {}
        }
    }

    /// The relay closed the socket as signed out: this console asked
    /// (signing out everywhere), or the session was taken back from
    /// elsewhere (another device signed out everywhere or changed the
    /// password, or an admin disabled the agent). The sign-in form says
    /// which; after the agent's own "Sign out" it says nothing.
    pub(crate) fn session_closed(&mut self) {
        let note = match self.phase {
            Phase::SignedIn if self.signing_out_everywhere() => Some(Note::SignedOutEverywhere),
            Phase::SignedIn => Some(Note::SessionEnded),
            Phase::SigningIn | Phase::SignedOut => None,
        };
        self.sign_out();
        self.sign_in_note = note;
    }
}
