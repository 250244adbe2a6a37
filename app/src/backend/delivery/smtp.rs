//! E-mail over SMTP with `lettre`: host, port, no TLS / STARTTLS / TLS, optional
//! credentials, and the sender. Each message is multipart (plain text and HTML) and carries
//! its fixed `Message-ID`.

use super::{Outgoing, SendError, SendFuture, Transport};
use crate::model::outbox::OutboxChannel;
use lettre::message::{Mailbox, MultiPart, SinglePart};
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
}

pub struct SmtpTransport {
    mailer: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
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
        if let (Some(user), Some(password)) = (c.username, c.password) {
            builder = builder.credentials(Credentials::new(user, password));
        }
        let from = c
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("--mail-from {:?}: {e}", c.from))?;
        Ok(SmtpTransport {
            mailer: builder.build(),
            from,
        })
    }

    fn message(&self, m: &Outgoing) -> Result<Message, SendError> {
        let to = m
            .recipient
            .parse::<Mailbox>()
            .map_err(|e| SendError::Permanent(format!("recipient address: {e}")))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(m.message_id.clone()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(m.body.clone()))
                    .singlepart(SinglePart::html(html(&m.subject, &m.body))),
            )
            .map_err(|e| SendError::Permanent(format!("message: {e}")))
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
                Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
                Err(e) => Err(SendError::Temporary(e.to_string())),
            }
        })
    }
}

/// The HTML part: the text escaped, paragraphs kept, links made clickable.
pub fn html(subject: &str, body: &str) -> String {
    let paragraphs: String = body
        .split("\n\n")
        .map(|p| {
            let words: Vec<String> = p
                .split(' ')
                .map(|w| {
                    let e = escape(w);
                    if w.starts_with("https://") || w.starts_with("http://") {
                        format!("<a href=\"{e}\">{e}</a>")
                    } else {
                        e
                    }
                })
                .collect();
            format!("<p>{}</p>", words.join(" ").replace('\n', "<br>"))
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
    fn html_escapes_and_links() {
        let h = html(
            "邀请 <1>",
            "打开 https://x.example/invite/a?b=1&c=2 吧\n\n<script>",
        );
        assert!(h.contains("<title>邀请 &lt;1&gt;</title>"));
        assert!(h.contains("<a href=\"https://x.example/invite/a?b=1&amp;c=2\">"));
        assert!(h.contains("<p>&lt;script&gt;</p>"));
        assert!(!h.contains("<script>"));
    }
}
