//! The business-account application and the admission review (P1.1.1), over HTTP, on the
//! engine chosen by `TEST_DATABASE_URL`.

use crate::helpers::{field_rules, json, spawn_app, TestApp};
use app::backend::seed::DEMO;
use reqwest::multipart::{Form, Part};
use sqlx::Row;

/// A tiny JPEG carrying an EXIF block with a GPS position and a camera serial.
fn photo_with_gps() -> Vec<u8> {
    let exif: &[u8] =
        b"Exif\0\0II*\0GPSLatitude 26/1 4/1 0/1 N GPSLongitude 119/1 18/1 0/1 E BodySerial CAM-778";
    let mut j = vec![0xFF, 0xD8, 0xFF, 0xE1];
    j.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    j.extend_from_slice(exif);
    j.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x03, 0x07]);
    j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x03, 0x01, 0xAB, 0xCD, 0xEF, 0xFF, 0xD9]);
    j
}

pub(crate) fn png() -> Vec<u8> {
    crate::helpers::tiny_png()
}

pub(crate) async fn upload(
    app: &TestApp,
    cookie: &str,
    purpose: &str,
    name: &str,
    bytes: Vec<u8>,
    mime: &str,
) -> reqwest::Response {
    let form = Form::new().text("purpose", purpose.to_string()).part(
        "file",
        Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .unwrap(),
    );
    app.client
        .post(app.url("/api/upload_application_file"))
        .header("accept", "application/json")
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

const FORM: &[(&str, &str)] = &[
    ("enterprise_name", "测试众包科技有限公司"),
    ("credit_code", "91440300708461136T"),
    ("registered_address", "深圳市南山区测试路 8 号"),
    ("business_scope", "信息技术服务"),
    ("platform_name", "测试众包"),
    ("platform_url", "https://crowd.example.com"),
    ("platform_description", "连接企业与个人服务者"),
    ("outsourced_work", "数据标注"),
];

pub(crate) async fn save(
    app: &TestApp,
    cookie: &str,
    intent: &str,
    overrides: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = FORM
        .iter()
        .map(|(k, v)| {
            (
                *k,
                overrides
                    .iter()
                    .find(|(ok, _)| ok == k)
                    .map(|(_, ov)| *ov)
                    .unwrap_or(v),
            )
        })
        .collect();
    form.extend(
        overrides
            .iter()
            .filter(|(k, _)| !FORM.iter().any(|(fk, _)| fk == k))
            .copied(),
    );
    form.push(("intent", intent));
    app.call_as(cookie, "save_application", &form).await
}

pub(crate) async fn ops(app: &TestApp) -> String {
    app.ops_login(
        DEMO.operator_login,
        DEMO.operator_password,
        DEMO.operator_totp_secret,
    )
    .await
}

pub(crate) async fn decide(
    app: &TestApp,
    ops: &str,
    id: &str,
    decision: &str,
    message: &str,
    reason: &str,
) -> reqwest::Response {
    app.call_as(
        ops,
        "decide_application",
        &[
            ("id", id),
            ("decision", decision),
            ("message", message),
            ("override_reason", reason),
        ],
    )
    .await
}

/// P1.1.1: apply, upload, submit; the reviewer asks for more; the applicant resubmits; the
/// reviewer approves; the business account opens with the applicant as its admin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_1_application_review_round_trip() {
    let app = spawn_app().await;
    let (me, mobile) = app.register_unique_login().await;

    // A draft may be incomplete; submitting checks everything, the licence included.
    assert!(save(
        &app,
        &me,
        "save",
        &[("credit_code", ""), ("platform_url", "")]
    )
    .await
    .status()
    .is_success());
    let res = save(&app, &me, "submit", &[("credit_code", "")]).await;
    assert_eq!(res.status(), 422);
    let r = field_rules(&json(res).await);
    assert!(
        r.contains(&("credit_code".into(), "required".into())),
        "{r:?}"
    );
    assert!(r.contains(&("licence".into(), "required".into())), "{r:?}");
    let view = json(app.call_as(&me, "my_application", &[]).await).await;
    assert_eq!(view["status"], "draft", "nothing half-submitted");

    let licence = json(upload(&app, &me, "licence", "执照.png", png(), "image/png").await).await;
    assert_eq!(licence["kind"], "png");
    let photo = json(
        upload(
            &app,
            &me,
            "scene_photo",
            "site.jpg",
            photo_with_gps(),
            "image/jpeg",
        )
        .await,
    )
    .await;
    assert!(save(&app, &me, "submit", &[]).await.status().is_success());
    assert_eq!(
        json(app.call_as(&me, "my_application", &[]).await).await["status"],
        "submitted"
    );

    // Submitted: no more changes.
    assert_eq!(
        upload(
            &app,
            &me,
            "scene_photo",
            "b.jpg",
            photo_with_gps(),
            "image/jpeg"
        )
        .await
        .status(),
        409
    );
    assert_eq!(save(&app, &me, "save", &[]).await.status(), 409);

    let ops = ops(&app).await;
    let queue = json(app.call_as(&ops, "review_queue", &[]).await).await;
    let id = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["enterprise_name"] == "测试众包科技有限公司")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let seen = json(
        app.call_as(&ops, "review_application", &[("id", &id)])
            .await,
    )
    .await;
    assert_eq!(seen["files"].as_array().unwrap().len(), 2);
    let views: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'application.view' AND target = $1",
    )
    .bind(format!("application:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get("n");
    assert_eq!(views, 1, "P5.1: a reviewer's look is audited");

    // Asking for more needs a message; the applicant sees it and resubmits.
    let res = decide(&app, &ops, &id, "request_more", "", "").await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("message".to_string(), "required".to_string())]
    );
    assert!(decide(
        &app,
        &ops,
        &id,
        "request_more",
        "请补充清晰的营业执照照片",
        ""
    )
    .await
    .status()
    .is_success());
    let view = json(app.call_as(&me, "my_application", &[]).await).await;
    assert_eq!(view["status"], "more_info");
    assert_eq!(view["reviewer_message"], "请补充清晰的营业执照照片");
    assert!(
        upload(&app, &me, "licence", "执照2.png", png(), "image/png")
            .await
            .status()
            .is_success()
    );
    let files = json(app.call_as(&me, "my_application", &[]).await).await["files"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(files, 2, "a new licence replaces the old one");
    assert!(save(&app, &me, "submit", &[]).await.status().is_success());

    // A decision needs the application to be pending: deciding twice is a conflict.
    assert!(decide(&app, &ops, &id, "approve", "", "")
        .await
        .status()
        .is_success());
    assert_eq!(
        decide(&app, &ops, &id, "reject", "late", "").await.status(),
        409
    );
    // Issue 14: the session opened while applying ended at the approval; the admin's rights
    // come with a new one, after logging in again.
    let old = json(app.call_as(&me, "whoami", &[]).await).await;
    assert!(old.is_null(), "the applicant's session ended: {old}");
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'application.decide' AND target = $1 ORDER BY seq DESC LIMIT 1",
    )
    .bind(format!("application:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(detail.contains("1 applicant session(s) ended"), "{detail}");
    assert_eq!(app.call_as(&me, "business_info", &[]).await.status(), 401);
    let me = app.login(&mobile, crate::helpers::APPLICANT_PW).await;
    let who = json(app.call_as(&me, "whoami", &[]).await).await;
    assert_eq!(who["enterprise"]["name"], "测试众包科技有限公司");
    assert_eq!(who["enterprise"]["role"], "admin");
    let info = json(app.call_as(&me, "business_info", &[]).await).await;
    assert_eq!(info["credit_code"], "91440300708461136T");

    // The applicant was told each time, by e-mail (and in the inbox and by text).
    let outbox = json(app.call_as(&ops, "list_outbox", &[]).await).await;
    assert_eq!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["purpose"] == "application_result" && m["channel"] == "email")
            .count(),
        2
    );
    let _ = photo;
}

