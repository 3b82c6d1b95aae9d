//! Which roll-up counters a fact adds to: the one place that decides the
//! shape of what stores keep, so a 30-day report reads a few thousand
//! rows whatever the number of conversations.
//!
//! - An opened conversation or ingested item counts in its channel's row
//!   of the UTC hour it happened in: the volume, and the heat map's hours.
//! - Everything else counts in rows of the site's local day (`day_ms`,
//!   the start of the day holding the fact in the site's time zone when
//!   it is recorded): its channel's row always, and its agent's row when
//!   it has one. Agent rows keep counts and the first-response and resolution
//!   histograms; channel rows keep every histogram.
//!
//! Rows are kept per channel and per agent, never per agent *and*
//! channel: no report shows that cross product, and it would multiply
//! what a report reads. A site's totals are the sum of its channel rows.

use super::facts::{hour_of, Fact, Measure};
use super::histogram::bucket_of_ms;
use super::layout::{Count, Durations};
use super::row::{Add, RowOf};

/// One counter a fact adds 1 to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counter {
    Count(Count),
    Duration(Durations, u64),
}

/// The increments `fact` makes, each by 1, with `day_ms` the start of
/// the site's local day holding it. A rating outside 1–5 (which the
/// survey refuses before a fact is made) adds nothing.
pub fn adds_of(fact: &Fact, day_ms: u64) -> Vec<Add> {
    use Counter::{Count as C, Duration as D};
    use Durations::*;
    let channel_row = RowOf::Channel(fact.channel).key();
    if fact.measure == Measure::Opened {
        return vec![Add {
            bucket_ms: hour_of(fact.at_ms),
            row: channel_row,
            slot: Count::Opened.slot().unwrap_or_default(),
            by: 1,
        }];
    }
    let counters = match &fact.measure {
        Measure::Opened => Vec::new(),
        Measure::Waited { ms, business_ms } => vec![
            C(Count::Assigned),
            D(Wait, *ms),
            D(WaitBusiness, *business_ms),
        ],
        Measure::FirstResponse { ms, business_ms } => {
            vec![
                D(FirstResponse, *ms),
                D(FirstResponseBusiness, *business_ms),
            ]
        }
        Measure::Resolved {
            resolution_ms,
            business_resolution_ms,
            handling_ms,
            business_handling_ms,
        } => vec![
            C(Count::Resolved),
            D(Resolution, *resolution_ms),
            D(ResolutionBusiness, *business_resolution_ms),
            D(Handling, *handling_ms),
            D(HandlingBusiness, *business_handling_ms),
        ],
        Measure::Transferred => vec![C(Count::Transfer)],
        Measure::Reopened => vec![C(Count::Reopen)],
        Measure::MessageIn => vec![C(Count::MessageIn)],
        Measure::MessageOut => vec![C(Count::MessageOut)],
        Measure::Rated { rating } => vec![C(Count::Rating(*rating))],
        Measure::Deflected => vec![C(Count::Deflect)],
    };
    let agent_row = fact.agent.as_ref().map(|a| RowOf::Agent(&a.0).key());
    let mut adds = Vec::new();
    for counter in counters {
        let (slot, for_agents) = match counter {
            C(count) => match count.slot() {
                Some(slot) => (slot, true),
                None => continue,
            },
            D(which, ms) => {
                let kept = Durations::ALL[..Durations::OF_AGENTS].contains(&which);
                (which.slot(bucket_of_ms(ms)), kept)
            }
        };
        let rows = std::iter::once(&channel_row).chain(agent_row.iter().filter(|_| for_agents));
        adds.extend(rows.map(|row| Add {
            bucket_ms: day_ms,
            row: row.clone(),
            slot,
            by: 1,
        }));
    }
    adds
}

#[cfg(test)]
mod tests {
    use shared::contacts::Channel;
    use shared::{AgentId, SiteId};

    use super::*;
    use crate::reports::facts::HOUR_MS;
    use crate::reports::histogram::seconds_of_bucket;
    use crate::reports::layout::COUNTS;

    const DAY: u64 = 4 * HOUR_MS - 1_800_000;

