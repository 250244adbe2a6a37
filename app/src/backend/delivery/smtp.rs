//! E-mail over SMTP with `lettre`: host, port, no TLS / STARTTLS / TLS, optional
//! credentials, and the sender. Each message is multipart (plain text and HTML) and carries
//! its fixed `Message-ID`; a message with a file (an electronic invoice) is `multipart/mixed`
//! with the file as an attachment. Messages are DKIM-signed when a key is configured.

use super::{Outgoing, SendError, SendFuture, Transport};
use crate::model::outbox::OutboxChannel;
use lettre::message::dkim::{
    dkim_sign, DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP (a relay on the same host or network only).
    None,
    /// STARTTLS, required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// The SMTP server and the sender. The password is a secret: no `Debug`, no `Serialize`.
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// `Name <address>`.
    pub from: String,
    /// Only links to this origin (`--public-origin`) are made clickable in the HTML part: a
    /// name a user typed (`https://evil.example`) stays plain text.
    pub link_origin: Option<String>,
    /// DKIM signing of every message, if configured.
    pub dkim: Option<DkimKey>,
}

/// DKIM (RFC 6376; P3.1.4, signed where the recipient supports it): every e-mail is signed for
/// `domain` with the key published at `<selector>._domainkey.<domain>`, so the relay and every
/// receiving server can check that it comes from the platform unchanged — its sender,
/// recipient, subject, date, identifier, structure, RFC 8058's one-click unsubscribe headers,
/// and its body. The key is a secret: no `Debug`, no `Serialize`.
pub struct DkimKey {
    pub domain: String,
    pub selector: String,
    /// An RSA key in PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), or an Ed25519 key as the
    /// base64 of its 32 bytes.
    pub key: String,
}

/// The headers a signature covers, each named twice in `h=` (over-signing): the second naming
/// signs the absence of a further one, so none can be added on the way — neither a second
/// `From` or `Subject` above the signed one, nor an unsubscribe header a message did not have. Not `Content-Type`: lettre writes a multipart message's `Content-Type`
/// with the body, after the headers it signs, so it would sign it as absent and every verifier
/// would fail (the body, boundaries and parts' types included, is covered by the body hash).
pub const DKIM_HEADERS: [&str; 8] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

impl DkimKey {
    /// The signing configuration, for a sender at `from` (DMARC aligns the signing domain with
    /// the sender's: the same domain or a parent of it).
    fn config(self, from: &Mailbox) -> Result<DkimConfig, String> {
        let domain = self
            .domain
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let sender = from.email.domain().to_ascii_lowercase();
        if domain.is_empty() || !(sender == domain || sender.ends_with(&format!(".{domain}"))) {
            return Err(format!(
                "--dkim-domain {domain:?} is not the sender's domain ({sender}) or a parent of it: receivers would not align it with --mail-from"
            ));
        }
        let selector = self.selector.trim().to_string();
        let selector_ok = !selector.is_empty()
            && selector
                .split('.')
                .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !selector_ok {
            return Err(format!("--dkim-selector {selector:?} is not a DNS label"));
        }
        let key = self.key.trim();
        let algorithm = if key.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
            DkimSigningAlgorithm::Rsa
        } else if key.starts_with("-----BEGIN") {
            return Err("the DKIM key is PEM but not PKCS#1 RSA: convert an RSA key with `openssl rsa -in key.pem -traditional -out dkim.pem`; an Ed25519 key goes as the base64 of its 32 bytes".into());
        } else {
            DkimSigningAlgorithm::Ed25519
        };
        if matches!(algorithm, DkimSigningAlgorithm::Rsa) {
            rsa_size_ok(key)?;
        }
        let key = DkimSigningKey::new(key, algorithm).map_err(|_| match algorithm {
            DkimSigningAlgorithm::Rsa => "the DKIM key is not a readable RSA key".to_string(),
            DkimSigningAlgorithm::Ed25519 => {
                "the DKIM key is neither an RSA key in PEM nor an Ed25519 key (base64 of 32 bytes)"
                    .to_string()
            }
        })?;
        let headers = DKIM_HEADERS
            .iter()
            .chain(DKIM_HEADERS.iter())
            .map(|h| HeaderName::new_from_ascii_str(h))
            .collect();
        let relaxed = DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        };
        Ok(DkimConfig::new(selector, domain, key, headers, relaxed))
    }
}

/// The fewest bits an RSA signing key may have: RFC 8301 has signers use at least 1,024 and
/// recommends 2,048; a 1,024-bit key is within reach of a well-funded attacker, who could then
/// sign mail as the platform, so a shorter key stops the start.
pub const DKIM_RSA_MIN_BITS: usize = 2048;

/// An RSA key of at least [`DKIM_RSA_MIN_BITS`].
fn rsa_size_ok(pem: &str) -> Result<(), String> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    let key = rsa::RsaPrivateKey::from_pkcs1_pem(pem)
        .map_err(|_| "the DKIM key is not a readable RSA key".to_string())?;
    let bits = key.n().bits();
    if bits < DKIM_RSA_MIN_BITS {
        return Err(format!(
            "the DKIM key has {bits} bits: an RSA key needs at least {DKIM_RSA_MIN_BITS} (`openssl genrsa -traditional -out dkim.pem 2048`)"
        ));
    }
    Ok(())
}

pub struct SmtpTransport {
    mailer: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    link_origin: Option<String>,
    dkim: Option<DkimConfig>,
}

