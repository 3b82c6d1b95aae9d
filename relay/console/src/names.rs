//! Display names for people the protocol knows only by id.
//!
//! The relay does not (yet) send a visitor's name, so the console shows a
//! generated one: "Visitor" and four hex digits of a hash of the visitor
//! id. Hashing (rather than slicing the id) keeps the label short, stable
//! across reloads and free of the id's mixed-case base64 characters.

use shared::VisitorId;

use crate::i18n::{fill, Catalog};

/// Four lowercase hex digits derived from the visitor id (FNV-1a).
pub(crate) fn short_code(visitor: &VisitorId) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in visitor.as_str().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{:04x}", (hash >> 16) ^ (hash & 0xffff))
}

/// "Visitor 3f2a".
pub(crate) fn visitor_label(catalog: &Catalog, visitor: &VisitorId) -> String {
    fill(catalog.visitor_named, &[("id", &short_code(visitor))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn labels_are_short_stable_and_distinct() {
        let a = visitor_label(&EN, &VisitorId::from("v_AbC123xyz-_0"));
        assert_eq!(a, visitor_label(&EN, &VisitorId::from("v_AbC123xyz-_0")));
        assert!(a.starts_with("Visitor "));
        let code = a.trim_start_matches("Visitor ");
        assert_eq!(code.len(), 4);
        assert!(code
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(
            short_code(&VisitorId::from("v_1")),
            short_code(&VisitorId::from("v_2"))
        );
    }
}
