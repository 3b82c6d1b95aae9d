//! Configuration: every setting is an environment variable and the same
//! setting as a command-line flag (flags win). Limits are not flags: they
//! are protocol defaults that tests and embedders may lower in code.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::logging::LogFormat;

/// `switchboard`: the relay.
#[derive(Debug, Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Switchboard relay: self-hosted customer chat"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the relay (the default).
    Serve,
    /// Create an admin agent in the configured store, then exit.
    /// With the embedded store, stop the relay first (it holds the data dir).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, env = "SWITCHBOARD_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, default_value = "Admin")]
        name: String,
    },
    /// Make a new ingest API key for a site and print it (shown only now;
    /// only its hash is stored). Stop an embedded-store relay first.
    ///
    /// `--list` prints the fingerprints of the site's keys instead;
    /// `--revoke KEY_OR_FINGERPRINT` revokes one (refused from the next
    /// request on, on every node).
    ApiKey {
        #[arg(long, default_value = "demo")]
        site: String,
        #[arg(long, conflicts_with = "revoke")]
        list: bool,
        #[arg(long, value_name = "KEY_OR_FINGERPRINT")]
        revoke: Option<String>,
    },
    /// Print the site's identity secret (HS256, for signing
    /// `Switchboard.identify` tokens), making one if it has none.
    IdentitySecret {
        #[arg(long, default_value = "demo")]
        site: String,
        /// Replace it: tokens signed with the old secret keep working
        /// for `--grace-secs`, then stop.
        #[arg(long)]
        rotate: bool,
        /// How long the old secret stays valid after `--rotate` (tokens
        /// live at most a day); 0 cuts it off at once.
        #[arg(long, default_value_t = 86_400)]
        grace_secs: u64,
    },
    /// Copy the embedded store to the file DEST while the relay runs (a
    /// consistent snapshot, SQLite's online backup).
    Backup { dest: PathBuf },
    /// Replace the embedded store with the backup SRC (stop the relay
    /// first). The backup is checked before anything is replaced.
    Restore { src: PathBuf },
    /// Change a site's chat settings (pre-chat form, opening hours,
    /// teams, topics, routing) and print them. Stop an embedded-store
    /// relay first.
    Site(Box<SiteArgs>),
    /// Set an agent's languages, skills and capacity for routing, and
    /// print them. Stop an embedded-store relay first.
    Agent(AgentArgs),
}

