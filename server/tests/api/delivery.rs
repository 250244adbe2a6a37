//! Delivery of the outbox (P7.1; delivery for P1.1.2): e-mail over a real SMTP conversation
//! with a server in this process, retries with back-off, the dead-letter state, re-sending
//! (audited), interrupted sends, and the development mailbox.

use crate::helpers::{json, spawn_app, spawn_app_with, TestApp};
use app::backend::clock::Clock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A small SMTP server: EHLO, MAIL, RCPT, DATA, RSET, NOOP and QUIT. It keeps every message
/// it accepts, refuses the first `refuse` DATA commands with 451 (try later), and when
/// `permanent` refuses every one with 554.
pub(crate) struct SmtpServer {
    port: u16,
    pub(crate) received: Arc<Mutex<Vec<String>>>,
}

pub(crate) async fn smtp_server(refuse: u32, permanent: bool) -> SmtpServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let refuse = Arc::new(AtomicU32::new(refuse));
    let kept = received.clone();
    crate::helpers::server_runtime().spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (kept, refuse) = (kept.clone(), refuse.clone());
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 test.local ESMTP\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-test.local\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                        "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        "DATA" if permanent => b"554 no thanks\r\n",
                        "DATA" if refuse.load(Ordering::SeqCst) > 0 => {
                            refuse.fetch_sub(1, Ordering::SeqCst);
                            b"451 try again later\r\n"
                        }
                        "DATA" => {
                            let _ = write.write_all(b"354 go ahead\r\n").await;
                            let mut message = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                message.push_str(&l);
                                message.push('\n');
                            }
                            kept.lock().unwrap().push(message);
                            b"250 queued\r\n"
                        }
                        _ => b"502 not implemented\r\n",
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    SmtpServer { port, received }
}

pub(crate) async fn app_with_smtp(server: &SmtpServer) -> TestApp {
    app_with_smtp_as(server, "综合服务平台 <noreply@platform.test>", &[]).await
}

/// An app sending through `server` as `from`, with `extra` arguments.
pub(crate) async fn app_with_smtp_as(server: &SmtpServer, from: &str, extra: &[&str]) -> TestApp {
    let port = server.port.to_string();
    let mut args = vec![
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-security",
        "none",
        "--mail-from",
        from,
        "--public-origin",
        "https://platform.test",
    ];
    args.extend_from_slice(extra);
    spawn_app_with(&args).await
}

