//! Unguessable identifiers.

use rand::RngCore;

/// A new random id: 128 bits as 32 lowercase hex digits.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A short reference quoted to users for an internal error (8 upper-case hex digits).
pub fn short_reference() -> String {
    let mut bytes = [0u8; 4];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode_upper(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_long_random_and_distinct() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(crate::model::announcement::AnnouncementId::parse(&a).is_some());
        assert_eq!(short_reference().len(), 8);
    }
}
