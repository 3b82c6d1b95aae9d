//! Which roll-up cells a fact adds to, and the field names they use: the
//! one place that decides what a store's sums mean (`build` reads them
//! back by the same names).
//!
//! Fields, each summed per (UTC hour, agent, channel):
//! - `opened`: conversations started and items ingested;
//! - `assigned`, `wait.S`, `wait_bh.S`: first assignments and their waits;
//! - `frt.S`, `frt_bh.S`: first responses;
//! - `resolved`, `res.S`, `res_bh.S`, `handle.S`: closes, their
//!   resolution and handling times;
//! - `transfer`, `reopen`, `msg_in`, `msg_out`, `deflect`;
//! - `csat.1` … `csat.5`: ratings.
//!
//! `S` is a duration's histogram bucket in seconds ([`histogram`]); the
//! `_bh` variants count business time only. Handling time has no business
//! variant (the fact carries none), so reports in business hours show it
//! as wall-clock time.
//!
//! [`histogram`]: super::histogram

use shared::contacts::Channel;

use super::facts::{hour_of, Cell, Fact, Measure};
use super::histogram::bucket_of_ms;

pub const OPENED: &str = "opened";
pub const ASSIGNED: &str = "assigned";
pub const RESOLVED: &str = "resolved";
pub const TRANSFER: &str = "transfer";
pub const REOPEN: &str = "reopen";
pub const MSG_IN: &str = "msg_in";
pub const MSG_OUT: &str = "msg_out";
pub const DEFLECT: &str = "deflect";
/// Prefix of the rating counts: `csat.1` … `csat.5`.
pub const CSAT: &str = "csat";
/// Prefixes of the duration histograms: `frt.42` counts first responses
/// in the 42-second bucket.
pub const WAIT: &str = "wait";
pub const WAIT_BH: &str = "wait_bh";
pub const FIRST_RESPONSE: &str = "frt";
pub const FIRST_RESPONSE_BH: &str = "frt_bh";
pub const RESOLUTION: &str = "res";
pub const RESOLUTION_BH: &str = "res_bh";
pub const HANDLING: &str = "handle";

/// The cells `fact` adds, each with value 1. A rating outside 1–5 (which
/// the survey refuses before a fact is made) adds nothing.
pub fn cells_of(fact: &Fact) -> Vec<Cell> {
    let fields: Vec<String> = match &fact.measure {
        Measure::Opened => vec![OPENED.into()],
        Measure::Waited { ms, business_ms } => vec![
            ASSIGNED.into(),
            duration(WAIT, *ms),
            duration(WAIT_BH, *business_ms),
        ],
        Measure::FirstResponse { ms, business_ms } => vec![
            duration(FIRST_RESPONSE, *ms),
            duration(FIRST_RESPONSE_BH, *business_ms),
        ],
        Measure::Resolved {
            resolution_ms,
            business_resolution_ms,
            handling_ms,
        } => vec![
            RESOLVED.into(),
            duration(RESOLUTION, *resolution_ms),
            duration(RESOLUTION_BH, *business_resolution_ms),
            duration(HANDLING, *handling_ms),
        ],
        Measure::Transferred => vec![TRANSFER.into()],
        Measure::Reopened => vec![REOPEN.into()],
        Measure::MessageIn => vec![MSG_IN.into()],
        Measure::MessageOut => vec![MSG_OUT.into()],
        Measure::Rated {
            rating: rating @ 1..=5,
        } => vec![format!("{CSAT}.{rating}")],
        Measure::Rated { .. } => Vec::new(),
        Measure::Deflected => vec![DEFLECT.into()],
    };
    let hour_ms = hour_of(fact.at_ms);
    let agent = fact.agent.as_ref().map(|a| a.0.clone()).unwrap_or_default();
    let channel = channel_name(fact.channel);
    fields
        .into_iter()
        .map(|field| Cell {
            hour_ms,
            agent: agent.clone(),
            channel: channel.to_owned(),
            field,
            value: 1,
        })
        .collect()
}

