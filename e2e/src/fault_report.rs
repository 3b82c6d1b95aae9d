//! The figures a fault test reports: messages sent, delivered, duplicated,
//! lost, and reconnect times. Each scenario prints them (`eprintln`, shown
//! with `--nocapture` or on failure) and writes them to
//! `target/e2e/faults/<scenario>.txt`, for the closing note. The
//! counting is here once so every scenario counts the same way.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use shared::ChatMessage;

use crate::browser::output_dir;
use crate::chatter::Chatter;

/// One scenario's outcome.
#[derive(Debug, Default)]
pub struct Figures {
    pub scenario: String,
    /// Messages clients wrote.
    pub sent: usize,
    /// Messages every participant's screen shows.
    pub delivered: usize,
    /// Stored twice, or shown twice on one screen (must be 0).
    pub duplicated: usize,
    /// Written but missing from the store or from a screen (must be 0).
    pub lost: usize,
    pub reconnects: Vec<Duration>,
    /// Anything else worth a line (refusals, gaps filled, ...).
    pub notes: Vec<String>,
}

impl Figures {
    pub fn new(scenario: &str) -> Self {
        Self {
            scenario: scenario.into(),
            ..Self::default()
        }
    }

    /// Adds one conversation: its participants and what the store holds.
    pub fn add_conversation(&mut self, sides: &[&Chatter], stored: &[ChatMessage]) {
        let mut copies: HashMap<&str, usize> = HashMap::new();
        for m in stored {
            *copies.entry(m.client_msg_id.as_str()).or_default() += 1;
        }
        self.duplicated += copies.values().map(|n| n - 1).sum::<usize>();
        for side in sides {
            self.sent += side.sent;
            self.duplicated += side.duplicates + side.ack_conflicts;
            self.reconnects.extend(side.reconnects.iter().copied());
            let written = (1..=side.sent).map(|n| format!("{}-{n}", side.name));
            self.lost += written
                .filter(|id| !copies.contains_key(id.as_str()))
                .count();
            // Acked seqs must be the stored ones.
            for (id, seq) in &side.acks {
                let matches = stored
                    .iter()
                    .any(|m| m.client_msg_id.as_str() == id && m.seq == *seq);
                if !matches {
                    self.lost += 1;
                    self.notes.push(format!("ack {id}@{seq} not in the store"));
                }
            }
        }
        let shown_by_all = stored
            .iter()
            .filter(|m| sides.iter().all(|s| shows(s, m)))
            .count();
        self.delivered += shown_by_all;
        self.lost += stored.len() - shown_by_all;
    }

    /// Prints the figures and writes them to `target/e2e/faults/`.
    pub fn report(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "scenario:   {}", self.scenario);
        let _ = writeln!(text, "sent:       {}", self.sent);
        let _ = writeln!(text, "delivered:  {}", self.delivered);
        let _ = writeln!(text, "duplicated: {}", self.duplicated);
        let _ = writeln!(text, "lost:       {}", self.lost);
        if !self.reconnects.is_empty() {
            let mut times = self.reconnects.clone();
            times.sort();
            let _ = writeln!(
                text,
                "reconnects: {} (min {:?}, median {:?}, max {:?})",
                times.len(),
                times[0],
                times[times.len() / 2],
                times[times.len() - 1]
            );
        }
        for note in &self.notes {
            let _ = writeln!(text, "note:       {note}");
        }
        eprintln!("{text}");
        let dir = output_dir("faults");
        if std::fs::create_dir_all(&dir).is_ok() {
            let _ = std::fs::write(dir.join(format!("{}.txt", self.scenario)), &text);
        }
        text
    }

    /// The bar: nothing duplicated, nothing lost.
    pub fn assert_exactly_once(&self) {
        let text = self.report();
        assert_eq!(self.duplicated, 0, "duplicates in\n{text}");
        assert_eq!(self.lost, 0, "losses in\n{text}");
    }
}

/// Whether `side`'s screen shows `m` at its seq.
fn shows(side: &Chatter, m: &ChatMessage) -> bool {
    side.transcript
        .get(usize::try_from(m.seq).unwrap_or(usize::MAX).wrapping_sub(1))
        .is_some_and(|t| t.client_msg_id == m.client_msg_id && t.text == m.text)
}