/// P1.1.1: the type comes from the content; photos lose GPS and other metadata; files are
/// encrypted at rest and served only to the applicant and reviewers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_1_uploads_are_typed_by_content_stripped_and_private() {
    let app = spawn_app().await;
    let me = app.register_unique().await;

    // A PNG renamed to .pdf is a PNG.
    let res = json(
        upload(
            &app,
            &me,
            "licence",
            "licence.pdf",
            png(),
            "application/pdf",
        )
        .await,
    )
    .await;
    assert_eq!(res["kind"], "png");
    // A script renamed to .jpg is refused, whatever the declared type.
    let res = upload(
        &app,
        &me,
        "scene_photo",
        "photo.jpg",
        b"<script>alert(1)</script>".to_vec(),
        "image/jpeg",
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        field_rules(&json(res).await),
        vec![("file".to_string(), "file_type".to_string())]
    );
    // A PDF is not a photo.
    let res = upload(
        &app,
        &me,
        "scene_photo",
        "scan.pdf",
        b"%PDF-1.7\n%%EOF".to_vec(),
        "application/pdf",
    )
    .await;
    assert_eq!(res.status(), 422);
    // A truncated JPEG is damaged.
    let res = upload(
        &app,
        &me,
        "scene_photo",
        "cut.jpg",
        photo_with_gps()[..12].to_vec(),
        "image/jpeg",
    )
    .await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("file".to_string(), "file_damaged".to_string())]
    );
    // Issue 14: a PDF loses its author, producer, dates and XMP packet; its page stays.
    let scan = app::backend::files::pdf::sample_with_metadata();
    let pdf = json(upload(&app, &me, "licence", "执照.pdf", scan, "application/pdf").await).await;
    assert_eq!(pdf["kind"], "pdf", "{pdf}");
    let res = app
        .get_as(&me, &format!("/files/{}", pdf["id"].as_str().unwrap()))
        .await;
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let served = res.bytes().await.unwrap();
    let has = |needle: &[u8]| served.windows(needle.len()).any(|w| w == needle);
    assert!(served.starts_with(b"%PDF-"));
    assert!(
        !has(b"Zhang San") && !has(b"Scanner-Serial") && !has(b"zhangsan"),
        "metadata is gone"
    );
    assert!(has(b"0 0 m 100 100 l S"), "the page is kept");
    // A PDF that does not parse is damaged.
    let res = upload(
        &app,
        &me,
        "licence",
        "bad.pdf",
        b"%PDF-1.7\ngarbage".to_vec(),
        "application/pdf",
    )
    .await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("file".to_string(), "file_damaged".to_string())]
    );
    // Issue 14: a PNG declaring 100,000 × 100,000 pixels (a decompression bomb) is refused.
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let res = upload(&app, &me, "scene_photo", "bomb.png", bomb, "image/png").await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("file".to_string(), "image_too_large".to_string())]
    );

    let photo = json(
        upload(
            &app,
            &me,
            "scene_photo",
            "site.jpg",
            photo_with_gps(),
            "image/jpeg",
        )
        .await,
    )
    .await;
    let url = format!("/files/{}", photo["id"].as_str().unwrap());
    let res = app.get_as(&me, &url).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("sandbox"));
    let bytes = res.bytes().await.unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"GPS") && !has(b"CAM-778"), "metadata is gone");
    assert!(
        bytes.ends_with(&[0xAB, 0xCD, 0xEF, 0xFF, 0xD9]),
        "the picture is intact"
    );
    // Compressed as a browser asks for it, the file arrives whole (issue 11).
    assert_eq!(
        app.get_compressed_bytes(&me, &url).await,
        (200, bytes.to_vec())
    );

    // At rest the bytes are encrypted: nothing of the picture in the data directory.
    let row = sqlx::query("SELECT storage_key FROM stored_files WHERE id = $1")
        .bind(photo["id"].as_str().unwrap())
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let key: String = row.get("storage_key");
    let stored = std::fs::read(app.data_dir().join("files").join(&key[..2]).join(&key)).unwrap();
    assert!(!stored
        .windows(5)
        .any(|w| w == [0xAB, 0xCD, 0xEF, 0xFF, 0xD9]));

    // Another applicant, a visitor, and a member of another enterprise get 404.
    let other = app.register_unique().await;
    assert_eq!(app.get_as(&other, &url).await.status(), 404);
    assert_eq!(app.get_as("", &url).await.status(), 404);
    let admin = app.login(DEMO.admin_mobile, DEMO.admin_password).await;
    assert_eq!(app.get_as(&admin, &url).await.status(), 404);
    // A reviewer may look, and the look is audited.
    let ops = ops(&app).await;
    assert_eq!(app.get_as(&ops, &url).await.status(), 200);
    let looks: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'application.file.view'")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("n");
    assert_eq!(looks, 1);

    // Nine photos at most.
    for i in 2..=9 {
        assert!(upload(
            &app,
            &me,
            "scene_photo",
            &format!("{i}.jpg"),
            photo_with_gps(),
            "image/jpeg"
        )
        .await
        .status()
        .is_success());
    }
    let res = upload(
        &app,
        &me,
        "scene_photo",
        "10.jpg",
        photo_with_gps(),
        "image/jpeg",
    )
    .await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("file".to_string(), "too_many".to_string())]
    );

    // Over 10 MiB is refused from its declared length, before any of it is read.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let head = format!(
        "POST /api/upload_application_file HTTP/1.1\r\nHost: {}\r\nCookie: {me}\r\nAccept: application/json\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\n\r\n",
        app.addr,
        11 << 20
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 512];
    let n = tcp.read(&mut buf).await.unwrap();
    let reply = String::from_utf8_lossy(&buf[..n]);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
}

