//! DKIM (issue 19, P3.1.4: payloads signed where the recipient supports it): with a key
//! configured, every e-mail handed to the SMTP relay carries a DKIM-Signature (RFC 6376,
//! relaxed/relaxed) over its sender, recipient, subject, date, identifier, structure and RFC
//! 8058's unsubscribe headers, and its body. The signature is checked here by an independent
//! verifier (canonicalisation written from the RFC, Ed25519 from `ed25519-dalek`, RSA from
//! `rsa`), which also sees a changed body, a changed subject and an added List-Unsubscribe fail;
//! a bad configuration (an RSA key under 2,048 bits among them) stops the start with one clear
//! line.

use crate::delivery::{smtp_server, SmtpServer};
use crate::helpers::TestApp;
use base64::Engine;
use clap::Parser;
use ed25519_dalek::{Signature, SigningKey, Verifier, VerifyingKey};
use server::config::Cli;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn sha256(data: &[u8]) -> Vec<u8> {
    hex::decode(app::backend::crypto::sha256_hex(data)).unwrap()
}

/// RFC 6376 §3.4.4: relaxed body canonicalisation.
fn relaxed_body(body: &str) -> String {
    let mut lines: Vec<String> = body
        .split("\r\n")
        .map(|l| {
            let squeezed = l
                .split([' ', '\t'])
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>();
            // Inner whitespace runs become one space; trailing whitespace goes.
            let lead = l.starts_with([' ', '\t']) && !squeezed.is_empty();
            format!("{}{}", if lead { " " } else { "" }, squeezed.join(" "))
        })
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if lines.is_empty() {
        return String::new();
    }
    lines.join("\r\n") + "\r\n"
}

/// RFC 6376 §3.4.2: relaxed header canonicalisation of `name: value` (value unfolded).
fn relaxed_header(name: &str, value: &str) -> String {
    let unfolded = value.replace("\r\n", "");
    let squeezed = unfolded
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    format!("{}:{}", name.trim().to_ascii_lowercase(), squeezed)
}

/// The message's header fields, in order, as (name, raw value with its folds).
fn header_fields(head: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push_str("\r\n");
                last.1.push_str(line);
            }
        } else if let Some((n, v)) = line.split_once(':') {
            out.push((n.to_string(), v.to_string()));
        }
    }
    out
}

/// Verifies the message's DKIM signature with `key`; the signature's tags on success.
/// A DKIM public key, as a verifier reads it from DNS.
enum Public {
    Ed25519(VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

impl Public {
    fn algorithm(&self) -> &'static str {
        match self {
            Public::Ed25519(_) => "ed25519-sha256",
            Public::Rsa(_) => "rsa-sha256",
        }
    }

    /// RFC 8463: Ed25519 signs the SHA-256 of the data; RFC 6376: RSA signs it with PKCS#1
    /// v1.5 over SHA-256.
    fn check(&self, data: &[u8], signature: &[u8]) -> Result<(), String> {
        let refused = |_| "the signature does not verify".to_string();
        match self {
            Public::Ed25519(key) => {
                let signature = Signature::from_slice(signature).map_err(|e| e.to_string())?;
                key.verify(&sha256(data), &signature).map_err(refused)
            }
            Public::Rsa(key) => {
                // EMSA-PKCS1-v1_5 (RFC 8017 §9.2): the DER DigestInfo of SHA-256, then the hash.
                let mut digest_info =
                    hex::decode("3031300d060960864801650304020105000420").unwrap();
                digest_info.extend(sha256(data));
                let scheme = rsa::Pkcs1v15Sign::new_unprefixed();
                key.verify(scheme, &digest_info, signature)
                    .map_err(|_| "the signature does not verify".to_string())
            }
        }
    }
}

fn verify(raw: &str, key: &Public) -> Result<Vec<(String, String)>, String> {
    let (head, body) = raw.split_once("\r\n\r\n").ok_or("no body")?;
    let fields = header_fields(head);
    let (sig_name, sig_value) = fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("DKIM-Signature"))
        .ok_or("no DKIM-Signature")?;
    let tags: Vec<(String, String)> = sig_value
        .split(';')
        .filter_map(|t| t.split_once('='))
        .map(|(k, v)| {
            let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            (k.trim().to_string(), v)
        })
        .collect();
    let tag = |k: &str| {
        tags.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .ok_or(format!("no {k}="))
    };
    if tag("v")? != "1" || tag("a")? != key.algorithm() || tag("c")? != "relaxed/relaxed" {
        return Err(format!("unexpected tags {tags:?}"));
    }
    let bh = B64.encode(sha256(relaxed_body(body).as_bytes()));
    if bh != tag("bh")? {
        return Err("the body hash does not match: the body changed".into());
    }
    // Each signed name takes the last unused field of that name (absent: nothing).
    let mut used = vec![false; fields.len()];
    let mut data = String::new();
    for name in tag("h")?.split(':') {
        let found = fields
            .iter()
            .enumerate()
            .rev()
            .find(|(i, (n, _))| !used[*i] && n.eq_ignore_ascii_case(name));
        if let Some((i, (n, v))) = found {
            used[i] = true;
            data.push_str(&relaxed_header(n, v));
            data.push_str("\r\n");
        }
    }
    // The signature's own field with an empty b=, without its line end.
    let b = tag("b")?;
    let mut emptied = String::new();
    for part in sig_value.split(';') {
        if !emptied.is_empty() {
            emptied.push(';');
        }
        match part.split_once('=') {
            Some((k, _)) if k.trim() == "b" => {
                emptied.push_str(&format!("{k}="));
            }
            _ => emptied.push_str(part),
        }
    }
    data.push_str(&relaxed_header(sig_name, &emptied));
    key.check(data.as_bytes(), &B64.decode(&b).map_err(|e| e.to_string())?)?;
    Ok(tags)
}