/// `switchboard site`: a site's pre-chat form, opening hours and routing.
/// Flags left out leave their setting as it is; repeatable flags may be
/// given several times.
#[derive(Debug, Clone, Default, Args)]
pub struct SiteArgs {
    #[arg(long, default_value = "demo")]
    pub site: String,
    /// Ask name and email/phone before the first message.
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    pub prechat_form: Option<bool>,
    /// Weekly opening hours, e.g. "mon-fri 09:00-17:00, sat 10:00-14:00"
    /// (24:00 ends at midnight); "always" clears them (always staffed).
    /// Keeps the zone, holidays and exceptions; a new schedule is in UTC
    /// until --time-zone says otherwise.
    #[arg(long)]
    pub hours: Option<String>,
    /// The hours' IANA time zone, e.g. Europe/Berlin (daylight saving
    /// follows by itself). Also applies to every team's own hours.
    #[arg(long, value_name = "NAME", conflicts_with = "utc_offset")]
    pub time_zone: Option<String>,
    /// Legacy: a fixed UTC offset such as +01:00 instead of a zone (no
    /// daylight saving); kept for old scripts, prefer --time-zone.
    #[arg(long, value_name = "OFFSET", allow_hyphen_values = true)]
    pub utc_offset: Option<String>,
    /// A closed date and its name, e.g. "2026-12-25 Christmas Day"
    /// (repeatable; replaces one on the same date).
    #[arg(long, value_name = "DATE NAME")]
    pub holiday: Vec<String>,
    /// Remove all holidays (before adding any --holiday).
    #[arg(long)]
    pub clear_holidays: bool,
    /// A date with its own hours, "2026-12-27 10:00-14:00" (several
    /// ranges comma-separated), or "2026-12-24 closed" (repeatable).
    #[arg(long, value_name = "DATE HOURS|closed")]
    pub exception: Vec<String>,
    /// Remove all exceptions (before adding any --exception).
    #[arg(long)]
    pub clear_exceptions: bool,
    /// Add a team or rename one: "billing:Billing" (repeatable).
    #[arg(long, value_name = "ID:NAME")]
    pub team: Vec<String>,
    /// Set a team's members by agent email: "billing=a@x.test,b@x.test"
    /// (replaces them; nothing after '=' empties the team).
    #[arg(long, value_name = "ID=EMAILS")]
    pub team_members: Vec<String>,
    /// A team's own weekly hours, "billing=mon-fri 08:00-20:00", in the
    /// site's zone with its holidays and exceptions; "billing=site" goes
    /// back to the site's hours.
    #[arg(long, value_name = "ID=HOURS|site")]
    pub team_hours: Vec<String>,
    /// A team's own answer deadline, "billing=120" (seconds);
    /// "billing=site" goes back to the site's.
    #[arg(long, value_name = "ID=SECS|site")]
    pub team_answer_within: Vec<String>,
    /// Remove a team (no topic may still route to it).
    #[arg(long, value_name = "ID")]
    pub remove_team: Vec<String>,
    /// Add or change a topic: "refunds:Refunds and returns:billing", with
    /// an optional skill after another ':'; the team may be left empty.
    #[arg(long, value_name = "ID:LABEL:TEAM[:SKILL]")]
    pub topic: Vec<String>,
    /// Pick a topic by itself on pages whose URL contains this:
    /// "pricing=/pricing" (adds one; "pricing=" removes them all).
    #[arg(long, value_name = "ID=URL_PART")]
    pub topic_url: Vec<String>,
    /// Remove a topic.
    #[arg(long, value_name = "ID")]
    pub remove_topic: Vec<String>,
    /// Seconds without a matching agent before routing drops language and
    /// skill (twice that: the team too); 0 never widens.
    #[arg(long, value_name = "SECS")]
    pub widen_after: Option<u32>,
    /// Seconds an assigned agent has to answer before the conversation
    /// goes back to the queue; 0: no deadline.
    #[arg(long, value_name = "SECS")]
    pub answer_within: Option<u32>,
    /// Seconds an agent may be offline before their conversations go back
    /// to the queue; 0: never.
    #[arg(long, value_name = "SECS")]
    pub offline_grace: Option<u32>,
    /// Visitors identified by the site's signed token go first.
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    pub priority_identified: Option<bool>,
    /// Contacts with this attribute go first: "plan=vip".
    #[arg(
        long,
        value_name = "KEY=VALUE",
        conflicts_with = "no_priority_attribute"
    )]
    pub priority_attribute: Option<String>,
    /// No attribute puts contacts first.
    #[arg(long)]
    pub no_priority_attribute: bool,
    /// Offer the offline-message form when nobody can answer.
    #[arg(long, value_name = "on|off", value_parser = on_off)]
    pub offline_form: Option<bool>,
}

/// `switchboard agent`: what routing matches an agent on.
#[derive(Debug, Clone, Args)]
pub struct AgentArgs {
    #[arg(long)]
    pub email: String,
    /// Languages the agent answers in, BCP 47, comma-separated
    /// ("fa,en"); "" for any.
    #[arg(long, value_name = "TAGS")]
    pub languages: Option<String>,
    /// Skills topics may ask for, comma-separated ("vat,refunds"); "" for none.
    #[arg(long, value_name = "SKILLS")]
    pub skills: Option<String>,
    /// Most conversations at once.
    #[arg(long, value_name = "N")]
    pub capacity: Option<u32>,
}

fn on_off(text: &str) -> Result<bool, String> {
    match text {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err("expected on or off".into()),
    }
}

