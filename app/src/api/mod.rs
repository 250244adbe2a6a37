//! Thin `#[server]` functions: authenticate, authorise, parse, call the service, map errors.
//! Nothing else belongs here.
//!
//! Every server function starts with exactly one access check from [`access`], so that a
//! reviewer can see at a glance who may call it. Endpoints are fixed (`/api/<name>`) so that
//! clients and tests can call them over plain HTTP; the authorisation walk in
//! `server/tests/api/authz.rs` fails until each new endpoint is listed there with its access.

pub mod account;
pub mod announcement;
pub mod application;
pub mod audit;
pub mod business;
pub mod callbacks;
pub mod consent;
pub mod dashboard;
pub mod finance;
pub mod funds;
pub mod inbox;
pub mod incidents;
pub mod invoices;
pub mod members;
pub mod messages;
pub mod openapi;
pub mod operators;
pub mod ops;
pub mod policy;
pub mod privacy;
pub mod recovery;
pub mod retention;
pub mod review;
pub mod rights;
pub mod sharing;
pub mod signing;
pub mod stats;
pub mod support;
pub mod system;
pub mod tasks;
pub mod wechat;

#[cfg(feature = "ssr")]
pub mod access;

/// A local path to go to after a form succeeds; anything else (another site, a scheme) is
/// replaced by `fallback`.
pub fn safe_next(next: Option<&str>, fallback: &'static str) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.len() <= 512
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => fallback.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_local_path_only() {
        assert_eq!(
            safe_next(Some("/portal/account"), "/portal"),
            "/portal/account"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/a b",
            "/a\nb",
            "/门户",
            "",
        ] {
            assert_eq!(safe_next(Some(bad), "/portal"), "/portal", "{bad:?}");
        }
        assert_eq!(safe_next(None, "/portal"), "/portal");
    }
}
