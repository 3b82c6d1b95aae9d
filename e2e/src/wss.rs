//! A protocol socket over TLS (`wss://`) from a loopback address the test
//! picks (127.0.0.2, 127.0.0.3, …), trusting one certificate: how a test
//! reaches the relay through nginx as distinct clients would, which
//! headless Chromium cannot (its sockets all come from 127.0.0.1).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use shared::ServerFrame;
use tokio::net::{TcpSocket, TcpStream};
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{crypto, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderName;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::client::WAIT;

/// One `wss://` protocol connection.
#[derive(Debug)]
pub struct WssClient {
    socket: WebSocketStream<TlsStream<TcpStream>>,
}

impl WssClient {
    /// Opens `wss://127.0.0.1:PORT{path}` (the server at `server`) from
    /// `local`, trusting only `certificate` (DER), with extra `headers`.
    pub async fn connect(
        server: SocketAddr,
        certificate: Vec<u8>,
        local: IpAddr,
        path: &str,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let mut roots = RootCertStore::empty();
        roots.add(CertificateDer::from(certificate))?;
        let provider = Arc::new(crypto::aws_lc_rs::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let socket = TcpSocket::new_v4()?;
        socket.bind(SocketAddr::new(local, 0))?;
        let tcp = tokio::time::timeout(WAIT, socket.connect(server))
            .await
            .context("TCP connect timed out")??;
        let name = ServerName::from(server.ip());
        let tls = tokio::time::timeout(
            WAIT,
            TlsConnector::from(Arc::new(config)).connect(name, tcp),
        )
        .await
        .context("TLS handshake timed out")??;
        let mut request = format!("wss://{server}{path}").into_client_request()?;
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes())?;
            request.headers_mut().append(name, value.parse()?);
        }
        let (socket, _) = tokio::time::timeout(WAIT, tokio_tungstenite::client_async(request, tls))
            .await
            .context("WebSocket handshake timed out")??;
        Ok(Self { socket })
    }

    pub async fn send<T: Serialize>(&mut self, frame: &T) -> anyhow::Result<()> {
        let text = serde_json::to_string(frame)?;
        self.socket.send(Message::Text(text.into())).await?;
        Ok(())
    }

    /// The next protocol frame (pings and pongs skipped).
    pub async fn recv(&mut self) -> anyhow::Result<ServerFrame> {
        loop {
            let next = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .context("no frame in time")?
                .context("the socket closed")??;
            if let Message::Text(text) = next {
                return Ok(serde_json::from_str(&text)?);
            }
        }
    }
}
