//! The open API's credentials (issue 19): what an enterprise admin issues in the portal — a
//! name, the scopes, an optional IP allow-list and an expiry — and the pure rules the server
//! applies to every signed request (which scope a route needs, whether a caller's address is
//! allowed). Shared by the portal's form and the server.

use super::UtcMillis;
use crate::error::{FieldError, Rule};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

pub const NAME_MAX: u32 = 60;
/// Entries of an IP allow-list at most.
pub const IP_ALLOW_MAX: u32 = 20;
/// The expiries a credential may have, in days.
pub const VALID_DAYS: [u32; 4] = [30, 90, 180, 365];
/// After a rotation the old secret keeps working this long, so the enterprise's systems can
/// switch without an outage.
pub const ROTATION_OVERLAP_MS: i64 = 24 * 3_600_000;
/// A signed request's timestamp may differ from the server's clock by this much at most;
/// nonces are remembered as long.
pub const CLOCK_SKEW_MS: i64 = 5 * 60_000;

/// What a credential may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Create, query, cancel and retry payment orders.
    Orders,
    /// Read the balance, fund flow, bills and receipts.
    FundsRead,
    /// Invoice statistics and applications.
    Invoices,
    /// Tasks and completions.
    Tasks,
}

super::codes!(Scope {
    Orders => "orders",
    FundsRead => "funds_read",
    Invoices => "invoices",
    Tasks => "tasks",
});

/// One entry of an IP allow-list: an address, or a network in CIDR form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    /// `203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`.
    pub fn parse(s: &str) -> Result<IpRange, Rule> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.trim().parse().map_err(|_| Rule::Format)?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.trim().parse::<u8>().map_err(|_| Rule::Format)?,
        };
        if prefix > max {
            return Err(Rule::Format);
        }
        Ok(IpRange { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 client seen through an IPv6 socket (`::ffff:a.b.c.d`) is that IPv4 address.
        let ip = match ip {
            IpAddr::V6(v6) => v6
                .to_ipv4_mapped()
                .map(IpAddr::V4)
                .unwrap_or(IpAddr::V6(v6)),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let max = if self.addr.is_ipv4() { 32 } else { 128 };
        if self.prefix == max {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{}/{}", self.addr, self.prefix)
        }
    }
}

/// Whether `ip` may use a credential with `allow` (empty: any address).
pub fn ip_allowed(allow: &[IpRange], ip: IpAddr) -> bool {
    allow.is_empty() || allow.iter().any(|r| r.contains(ip))
}

/// The form that issues a credential, as it arrives (`scope_<code>` = `on` per scope).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialForm {
    pub name: String,
    pub scope_orders: String,
    pub scope_funds_read: String,
    pub scope_invoices: String,
    pub scope_tasks: String,
    /// Addresses or networks, one per line (or separated by commas); empty: any.
    pub ip_allow: String,
    /// One of [`VALID_DAYS`].
    pub valid_days: String,
}

/// A credential to issue, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialDraft {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub ip_allow: Vec<IpRange>,
    pub valid_days: u32,
}

/// Parses a stored or typed allow-list.
pub fn parse_ip_allow(input: &str) -> Result<Vec<IpRange>, Rule> {
    let mut out: Vec<IpRange> = Vec::new();
    for entry in input
        .split(['\n', ',', ' ', '\r', '\t'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        let r = IpRange::parse(entry)?;
        if !out.contains(&r) {
            out.push(r);
        }
    }
    if out.len() > IP_ALLOW_MAX as usize {
        return Err(Rule::TooMany { max: IP_ALLOW_MAX });
    }
    Ok(out)
}

impl CredentialForm {
    pub fn parse(&self) -> Result<CredentialDraft, Vec<FieldError>> {
        use super::form::{check, parse_text};
        let mut errs = Vec::new();
        let name = check(&mut errs, "name", parse_text(&self.name, NAME_MAX));
        let on = |v: &str| v.trim() == "on" || v.trim() == "true";
        let scopes: Vec<Scope> = [
            (Scope::Orders, &self.scope_orders),
            (Scope::FundsRead, &self.scope_funds_read),
            (Scope::Invoices, &self.scope_invoices),
            (Scope::Tasks, &self.scope_tasks),
        ]
        .into_iter()
        .filter(|(_, v)| on(v))
        .map(|(s, _)| s)
        .collect();
        if scopes.is_empty() {
            errs.push(FieldError::new("scopes", Rule::Required));
        }
        let ip_allow = check(&mut errs, "ip_allow", parse_ip_allow(&self.ip_allow));
        let valid_days = check(
            &mut errs,
            "valid_days",
            self.valid_days
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|d| VALID_DAYS.contains(d))
                .ok_or(Rule::OutOfRange),
        );
        match (name, ip_allow, valid_days) {
            (Some(name), Some(ip_allow), Some(valid_days)) if errs.is_empty() => {
                Ok(CredentialDraft {
                    name,
                    scopes,
                    ip_allow,
                    valid_days,
                })
            }
            _ => Err(errs),
        }
    }
}