/// An enterprise admin invites a member: an e-mail and an SMS go into the outbox. The
/// messages of opening the enterprise are set aside first (marked sent), so that each test
/// sees only the invitation's.
async fn invite(app: &TestApp, email: &str) {
    let admin = app.open_enterprise("投递测试公司").await;
    sqlx::query("UPDATE outbox SET status = 'sent'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let res = app
        .call_as(
            &admin,
            "invite_member",
            &[
                ("name", "新成员"),
                ("mobile", "13300007777"),
                ("email", email),
                ("role", "member"),
            ],
        )
        .await;
    assert!(res.status().is_success(), "invite: {}", res.status());
}

async fn outbox(app: &TestApp, ops: &str) -> Vec<serde_json::Value> {
    let list = json(app.call_as(ops, "list_outbox", &[]).await).await;
    list.as_array().unwrap().clone()
}

fn of_channel<'a>(list: &'a [serde_json::Value], channel: &str) -> &'a serde_json::Value {
    list.iter()
        .find(|m| m["channel"] == channel && m["purpose"] == "invitation")
        .expect("the message")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_email_goes_out_over_smtp_multipart_with_its_message_id() {
    let server = smtp_server(0, false).await;
    let app = app_with_smtp(&server).await;
    let ops = app.finance().await;
    invite(&app, "invitee@example.com").await;
    let t = app.deliver().await;
    assert_eq!((t.sent, t.dead), (1, 0), "{t:?}");

    let list = outbox(&app, &ops).await;
    let email = of_channel(&list, "email");
    assert_eq!(email["status"], "sent", "{email}");
    assert_eq!(email["transport"], "smtp");
    assert_eq!(email["attempts"], 1);
    // Without an SMS gateway no SMS is queued (none is pretended sent).
    assert!(!list
        .iter()
        .any(|m| m["channel"] == "sms" && m["purpose"] == "invitation"));
    // With SMTP configured there is no development mailbox.
    assert_eq!(app.call_as(&ops, "dev_mailbox", &[]).await.status(), 404);

    let received = server.received.lock().unwrap().clone();
    let mail = received
        .iter()
        .find(|m| m.contains("invitee@example.com"))
        .expect("the invitation reached the SMTP server");
    let id = email["id"].as_str().unwrap();
    assert!(
        mail.contains(&format!("Message-ID: <{id}@platform.test>")),
        "{mail}"
    );
    assert!(mail.contains("multipart/alternative"), "{mail}");
    assert!(
        mail.contains("text/plain") && mail.contains("text/html"),
        "{mail}"
    );
    assert!(mail.contains("noreply@platform.test"), "{mail}");

    // A message goes out once: another pass sends nothing more.
    let count = received.len();
    app.deliver().await;
    assert_eq!(server.received.lock().unwrap().len(), count);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_a_refused_message_is_retried_after_back_off_and_dead_after_the_last_attempt() {
    // The server says "try later" once, then accepts.
    let server = smtp_server(1, false).await;
    let app = app_with_smtp(&server).await;
    let ops = app.finance().await;
    invite(&app, "retry@example.com").await;
    let t = app.deliver().await;
    assert_eq!((t.sent, t.retried), (0, 1), "{t:?}");
    let email = of_channel(&outbox(&app, &ops).await, "email").clone();
    assert_eq!(email["status"], "pending");
    assert_eq!(email["attempts"], 1);
    assert!(
        email["last_error"].as_str().unwrap().contains("451"),
        "{email}"
    );
    // Not due yet: nothing is tried before the back-off (at least 15 s) has passed.
    assert_eq!(app.deliver().await.sent, 0);
    assert_eq!(server.received.lock().unwrap().len(), 0);
    app.clock.advance_ms(60_000);
    assert_eq!(app.deliver().await.sent, 1);
    let email = of_channel(&outbox(&app, &ops).await, "email").clone();
    assert_eq!(email["status"], "sent");
    assert_eq!(email["attempts"], 2);
    assert_eq!(email["last_error"], "");

    // A server that keeps saying "later": after the last attempt the message is dead.
    let busy = smtp_server(u32::MAX, false).await;
    let app = app_with_smtp(&busy).await;
    invite(&app, "busy@example.com").await;
    for _ in 0..app::model::outbox::MAX_ATTEMPTS {
        app.deliver().await;
        app.clock.advance_ms(2 * 3_600_000);
    }
    // Hours have passed: the operator logs in again.
    let ops = app.finance().await;
    let email = of_channel(&outbox(&app, &ops).await, "email").clone();
    assert_eq!(email["status"], "dead", "{email}");
    assert_eq!(email["attempts"], app::model::outbox::MAX_ATTEMPTS);

    // The operator sends it again (audited); it is pending with a fresh count.
    let id = email["id"].as_str().unwrap().to_string();
    let res = app.call_as(&ops, "resend_outbox", &[("id", &id)]).await;
    assert!(res.status().is_success(), "{}", res.status());
    let email = of_channel(&outbox(&app, &ops).await, "email").clone();
    assert_eq!(email["status"], "pending");
    assert_eq!(email["attempts"], 0);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.resend'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    // A pending message has nothing to re-send.
    let res = app.call_as(&ops, "resend_outbox", &[("id", &id)]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["detail"], "not_resendable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_a_permanent_refusal_and_an_interrupted_send_are_dead_not_repeated() {
    let server = smtp_server(0, true).await;
    let app = app_with_smtp(&server).await;
    let ops = app.finance().await;
    invite(&app, "refused@example.com").await;
    let t = app.deliver().await;
    assert_eq!(t.dead, 1, "the e-mail (554): {t:?}");
    let email = of_channel(&outbox(&app, &ops).await, "email").clone();
    assert_eq!(email["status"], "dead");
    assert!(
        email["last_error"].as_str().unwrap().contains("554"),
        "{email}"
    );

    // A worker that stopped while sending: the message may have gone out, so it is not sent
    // again by itself once its lease has run out.
    let id = email["id"].as_str().unwrap();
    sqlx::query("UPDATE outbox SET status = 'sending', claimed_until = $1 WHERE id = $2")
        .bind(app.clock.now().0 - 1)
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(app.deliver().await.dead, 1);
    let email = of_channel(&outbox(&app, &ops).await, "email").clone();
    assert_eq!(email["status"], "dead");
    assert!(email["last_error"]
        .as_str()
        .unwrap()
        .contains("interrupted"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p7_1_without_smtp_the_development_mailbox_shows_every_message_in_full() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    invite(&app, "mailbox@example.com").await;
    app.deliver().await;
    let list = outbox(&app, &ops).await;
    for channel in ["email", "sms"] {
        let m = of_channel(&list, channel);
        assert_eq!(m["status"], "sent", "{m}");
        assert_eq!(m["transport"], "dev_mailbox");
    }
    let mailbox = json(app.call_as(&ops, "dev_mailbox", &[]).await).await;
    let mails = mailbox.as_array().unwrap();
    let invitation = mails
        .iter()
        .find(|m| m["recipient"] == "mailbox@example.com")
        .expect("the e-mail, to the full address");
    assert!(
        invitation["body"].as_str().unwrap().contains("/invite/"),
        "the link: {invitation}"
    );
    assert!(mails.iter().any(|m| m["recipient"] == "13300007777"));
}
