//! The console's components, one per file. They read the model through
//! [`crate::context::State`] and act through [`crate::context::Ctl`]; every
//! string comes from [`crate::i18n`].

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod app;
pub(crate) mod banner;
pub(crate) mod canned;
pub(crate) mod canned_list;
pub(crate) mod card;
pub(crate) mod composer;
pub(crate) mod conversation;
pub(crate) mod csat;
pub(crate) mod kb;
pub(crate) mod kb_search;
pub(crate) mod language;
pub(crate) mod list;
pub(crate) mod message_text;
pub(crate) mod offline;
pub(crate) mod reports;
pub(crate) mod route;
pub(crate) mod routing;
pub(crate) mod search;
pub(crate) mod sign_in;
pub(crate) mod status;
pub(crate) mod team;
pub(crate) mod topbar;
pub(crate) mod transcript;
pub(crate) mod transfer;
pub(crate) mod when;