fn duration(prefix: &str, ms: u64) -> String {
    format!("{prefix}.{}", bucket_of_ms(ms))
}

/// Splits `frt.42` into (`frt`, 42); `None` for a field without a number.
pub fn split_field(field: &str) -> Option<(&str, u64)> {
    let (prefix, number) = field.rsplit_once('.')?;
    Some((prefix, number.parse().ok()?))
}

/// A channel's name in cells: its snake_case wire name.
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Chat => "chat",
        Channel::Email => "email",
        Channel::Phone => "phone",
        Channel::Sms => "sms",
        Channel::Social => "social",
        Channel::WebForm => "web_form",
        Channel::System => "system",
        Channel::Note => "note",
    }
}

/// The channel a cell names, if it is one.
pub fn channel_named(name: &str) -> Option<Channel> {
    const ALL: [Channel; 8] = [
        Channel::Chat,
        Channel::Email,
        Channel::Phone,
        Channel::Sms,
        Channel::Social,
        Channel::WebForm,
        Channel::System,
        Channel::Note,
    ];
    ALL.into_iter().find(|&c| channel_name(c) == name)
}

#[cfg(test)]
mod tests {
    use shared::{AgentId, SiteId};

    use super::*;
    use crate::reports::facts::HOUR_MS;

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

    fn fields(fact: &Fact) -> Vec<String> {
        cells_of(fact).into_iter().map(|c| c.field).collect()
    }

    #[test]
    fn cells_land_in_the_hour_agent_and_channel() {
        let cells = cells_of(&fact(None, Channel::WebForm, Measure::Opened));
        assert_eq!(
            cells,
            [Cell {
                hour_ms: 5 * HOUR_MS,
                agent: String::new(),
                channel: "web_form".into(),
                field: "opened".into(),
                value: 1,
            }]
        );
        let cells = cells_of(&fact(Some("ana"), Channel::Chat, Measure::MessageOut));
        assert_eq!(
            (cells[0].agent.as_str(), cells[0].field.as_str()),
            ("ana", "msg_out")
        );
    }

    #[test]
    fn durations_go_into_buckets() {
        let waited = Measure::Waited {
            ms: 61_500,
            business_ms: 0,
        };
        assert_eq!(
            fields(&fact(Some("a"), Channel::Chat, waited)),
            ["assigned", "wait.62", "wait_bh.0"]
        );
        let first = Measure::FirstResponse {
            ms: 125_000,
            business_ms: 45_000,
        };
        assert_eq!(
            fields(&fact(None, Channel::Chat, first)),
            ["frt.130", "frt_bh.45"]
        );
        let resolved = Measure::Resolved {
            resolution_ms: 7_200_000,
            business_resolution_ms: 1_000,
            handling_ms: 3_000,
        };
        assert_eq!(
            fields(&fact(None, Channel::Email, resolved)),
            ["resolved", "res.7200", "res_bh.1", "handle.3"]
        );
    }

    #[test]
    fn counts_and_ratings() {
        let f = |m| fields(&fact(None, Channel::Sms, m));
        assert_eq!(f(Measure::Transferred), ["transfer"]);
        assert_eq!(f(Measure::Reopened), ["reopen"]);
        assert_eq!(f(Measure::MessageIn), ["msg_in"]);
        assert_eq!(f(Measure::Deflected), ["deflect"]);
        assert_eq!(f(Measure::Rated { rating: 4 }), ["csat.4"]);
        assert!(f(Measure::Rated { rating: 0 }).is_empty());
        assert!(f(Measure::Rated { rating: 6 }).is_empty());
        assert_eq!(split_field("frt_bh.130"), Some(("frt_bh", 130)));
        assert_eq!(split_field("opened"), None);
    }

    #[test]
    fn channel_names_are_the_wire_names() {
        for name in [
            "chat", "email", "phone", "sms", "social", "web_form", "system", "note",
        ] {
            let channel = channel_named(name).unwrap();
            assert_eq!(
                serde_json::to_string(&channel).unwrap(),
                format!("\"{name}\"")
            );
        }
        assert_eq!(channel_named("fax"), None);
    }
}
