//! Canned replies: each site's list (its shared replies and the agent's
//! own, loaded once per site and replaced by the answer to every save or
//! delete), the composer's `/shortcut` picker (which replies match what
//! follows the slash, which one is selected, and the reply's text with its
//! placeholders filled in when inserted), and the replies panel's rows and
//! changes. Which replies match, and how placeholders fill, are
//! `shared::canned`'s rules, the relay's too.

use std::collections::{BTreeMap, BTreeSet};

use shared::canned::{fill, matching, typed_shortcut, valid_shortcut, CannedReply, Placeholders};
use shared::{AgentFrame, CannedReplyId, ConversationId, ErrorCode, SiteId};

use super::card::lists;
use super::library::Ask;
use super::{Model, Note};

/// The replies known per site, and the picker.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Canned {
    /// Each site's replies as the relay last sent them.
    pub(crate) replies: BTreeMap<SiteId, Vec<CannedReply>>,
    /// Sites whose replies were asked for on this socket.
    asked: BTreeSet<SiteId>,
    /// The composer's picker, while the composer holds `/` and a prefix.
    pub(crate) picker: Option<Picker>,
    /// The replies panel's last change, or why it was refused.
    pub(crate) note: Option<Note>,
}

impl Canned {
    /// Asks for `site`'s replies again the next time they are wanted.
    pub(super) fn forget(&mut self, site: &SiteId) {
        self.asked.remove(site);
    }

    /// A new socket: every site is asked again when next wanted.
    pub(super) fn forget_all(&mut self) {
        self.asked.clear();
    }
}

/// The `/shortcut` list under a composer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Picker {
    pub(crate) conversation: ConversationId,
    pub(crate) site: SiteId,
    /// What follows the slash.
    pub(crate) prefix: String,
    /// The highlighted match (an index into [`Model::canned_matches`]).
    pub(crate) selected: usize,
}

/// One reply in the replies panel.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CannedRow {
    pub(crate) id: CannedReplyId,
    pub(crate) shortcut: String,
    pub(crate) text: String,
    /// Shared by the site's agents (else the agent's own).
    pub(crate) shared: bool,
    /// The agent may change it: their own, or any shared one for admins.
    pub(crate) editable: bool,
}

impl Model {
    /// `canned_replies` for `site`, unless asked already on this socket.
    pub(crate) fn load_canned(&mut self, site: &SiteId) -> Option<AgentFrame> {
        if !self.kb.canned.asked.insert(site.clone()) {
            return None;
        }
        let frame = AgentFrame::CannedReplies { site: site.clone() };
        Some(self.ask(
            Ask::Canned {
                site: site.clone(),
                change: None,
            },
            frame,
        ))
    }

    /// The composer of `conversation` now holds `text`: opens, narrows or
    /// closes the picker, and loads the site's replies the first time.
    pub(crate) fn canned_typed(
        &mut self,
        conversation: &ConversationId,
        text: &str,
    ) -> Option<AgentFrame> {
        let Some(prefix) = typed_shortcut(text) else {
            self.canned_close();
            return None;
        };
        let site = self.convs.get(conversation)?.summary.site.clone();
        let picker = &mut self.kb.canned.picker;
        let same = picker
            .as_ref()
            .is_some_and(|p| p.conversation == *conversation && p.prefix == prefix);
        if !same {
            *picker = Some(Picker {
                conversation: conversation.clone(),
                site: site.clone(),
                prefix: prefix.to_owned(),
                selected: 0,
            });
        }
        self.load_canned(&site)
    }

    /// The replies the open picker offers, in order.
    pub(crate) fn canned_matches(&self) -> Vec<CannedReply> {
        let Some(picker) = &self.kb.canned.picker else {
            return Vec::new();
        };
        let replies = self
            .kb
            .canned
            .replies
            .get(&picker.site)
            .map_or(&[][..], Vec::as_slice);
        matching(replies, &picker.prefix)
            .into_iter()
            .cloned()
            .collect()
    }

    /// ArrowDown (`down`) or ArrowUp: the next or previous match, wrapping.
    pub(crate) fn canned_move(&mut self, down: bool) {
        let count = self.canned_matches().len();
        let Some(picker) = self.kb.canned.picker.as_mut().filter(|_| count > 0) else {
            return;
        };
        let at = picker.selected.min(count - 1);
        picker.selected = if down {
            (at + 1) % count
        } else {
            (at + count - 1) % count
        };
    }

