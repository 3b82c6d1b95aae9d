//! Service reports for the people who run the service: an admin in the
//! console (any site) or an integration holding the site's API key. A
//! report reads the site's roll-ups for the period and for the period of
//! the same length before it, and nothing else: no scan of conversations
//! or messages, whatever their number (see `crate::reports`).
//!
//! Roll-ups are kept per UTC hour, so a period is read in whole hours:
//! its start rounded down, its end rounded up to the hour.

use shared::reports::{Report, ReportQuery};
use shared::SiteId;

use super::actor::Actor;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::reports::build::build_report;
use crate::reports::facts::{hour_of, Cell, HOUR_MS};

const NO_SITE: ServiceError = ServiceError::NotFound("no such site");

/// The end of the hour holding `at_ms - 1`: the first hour a period
/// ending at `at_ms` (exclusive) does not touch.
fn hour_after(to_ms: u64) -> u64 {
    hour_of(to_ms.saturating_sub(1)).saturating_add(HOUR_MS)
}

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
    ) -> crate::store::StoreResult<Vec<Cell>> {
        if from_ms >= to_ms {
            return Ok(Vec::new());
        }
        self.store
            .rollup(site, hour_of(from_ms), hour_after(to_ms))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_read_in_the_whole_hours_it_touches() {
        assert_eq!(hour_after(HOUR_MS), HOUR_MS);
        assert_eq!(hour_after(HOUR_MS + 1), 2 * HOUR_MS);
        assert_eq!(hour_after(1), HOUR_MS);
        assert_eq!(hour_of(HOUR_MS - 1), 0);
    }
}
