//! The Switchboard relay: accepts visitor and agent WebSockets, stores every
//! message before delivering it, routes conversations to agents, and serves
//! the health, readiness and metrics endpoints.
//!
//! Map of the crate:
//! - [`config`]: command line and environment.
//! - [`app`]: the state every handler shares.
//! - [`backend`]: the one place that picks embedded or Redis.
//! - [`bootstrap`]: the demo site and the first admin.
//! - [`agents`]: creating and listing agents.
//! - [`store`]: durable domain data (`Store` trait; embedded and Redis).
//! - [`bus`]: cross-node event fan-out (`Bus` trait; local and Redis).
//! - [`redis_conn`]: the self-healing Redis connection the Redis store and bus share
//!   (one server, a master found through Sentinel, or a Redis Cluster).
//! - [`hub`]: this node's sockets, indexed by what they watch.
//! - [`routing`]: pure assignment decisions, indexed by team, language
//!   and free capacity.
//! - [`opening_hours`]: whether a site or team is open, in its time zone.
//! - [`clock`]: the relay's clock, set by hand in tests (hours, DST).
//! - [`mail`]: answers to offline messages by email (SMTP).
//! - [`conversations`]: the conversation service: every domain step, each
//!   rule once, for sockets and the API alike.
//! - [`presence`]: this node's agent presence leases.
//! - [`visitors_online`]: which conversations have their visitor here.
//! - [`reports`]: service figures from facts rolled up per hour.
//! - [`retention`]: how long old data is kept, and the sweeper deleting it.
//! - [`auth`]: agent passwords and sessions.
//! - [`identity`]: signed identity tokens (HS256 JWT) and case codes.
//! - [`customers`]: which contact claimed identities belong to.
//! - [`knowledge`]: the knowledge base's Markdown subset and full-text search.
//! - [`api`]: the integrators' REST API (ingest, records).
//! - [`ws`]: the socket endpoints, codec and per-role sessions.
//! - [`http`]: the router, health, readiness, metrics.
//! - [`http_server`]: HTTP/1.1 with a header-read deadline, peer addresses.
//! - [`logging`]: log lines as text or JSON.
//! - [`client_addr`]: the client behind a trusted reverse proxy (`X-Forwarded-For`).
//! - [`web`]: embed.js, the widget and console pages, the demo page, assets.
//! - [`site_admin`]: API keys and identity secrets, from the command line.
//! - [`site_settings`]: hours, holidays, routing (teams, topics, timers,
//!   priority) and the pre-chat form, and agents' languages, skills and
//!   capacity, from the command line.
//! - [`server`]: bootstrapping (demo site, first admin) and graceful shutdown.

pub mod agents;
pub mod api;
pub mod app;
pub mod auth;
pub mod backend;
pub mod bootstrap;
pub mod bus;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod conversations;
pub mod customers;
pub mod http;
pub mod http_server;
pub mod hub;
pub mod identity;
pub mod knowledge;
pub mod logging;
pub mod mail;
pub mod metrics;
pub mod opening_hours;
pub mod presence;
pub mod ratelimit;
pub mod redis_conn;
pub mod reports;
pub mod retention;
pub mod routing;
pub mod secrets;
pub mod seeded;
pub mod server;
pub mod site_admin;
pub mod site_settings;
pub mod store;
pub mod visitors_online;
pub mod wait_estimate;
pub mod web;
pub mod ws;

pub use config::Config;
pub use server::{Relay, RelayHandle};

/// Unix time in milliseconds, the relay's one clock.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(shared::limits::duration_ms)
        .unwrap_or(0)
}