/// Relay settings.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: SocketAddr,
    /// Directory of the embedded store (ignored when REDIS_URL is set).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_DATA",
        default_value = "./data"
    )]
    pub data: PathBuf,
    /// The embedded store's page cache in MiB: its memory stays near this
    /// however long the history grows.
    #[arg(long, global = true, env = "SWITCHBOARD_STORE_CACHE_MB", default_value_t = crate::store::sqlite::DEFAULT_CACHE_MB)]
    pub store_cache_mb: u64,
    /// Use Redis for the store and the bus (several relays may share it).
    #[arg(long, global = true, env = "REDIS_URL")]
    pub redis_url: Option<String>,
    /// Prefix of every Redis key and channel.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_REDIS_PREFIX",
        default_value = "sb:"
    )]
    pub redis_prefix: String,
    /// Redis Sentinels (`host:port`, comma-separated), instead of
    /// REDIS_URL: the store and bus use the master they name and follow
    /// it through failovers.
    #[arg(long, global = true, env = "REDIS_SENTINELS", value_delimiter = ',')]
    pub redis_sentinels: Vec<String>,
    /// The name the sentinels monitor the master under.
    #[arg(long, global = true, env = "SWITCHBOARD_REDIS_MASTER")]
    pub redis_master: Option<String>,
    /// REDIS_URL names nodes of a Redis Cluster (comma-separated); the
    /// prefix must then carry a hash tag, e.g. `{sb}:`.
    #[arg(long, global = true, env = "SWITCHBOARD_REDIS_CLUSTER", default_value_t = false, action = clap::ArgAction::Set)]
    pub redis_cluster: bool,
    /// Replicas a write must reach (Redis `WAIT`) before it is
    /// acknowledged; 0 waits for none.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_REDIS_WAIT_REPLICAS",
        default_value_t = 0
    )]
    pub redis_wait_replicas: u32,
    /// Email of the first admin, created on first start when no agent exists.
    #[arg(long, global = true, env = "SWITCHBOARD_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    /// Password of the first admin (generated and printed once if unset).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_ADMIN_PASSWORD",
        hide_env_values = true
    )]
    pub admin_password: Option<String>,
    /// The URL visitors and agents reach this relay at (printed, and allowed
    /// as an origin of the demo site). Defaults to http://ADDR.
    #[arg(long, global = true, env = "SWITCHBOARD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Directory of the built widget and console (`cargo xtask` builds them
    /// into `target/web`), served under `/assets/`.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_ASSETS",
        default_value = "target/web"
    )]
    pub assets: PathBuf,
    /// The `demo` site and the `/demo` page: on for trying Switchboard out;
    /// set `false` in production (the demo site lets any page of this
    /// relay's origin start conversations).
    #[arg(long, global = true, env = "SWITCHBOARD_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo: bool,
    /// When set, `/metrics` answers only `Authorization: Bearer TOKEN`
    /// (the counters tell strangers how busy the company is).
    #[arg(long, global = true, env = "SWITCHBOARD_METRICS_TOKEN")]
    pub metrics_token: Option<String>,
    /// Log lines as `text` for people or `json` (one object a line, the
    /// event's fields beside `message`) for log collectors.
    #[arg(long, global = true, env = "SWITCHBOARD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Reverse proxies (IPs or CIDR blocks, comma-separated) whose
    /// `X-Forwarded-For` names the client that per-address limits count;
    /// from any other peer the header is ignored (a client could forge it).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<crate::client_addr::IpRange>,
    #[command(flatten)]
    pub limits: Limits,
    /// How long old data is kept (off by default).
    #[command(flatten)]
    pub retention: crate::retention::Retention,
    /// Email to visitors who wrote while nobody was online (off without a host).
    #[command(flatten)]
    pub smtp: crate::mail::SmtpConfig,
}

