//! An admin's reports over the socket: a report for the days asked, and
//! the live view pushed while watched. A push follows each queue or
//! conversation change (bursts coalesced into one) and comes at least
//! every [`LIVE_EVERY`] anyway, since presence changes and waits growing
//! older are no events.

use std::time::Duration;

use shared::{AgentFrame, ServerFrame};
use tokio::time::Instant;

use super::AgentSession;
use crate::conversations::ServiceResult;
use crate::store::AgentRecord;
use crate::ws::outbox::Outbox;

/// The longest a watched live view goes without a push.
pub(super) const LIVE_EVERY: Duration = Duration::from_secs(3);
/// How long a change waits for the ones that follow it (a start assigns,
/// which changes the queue twice) before the push they share.
const COALESCE: Duration = Duration::from_millis(200);

impl AgentSession {
    /// `report` and `watch_live`.
    pub(super) async fn reports_step(
        &mut self,
        agent: &AgentRecord,
        frame: AgentFrame,
        out: &mut Outbox,
    ) -> ServiceResult<()> {
        let service = &self.app.conversations;
        match frame {
            AgentFrame::Report {
                site,
                period,
                business_hours,
            } => {
                let (days, report) = service
                    .report_for_days(agent, &site, &period, business_hours)
                    .await?;
                out.push(ServerFrame::Report {
                    site,
                    days,
                    report: Box::new(report),
                });
            }
            AgentFrame::WatchLive { watch: false } => self.live_due = None,
            AgentFrame::WatchLive { watch: true } => {
                out.push(ServerFrame::LiveView(service.live_view(agent).await?));
                self.live_due = Some(Instant::now() + LIVE_EVERY);
            }
            // The rest are answered by `signed_in_frame`.
            _ => {}
        }
        Ok(())
    }

    /// Something the live view shows changed: push soon.
    pub(super) fn live_changed(&mut self) {
        if let Some(due) = &mut self.live_due {
            *due = (*due).min(Instant::now() + COALESCE);
        }
    }

    /// The live view is due: push it and plan the next one. A failed
    /// read is logged and tried again at the next due time.
    pub(super) async fn push_live(&mut self, out: &mut Outbox) {
        let Some(agent) = self.agent.clone() else {
            return;
        };
        if self.live_due.is_none() {
            return;
        }
        self.live_due = Some(Instant::now() + LIVE_EVERY);
        match self.app.conversations.live_view(&agent).await {
            Ok(view) => out.push(ServerFrame::LiveView(view)),
            Err(e) => tracing::warn!(error = %e, "could not read the live view"),
        }
    }
}