    fn fact(agent: Option<&str>, channel: Channel, measure: Measure) -> Fact {
        Fact {
            key: "c1:x".into(),
            site: SiteId("s".into()),
            at_ms: 5 * HOUR_MS + 1_234,
            agent: agent.map(|a| AgentId(a.into())),
            channel,
            measure,
        }
    }

    /// (row, what the slot counts) per add, in order.
    fn counted(fact: &Fact) -> Vec<(String, String)> {
        adds_of(fact, DAY)
            .into_iter()
            .map(|add| {
                assert_eq!((add.bucket_ms, add.by), (DAY, 1));
                let what = match Durations::of_slot(add.slot) {
                    Some((which, bucket)) => format!("{which:?} {}", seconds_of_bucket(bucket)),
                    None => format!("{:?}", Count::ALL[add.slot]),
                };
                (add.row, what)
            })
            .collect()
    }

    #[test]
    fn volume_lands_in_the_channel_row_of_the_utc_hour() {
        let adds = adds_of(&fact(Some("ana"), Channel::WebForm, Measure::Opened), DAY);
        assert_eq!(
            adds,
            [Add {
                bucket_ms: 5 * HOUR_MS,
                row: "channel:web_form".into(),
                slot: 0,
                by: 1,
            }]
        );
    }

    #[test]
    fn the_rest_lands_in_the_day_rows_of_the_channel_and_the_agent() {
        let waited = Measure::Waited {
            ms: 61_500,
            business_ms: 0,
        };
        let chat = |s: &str| ("channel:chat".to_owned(), s.to_owned());
        let ana = |s: &str| ("agent:ana".to_owned(), s.to_owned());
        assert_eq!(
            counted(&fact(Some("ana"), Channel::Chat, waited)),
            [
                chat("Assigned"),
                ana("Assigned"),
                chat("Wait 70"),
                chat("WaitBusiness 0")
            ]
        );
        let resolved = Measure::Resolved {
            resolution_ms: 7_200_000,
            business_resolution_ms: 1_000,
            handling_ms: 3_000,
            business_handling_ms: 500,
        };
        assert_eq!(
            counted(&fact(Some("ana"), Channel::Chat, resolved)),
            [
                chat("Resolved"),
                ana("Resolved"),
                chat("Resolution 7200"),
                ana("Resolution 7200"),
                chat("ResolutionBusiness 1"),
                ana("ResolutionBusiness 1"),
                chat("Handling 3"),
                chat("HandlingBusiness 1"),
            ]
        );
        let first = Measure::FirstResponse {
            ms: 125_000,
            business_ms: 45_000,
        };
        assert_eq!(
            counted(&fact(None, Channel::Email, first)),
            [
                ("channel:email".into(), "FirstResponse 140".into()),
                ("channel:email".into(), "FirstResponseBusiness 45".into())
            ]
        );
    }

    #[test]
    fn counts_and_ratings() {
        let f = |m| counted(&fact(None, Channel::Sms, m));
        let sms = |s: &str| vec![("channel:sms".to_owned(), s.to_owned())];
        assert_eq!(f(Measure::Transferred), sms("Transfer"));
        assert_eq!(f(Measure::Reopened), sms("Reopen"));
        assert_eq!(f(Measure::MessageIn), sms("MessageIn"));
        assert_eq!(f(Measure::Deflected), sms("Deflect"));
        assert_eq!(f(Measure::Rated { rating: 4 }), sms("Rating(4)"));
        assert!(f(Measure::Rated { rating: 0 }).is_empty());
        assert!(f(Measure::Rated { rating: 6 }).is_empty());
        let out = counted(&fact(Some("bo"), Channel::Chat, Measure::MessageOut));
        assert_eq!(out.len(), 2);
        assert_eq!(out[1], ("agent:bo".into(), "MessageOut".into()));
        // Agent rows never reach past their histograms.
        let resolved = Measure::Resolved {
            resolution_ms: u64::MAX,
            business_resolution_ms: u64::MAX,
            handling_ms: 0,
            business_handling_ms: 0,
        };
        let longest = adds_of(&fact(Some("bo"), Channel::Chat, resolved), DAY)
            .into_iter()
            .filter(|a| a.row == "agent:bo")
            .map(|a| a.slot)
            .max();
        assert!(longest < Some(Durations::ALL[Durations::OF_AGENTS].slot(0)));
        assert!(longest > Some(COUNTS));
    }
}