/// Protocol limits; defaults from `shared::limits`. Only the per-connection
/// rate limits are settings (env and flag, for load tests and unusual
/// deployments, e.g. a kiosk behind one NAT); the rest change only in code.
#[derive(Debug, Clone, Args)]
pub struct Limits {
    #[arg(skip = shared::limits::MAX_FRAME_BYTES)]
    pub max_frame_bytes: usize,
    #[arg(skip = shared::limits::MAX_TEXT_CHARS)]
    pub max_text_chars: usize,
    /// Chat messages one visitor connection may send in a burst.
    #[arg(long, global = true, env = "SWITCHBOARD_VISITOR_MSG_BURST", default_value_t = shared::limits::VISITOR_MSG_BURST)]
    pub visitor_msg_burst: u32,
    /// Chat messages per second one visitor connection may send, sustained.
    #[arg(long = "visitor-msg-rate", global = true, env = "SWITCHBOARD_VISITOR_MSG_RATE", default_value_t = shared::limits::VISITOR_MSG_PER_SEC)]
    pub visitor_msg_per_sec: u32,
    /// Frames of any kind one connection (either role) may send in a burst:
    /// a flood guard well above normal use.
    #[arg(long, global = true, env = "SWITCHBOARD_FRAME_BURST", default_value_t = FRAME_BURST)]
    pub frame_burst: u32,
    /// Frames of any kind per second one connection may send, sustained.
    #[arg(long = "frame-rate", global = true, env = "SWITCHBOARD_FRAME_RATE", default_value_t = FRAME_PER_SEC)]
    pub frame_per_sec: u32,
    #[arg(skip = Duration::from_secs(shared::limits::PING_INTERVAL_SECS))]
    pub ping_interval: Duration,
    #[arg(skip = Duration::from_secs(shared::limits::PONG_TIMEOUT_SECS))]
    pub pong_timeout: Duration,
    /// Failed sign-ins on one connection before it is closed.
    #[arg(skip = 5u32)]
    pub max_failed_sign_ins: u32,
    #[arg(skip = Duration::from_secs(30 * 24 * 3600))]
    pub session_ttl: Duration,
    /// How often each node re-runs routing as a safety net, and widens
    /// and reassigns what waited too long (ms).
    #[arg(long = "routing-sweep-ms", global = true, env = "SWITCHBOARD_ROUTING_SWEEP_MS", default_value = "2000", value_parser = parse_millis)]
    pub routing_sweep: Duration,
    /// An agent who sends nothing for this long goes away (seconds; 0: never).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_AGENT_IDLE_AWAY_SECS",
        default_value_t = 900
    )]
    pub agent_idle_away_secs: u64,
    /// The clock opening hours and routing deadlines read (tests set a
    /// manual one).
    #[arg(skip)]
    pub clock: crate::clock::Clock,
    /// How long shutdown waits for sessions to finish.
    #[arg(skip = Duration::from_secs(5))]
    pub shutdown_grace: Duration,
    /// Identity tokens whose `exp` is further ahead than this (seconds)
    /// are refused: a leaked long-lived token would open a user's chats.
    #[arg(long, global = true, env = "SWITCHBOARD_IDENTITY_TOKEN_MAX_SECS", default_value_t = IDENTITY_TOKEN_MAX_SECS)]
    pub identity_token_max_secs: u64,
    /// Open WebSockets this node accepts at most; beyond, upgrades get 503
    /// (the client retries, the balancer tries another node).
    #[arg(long, global = true, env = "SWITCHBOARD_MAX_CONNECTIONS", default_value_t = MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// A socket that has not said a good hello by then is closed (1001).
    #[arg(skip = Duration::from_secs(10))]
    pub hello_timeout: Duration,
    /// A write the client does not take within this closes the socket
    /// (1013: reconnect and resume).
    #[arg(skip = Duration::from_secs(10))]
    pub write_timeout: Duration,
    /// New visitors (token-less hellos) one address may make per minute
    /// on this node; beyond, `rate_limited`.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_NEW_VISITORS_PER_ADDRESS",
        default_value_t = 60
    )]
    pub new_visitors_per_address: u32,
    /// New visitors per site per minute on this node.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_NEW_VISITORS_PER_SITE",
        default_value_t = 3000
    )]
    pub new_visitors_per_site: u32,
    /// Conversations one address may start per minute on this node.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_STARTS_PER_ADDRESS",
        default_value_t = 20
    )]
    pub starts_per_address: u32,
    /// Conversations per site per minute on this node.
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_STARTS_PER_SITE",
        default_value_t = 1000
    )]
    pub starts_per_site: u32,
    /// A waiting conversation whose visitor has had no socket for this
    /// many seconds is closed (it leaves the queue agents see).
    #[arg(
        long,
        global = true,
        env = "SWITCHBOARD_ABANDON_AFTER_SECS",
        default_value_t = 600
    )]
    pub abandon_after_secs: u64,
    /// How often each node notes its visitors' conversations and expires
    /// abandoned ones (well inside `abandon_after_secs`).
    #[arg(skip = Duration::from_secs(60))]
    pub visitor_sweep: Duration,
    /// A client must send a request's headers within this (slowloris).
    #[arg(skip = Duration::from_secs(10))]
    pub header_read_timeout: Duration,
    /// The first wait after too many failed sign-ins; each further
    /// failure doubles it (see `conversations::sign_in_guard`).
    #[arg(skip = Duration::from_secs(1))]
    pub sign_in_backoff: Duration,
}

