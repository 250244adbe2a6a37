//! The open API's callbacks on the wire (issue 19): the HTTP client that POSTs a signed callback
//! to the enterprise's address, with the SSRF protection the issue asks for:
//!
//! - in production (`public_only`), only `https://` addresses, and only public ones: an IP
//!   address in the URL is checked before anything is sent, and a name is resolved by
//!   [`PublicResolver`], which drops every private, loopback, link-local (the cloud metadata
//!   address) or otherwise non-public address it resolves to, so the connection can only go to
//!   a checked address (no DNS rebinding between the check and the connection);
//! - never a proxy from the environment, never a redirect (a 3xx is not delivered);
//! - a short timeout ([`TIMEOUT_MS`]) and at most [`RESPONSE_MAX_BYTES`] of the answer read.

use app::backend::callbacks::deliver::{Outgoing, Sender, Sent};
use app::model::callbacks::{is_public, target, RESPONSE_MAX_BYTES, TIMEOUT_MS};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

/// Resolves a name to its public addresses only (none: an error, and nothing is sent).
struct PublicResolver;

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found = public_addresses(&host).await?;
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

/// The public addresses `host` resolves to (an error when there are none: nothing is sent).
pub async fn public_addresses(host: &str) -> Result<Vec<SocketAddr>, String> {
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, 0))
        .await
        .map_err(|e| format!("{host} does not resolve: {e}"))?
        .filter(|a| is_public(a.ip()))
        .collect();
    if found.is_empty() {
        return Err(format!("{host} resolves to no public address"));
    }
    Ok(found)
}

/// The callbacks' HTTP client.
pub struct HttpSender {
    client: reqwest::Client,
    public_only: bool,
}

impl HttpSender {
    /// `public_only` in production; `timeout` is [`TIMEOUT_MS`] outside tests.
    pub fn new(public_only: bool, timeout: Duration) -> Result<Self, String> {
        crate::http::install_crypto_provider();
        let mut b = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(3)))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent("platform-callbacks/1");
        if public_only {
            b = b.dns_resolver(PublicResolver);
        }
        let client = b
            .build()
            .map_err(|e| format!("the callbacks' HTTP client: {e}"))?;
        Ok(HttpSender {
            client,
            public_only,
        })
    }

    /// The client of a server in this mode.
    pub fn for_mode(production: bool) -> Result<Self, String> {
        Self::new(production, Duration::from_millis(TIMEOUT_MS))
    }

    /// Why an address is refused before anything is sent (`None`: it may be called).
    fn refusal(&self, url: &str) -> Option<String> {
        let Some(t) = target(url) else {
            return Some("not an http(s) address".into());
        };
        if !self.public_only {
            return None;
        }
        if !t.https {
            return Some("only https:// addresses are called".into());
        }
        if t.ip.is_some_and(|ip| !is_public(ip)) || t.host.trim_end_matches('.') == "localhost" {
            return Some(format!("{} is not a public address", t.host));
        }
        // The host as the HTTP client itself reads it (an IP address in any spelling is
        // connected to directly, without the resolver; the parser writes it canonically).
        let Some(host) = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
        else {
            return Some("not an address the client can call".into());
        };
        match host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
        {
            Ok(ip) if !is_public(ip) => Some(format!("{ip} is not a public address")),
            _ => None,
        }
    }

    async fn post(&self, c: &Outgoing) -> Sent {
        if let Some(why) = self.refusal(&c.url) {
            return Sent::Refused(why);
        }
        let res = self
            .client
            .post(&c.url)
            .header("content-type", "application/json")
            .header("x-callback-id", &c.id)
            .header("x-timestamp", c.timestamp.to_string())
            .header("x-signature", &c.signature)
            .body(c.body.clone())
            .send()
            .await;
        let mut res = match res {
            Ok(r) => r,
            // Nothing left the platform when the name did not resolve to a public address or
            // the connection was never made.
            Err(e) if e.is_connect() => return Sent::Refused(describe(&e)),
            Err(e) => return Sent::NoAnswer(describe(&e)),
        };
        let status = res.status().as_u16();
        let mut body = Vec::new();
        loop {
            match res.chunk().await {
                Ok(Some(chunk)) => {
                    let room = RESPONSE_MAX_BYTES.saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if body.len() >= RESPONSE_MAX_BYTES {
                        break;
                    }
                }
                Ok(None) => break,
                // An answer cut short still has its status.
                Err(_) => break,
            }
        }
        Sent::Answered {
            status,
            excerpt: String::from_utf8_lossy(&body).chars().take(200).collect(),
        }
    }
}

/// A client error in words, without the URL (it may carry the enterprise's tokens).
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "no answer in time"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "the request failed"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}

impl Sender for HttpSender {
    fn send<'a>(&'a self, c: &'a Outgoing) -> Pin<Box<dyn Future<Output = Sent> + Send + 'a>> {
        Box::pin(self.post(c))
    }
}
