//! Erasing a contact from the embedded state (the rules are in
//! `store::erasure`), step for step as `redis/lua/erase_contact.lua`, and
//! the store call that journals it and then compacts the journal so the
//! erased data is in no line of it.

use async_trait::async_trait;
use shared::{ContactId, Role, SiteId, VisitorId};

use super::contact_state::{identity_key, ContactState};
use super::state::{Op, State};
use super::EmbeddedStore;
use crate::store::erasure::{AuditEntry, Erased, ErasedCounts, ErasureStore, ERASED_TEXT};
use crate::store::{StoreError, StoreResult};

impl ContactState {
    /// The records erasing the live `contact` removes: it and every record
    /// merged into it, sorted.
    fn erased_records(&self, contact: &ContactId) -> Vec<ContactId> {
        let mut ids: Vec<ContactId> = self
            .forwards
            .keys()
            .filter(|from| self.survivor(from).as_ref() == Some(contact))
            .cloned()
            .collect();
        ids.push(contact.clone());
        ids.sort();
        ids
    }

    /// Removes the live `contact` and the records merged into it; returns
    /// the visitors that were linked to it.
    fn erase(&mut self, contact: &ContactId) -> Vec<VisitorId> {
        let records = self.erased_records(contact);
        self.index_name(contact, false);
        if let Some(record) = self.contacts.remove(contact) {
            for identity in &record.identities {
                let key = identity_key(&record.site, identity);
                if self.by_identity.get(&key) == Some(contact) {
                    self.by_identity.remove(&key);
                }
            }
        }
        for id in &records {
            self.forwards.remove(id);
        }
        for (_, item_id) in self.timelines.remove(contact).unwrap_or_default() {
            self.items.remove(&item_id);
            self.external.retain(|_, id| *id != item_id);
            self.cases.retain(|_, id| *id != item_id);
        }
        let visitors: Vec<VisitorId> = self
            .visitors
            .remove(contact)
            .unwrap_or_default()
            .into_iter()
            .collect();
        for visitor in &visitors {
            self.visitor_contact.remove(visitor);
            self.proven.remove(visitor);
        }
        let mut proposals: Vec<_> = self
            .proposals
            .values()
            .filter(|p| records.contains(&p.from) || records.contains(&p.into))
            .map(|p| p.id.clone())
            .collect();
        proposals.sort();
        for id in proposals {
            self.drop_proposal(&id);
        }
        visitors
    }
}

impl State {
    /// What erasing the live `contact` removes, counted before it happens.
    pub(super) fn erasure_plan(&self, contact: &ContactId) -> Erased {
        let c = &self.contacts;
        let visitors: Vec<&VisitorId> = c.visitors.get(contact).into_iter().flatten().collect();
        let conversations: Vec<_> = visitors
            .iter()
            .flat_map(|v| self.visitor_conversations.get(*v).into_iter().flatten())
            .collect();
        Erased {
            contact: contact.clone(),
            records: c.erased_records(contact).len(),
            timeline_items: c.timelines.get(contact).map_or(0, |t| t.len()),
            visitors_unlinked: visitors.len(),
            conversations: conversations.len(),
            messages_redacted: conversations
                .iter()
                .map(|id| self.messages.get(*id).map_or(0, Vec::len))
                .sum(),
        }
    }

    /// Erases the live `contact` and redacts its visitors' messages.
    pub(super) fn erase_contact(&mut self, contact: &ContactId) {
        for visitor in self.contacts.erase(contact) {
            for id in self
                .visitor_conversations
                .get(&visitor)
                .into_iter()
                .flatten()
            {
                for message in self.messages.get_mut(id).into_iter().flatten() {
                    ERASED_TEXT.clone_into(&mut message.text);
                    if message.author.role == Role::Visitor {
                        message.author.name = None;
                    }
                }
            }
        }
    }
}

#[async_trait]
impl ErasureStore for EmbeddedStore {
    async fn erase_contact(
        &self,
        site: &SiteId,
        contact: &ContactId,
        by: &str,
        at_ms: u64,
    ) -> StoreResult<Erased> {
        let (site, contact, by) = (site.clone(), contact.clone(), by.to_owned());
        self.with(move |i| {
            let c = &i.state.contacts;
            let survivor = c
                .survivor(&contact)
                .filter(|s| c.contacts.get(s).is_some_and(|x| x.site == site))
                .ok_or(StoreError::NotFound)?;
            let erased = i.state.erasure_plan(&survivor);
            let entry = erased.audit(&by, at_ms);
            i.commit(Op::EraseContact {
                site,
                contact: survivor,
                entry,
            })?;
            i.compact()?;
            Ok(erased)
        })
        .await
    }

    async fn audit_log(&self, site: &SiteId, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        let site = site.clone();
        self.with(move |i| {
            let log = i.state.audit.get(&site).map(Vec::as_slice).unwrap_or(&[]);
            Ok(log.iter().rev().take(limit).cloned().collect())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::Write;

    use shared::contacts::Contact;

    use super::*;
    use crate::store::ContactStore;

    /// A relay that stopped after journaling an erasure but before
    /// compacting leaves the erased data in older lines: the next open
    /// compacts, so the data is gone from the file and stays erased.
    #[tokio::test]
    async fn an_unfinished_compaction_is_finished_at_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = EmbeddedStore::open(dir.path()).unwrap();
            let contact = Contact {
                id: "ct_1".into(),
                site: "demo".into(),
                name: Some("Secret Person".into()),
                identities: Vec::new(),
                attributes: BTreeMap::new(),
                created_at_ms: 1,
            };
            store.create_contact(&contact).await.unwrap();
        }
        let journal = dir.path().join("journal.jsonl");
        let erased = Erased {
            contact: "ct_1".into(),
            records: 1,
            timeline_items: 0,
            visitors_unlinked: 0,
            conversations: 0,
            messages_redacted: 0,
        };
        let op = Op::EraseContact {
            site: "demo".into(),
            contact: "ct_1".into(),
            entry: erased.audit("api", 2),
        };
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&journal)
            .unwrap();
        writeln!(file, "{}", serde_json::to_string(&op).unwrap()).unwrap();
        drop(file);
        assert!(std::fs::read_to_string(&journal)
            .unwrap()
            .contains("Secret Person"));

        let store = EmbeddedStore::open(dir.path()).unwrap();
        let kept = std::fs::read_to_string(&journal).unwrap();
        assert!(!kept.contains("Secret Person"), "{kept}");
        assert_eq!(store.contact(&"ct_1".into()).await.unwrap(), None);
        assert_eq!(store.audit_log(&"demo".into(), 5).await.unwrap().len(), 1);
    }
}
