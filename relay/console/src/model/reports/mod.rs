//! The admins' reports page as plain data: which report was asked for and
//! where that request stands, the report shown, and the live view while
//! the page watches it. The numbers are the relay's; this module only
//! keeps them and turns them into text and shapes:
//! - `figures.rs`: durations, changes against the previous period, scores;
//! - `tables.rs`: the report as tables of text (page, charts' alternatives, CSV);
//! - `csv.rs`: a table as a CSV file (cells as `shared::reports::csv` writes them);
//! - `chart.rs`: bar and heat map geometry, mirrored for right-to-left.

pub(crate) mod chart;
pub(crate) mod csv;
pub(crate) mod figures;
pub(crate) mod tables;

#[cfg(test)]
mod tests;

use shared::report_period::{is_date, ReportDays, ReportPeriod};
use shared::reports::{LiveView, Report};
use shared::{AgentFrame, ErrorCode, ServerFrame, SiteId};

use super::requests::Request;
use super::{Effect, Fetch, Model};

/// One report request: the site, the days and whether durations count
/// business hours only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReportAsk {
    pub(crate) site: SiteId,
    pub(crate) period: ReportPeriod,
    pub(crate) business_hours: bool,
}

/// A report the relay answered, with the local dates it covers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShownReport {
    pub(crate) site: SiteId,
    pub(crate) days: ReportDays,
    pub(crate) report: Report,
}

/// The reports page's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Reports {
    /// The last report asked for.
    pub(crate) asked: Option<ReportAsk>,
    pub(crate) load: Fetch,
    /// Custom dates that make no period; nothing was sent.
    pub(crate) bad_dates: bool,
    pub(crate) shown: Option<ShownReport>,
    /// Whether this console asked for the live view (asked again after a
    /// reconnect).
    pub(crate) watching: bool,
    pub(crate) live: Option<LiveView>,
}

impl Model {
    /// Whether the "Reports" page is offered: admins only.
    pub(crate) fn can_see_reports(&self) -> bool {
        self.is_admin()
    }

    /// Asks for a report; `None` (and the page says why) for custom dates
    /// that make no period.
    pub(crate) fn report_ask(&mut self, ask: ReportAsk) -> Option<AgentFrame> {
        if !self.can_see_reports() {
            return None;
        }
        if let ReportPeriod::Custom {
            first_day,
            last_day,
        } = &ask.period
        {
            let ok = is_date(first_day) && is_date(last_day) && first_day <= last_day;
            self.reports.bad_dates = !ok;
            if !ok {
                return None;
            }
        }
        self.reports.bad_dates = false;
        self.reports.load = Fetch::Pending;
        self.requests.push(Request::Report(ask.site.clone()));
        let frame = AgentFrame::Report {
            site: ask.site.clone(),
            period: ask.period.clone(),
            business_hours: ask.business_hours,
        };
        self.reports.asked = Some(ask);
        Some(frame)
    }

    /// Starts or stops the live view.
    pub(crate) fn watch_live(&mut self, watch: bool) -> Option<AgentFrame> {
        if !self.can_see_reports() || self.reports.watching == watch {
            return None;
        }
        self.reports.watching = watch;
        if !watch {
            self.reports.live = None;
        }
        Some(AgentFrame::WatchLive { watch })
    }

    /// `report` and `live_view`.
    pub(super) fn on_reports(&mut self, frame: ServerFrame) {
        match frame {
            ServerFrame::Report { site, days, report } => {
                let asked = |r: &Request| matches!(r, Request::Report(s) if *s == site);
                if self.requests.take(asked).is_some() && !self.requests.waiting(asked) {
                    self.reports.load = Fetch::Settled;
                }
                self.reports.shown = Some(ShownReport {
                    site,
                    days,
                    report: *report,
                });
            }
            ServerFrame::LiveView(live) if self.reports.watching => {
                self.reports.live = Some(live);
            }
            _ => {}
        }
    }

    /// A refused report: the page says why.
    pub(super) fn report_failed(&mut self, code: ErrorCode) {
        self.reports.load = Fetch::Failed(code);
    }

    /// After `agent_welcome`: the live view is watched again on the new
    /// socket, and a report still loading is asked for again.
    pub(super) fn reports_again(&mut self) -> Vec<Effect> {
        let mut fx = Vec::new();
        if self.reports.watching {
            fx.push(Effect::Send(AgentFrame::WatchLive { watch: true }));
        }
        let loading = self.reports.load == Fetch::Pending;
        self.reports.load = Fetch::Settled;
        if let Some(ask) = self.reports.asked.clone().filter(|_| loading) {
            fx.extend(self.report_ask(ask).map(Effect::Send));
        }
        fx
    }
}
