//! The console's report periods (today, the last 7 or 30 days, custom
//! dates) turned into instants in the site's time zone, so a day is the
//! site's day: it starts at the site's midnight, whatever the admin's own
//! clock or daylight saving says. The report itself is
//! [`ConversationService::report`]'s; this only picks its bounds.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::ToSpan;
use shared::report_period::{ReportDays, ReportPeriod};
use shared::reports::{Report, ReportQuery};
use shared::SiteId;

use super::actor::Actor;
use super::{ConversationService, ServiceError, ServiceResult};
use crate::opening_hours::{local_date, time_zone};
use crate::store::AgentRecord;

impl ConversationService {
    /// The site's report for the days `period` names in its time zone,
    /// with those days. Admins only (see [`ConversationService::report`]).
    pub async fn report_for_days(
        &self,
        admin: &AgentRecord,
        site: &SiteId,
        period: &ReportPeriod,
        business_hours: bool,
    ) -> ServiceResult<(ReportDays, Report)> {
        if !admin.admin {
            return Err(ServiceError::Forbidden("only admins read reports"));
        }
        let hours = match self.store.site(site).await? {
            Some(found) => found.hours,
            None => return Err(ServiceError::NotFound("no such site")),
        };
        let zone = hours.as_ref().map_or(TimeZone::UTC, time_zone);
        let (from_ms, to_ms, days) = bounds(period, &zone, self.clock.now_ms())?;
        let query = ReportQuery {
            from_ms,
            to_ms,
            business_hours,
        };
        let report = self.report(Actor::Agent(admin), site, &query).await?;
        Ok((days, report))
    }
}

/// `[from_ms, to_ms)` from the first day's midnight to the midnight after
/// the last day, in `zone`, and those days; `now_ms` says which day is today.
pub fn bounds(
    period: &ReportPeriod,
    zone: &TimeZone,
    now_ms: u64,
) -> ServiceResult<(u64, u64, ReportDays)> {
    let invalid = |why: &str| ServiceError::Invalid(why.to_owned());
    let (first, last) = match period {
        ReportPeriod::Custom {
            first_day,
            last_day,
        } => {
            let parse = |d: &str| {
                d.parse::<Date>()
                    .map_err(|_| invalid("dates are YYYY-MM-DD"))
            };
            (parse(first_day)?, parse(last_day)?)
        }
        preset => {
            let today = local_date(zone, now_ms).ok_or_else(|| invalid("no such day"))?;
            let back = i64::from(preset.preset_days().unwrap_or(1)) - 1;
            let first = today
                .checked_sub(back.days())
                .map_err(|_| invalid("no such day"))?;
            (first, today)
        }
    };
    if first > last {
        return Err(invalid("the first day must not be after the last"));
    }
    let after_last = last
        .checked_add(1.day())
        .map_err(|_| invalid("no such day"))?;
    // A midnight the clocks skip starts the day at the jump (`compatible`).
    let midnight = |date: Date| -> ServiceResult<u64> {
        let at = zone
            .to_ambiguous_timestamp(date.at(0, 0, 0, 0))
            .compatible()
            .map_err(|_| invalid("no such day"))?;
        u64::try_from(at.as_millisecond()).map_err(|_| invalid("before 1970"))
    };
    let days = ReportDays {
        first_day: first.to_string(),
        last_day: last.to_string(),
    };
    Ok((midnight(first)?, midnight(after_last)?, days))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: u64 = 3_600_000;
    /// 2026-03-29 12:00 UTC, the day Berlin moves its clocks forward.
    const SPRING_NOON: u64 = 1_774_785_600_000;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap()
    }

    #[test]
    fn today_is_the_sites_day_even_across_daylight_saving() {
        let (from, to, days) = bounds(&ReportPeriod::Today, &berlin(), SPRING_NOON).unwrap();
        assert_eq!(days.first_day, "2026-03-29");
        assert_eq!(days.last_day, "2026-03-29");
        // Midnight CET is 23:00 UTC the day before; the day has 23 hours.
        assert_eq!(to - from, 23 * HOUR_MS);
        assert_eq!(from, SPRING_NOON - 13 * HOUR_MS);
    }

    #[test]
    fn presets_end_today_and_count_back() {
        let (from, to, days) =
            bounds(&ReportPeriod::Last7Days, &TimeZone::UTC, SPRING_NOON).unwrap();
        assert_eq!(days.first_day, "2026-03-23");
        assert_eq!(days.last_day, "2026-03-29");
        assert_eq!(to - from, 7 * 24 * HOUR_MS);
        let (_, _, days) = bounds(&ReportPeriod::Last30Days, &TimeZone::UTC, SPRING_NOON).unwrap();
        assert_eq!(days.first_day, "2026-02-28");
    }

    #[test]
    fn custom_dates_are_checked() {
        let custom = |first: &str, last: &str| ReportPeriod::Custom {
            first_day: first.into(),
            last_day: last.into(),
        };
        let (from, to, _) = bounds(&custom("2026-01-01", "2026-01-02"), &TimeZone::UTC, 0).unwrap();
        assert_eq!(to - from, 48 * HOUR_MS);
        assert!(bounds(&custom("2026-01-02", "2026-01-01"), &TimeZone::UTC, 0).is_err());
        assert!(bounds(&custom("2026-02-30", "2026-03-01"), &TimeZone::UTC, 0).is_err());
        assert!(bounds(&custom("1969-12-31", "1970-01-01"), &TimeZone::UTC, 0).is_err());
    }
}
