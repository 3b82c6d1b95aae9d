//! Retention settings and the sweeper that applies them: a deployment that
//! must not keep chats, anonymous visitors or old sessions forever says
//! for how many days to keep each, and every few minutes each node
//! deletes what is older, in small batches (`store::retention` has the
//! rules). Off by default: 0 days keeps everything.
//!
//! Several nodes sweeping one Redis at once is safe: each batch is one
//! atomic script, so every record is deleted (and counted) once.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use tokio_util::sync::CancellationToken;

use crate::store::{Store, StoreResult};

/// How often each node sweeps, unless code says otherwise.
const SWEEP_EVERY: Duration = Duration::from_secs(5 * 60);
/// Records one store call deletes at most: short enough that other calls
/// waiting on the store barely notice.
const BATCH: usize = 200;
const DAY_MS: u64 = 24 * 3600 * 1000;

/// How long old data is kept (0: forever).
#[derive(Debug, Clone, Args)]
pub struct Retention {
    /// Delete closed conversations, with their messages, this many days
    /// after they closed (0 keeps them).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_RETAIN_CLOSED_DAYS",
        default_value_t = 0
    )]
    pub retain_closed_days: u64,
    /// Delete visitors who never chatted nor were identified (no contact,
    /// no conversation) this many days after they first came (0 keeps them).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_RETAIN_ANONYMOUS_VISITOR_DAYS",
        default_value_t = 0
    )]
    pub retain_anonymous_visitor_days: u64,
    /// Delete agent sessions this many days after they expired (0 keeps
    /// them; Redis drops expired sessions by itself).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_RETAIN_SESSION_DAYS",
        default_value_t = 0
    )]
    pub retain_session_days: u64,
    /// How often each node sweeps.
    #[arg(skip = SWEEP_EVERY)]
    pub sweep_every: Duration,
    /// Records one store call deletes at most.
    #[arg(skip = BATCH)]
    pub batch: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            retain_closed_days: 0,
            retain_anonymous_visitor_days: 0,
            retain_session_days: 0,
            sweep_every: SWEEP_EVERY,
            batch: BATCH,
        }
    }
}

impl Retention {
    /// Whether any kind of data is ever deleted.
    pub fn is_on(&self) -> bool {
        self.retain_closed_days > 0
            || self.retain_anonymous_visitor_days > 0
            || self.retain_session_days > 0
    }
}

/// What one sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub closed_conversations: usize,
    pub anonymous_visitors: usize,
    pub expired_sessions: usize,
}

/// Sweeps every `settings.sweep_every` until `shutdown`; returns at once
/// when retention is off.
pub async fn run(store: Arc<dyn Store>, settings: Retention, shutdown: CancellationToken) {
    if !settings.is_on() {
        return;
    }
    let mut every = tokio::time::interval(settings.sweep_every);
    // A sweep longer than the period is followed by a full pause, not a
    // burst of sweeps catching up.
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = every.tick() => {
                let swept = sweep(store.as_ref(), &settings, crate::now_ms(), &shutdown).await;
                if swept != Swept::default() {
                    tracing::info!(
                        closed_conversations = swept.closed_conversations,
                        anonymous_visitors = swept.anonymous_visitors,
                        expired_sessions = swept.expired_sessions,
                        "retention: deleted old data"
                    );
                }
            }
        }
    }
}

/// One sweep at `now_ms`: each kind that has a retention, in batches
/// until none is left. Conversations go first, so a visitor whose last
/// one they were can go in the same sweep. A failing kind is logged and
/// retried at the next sweep.
pub async fn sweep(
    store: &dyn Store,
    settings: &Retention,
    now_ms: u64,
    shutdown: &CancellationToken,
) -> Swept {
    let cutoff = |days: u64| (days > 0).then(|| now_ms.saturating_sub(days.saturating_mul(DAY_MS)));
    let batch = settings.batch.max(1);
    let mut swept = Swept::default();
    if let Some(before) = cutoff(settings.retain_closed_days) {
        swept.closed_conversations = until_done("closed conversations", shutdown, || {
            store.delete_closed_conversations(before, batch)
        })
        .await;
    }
    if let Some(before) = cutoff(settings.retain_anonymous_visitor_days) {
        swept.anonymous_visitors = until_done("anonymous visitors", shutdown, || {
            store.delete_anonymous_visitors(before, batch)
        })
        .await;
    }
    if let Some(before) = cutoff(settings.retain_session_days) {
        swept.expired_sessions = until_done("expired sessions", shutdown, || {
            store.delete_expired_sessions(before, batch)
        })
        .await;
    }
    swept
}

/// Calls `batch` until it deletes nothing (or fails, or the relay stops);
/// returns the total deleted.
async fn until_done<F, Fut>(what: &str, shutdown: &CancellationToken, mut batch: F) -> usize
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = StoreResult<usize>>,
{
    let mut total = 0usize;
    while !shutdown.is_cancelled() {
        match batch().await {
            Ok(0) => break,
            Ok(n) => total = total.saturating_add(n),
            Err(e) => {
                tracing::warn!(error = %e, what, "retention sweep failed; retrying next sweep");
                break;
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_unless_a_retention_is_set() {
        let mut settings = Retention::default();
        assert!(!settings.is_on());
        settings.retain_session_days = 30;
        assert!(settings.is_on());
    }

    #[test]
    fn the_settings_are_flags_of_the_relay() {
        use clap::Parser;
        let cli = crate::config::Cli::try_parse_from([
            "switchboard",
            "--retain-closed-days",
            "30",
            "--retain-anonymous-visitor-days=7",
        ])
        .unwrap();
        let retention = cli.config.retention;
        assert_eq!(retention.retain_closed_days, 30);
        assert_eq!(retention.retain_anonymous_visitor_days, 7);
        assert_eq!(retention.retain_session_days, 0);
        assert_eq!(retention.sweep_every, Retention::default().sweep_every);
        assert_eq!(retention.batch, Retention::default().batch);
    }
}
