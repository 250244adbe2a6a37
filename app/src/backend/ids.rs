//! Unguessable identifiers.

use rand::RngCore;

/// A new random id: 128 bits as 32 lowercase hex digits.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A new random id that sorts by creation time (like UUIDv7): 48 bits of milliseconds then
/// 80 random bits, as 32 lowercase hex digits. Still unguessable, and new rows land together
/// at the end of the indexes instead of all over them, which keeps high-volume inserts (ledger
/// transactions, payment orders) from touching a page per row.
pub fn new_time_ordered_id() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    rand::rng().fill_bytes(&mut bytes[6..]);
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
        let (c, d) = (new_time_ordered_id(), new_time_ordered_id());
        assert_eq!(c.len(), 32);
        assert_ne!(c, d);
        assert!(c[..12] <= d[..12], "time first");
    }
}
