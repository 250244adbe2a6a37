//! Password hashing with argon2id (P5.2). Hashes are PHC strings that carry their own salt
//! and parameters, so parameters can be raised later without breaking old hashes.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// A hashed password, as stored. Never serialised to clients.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHashString(pub String);

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(<redacted>)")
    }
}

pub fn hash(password: &str) -> PasswordHashString {
    let salt = SaltString::generate(&mut OsRng);
    let phc = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password")
        .to_string();
    PasswordHashString(phc)
}

/// True when `password` matches. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &PasswordHashString) -> bool {
    PasswordHash::new(&stored.0)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// P5.2: passwords are stored only as salted argon2id hashes.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash("Correct-Horse-9");
        let b = hash("Correct-Horse-9");
        assert!(a.0.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("Correct-Horse-9", &a));
        assert!(!verify("correct-horse-9", &a));
        assert!(!verify("x", &PasswordHashString("not a hash".into())));
    }
}
