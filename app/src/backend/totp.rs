//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), the
//! operators' second factor (MLPS: two factors for administrators, P5.2).

use crate::model::UtcMillis;
use hmac::{KeyInit, Mac};

pub const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;

/// A new random 20-byte secret, as base32 (what authenticator apps take).
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut b = [0u8; 20];
    rand::rng().fill_bytes(&mut b);
    data_encoding::BASE32_NOPAD.encode(&b)
}

/// The `otpauth://` URI an authenticator app imports (as text or a QR code).
pub fn otpauth_uri(issuer: &str, account: &str, secret_b32: &str) -> String {
    use crate::model::net::encode_component as enc;
    format!(
        "otpauth://totp/{}:{}?secret={secret_b32}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

fn decode_secret(secret_b32: &str) -> Option<Vec<u8>> {
    let clean: String = secret_b32
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .collect::<String>()
        .to_ascii_uppercase();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok()
}

/// The code for a given 30-second step.
pub fn code_at_step(secret_b32: &str, step: i64) -> Option<String> {
    let key = decode_secret(secret_b32)?;
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(&key).ok()?;
    mac.update(&(step as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    Some(format!(
        "{:0width$}",
        bin % 10u32.pow(DIGITS),
        width = DIGITS as usize
    ))
}

pub fn step_of(now: UtcMillis) -> i64 {
    now.0.div_euclid(1000 * STEP_SECONDS)
}

/// Checks `code` against the current step and one step either side (clock drift). Returns the
/// matching step, which the caller stores so that the same code is never accepted twice.
pub fn verify(secret_b32: &str, code: &str, now: UtcMillis, last_used_step: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = step_of(now);
    [current - 1, current, current + 1]
        .into_iter()
        .filter(|s| *s > last_used_step)
        .find(|s| code_at_step(secret_b32, *s).is_some_and(|c| constant_eq(&c, code)))
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// P5.2: operators' second factor.
#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (the secret is "12345678901234567890"; codes are the last 6
    /// digits of the 8-digit vectors).
    #[test]
    fn rfc_6238_vectors() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        for (t, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1111111111, "050471"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            assert_eq!(code_at_step(&secret, t / 30).unwrap(), code, "t={t}");
        }
    }

    #[test]
    fn p5_2_codes_are_single_use_and_time_bound() {
        let secret = new_secret();
        let now = UtcMillis(1_800_000_000_000);
        let step = step_of(now);
        let code = code_at_step(&secret, step).unwrap();
        assert_eq!(verify(&secret, &code, now, 0), Some(step));
        assert_eq!(verify(&secret, &code, now, step), None, "replay refused");
        let later = UtcMillis(now.0 + 5 * 60_000);
        assert_eq!(verify(&secret, &code, later, 0), None, "expired");
        assert_eq!(verify(&secret, "12345", now, 0), None);
        assert_eq!(verify(&secret, "abcdef", now, 0), None);
        assert!(otpauth_uri("平台", "ops", &secret).starts_with("otpauth://totp/%E5"));
    }
}