impl SmtpTransport {
    pub fn new(c: SmtpConfig) -> Result<Self, String> {
        let params =
            || TlsParameters::new(c.host.clone()).map_err(|e| format!("TLS for {}: {e}", c.host));
        let tls = match c.security {
            Security::None => Tls::None,
            Security::StartTls => Tls::Required(params()?),
            Security::Tls => Tls::Wrapper(params()?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host)
            .port(c.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(20)));
        match (c.username, c.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user, password));
            }
            (None, None) => {}
            _ => return Err("--smtp-username and --smtp-password go together".into()),
        }
        let from = c
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("--mail-from {:?}: {e}", c.from))?;
        let dkim = c.dkim.map(|d| d.config(&from)).transpose()?;
        Ok(SmtpTransport {
            mailer: builder.build(),
            from,
            link_origin: c.link_origin,
            dkim,
        })
    }

    fn message(&self, m: &Outgoing) -> Result<Message, SendError> {
        let to = m
            .recipient
            .parse::<Mailbox>()
            .map_err(|e| SendError::Permanent(format!("recipient address: {e}")))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(m.message_id.clone()));
        if !m.unsubscribe_url.is_empty() {
            // RFC 8058: a mail client may unsubscribe with one POST, without a login.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{}>", m.unsubscribe_url),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        let text = MultiPart::alternative()
            .singlepart(SinglePart::plain(m.body.clone()))
            .singlepart(SinglePart::html(html(
                &m.subject,
                &m.body,
                self.link_origin.as_deref(),
            )));
        let body = match &m.attachment {
            None => text,
            Some(file) => {
                let kind = ContentType::parse(&file.content_type)
                    .map_err(|e| SendError::Permanent(format!("attachment type: {e}")))?;
                // Always base64: lettre would send an all-ASCII file (an XML invoice, a small
                // PDF) as 7bit text, and SMTP turns its line ends into CRLF — no longer the file.
                let bytes =
                    Body::new_with_encoding(file.bytes.clone(), ContentTransferEncoding::Base64)
                        .map_err(|_| SendError::Permanent("attachment encoding".into()))?;
                MultiPart::mixed()
                    .multipart(text)
                    .singlepart(Attachment::new(file.name.clone()).body(bytes, kind))
            }
        };
        let mut message = builder
            .multipart(body)
            .map_err(|e| SendError::Permanent(format!("message: {e}")))?;
        if let Some(dkim) = &self.dkim {
            dkim_sign(&mut message, dkim);
        }
        Ok(message)
    }
}

impl Transport for SmtpTransport {
    fn name(&self, channel: OutboxChannel) -> &'static str {
        match channel {
            OutboxChannel::Email => "smtp",
            OutboxChannel::Sms => "none",
        }
    }
    fn send<'a>(&'a self, m: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            if m.channel == OutboxChannel::Sms {
                return Err(SendError::Permanent("no SMS gateway is configured".into()));
            }
            let message = self.message(m)?;
            match self.mailer.send(message).await {
                Ok(_) => Ok(()),
                Err(e) => Err(classify(&e)),
            }
        })
    }
    fn carries(&self, channel: OutboxChannel) -> bool {
        channel == OutboxChannel::Email
    }
}

/// Only a refusal of this message (a 550-554 answer: no such mailbox, rejected, too big) is
/// final. Anything else — no connection, a timeout, a 4xx, a refused login (530, 535), which
/// is the configuration's fault and not the message's — is tried again later.
fn classify(e: &lettre::transport::smtp::Error) -> SendError {
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    if e.is_permanent() && matches!(code.as_str(), "550" | "551" | "552" | "553" | "554") {
        SendError::Permanent(e.to_string())
    } else {
        SendError::Temporary(e.to_string())
    }
}

/// The HTML part: the text escaped, paragraphs and lines kept, and the links to
/// `link_origin` made clickable (no other: a user's own text never becomes a link).
pub fn html(subject: &str, body: &str, link_origin: Option<&str>) -> String {
    let link = |w: &str| {
        let ours = link_origin
            .filter(|o| !o.is_empty())
            .is_some_and(|o| w.starts_with(&format!("{}/", o.trim_end_matches('/'))));
        let e = escape(w);
        if ours {
            format!("<a href=\"{e}\">{e}</a>")
        } else {
            e
        }
    };
    let paragraphs: String = body
        .split("\n\n")
        .map(|p| {
            let lines: Vec<String> = p
                .split('\n')
                .map(|line| line.split(' ').map(link).collect::<Vec<_>>().join(" "))
                .collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body>{paragraphs}</body></html>",
        escape(subject)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_and_links_only_our_own_addresses() {
        let h = html(
            "邀请 <1>",
            "https://evil.example/login 邀请您：\nhttps://x.example/invite/a?b=1&c=2\n再见\n\n<script>",
            Some("https://x.example"),
        );
        assert!(h.contains("<title>邀请 &lt;1&gt;</title>"));
        assert!(
            h.contains("<a href=\"https://x.example/invite/a?b=1&amp;c=2\">"),
            "{h}"
        );
        assert!(h.contains("<br>再见"), "{h}");
        assert!(!h.contains("href=\"https://evil.example"), "{h}");
        assert!(h.contains("<p>&lt;script&gt;</p>"));
        assert!(!h.contains("<script>"));
        assert!(!html("t", "https://x.example/a", None).contains("<a "));
    }
}
