//! Service reports for the people who run the service: an admin in the
//! console (any site) or an integration holding the site's API key. A
//! report reads the site's roll-ups for the period and for the period of
//! the same length before it, and nothing else: no scan of conversations
//! or messages, whatever their number (see `crate::reports`).
//!
//! Roll-ups are kept in buckets (UTC hours for the volume, the site's
//! local days for the rest); which of them a period reads is
//! `reports::window`'s rule.

use shared::reports::{Report, ReportQuery};
use shared::SiteId;

use super::actor::Actor;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::reports::build::build_report;
use crate::reports::row::Row;
use crate::reports::window::{in_period, read_range};

const NO_SITE: ServiceError = ServiceError::NotFound("no such site");

impl ConversationService {
    /// The site's report for `query`. Admins only (an integration speaks
    /// for its own site as its admin would); the query is checked first.
    pub async fn report(
        &self,
        actor: Actor<'_>,
        site: &SiteId,
        query: &ReportQuery,
    ) -> ServiceResult<Report> {
        match actor {
            Actor::Agent(agent) if agent.admin => {}
            Actor::Integration(own) if own.id == *site => {}
            Actor::Integration(_) => return Err(NO_SITE),
            Actor::Agent(_) | Actor::Visitor(_) => {
                return Err(ServiceError::Forbidden("only admins read reports"))
            }
        }
        query
            .check()
            .map_err(|problem| ServiceError::Invalid(problem.to_string()))?;
        if !site.is_well_formed() {
            return Err(NO_SITE);
        }
        let site = self.store.site(site).await?.ok_or(NO_SITE)?;
        let (previous_from, previous_to) = query.previous();
        let (current, previous, agents) = tokio::try_join!(
            self.rollup(&site.id, query.from_ms, query.to_ms),
            self.rollup(&site.id, previous_from, previous_to),
            self.store.agents(),
        )?;
        Ok(build_report(&site, &agents, query, &current, &previous))
    }

    async fn rollup(
        &self,
        site: &SiteId,
        from_ms: u64,
        to_ms: u64,
    ) -> crate::store::StoreResult<Vec<Row>> {
        if from_ms >= to_ms {
            return Ok(Vec::new());
        }
        let (read_from, read_to) = read_range(from_ms, to_ms);
        let rows = self.store.rollup(site, read_from, read_to).await?;
        Ok(in_period(rows, from_ms, to_ms))
    }
}