    /// Inserts a match (`index`, or the highlighted one): its text with the
    /// placeholders filled in, to replace the composer's `/shortcut`.
    /// Closes the picker; `None` when nothing matches.
    pub(crate) fn canned_pick(&mut self, index: Option<usize>) -> Option<String> {
        let matches = self.canned_matches();
        let picker = self.kb.canned.picker.take()?;
        let reply = matches.get(index.unwrap_or(picker.selected))?;
        Some(fill(&reply.text, &self.placeholders(&picker.conversation)))
    }

    pub(crate) fn canned_close(&mut self) {
        self.kb.canned.picker = None;
    }

    /// What a reply's placeholders stand for in `conversation` now: the
    /// customer's name from their card (when it is loaded), the case code,
    /// the signed-in agent's name.
    pub(crate) fn placeholders(&self, conversation: &ConversationId) -> Placeholders {
        let visitor_name = self
            .card
            .card
            .as_ref()
            .filter(|card| lists(card, conversation))
            .and_then(|card| card.contact.name.clone());
        Placeholders {
            visitor_name,
            case_code: self
                .convs
                .get(conversation)
                .and_then(|c| c.summary.case_code.clone()),
            agent_name: self.me.as_ref().map(|a| a.name.clone()),
        }
    }

    /// The replies panel: `site`'s replies, the agent's own first.
    pub(crate) fn canned_rows(&self, site: &SiteId) -> Vec<CannedRow> {
        let admin = self.is_admin();
        let me = self.my_id();
        let replies = self
            .kb
            .canned
            .replies
            .get(site)
            .map_or(&[][..], Vec::as_slice);
        matching(replies, "")
            .into_iter()
            .map(|r| CannedRow {
                id: r.id.clone(),
                shortcut: r.shortcut.clone(),
                text: r.text.clone(),
                shared: r.owner.is_none(),
                editable: match &r.owner {
                    None => admin,
                    Some(owner) => Some(owner) == me,
                },
            })
            .collect()
    }

    /// Creates (`id` absent) or changes a reply. Checked first as the relay
    /// would: a shortcut of letters, digits, `-` and `_`, some text, and
    /// `shared` only for admins (the panel says why it was not sent).
    pub(crate) fn save_canned(
        &mut self,
        site: &SiteId,
        id: Option<CannedReplyId>,
        shortcut: &str,
        text: &str,
        shared: bool,
    ) -> Option<AgentFrame> {
        let shortcut = shortcut.trim().trim_start_matches('/');
        let refusal = if !valid_shortcut(shortcut) {
            Some(ErrorCode::InvalidFrame)
        } else if text.trim().is_empty() {
            Some(ErrorCode::EmptyText)
        } else if shared && !self.is_admin() {
            Some(ErrorCode::Forbidden)
        } else {
            None
        };
        self.kb.canned.note = refusal.map(Note::CannedFailed);
        if refusal.is_some() {
            return None;
        }
        let frame = AgentFrame::SaveCannedReply {
            site: site.clone(),
            id,
            shortcut: shortcut.to_owned(),
            text: text.trim().to_owned(),
            shared,
        };
        let change = Some(Note::ReplySaved(format!("/{shortcut}")));
        Some(self.ask(
            Ask::Canned {
                site: site.clone(),
                change,
            },
            frame,
        ))
    }

    /// Deletes a reply the agent may change.
    pub(crate) fn delete_canned(
        &mut self,
        site: &SiteId,
        id: &CannedReplyId,
    ) -> Option<AgentFrame> {
        let row = self.canned_rows(site).into_iter().find(|r| r.id == *id)?;
        if !row.editable {
            return None;
        }
        self.kb.canned.note = None;
        let frame = AgentFrame::DeleteCannedReply {
            site: site.clone(),
            id: id.clone(),
        };
        let change = Some(Note::ReplyDeleted(format!("/{}", row.shortcut)));
        Some(self.ask(
            Ask::Canned {
                site: site.clone(),
                change,
            },
            frame,
        ))
    }

    /// Whether a save or delete on `site` is waiting for the relay.
    pub(crate) fn canned_changing(&self, site: &SiteId) -> bool {
        self.asking(|a| matches!(a, Ask::Canned { site: s, change: Some(_) } if s == site))
    }

    /// `canned_replies`: the site's list, answering a load, save or delete.
    pub(super) fn on_canned(&mut self, site: SiteId, replies: Vec<CannedReply>) {
        let asked = self.answered(|a| matches!(a, Ask::Canned { site: s, .. } if *s == site));
        if let Some(Ask::Canned {
            change: Some(note), ..
        }) = asked
        {
            self.kb.canned.note = Some(note);
        }
        self.kb.canned.asked.insert(site.clone());
        self.kb.canned.replies.insert(site, replies);
    }
}
