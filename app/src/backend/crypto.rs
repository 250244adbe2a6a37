//! Field encryption at rest (P4.3, P5.2): AES-256-GCM with a key id in every ciphertext, so
//! keys can rotate. Key material never derives `Serialize` and never prints.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use std::fmt;

/// 32 bytes of key material. Debug output is redacted; there is no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::rng().fill_bytes(&mut k);
        SecretKey(k)
    }

    /// Parses 64 hex digits (surrounding whitespace allowed).
    pub fn from_hex(s: &str) -> Result<Self, KeyError> {
        let bytes = hex::decode(s.trim()).map_err(|_| KeyError::NotHex)?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::WrongLength)?;
        Ok(SecretKey(arr))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        SecretKey(bytes)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is not hexadecimal")]
    NotHex,
    #[error("the key must be 32 bytes (64 hex digits)")]
    WrongLength,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    #[error("ciphertext is malformed")]
    Malformed,
    #[error("ciphertext was made with unknown key {0}")]
    UnknownKey(u8),
    #[error("ciphertext failed authentication")]
    Tampered,
}

const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 12;

/// Encrypts and decrypts sensitive fields. The `context` (for example `"payee.id_number:" +
/// row id`) is bound as associated data, so a ciphertext copied into another row or column
/// does not decrypt.
pub struct FieldCipher {
    current_id: u8,
    keys: Vec<(u8, Aes256Gcm)>,
}

impl fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldCipher(current key {})", self.current_id)
    }
}

impl FieldCipher {
    /// A cipher whose current key is `key` with id `key_id`.
    pub fn new(key_id: u8, key: &SecretKey) -> Self {
        let cipher = Aes256Gcm::new(key.as_bytes().into());
        FieldCipher {
            current_id: key_id,
            keys: vec![(key_id, cipher)],
        }
    }

    /// Adds an older key that can still decrypt, for rotation.
    pub fn with_old_key(mut self, key_id: u8, key: &SecretKey) -> Self {
        self.keys
            .push((key_id, Aes256Gcm::new(key.as_bytes().into())));
        self
    }

    /// `[version][key id][nonce][ciphertext+tag]`.
    pub fn encrypt(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let (_, cipher) = &self.keys[0];
        let ct = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut out = Vec::with_capacity(2 + NONCE_LEN + ct.len());
        out.push(FORMAT_V1);
        out.push(self.current_id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out
    }

    pub fn decrypt(&self, data: &[u8], context: &[u8]) -> Result<Vec<u8>, DecryptError> {
        if data.len() < 2 + NONCE_LEN + 16 || data[0] != FORMAT_V1 {
            return Err(DecryptError::Malformed);
        }
        let key_id = data[1];
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(id, _)| *id == key_id)
            .ok_or(DecryptError::UnknownKey(key_id))?;
        let nonce = Nonce::from_slice(&data[2..2 + NONCE_LEN]);
        cipher
            .decrypt(
                nonce,
                Payload {
                    msg: &data[2 + NONCE_LEN..],
                    aad: context,
                },
            )
            .map_err(|_| DecryptError::Tampered)
    }
}

impl FieldCipher {
    /// [`FieldCipher::encrypt`] for text columns: the ciphertext as hex.
    pub fn encrypt_text(&self, plaintext: &str, context: &str) -> String {
        hex::encode(self.encrypt(plaintext.as_bytes(), context.as_bytes()))
    }

    pub fn decrypt_text(&self, stored: &str, context: &str) -> Result<String, DecryptError> {
        let data = hex::decode(stored).map_err(|_| DecryptError::Malformed)?;
        let plain = self.decrypt(&data, context.as_bytes())?;
        String::from_utf8(plain).map_err(|_| DecryptError::Malformed)
    }
}

/// Keyed hashes for looking up encrypted fields without decrypting them (blind index, P4.3):
/// HMAC-SHA256 under a key derived from the field key, so equal values can be found and
/// compared while the stored value stays unreadable.
pub struct BlindIndex {
    key: [u8; 32],
}

impl fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlindIndex(<redacted>)")
    }
}

impl BlindIndex {
    pub fn new(field_key: &SecretKey) -> Self {
        BlindIndex {
            key: hmac_sha256(field_key.as_bytes(), b"blind-index/v1"),
        }
    }

