//! The knowledge base: articles in several languages, parsed once into the
//! safe blocks every client renders ([`markdown`]), found through one
//! full-text index per node kept current from store events ([`search`]).
//! The rules for who may read and write it live in
//! `conversations::knowledge`; the stores keep it (`store::knowledge`).

pub mod keeper;
pub mod library;
pub mod markdown;
pub mod search;

pub use library::Library;
