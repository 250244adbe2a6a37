//! The open API's callbacks (issue 19): the enterprise's callback address, the events POSTed to
//! it, the retry schedule and the rules of an address (SSRF: in production only `https://` to a
//! public address). Shared by the portal's form and the server, so the browser checks an
//! address with the server's own rules.

use super::error::Rule;
use super::UtcMillis;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The longest callback address.
pub const URL_MAX: u32 = 500;
/// How long a delivery is retried, from its first attempt (or from a re-send): 24 hours.
pub const WINDOW_MS: i64 = 24 * 3_600_000;
/// The first retry waits this long; each next one twice as long, up to [`MAX_DELAY_MS`].
pub const FIRST_DELAY_MS: i64 = 30_000;
pub const MAX_DELAY_MS: i64 = 4 * 3_600_000;
/// How long the receiver has to answer.
pub const TIMEOUT_MS: u64 = 5_000;
/// The most of the receiver's answer that is read (the rest is dropped).
pub const RESPONSE_MAX_BYTES: usize = 16 * 1024;

/// What happened, as the callback's `event` says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CallbackEvent {
    /// A payment order's status changed (`data`: order_id, status, reason, amount).
    OrderStatus,
    /// An invoice application's status changed (`data`: id, status, amount, invoice_number).
    InvoiceStatus,
    /// A task's status changed (`data`: id, status).
    TaskStatus,
}

impl CallbackEvent {
    pub const ALL: [CallbackEvent; 3] = [
        CallbackEvent::OrderStatus,
        CallbackEvent::InvoiceStatus,
        CallbackEvent::TaskStatus,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            CallbackEvent::OrderStatus => "order.status_changed",
            CallbackEvent::InvoiceStatus => "invoice.status_changed",
            CallbackEvent::TaskStatus => "task.status_changed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Not delivered within its 24 hours (or the address was removed); a re-send tries again.
    Failed,
}

impl DeliveryStatus {
    pub const fn code(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, … doubling up
/// to 4 hours.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    let n = attempts.clamp(1, 30) - 1;
    FIRST_DELAY_MS
        .saturating_mul(1_i64 << n.min(20))
        .min(MAX_DELAY_MS)
}

/// When to try again after the `attempts`-th failed attempt at `now`, for a delivery whose
/// window opened at `window_from`: after [`retry_delay_ms`], but never after the window's end
/// (the last attempt is at its end); `None` once the window has passed.
pub fn next_attempt(window_from: UtcMillis, attempts: i64, now: UtcMillis) -> Option<UtcMillis> {
    let end = window_from.0.saturating_add(WINDOW_MS);
    if now.0 >= end {
        return None;
    }
    Some(UtcMillis(
        now.0.saturating_add(retry_delay_ms(attempts)).min(end),
    ))
}

/// Whether an address is on the public internet: not loopback, private, link-local (the cloud
/// metadata address 169.254.169.254), shared (CGNAT), documentation, benchmarking, multicast,
/// reserved or unspecified; IPv6 likewise, and an IPv4 address inside IPv6 by its IPv4 rules.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || (a == 192 && b == 0 && c == 0))
}

fn public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        // Site-local (deprecated), 6to4, local-use NAT64, discard-only.
        || (s[0] & 0xffc0) == 0xfec0
        || s[0] == 0x2002
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)
        || (s[0] == 0x100 && s[1..4] == [0, 0, 0])
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || s[0] == 0)
}

/// A URL's scheme, host (without brackets), port and whether it names an IP address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    pub host: String,
    pub port: u16,
    pub ip: Option<IpAddr>,
}

/// Reads a callback address's scheme, host and port (`None`: not an http(s) address this
/// platform calls: user info, a fragment, spaces, no host or a bad port).
pub fn target(url: &str) -> Option<Target> {
    let (scheme, rest) = url.split_once("://")?;
    let https = match scheme {
        "https" => true,
        "http" => false,
        _ => return None,
    };
    if url.len() > URL_MAX as usize
        || !url.chars().all(|c| c.is_ascii_graphic())
        || url.contains('#')
    {
        return None;
    }
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(p) => p.parse::<u16>().ok().filter(|p| *p != 0)?,
        None if https => 443,
        None => 80,
    };
    let host = host.to_ascii_lowercase();
    // A host whose last label is a number is an IPv4 address to a URL parser, in any of its
    // forms (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`, `127.0.0.1.`): read it as one, so
    // that no spelling of a private address passes as a name.
    let ip = match host.parse::<IpAddr>() {
        Ok(ip) => Some(ip),
        Err(_) if numeric_last_label(&host) => Some(IpAddr::V4(whatwg_ipv4(&host)?)),
        Err(_) => None,
    };
    let host_ok = ip.is_some()
        || (!host.is_empty()
            && !host.starts_with(['.', '-'])
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'));
    host_ok.then_some(Target {
        https,
        host,
        port,
        ip,
    })
}