    /// The index of `value` within `domain` (e.g. `"mobile"`), as hex.
    pub fn of(&self, domain: &str, value: &str) -> String {
        let mut msg = Vec::with_capacity(domain.len() + 1 + value.len());
        msg.extend_from_slice(domain.as_bytes());
        msg.push(0);
        msg.extend_from_slice(value.as_bytes());
        hex::encode(hmac_sha256(&self.key, &msg))
    }
}

pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    use hmac::{KeyInit, Mac};
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// Whether `tag` is the HMAC-SHA256 of `msg` under `key`, compared in constant time.
pub fn hmac_sha256_verify(key: &[u8], msg: &[u8], tag: &[u8]) -> bool {
    use hmac::{KeyInit, Mac};
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac.verify_slice(tag).is_ok()
}

/// Whether `a` and `b` are equal, in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// SHA-256 as hex (content hashes, session-token hashes, the audit chain).
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

/// 32 random bytes as hex: session tokens, invitation tokens.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// P4.3, P5.2: sensitive fields are unreadable at rest and bound to their place.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_hides_the_plaintext() {
        let c = FieldCipher::new(1, &SecretKey::generate());
        let ct = c.encrypt(b"6222020202020201234", b"payee.account:42");
        assert!(!ct.windows(4).any(|w| w == b"6222"));
        assert_eq!(
            c.decrypt(&ct, b"payee.account:42").unwrap(),
            b"6222020202020201234"
        );
        // Same plaintext, different ciphertext (random nonce).
        assert_ne!(ct, c.encrypt(b"6222020202020201234", b"payee.account:42"));
    }

    #[test]
    fn refuses_tampering_other_contexts_and_unknown_keys() {
        let c = FieldCipher::new(1, &SecretKey::generate());
        let mut ct = c.encrypt(b"secret", b"ctx");
        assert_eq!(c.decrypt(&ct, b"other-row"), Err(DecryptError::Tampered));
        let last = ct.len() - 1;
        ct[last] ^= 1;
        assert_eq!(c.decrypt(&ct, b"ctx"), Err(DecryptError::Tampered));
        assert_eq!(c.decrypt(b"short", b"ctx"), Err(DecryptError::Malformed));
        let other = FieldCipher::new(2, &SecretKey::generate());
        let ct2 = other.encrypt(b"x", b"ctx");
        assert_eq!(c.decrypt(&ct2, b"ctx"), Err(DecryptError::UnknownKey(2)));
    }

    #[test]
    fn rotation_keeps_old_ciphertexts_readable() {
        let old = SecretKey::generate();
        let before = FieldCipher::new(1, &old).encrypt(b"v", b"c");
        let rotated = FieldCipher::new(2, &SecretKey::generate()).with_old_key(1, &old);
        assert_eq!(rotated.decrypt(&before, b"c").unwrap(), b"v");
        assert_eq!(
            rotated.encrypt(b"v", b"c")[1],
            2,
            "new data uses the new key"
        );
    }

    #[test]
    fn p4_3_text_fields_and_blind_index() {
        let key = SecretKey::generate();
        let c = FieldCipher::new(1, &key);
        let stored = c.encrypt_text("13800000000", "users.mobile:u1");
        assert!(!stored.contains("13800000000"));
        assert_eq!(
            c.decrypt_text(&stored, "users.mobile:u1").unwrap(),
            "13800000000"
        );
        assert!(c.decrypt_text(&stored, "users.mobile:u2").is_err());
        let idx = BlindIndex::new(&key);
        assert_eq!(
            idx.of("mobile", "13800000000"),
            idx.of("mobile", "13800000000")
        );
        assert_ne!(
            idx.of("mobile", "13800000000"),
            idx.of("email", "13800000000")
        );
        assert_ne!(
            idx.of("mobile", "13800000000"),
            BlindIndex::new(&SecretKey::generate()).of("mobile", "13800000000")
        );
        assert!(!format!("{idx:?}").contains(&idx.of("a", "b")[..8]));
    }

    #[test]
    fn keys_parse_and_never_print() {
        let k = SecretKey::generate();
        assert_eq!(
            SecretKey::from_hex(&format!(" {}\n", k.to_hex())).unwrap(),
            k
        );
        assert_eq!(SecretKey::from_hex("zz"), Err(KeyError::NotHex));
        assert_eq!(SecretKey::from_hex("abcd"), Err(KeyError::WrongLength));
        assert!(!format!("{k:?}").contains(&k.to_hex()[..8]));
    }
}