const MAX_CONNECTIONS: usize = 50_000;

const IDENTITY_TOKEN_MAX_SECS: u64 = 24 * 3600;

const FRAME_BURST: u32 = 60;
const FRAME_PER_SEC: u32 = 20;

impl Default for Limits {
    fn default() -> Self {
        use shared::limits as l;
        Self {
            max_frame_bytes: l::MAX_FRAME_BYTES,
            max_text_chars: l::MAX_TEXT_CHARS,
            visitor_msg_burst: l::VISITOR_MSG_BURST,
            visitor_msg_per_sec: l::VISITOR_MSG_PER_SEC,
            frame_burst: FRAME_BURST,
            frame_per_sec: FRAME_PER_SEC,
            ping_interval: Duration::from_secs(l::PING_INTERVAL_SECS),
            pong_timeout: Duration::from_secs(l::PONG_TIMEOUT_SECS),
            max_failed_sign_ins: 5,
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            routing_sweep: Duration::from_secs(2),
            agent_idle_away_secs: 900,
            clock: crate::clock::Clock::System,
            shutdown_grace: Duration::from_secs(5),
            identity_token_max_secs: IDENTITY_TOKEN_MAX_SECS,
            max_connections: MAX_CONNECTIONS,
            hello_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            sign_in_backoff: Duration::from_secs(1),
            header_read_timeout: Duration::from_secs(10),
            abandon_after_secs: 600,
            visitor_sweep: Duration::from_secs(60),
            new_visitors_per_address: 60,
            new_visitors_per_site: 3000,
            starts_per_address: 20,
            starts_per_site: 1000,
        }
    }
}

impl Config {
    /// Defaults for everything, storing in `data`, listening on `addr`.
    pub fn new(addr: SocketAddr, data: PathBuf) -> Self {
        Self {
            addr,
            data,
            store_cache_mb: crate::store::sqlite::DEFAULT_CACHE_MB,
            redis_url: None,
            redis_prefix: "sb:".into(),
            redis_sentinels: Vec::new(),
            redis_master: None,
            redis_cluster: false,
            redis_wait_replicas: 0,
            admin_email: None,
            admin_password: None,
            public_url: None,
            assets: PathBuf::from("target/web"),
            demo: true,
            metrics_token: None,
            log_format: LogFormat::Text,
            trusted_proxies: Vec::new(),
            limits: Limits::default(),
            retention: crate::retention::Retention::default(),
            smtp: Default::default(),
        }
    }

    /// The public URL, given the address actually bound.
    pub fn public_url_for(&self, bound: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
            .trim_end_matches('/')
            .to_owned()
    }
}

/// A duration given in whole milliseconds (at least 100).
fn parse_millis(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<u64>() {
        Ok(ms) if ms >= 100 => Ok(Duration::from_millis(ms)),
        _ => Err(format!(
            "{text:?} is not a number of milliseconds (at least 100)"
        )),
    }
}
