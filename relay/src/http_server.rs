//! Serving HTTP/1.1 and WebSocket upgrades with the limits `axum::serve`
//! does not set: a client must finish a request's headers within
//! `Limits::header_read_timeout` (slowloris clients trickle headers to
//! hold a connection for ever), and every request knows its peer's
//! address (`ConnectInfo`) and its client's (`ClientAddr`: the peer, or
//! whom a trusted proxy forwarded for, see `client_addr`). Stops accepting
//! on shutdown and lets requests in flight finish; upgraded sockets are
//! the sessions' own (see `server`).

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt as _;

use crate::client_addr::{ClientAddr, TrustedProxies};

/// How long a failed `accept` (e.g. out of file descriptors) waits before
/// the next, so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serves `router` on `listener` until `shutdown`, then waits for the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
    header_read_timeout: Duration,
    trusted_proxies: TrustedProxies,
) -> std::io::Result<()> {
    let connections = TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        connections.spawn(serve_connection(
            stream,
            peer,
            router.clone(),
            header_read_timeout,
            trusted_proxies.clone(),
            shutdown.clone(),
        ));
    }
    connections.close();
    connections.wait().await;
    Ok(())
}

/// One connection's HTTP/1.1 server, headers within the deadline; on
/// shutdown its request in flight may finish.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    header_read_timeout: Duration,
    trusted_proxies: TrustedProxies,
    shutdown: CancellationToken,
) {
    // Small frames matter more than throughput on a chat socket.
    let _ = stream.set_nodelay(true);
    let service = router.map_request(move |request: Request<Incoming>| {
        let mut request = request.map(Body::new);
        // Per request, not per connection: a proxy may carry many clients'
        // requests over one connection.
        let client = trusted_proxies.client(peer, request.headers());
        request.extensions_mut().insert(ConnectInfo(peer));
        request.extensions_mut().insert(ClientAddr(client));
        request
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let connection = builder
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        }
        () = shutdown.cancelled() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}