/// P1.1.1: a code that fails the check character is accepted only when the applicant asks
/// for a manual check and the reviewer gives a reason, which is recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_1_credit_code_override_is_explicit_and_recorded() {
    let app = spawn_app().await;
    let me = app.register_unique().await;
    assert!(upload(&app, &me, "licence", "l.png", png(), "image/png")
        .await
        .status()
        .is_success());
    let bad = [("credit_code", "91440300708461136U")];
    let res = save(&app, &me, "submit", &bad).await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("credit_code".to_string(), "check_character".to_string())]
    );
    let res = save(
        &app,
        &me,
        "submit",
        &[
            ("credit_code", "91440300708461136U"),
            ("credit_code_manual_check", "on"),
        ],
    )
    .await;
    assert!(res.status().is_success());

    let ops = ops(&app).await;
    let queue = json(app.call_as(&ops, "review_queue", &[]).await).await;
    let item = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["credit_code"] == "91440300708461136U")
        .unwrap()
        .clone();
    assert_eq!(item["credit_code_check_ok"], false);
    let id = item["id"].as_str().unwrap();
    let res = decide(&app, &ops, id, "approve", "", "").await;
    assert_eq!(
        field_rules(&json(res).await),
        vec![("override_reason".to_string(), "required".to_string())]
    );
    assert!(decide(
        &app,
        &ops,
        id,
        "approve",
        "",
        "2014 年前发放的代码，已电话核实"
    )
    .await
    .status()
    .is_success());
    let detail: String = sqlx::query(
        "SELECT detail FROM audit_log WHERE action = 'application.decide' AND target = $1",
    )
    .bind(format!("application:{id}"))
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get("detail");
    assert!(
        detail.contains("override") && detail.contains("电话核实"),
        "{detail}"
    );
}

/// The demo data puts one application, with a viewable sample licence, in the review queue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_application_waits_in_the_queue() {
    let app = spawn_app().await;
    let ops = ops(&app).await;
    let queue = json(app.call_as(&ops, "review_queue", &[]).await).await;
    let demo = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["enterprise_name"] == "演示众包服务有限公司")
        .unwrap()
        .clone();
    let view = json(
        app.call_as(
            &ops,
            "review_application",
            &[("id", demo["id"].as_str().unwrap())],
        )
        .await,
    )
    .await;
    let file = view["files"][0]["id"].as_str().unwrap();
    let res = app.get_as(&ops, &format!("/files/{file}")).await;
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let applicant = app
        .login(DEMO.applicant_mobile, DEMO.applicant_password)
        .await;
    assert_eq!(
        json(app.call_as(&applicant, "my_application", &[]).await).await["status"],
        "submitted"
    );
}