/// Where a credential stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialStatus {
    Active,
    /// Replaced by a rotation: it works until its overlap ends.
    Rotating,
    Expired,
    Revoked,
}

/// A credential as the portal lists it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialView {
    pub id: String,
    pub key_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub ip_allow: Vec<String>,
    pub created_at: UtcMillis,
    pub expires_at: UtcMillis,
    /// After a rotation: the old secret works until then.
    pub until: Option<UtcMillis>,
    pub revoked_at: Option<UtcMillis>,
    pub last_used_at: Option<UtcMillis>,
    pub status: CredentialStatus,
}

impl CredentialView {
    /// The status at `now` from the credential's dates.
    pub fn status_at(
        now: UtcMillis,
        expires_at: UtcMillis,
        until: Option<UtcMillis>,
        revoked_at: Option<UtcMillis>,
    ) -> CredentialStatus {
        match (revoked_at, until) {
            (Some(_), _) => CredentialStatus::Revoked,
            _ if now >= expires_at => CredentialStatus::Expired,
            (None, Some(u)) if now >= u => CredentialStatus::Expired,
            (None, Some(_)) => CredentialStatus::Rotating,
            (None, None) => CredentialStatus::Active,
        }
    }
}

/// A new credential's key id and secret: shown once, right after it is issued (or rotated),
/// and never again — the server keeps the secret encrypted and never returns it otherwise.
/// It travels to the admin's browser once, so it is serialisable; nothing writes it down (a
/// plain form post's waits in memory for its page, `backend::openapi::shown_once`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedSecret {
    pub id: String,
    pub key_id: String,
    pub secret: String,
    pub expires_at: UtcMillis,
}

/// What a form posted without the WASM issued (a key, a callback signing secret), for the
/// page's next rendering to show once: the post's own answer was a redirect, which dropped it
/// (`backend::openapi::shown_once`). Serialisable for the same reason as [`IssuedSecret`].
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownOnce {
    pub key: Option<IssuedSecret>,
    pub callback_secret: Option<String>,
}

impl std::fmt::Debug for ShownOnce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShownOnce")
            .field("key", &self.key)
            .field(
                "callback_secret",
                &self.callback_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl std::fmt::Debug for IssuedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedSecret")
            .field("key_id", &self.key_id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_allow_lists_match_addresses_and_networks() {
        let list = parse_ip_allow("203.0.113.0/24\n198.51.100.7, 2001:db8::/32").unwrap();
        assert_eq!(list.len(), 3);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(ip_allowed(&list, ip("203.0.113.200")));
        assert!(ip_allowed(&list, ip("198.51.100.7")));
        assert!(!ip_allowed(&list, ip("198.51.100.8")));
        assert!(ip_allowed(&list, ip("2001:db8::1")));
        assert!(ip_allowed(&list, ip("::ffff:203.0.113.9")), "IPv4-mapped");
        assert!(!ip_allowed(&list, ip("127.0.0.1")));
        assert!(ip_allowed(&[], ip("127.0.0.1")), "no list: any address");
        assert_eq!(list[0].to_string(), "203.0.113.0/24");
        assert_eq!(parse_ip_allow("10.0.0.0/33"), Err(Rule::Format));
        assert_eq!(parse_ip_allow("example.com"), Err(Rule::Format));
        let all = IpRange::parse("0.0.0.0/0").unwrap();
        assert!(all.contains(ip("8.8.8.8")));
    }

    #[test]
    fn a_credential_needs_a_name_a_scope_and_a_known_expiry() {
        let form = CredentialForm {
            name: "ERP".into(),
            scope_orders: "on".into(),
            valid_days: "90".into(),
            ..Default::default()
        };
        let d = form.parse().unwrap();
        assert_eq!(d.scopes, [Scope::Orders]);
        assert!(d.ip_allow.is_empty());
        let bad = CredentialForm {
            name: String::new(),
            scope_orders: String::new(),
            ip_allow: "not-an-ip".into(),
            valid_days: "7".into(),
            ..Default::default()
        };
        let rules: Vec<(String, Rule)> = bad
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect();
        assert_eq!(
            rules,
            [
                ("name".to_string(), Rule::Required),
                ("scopes".to_string(), Rule::Required),
                ("ip_allow".to_string(), Rule::Format),
                ("valid_days".to_string(), Rule::OutOfRange),
            ]
        );
    }

    #[test]
    fn a_credentials_status_follows_its_dates() {
        let t = UtcMillis;
        use CredentialStatus as S;
        assert_eq!(
            CredentialView::status_at(t(5), t(10), None, None),
            S::Active
        );
        assert_eq!(
            CredentialView::status_at(t(10), t(10), None, None),
            S::Expired
        );
        assert_eq!(
            CredentialView::status_at(t(5), t(10), Some(t(8)), None),
            S::Rotating
        );
        assert_eq!(
            CredentialView::status_at(t(8), t(10), Some(t(8)), None),
            S::Expired
        );
        assert_eq!(
            CredentialView::status_at(t(5), t(10), None, Some(t(4))),
            S::Revoked
        );
    }
}
