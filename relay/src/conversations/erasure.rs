//! Erasing a contact (the GDPR right to erasure) and reading the site's
//! audit log, for an integration holding the site's key or an admin in
//! the console; the admin's export of a contact goes through here too, so
//! the console's privacy actions have one gate. What an erasure removes is
//! the store's rule (`store::erasure`).

use shared::privacy::{ContactExport, Erased};
use shared::ContactId;

use super::{ConversationService, ServiceError, ServiceResult};
use crate::store::{AgentRecord, AuditEntry, Site, StoreError};

const NO_CONTACT: ServiceError = ServiceError::NotFound("no such contact on this site");

/// Audit entries one read returns at most.
pub const MAX_AUDIT_ENTRIES: usize = 500;

impl ConversationService {
    /// Erases one of the site's contacts; `by` says who (`api`,
    /// `agent:{id}`) on the audit line.
    pub async fn erase_contact(
        &self,
        site: &Site,
        contact: &ContactId,
        by: &str,
    ) -> ServiceResult<Erased> {
        let erased = match self
            .store
            .erase_contact(&site.id, contact, by, crate::now_ms())
            .await
        {
            Ok(erased) => erased,
            Err(StoreError::NotFound) => return Err(NO_CONTACT),
            Err(e) => return Err(e.into()),
        };
        tracing::warn!(
            site = %site.id,
            contact = %erased.contact,
            by,
            messages_redacted = erased.messages_redacted,
            "contact erased"
        );
        Ok(erased)
    }

    /// The site's audit log, newest first.
    pub async fn audit_log(&self, site: &Site, limit: usize) -> ServiceResult<Vec<AuditEntry>> {
        Ok(self
            .store
            .audit_log(&site.id, limit.min(MAX_AUDIT_ENTRIES))
            .await?)
    }

    /// An admin erases a contact from the console (any site's).
    pub async fn erase_contact_as_admin(
        &self,
        admin: &AgentRecord,
        contact: &ContactId,
    ) -> ServiceResult<Erased> {
        let site = self.admins_contact_site(admin, contact).await?;
        self.erase_contact(&site, contact, &format!("agent:{}", admin.id))
            .await
    }

    /// An admin exports a contact's record from the console.
    pub async fn export_contact_as_admin(
        &self,
        admin: &AgentRecord,
        contact: &ContactId,
    ) -> ServiceResult<ContactExport> {
        let site = self.admins_contact_site(admin, contact).await?;
        self.export_contact(&site, contact).await
    }

    /// The site of a contact an admin acts on; agents who are not admins
    /// are refused before anything is read.
    async fn admins_contact_site(
        &self,
        admin: &AgentRecord,
        contact: &ContactId,
    ) -> ServiceResult<Site> {
        if !admin.admin {
            return Err(ServiceError::Forbidden(
                "only admins export or erase customer records",
            ));
        }
        let record = self.store.contact(contact).await?.ok_or(NO_CONTACT)?;
        self.store.site(&record.site).await?.ok_or(NO_CONTACT)
    }
}
