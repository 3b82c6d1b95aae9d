//! The set every browser scenario plays on: a relay (either backend)
//! behind a proxy the test can cut, one chromedriver, a phone-sized
//! visitor browser and a desktop agent browser. [`run`] saves screenshots
//! of both when a scenario fails and always tears everything down. Its
//! site keeps the queue open when nobody is online (scenarios have the
//! visitor write first); the offline-form scenario turns the form back on.

use crate::browser::{with_screenshots, Chrome, Session};
use crate::proxy::Proxy;
use crate::relay_harness::{Backend, TestRelay};
use crate::routing_setup::without_offline_form;

/// A relay behind a proxy, a chromedriver, a visitor and an agent browser.
#[derive(Debug)]
pub struct Stage {
    pub relay: TestRelay,
    pub proxy: Proxy,
    pub chrome: Chrome,
    pub visitor: Session,
    pub agent: Session,
}

impl Stage {
    /// The relay's public base URL (through the proxy).
    pub fn base(&self) -> String {
        self.proxy.url()
    }
}

async fn stage(backend: Backend) -> anyhow::Result<Stage> {
    let proxy = Proxy::bind().await?;
    let public = proxy.url();
    let relay = TestRelay::start_with(backend, |c| c.public_url = Some(public)).await?;
    without_offline_form(relay.store().as_ref()).await?;
    proxy.forward_to(relay.addr());
    let chrome = Chrome::start().await?;
    let visitor = chrome.session("visitor", 420, 720).await?;
    let agent = chrome.session("agent", 1200, 800).await?;
    Ok(Stage {
        relay,
        proxy,
        chrome,
        visitor,
        agent,
    })
}

/// Runs one scenario on a fresh stage named `name` (for screenshots).
pub async fn run<F>(name: &str, backend: Backend, scenario: F) -> anyhow::Result<()>
where
    F: for<'a> AsyncFnOnce(&'a Stage) -> anyhow::Result<()>,
{
    let stage = stage(backend).await?;
    let outcome = scenario(&stage).await;
    let test = format!("{name}-{backend:?}").to_lowercase();
    let result = with_screenshots(&test, &[&stage.visitor, &stage.agent], outcome).await;
    let Stage {
        relay,
        visitor,
        agent,
        ..
    } = stage;
    visitor.close().await;
    agent.close().await;
    relay.stop().await;
    result
}

/// Runs each listed `async fn name(stage: &Stage)` scenario as two tests,
/// `embedded::name` and `redis::name`, each on its own stage.
#[macro_export]
macro_rules! browser_tests {
    ($($scenario:ident),* $(,)?) => {
        mod embedded {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() -> anyhow::Result<()> {
                $crate::stage::run(stringify!($scenario), $crate::relay_harness::Backend::Embedded, super::$scenario).await
            })*
        }
        mod redis {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $scenario() -> anyhow::Result<()> {
                $crate::stage::run(stringify!($scenario), $crate::relay_harness::Backend::Redis, super::$scenario).await
            })*
        }
    };
}
