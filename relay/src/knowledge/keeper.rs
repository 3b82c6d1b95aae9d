//! Keeps this node's search index following the store: each
//! `Event::ArticleChanged` re-reads its article, and a periodic resync
//! catches whatever events were lost (see [`super::library`]).

use std::sync::Arc;
use std::time::Duration;

use shared::{ArticleId, SiteId};
use tokio::sync::mpsc;

use crate::app::App;

/// How often the whole index is compared with the store.
pub const RESYNC_EVERY: Duration = Duration::from_secs(60);

/// Runs until shutdown.
pub async fn run(app: Arc<App>, mut changes: mpsc::Receiver<(SiteId, ArticleId)>) {
    let library = Arc::clone(app.conversations.library());
    let mut every = tokio::time::interval(RESYNC_EVERY);
    every.tick().await; // the first tick is immediate; start-up already synced
    loop {
        tokio::select! {
            () = app.shutdown.cancelled() => return,
            Some((site, article)) = changes.recv() => {
                if let Err(e) = library.refresh(app.store.as_ref(), &site, &article).await {
                    tracing::warn!(error = %e, "search index refresh failed; the resync will retry");
                }
            }
            _ = every.tick() => match library.resync(app.store.as_ref()).await {
                Ok(0) => {}
                Ok(changed) => tracing::info!(changed, "search index resynced"),
                Err(e) => tracing::warn!(error = %e, "search index resync failed"),
            },
        }
    }
}
