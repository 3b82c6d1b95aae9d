//! A loopback TCP proxy a test can cut and restore, to take a browser's
//! connection away the way a flaky network does (the browser sees its
//! sockets drop and new ones fail) without touching the browser or relay.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A proxy from its own address to a target set later.
#[derive(Debug)]
pub struct Proxy {
    pub addr: SocketAddr,
    up: Arc<watch::Sender<bool>>,
    target: Arc<watch::Sender<Option<SocketAddr>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Binds a free loopback port; forwards nothing until [`Proxy::forward_to`].
    pub async fn bind() -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (up, _) = watch::channel(true);
        let (target, _) = watch::channel(None);
        let (up, target) = (Arc::new(up), Arc::new(target));
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&up), Arc::clone(&target)));
        Ok(Self {
            addr,
            up,
            target,
            task,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn forward_to(&self, target: SocketAddr) {
        self.target.send_replace(Some(target));
    }

    /// Drops every open connection and refuses new ones until [`Proxy::restore`].
    pub fn cut(&self) {
        self.up.send_replace(false);
    }

    pub fn restore(&self) {
        self.up.send_replace(true);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    up: Arc<watch::Sender<bool>>,
    target: Arc<watch::Sender<Option<SocketAddr>>>,
) {
    while let Ok((inbound, _)) = listener.accept().await {
        let destination = *target.borrow();
        if !*up.borrow() {
            drop(inbound); // refused while cut
            continue;
        }
        let Some(destination) = destination else {
            continue;
        };
        let mut up_rx = up.subscribe();
        tokio::spawn(async move {
            let Ok(outbound) = TcpStream::connect(destination).await else {
                return;
            };
            let (mut a, mut b) = (inbound, outbound);
            tokio::select! {
                _ = tokio::io::copy_bidirectional(&mut a, &mut b) => {}
                _ = up_rx.wait_for(|up| !*up) => {} // cut: both sides dropped
            }
        });
    }
}