/// What the test relay received, as it was on the wire (CRLF, dot-stuffing undone).
fn wire(stored: &str) -> String {
    stored
        .trim_end_matches('\n')
        .split('\n')
        .map(|l| {
            l.strip_prefix('.')
                .filter(|r| r.starts_with('.'))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\r\n")
        + "\r\n"
}

fn key_file(dir: &std::path::Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

async fn app_with_dkim(server: &SmtpServer, key: &str) -> TestApp {
    // The sender is at a subdomain of the signing domain (relaxed DMARC alignment).
    let dkim = [
        "--dkim-domain",
        "platform.test",
        "--dkim-selector",
        "esp2026",
        "--dkim-key-file",
        key,
    ];
    crate::delivery::app_with_smtp_as(server, "综合服务平台 <noreply@mail.platform.test>", &dkim)
        .await
}

/// What the relay received from an app signing with the key in `key_file`: the opening mail
/// of an enterprise and a promotion to it.
async fn signed_mail(key_file: &str) -> Vec<String> {
    let server = smtp_server(0, false).await;
    let app = app_with_dkim(&server, key_file).await;
    let ops = app.finance().await;
    let fan = app.open_enterprise("签名邮件企业").await;
    app.call_as(
        &fan,
        "set_purpose",
        &[("purpose", "promotions"), ("on", "on")],
    )
    .await;
    crate::messages::publish(&app, &ops, "promotion", "签名的推广邮件", "").await;
    app.deliver_all().await;
    let received: Vec<String> = server
        .received
        .lock()
        .unwrap()
        .iter()
        .map(|m| wire(m))
        .collect();
    assert!(received.len() >= 2, "the opening mail and the promotion");
    received
}

/// An RSA key of `bits` in PKCS#1 PEM, as `openssl genrsa -traditional` writes it.
fn rsa_key(bits: usize) -> (String, rsa::RsaPublicKey) {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits).unwrap();
    let pem = key.to_pkcs1_pem(rsa::pkcs1::LineEnding::LF).unwrap();
    (pem.to_string(), key.to_public_key())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_1_4_every_email_is_dkim_signed_and_a_change_breaks_the_signature() {
    let signing = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    let dir = tempfile::tempdir().unwrap();
    let key = key_file(dir.path(), "dkim.key", &B64.encode(signing.to_bytes()));
    let received = signed_mail(&key).await;
    let public = Public::Ed25519(signing.verifying_key());
    for mail in &received {
        let tags = verify(mail, &public).unwrap_or_else(|e| panic!("{e}:\n{mail}"));
        let tag = |k: &str| tags.iter().find(|(n, _)| n == k).unwrap().1.clone();
        assert_eq!(tag("d"), "platform.test");
        assert_eq!(tag("s"), "esp2026");
        for h in [
            "from",
            "to",
            "subject",
            "date",
            "message-id",
            "list-unsubscribe",
            "list-unsubscribe-post",
        ] {
            let named = tag("h").split(':').filter(|n| *n == h).count();
            assert_eq!(named, 2, "{h} signed, and over-signed");
        }
    }
    let promotion = received
        .iter()
        .find(|m| m.contains("List-Unsubscribe-Post"))
        .expect("the promotion");

    // Changed on the way, it no longer verifies: the body, the subject, an added header.
    let (head, body) = promotion.split_once("\r\n\r\n").unwrap();
    let body_changed = format!("{head}\r\n\r\n{}", body.replacen("=", "=3D=", 1));
    assert!(verify(&body_changed, &public).is_err());
    let subject_changed = promotion.replacen("Subject: ", "Subject: RE: ", 1);
    assert!(verify(&subject_changed, &public).is_err());
    // A second Subject put above the signed one (verifiers take the bottom-most).
    let subject_added = format!("Subject: =?utf-8?b?5Lit5aWW?=\r\n{promotion}");
    assert!(verify(&subject_added, &public).is_err(), "over-signed");
    let plain = received
        .iter()
        .find(|m| !m.contains("List-Unsubscribe"))
        .expect("a service mail");
    let added = plain.replacen(
        "\r\n\r\n",
        "\r\nList-Unsubscribe: <https://evil.example/u>\r\n\r\n",
        1,
    );
    assert!(
        verify(&added, &public).is_err(),
        "an added header is refused"
    );
    // Another key does not verify it.
    let other = SigningKey::from_bytes(&rand::random::<[u8; 32]>()).verifying_key();
    assert!(verify(promotion, &Public::Ed25519(other)).is_err());
}

/// The same with an RSA key (`rsa-sha256`, what every receiver checks).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_1_4_email_is_dkim_signed_with_an_rsa_key() {
    let (pem, public) = rsa_key(2048);
    let dir = tempfile::tempdir().unwrap();
    let received = signed_mail(&key_file(dir.path(), "dkim.pem", &pem)).await;
    let public = Public::Rsa(public);
    for mail in &received {
        verify(mail, &public).unwrap_or_else(|e| panic!("{e}:\n{mail}"));
    }
    let mail = &received[0];
    let (head, body) = mail.split_once("\r\n\r\n").unwrap();
    let body_changed = format!("{head}\r\n\r\n{}", body.replacen("=", "=3D=", 1));
    assert!(verify(&body_changed, &public).is_err());
    let subject_changed = mail.replacen("Subject: ", "Subject: RE: ", 1);
    assert!(verify(&subject_changed, &public).is_err());
    let other = Public::Rsa(rsa_key(2048).1);
    assert!(verify(mail, &other).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p3_1_4_a_bad_dkim_configuration_stops_the_start_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = key_file(dir.path(), "good.key", &B64.encode([7u8; 32]));
    let base = |domain: &'static str, key: String| {
        let mut args = app_test_args();
        args.extend(
            [
                "--dkim-domain",
                domain,
                "--dkim-selector",
                "esp2026",
                "--dkim-key-file",
            ]
            .map(String::from),
        );
        args.push(key);
        args
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            base("other.example", good.clone()),
            "not the sender's domain",
        ),
        (
            base(
                "platform.test",
                key_file(dir.path(), "bad.key", "not a key"),
            ),
            "neither an RSA key",
        ),
        (
            base(
                "platform.test",
                key_file(
                    dir.path(),
                    "pkcs8.pem",
                    "-----BEGIN PRIVATE KEY-----\nMC4=\n-----END PRIVATE KEY-----\n",
                ),
            ),
            "openssl rsa",
        ),
        (
            base(
                "platform.test",
                key_file(dir.path(), "short.pem", &rsa_key(1024).0),
            ),
            "has 1024 bits: an RSA key needs at least 2048",
        ),
        (
            {
                let mut a = app_test_args();
                a.extend(["--dkim-domain", "platform.test"].map(String::from));
                a
            },
            "go together",
        ),
    ];
    for (extra, wanted) in cases {
        let data = tempfile::tempdir().unwrap();
        let mut args = crate::helpers::test_args(data.path()).await;
        args.extend(extra);
        let err = crate::helpers::build(Cli::try_parse_from(&args).unwrap())
            .await
            .err()
            .expect("refused")
            .to_string();
        assert!(err.contains(wanted), "{wanted}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

fn app_test_args() -> Vec<String> {
    [
        "--smtp-host",
        "127.0.0.1",
        "--smtp-security",
        "none",
        "--mail-from",
        "综合服务平台 <noreply@platform.test>",
        "--public-origin",
        "https://platform.test",
    ]
    .map(String::from)
    .to_vec()
}