/// Whether a host's last label (a trailing dot ignored) is a number (decimal or `0x` hex):
/// then the WHATWG URL standard reads the host as an IPv4 address.
fn numeric_last_label(host: &str) -> bool {
    let last = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
    let hex = last
        .strip_prefix("0x")
        .map(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
    !last.is_empty() && (last.chars().all(|c| c.is_ascii_digit()) || hex == Some(true))
}

/// An IPv4 host as the WHATWG URL standard reads it: one to four parts (a trailing dot
/// ignored), each decimal, octal (a leading `0`) or hex (`0x`), the last filling the remaining
/// bytes. `None`: not a valid address (the URL is then invalid).
fn whatwg_ipv4(host: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = host.strip_suffix('.').unwrap_or(host).split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        let n = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            if h.is_empty() {
                0
            } else {
                u64::from_str_radix(h, 16).ok()?
            }
        } else if p.len() > 1 && p.starts_with('0') {
            u64::from_str_radix(&p[1..], 8).ok()?
        } else {
            p.parse::<u64>().ok()?
        };
        nums.push(n);
    }
    let (last, rest) = nums.split_last()?;
    if rest.iter().any(|n| *n > 255) || *last >= 256u64.pow(5 - nums.len() as u32) {
        return None;
    }
    let mut v: u64 = *last;
    for (i, n) in rest.iter().enumerate() {
        v += n << (8 * (3 - i));
    }
    u32::try_from(v).ok().map(Ipv4Addr::from)
}

/// Parses the callback address an admin typed: empty turns callbacks off (`None`). In
/// production (`public_only`) it must be `https://` and must not name a private address or
/// `localhost`; the address it resolves to is checked again at every delivery (a name can
/// resolve anywhere).
pub fn parse_url(raw: &str, public_only: bool) -> Result<Option<String>, Rule> {
    let url = raw.trim();
    if url.is_empty() {
        return Ok(None);
    }
    if url.len() > URL_MAX as usize {
        return Err(Rule::TooLong { max: URL_MAX });
    }
    let t = target(url).ok_or(Rule::Format)?;
    if public_only {
        if !t.https {
            return Err(Rule::HttpsRequired);
        }
        let name = t.host.trim_end_matches('.');
        let local = name == "localhost" || name.ends_with(".localhost");
        if local || t.ip.is_some_and(|ip| !is_public(ip)) {
            return Err(Rule::PublicAddress);
        }
    }
    Ok(Some(url.to_string()))
}

/// One delivery as the portal's log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: String,
    pub event: CallbackEvent,
    /// The order id, invoice application or task the event is about.
    pub subject: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    /// The receiver's last HTTP status (none: no answer).
    pub last_status: Option<i64>,
    /// Why the last attempt failed (empty when it did not).
    pub last_error: String,
    pub created_at: UtcMillis,
    /// The next attempt (pending deliveries).
    pub next_at: Option<UtcMillis>,
    pub delivered_at: Option<UtcMillis>,
}

/// The enterprise's callback settings and its latest deliveries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackSettings {
    /// The address (none: callbacks are off).
    pub url: Option<String>,
    pub set_at: Option<UtcMillis>,
    /// The latest 50 deliveries, newest first.
    pub deliveries: Vec<DeliveryView>,
}

/// What saving the callback address answers: the signing secret when a new one was issued
/// (the first address, or asked for), shown this once. It travels to the admin's browser once,
/// so it is serialisable; nothing stores it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackSaved {
    pub url: Option<String>,
    pub secret: Option<String>,
}

