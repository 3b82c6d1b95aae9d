//! Who a visitor is, beyond the opaque token the relay gave them: the
//! site's signed statement ([`jwt`]) and the human-friendly case codes
//! ([`case_code`]) customers quote across channels. Pure functions only;
//! the stores keep what these decide.

pub mod case_code;
pub mod jwt;

#[cfg(test)]
mod jwt_tests;
