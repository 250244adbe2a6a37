//! Network details kept about a request.

use std::net::IpAddr;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A web address to link to (P8): `https://…` or `http://…` as given, or a bare host name
/// (`www.12377.cn`, a path allowed) with `https://` in front. Anything else — another scheme,
/// spaces, no dot in the host — is not a link (`None`), so text typed by a user never becomes
/// a `javascript:` link.
pub fn web_address(s: &str) -> Option<String> {
    let s = s.trim();
    let (scheme, rest) = match s.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("https".to_string(), s),
    };
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':');
    let printable = rest.chars().all(|c| c.is_ascii_graphic());
    (host_ok && printable).then(|| format!("{scheme}://{rest}"))
}

/// Percent-encodes a URI component (a query value, a path segment, a file name in
/// `Content-Disposition`'s `filename*`): RFC 3986 unreserved characters stay.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The value of cookie `name` in a request's `Cookie` header values: the one cookie parser,
/// for server functions and plain routes alike.
pub fn cookie_value<'a>(headers: impl IntoIterator<Item = &'a str>, name: &str) -> Option<String> {
    headers
        .into_iter()
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// An IPv4 client seen through an IPv6 socket (`::ffff:a.b.c.d`) is an IPv4 client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// Truncates an address for records that need a location hint but not the address: /24 for
/// IPv4, /48 for IPv6 (consent and acceptance records).
pub fn truncate_ip(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(canonical) {
        Ok(IpAddr::V4(v4)) => {
            let o = v4.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => "-".into(),
    }
}

/// The key under which a client's attempts are counted: the IPv4 address, or the /64 prefix
/// of an IPv6 address (one subscriber usually holds a whole /64).
pub fn rate_key(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(canonical) {
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_string(),
    }
}

/// The client's address as the server sees it (set by the server's middleware, which reads
/// `X-Forwarded-For` only when told to trust the proxy in front).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    /// P8: only web addresses become links that leave the platform.
    #[test]
    fn p8_only_web_addresses_become_links() {
        assert_eq!(
            web_address("www.12377.cn").as_deref(),
            Some("https://www.12377.cn")
        );
        assert_eq!(
            web_address(" https://crowd.example.com/jobs?a=1 ").as_deref(),
            Some("https://crowd.example.com/jobs?a=1")
        );
        assert_eq!(web_address("HTTP://a.cn").as_deref(), Some("http://a.cn"));
        for bad in [
            "javascript:alert(1)",
            "javascript://a.cn/%0Aalert(1)",
            "ftp://a.cn",
            "12377",
            "a b.cn",
            ".cn",
            "https://a.cn/x y",
            "data:text/html,hi",
            "",
        ] {
            assert_eq!(web_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn truncates_v4_and_v6() {
        assert_eq!(truncate_ip("203.0.113.77"), "203.0.113.0/24");
        assert_eq!(truncate_ip("2001:db8:85a3:1:2:3:4:5"), "2001:db8:85a3::/48");
        assert_eq!(truncate_ip("nonsense"), "-");
    }

    #[test]
    fn rate_keys_group_ipv6_by_64() {
        assert_eq!(rate_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(
            rate_key("2001:db8:1:2:aaaa::1"),
            rate_key("2001:db8:1:2:bbbb::9")
        );
        assert_ne!(rate_key("2001:db8:1:2::1"), rate_key("2001:db8:1:3::1"));
        assert_eq!(rate_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_ne!(
            rate_key("::ffff:203.0.113.7"),
            rate_key("::ffff:203.0.113.8")
        );
        assert_eq!(truncate_ip("::ffff:203.0.113.7"), "203.0.113.0/24");
    }
}