impl std::fmt::Debug for CallbackSaved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackSaved")
            .field("url", &self.url)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19: the callback retry schedule doubles from 30 s to 4 h and ends 24 h after the
    /// window opened, with a last attempt at its end.
    #[test]
    fn retries_double_and_stop_after_a_day() {
        assert_eq!(retry_delay_ms(1), 30_000);
        assert_eq!(retry_delay_ms(2), 60_000);
        assert_eq!(retry_delay_ms(5), 480_000);
        assert_eq!(retry_delay_ms(10), MAX_DELAY_MS);
        assert_eq!(retry_delay_ms(99), MAX_DELAY_MS);
        assert_eq!(retry_delay_ms(0), 30_000);
        let from = UtcMillis(1_000_000);
        assert_eq!(
            next_attempt(from, 1, from),
            Some(UtcMillis(1_000_000 + 30_000))
        );
        let late = UtcMillis(from.0 + WINDOW_MS - 1_000);
        assert_eq!(
            next_attempt(from, 12, late),
            Some(UtcMillis(from.0 + WINDOW_MS))
        );
        assert_eq!(next_attempt(from, 13, UtcMillis(from.0 + WINDOW_MS)), None);
        // Walking the schedule: about fifteen attempts in the day, then none.
        let (mut now, mut n) = (from, 0);
        while let Some(next) = next_attempt(from, n + 1, now) {
            now = next;
            n += 1;
        }
        assert!((12..=20).contains(&n), "{n} attempts");
        assert_eq!(now.0, from.0 + WINDOW_MS);
    }

    /// Issue 19, SSRF: private, loopback, link-local (metadata), shared and reserved addresses
    /// are not public, in IPv4 and IPv6 (and IPv4 inside IPv6).
    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "192.0.2.1",
            "240.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2001:db8::1",
            "fec0::1",
            "2002:7f00:1::1",
            "64:ff9b:1::1",
            "100::1",
        ] {
            let ip: IpAddr = private.parse().unwrap();
            assert!(!is_public(ip), "{private} is not public");
        }
        for public in [
            "1.1.1.1",
            "114.114.114.114",
            "2400:3200::1",
            "::ffff:8.8.8.8",
        ] {
            let ip: IpAddr = public.parse().unwrap();
            assert!(is_public(ip), "{public} is public");
        }
    }

    /// Issue 19, SSRF: production accepts only https to a public host; development also takes
    /// http and local addresses (the browser test's receiver); malformed addresses never.
    #[test]
    fn callback_addresses_follow_the_rules() {
        assert_eq!(parse_url("  ", true), Ok(None));
        assert_eq!(
            parse_url("https://erp.example.com/cb?x=1", true),
            Ok(Some("https://erp.example.com/cb?x=1".into()))
        );
        assert_eq!(
            parse_url("http://erp.example.com/cb", true),
            Err(Rule::HttpsRequired)
        );
        for local in [
            "https://127.0.0.1/cb",
            "https://localhost:8443/cb",
            "https://[::1]/cb",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.5/cb",
            "https://[::ffff:192.168.0.1]/",
            // Other spellings of 127.0.0.1 and 10.0.0.1, as URL parsers read them.
            "https://2130706433/cb",
            "https://0x7f.1/cb",
            "https://127.1/cb",
            "https://0177.0.0.1/cb",
            "https://127.0.0.1./cb",
            "https://0x0a000001/",
            "https://localhost./cb",
        ] {
            assert_eq!(parse_url(local, true), Err(Rule::PublicAddress), "{local}");
        }
        assert_eq!(whatwg_ipv4("2130706433"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(whatwg_ipv4("0x7f.1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(whatwg_ipv4("1.2.3.4."), Some(Ipv4Addr::new(1, 2, 3, 4)));
        assert_eq!(whatwg_ipv4("1.2.3.256"), None);
        assert_eq!(parse_url("https://1.2.3.999/", true), Err(Rule::Format));
        assert!(parse_url("https://8.8.8.8/cb", true).is_ok());
        assert!(parse_url("https://erp.example.com.cn/cb", true).is_ok());
        assert!(parse_url("http://127.0.0.1:9999/cb", false).is_ok());
        for bad in [
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "https://example.com/a b",
            "https://example.com/#x",
            "https://:443/",
            "https://example.com:0/",
            "https://example.com:99999/",
            "javascript:alert(1)",
        ] {
            assert_eq!(parse_url(bad, false), Err(Rule::Format), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(600));
        assert_eq!(parse_url(&long, true), Err(Rule::TooLong { max: URL_MAX }));
        let t = target("https://[2400:3200::1]:8443/x").unwrap();
        assert_eq!((t.port, t.https), (8443, true));
        assert!(t.ip.is_some());
    }
}
