//! The widget's localStorage, one set of keys per site:
//!
//! | key | value |
//! | --- | --- |
//! | `switchboard:{site}:token` | the visitor token from `welcome` (plain string) |
//! | `switchboard:{site}:outbox` | unacknowledged messages (JSON, see `outbox`) |
//! | `switchboard:{site}:seen` | last seq the visitor has looked at per conversation: `c_1:3,c_2:7` |
//! | `switchboard:{site}:details` | `1` once the relay accepted pre-chat details from this token |
//!
//! The details themselves are not kept (the relay has them); the mark only
//! spares the visitor the form after a reload, and goes with the token.
//! Storage can be missing or throw (private modes, blocked third-party
//! storage in the iframe): every access is fallible and then silently falls
//! back to memory for this page's life, so the chat still works, it just
//! forgets on reload. The outbox is read, changed and written back on each
//! change, so two tabs of one site lose neither's messages (the relay
//! dedupes by `client_msg_id` if both send an item).

use std::cell::RefCell;

use crate::outbox::Outbox;
use crate::transcript::Seen;

/// The site's keys.
#[derive(Debug)]
pub(crate) struct Keys {
    prefix: String,
    /// Values that could not be written to localStorage (few: a Vec).
    memory: RefCell<Vec<(String, Option<String>)>>,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Keys {
    pub(crate) fn new(site: &str) -> Self {
        Self {
            prefix: format!("switchboard:{site}:"),
            memory: RefCell::new(Vec::new()),
        }
    }

    fn get(&self, name: &str) -> Option<String> {
        let key = format!("{}{name}", self.prefix);
        if let Some((_, value)) = self.memory.borrow().iter().find(|(k, _)| *k == key) {
            return value.clone();
        }
        local_storage()?.get_item(&key).ok().flatten()
    }

    fn set(&self, name: &str, value: Option<&str>) {
        let key = format!("{}{name}", self.prefix);
        let stored = local_storage().is_some_and(|s| match value {
            Some(v) => s.set_item(&key, v).is_ok(),
            None => s.remove_item(&key).is_ok(),
        });
        let mut memory = self.memory.borrow_mut();
        memory.retain(|(k, _)| *k != key);
        if !stored {
            memory.push((key, value.map(str::to_owned)));
        }
    }

    pub(crate) fn token(&self) -> Option<String> {
        self.get("token").filter(|t| !t.is_empty())
    }

    pub(crate) fn set_token(&self, token: Option<&str>) {
        if self.token().as_deref() != token {
            self.set("details", None);
        }
        self.set("token", token);
    }

    /// The relay accepted pre-chat details from the current token.
    pub(crate) fn details_given(&self) -> bool {
        self.get("details").is_some()
    }

    pub(crate) fn set_details_given(&self, given: bool) {
        self.set("details", given.then_some("1"));
    }

    pub(crate) fn outbox(&self) -> Outbox {
        self.get("outbox")
            .map(|json| Outbox::from_json(&json))
            .unwrap_or_default()
    }

    /// Reads the outbox, applies `change`, writes it back; returns the result.
    pub(crate) fn update_outbox(&self, change: impl FnOnce(&mut Outbox)) -> Outbox {
        let mut outbox = self.outbox();
        change(&mut outbox);
        if outbox.is_empty() {
            self.set("outbox", None);
        } else {
            self.set("outbox", Some(&outbox.to_json()));
        }
        outbox
    }

    pub(crate) fn seen(&self) -> Seen {
        parse_seen(&self.get("seen").unwrap_or_default())
    }

    pub(crate) fn set_seen(&self, seen: &Seen) {
        self.set("seen", Some(&format_seen(seen)));
    }
}

/// `c_1:3,c_2:7` → {c_1: 3, c_2: 7}; malformed pairs are skipped.
fn parse_seen(text: &str) -> Seen {
    let mut seen = Seen::new();
    for pair in text.split(',') {
        if let Some((id, Ok(seq))) = pair.rsplit_once(':').map(|(id, seq)| (id, seq.parse())) {
            seen.insert(id.into(), seq);
        }
    }
    seen
}

fn format_seen(seen: &Seen) -> String {
    let pairs: Vec<String> = seen.iter().map(|(id, seq)| format!("{id}:{seq}")).collect();
    pairs.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_marks_round_trip() {
        let mut seen = Seen::new();
        seen.insert("c_a".into(), 3);
        seen.insert("c_b".into(), 12);
        assert_eq!(format_seen(&seen), "c_a:3,c_b:12");
        assert_eq!(parse_seen("c_a:3,c_b:12"), seen);
        assert_eq!(parse_seen(""), Seen::new());
        assert_eq!(parse_seen("junk,c_a:x,c_b:12").len(), 1);
    }
}
