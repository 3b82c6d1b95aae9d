//! The rules that keep one record per customer without ever guessing:
//! which contact a set of claimed identities belongs to ([`resolve`]),
//! shared by the ingest API and the widget's signed identity. Only a
//! verified identity finds an existing contact; an unverified one that
//! matches someone else becomes a merge proposal for an agent.

pub mod card;
pub mod chat_record;
pub mod identify;
pub mod resolve;

pub use resolve::{resolve_contact, Claim, Resolved};
