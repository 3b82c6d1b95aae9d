//! The shape of the relay's log lines: text for people at a terminal, or
//! one JSON object a line for log collectors (Loki, Elasticsearch, Cloud
//! Logging), which then need no pattern to find the level and the fields.
//! `RUST_LOG` picks what is logged either way.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// `SWITCHBOARD_LOG_FORMAT` (the variants' docs are `--help`'s text).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people: time, level, module, message, fields.
    #[default]
    Text,
    /// One JSON object per line: timestamp, level, message, the event's
    /// fields, target.
    // The fields sit beside `message`, not in a nested object, so a
    // collector indexes them without unpacking anything.
    Json,
}

/// Installs the process's log subscriber, writing to stderr (stdout
/// carries the banner and the subcommands' output).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        // Colour codes inside JSON strings would only be noise.
        LogFormat::Json => builder.with_ansi(false).json().flatten_event(true).init(),
    }
}
