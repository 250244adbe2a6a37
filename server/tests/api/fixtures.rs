//! Small fixtures the API tests share: cookies, codes, forms, files and JSON helpers
//! (re-exported by `helpers`).

use app::backend::clock::ManualClock;
use app::backend::crypto::SecretKey;

/// A production-grade key, for tests that start in production mode.
pub fn hex_key() -> String {
    SecretKey::generate().to_hex()
}

/// The `name=value` pair of a `Set-Cookie` for `name` in a response, if it sets a value.
pub fn session_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
        .map(str::to_string)
}

/// Every `Set-Cookie` header of a response.
pub fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect()
}

/// The TOTP code for the app's clock.
pub fn totp_now(secret: &str, clock: &ManualClock) -> String {
    use app::backend::clock::Clock;
    let step = app::backend::totp::step_of(clock.now());
    app::backend::totp::code_at_step(secret, step).expect("a valid secret")
}

/// The password of applicants made by [`TestApp::register_unique`].
/// An open enterprise: its admin's cookie, its id and its receiving account number.
pub struct Ent {
    pub cookie: String,
    pub id: String,
    pub account_no: String,
    /// The admin's mobile number (empty when not known).
    pub mobile: String,
}

/// A valid ID-card number (check character included).
pub const ID_NUMBER: &str = "11010519491231002X";

/// The fields of a payment order.
pub fn order_form<'a>(
    order_id: &'a str,
    channel: &'a str,
    account: &'a str,
    amount: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("order_id", order_id),
        ("payee_name", "张三"),
        ("id_number", ID_NUMBER),
        ("channel", channel),
        ("account", account),
        ("mobile", "13800000001"),
        ("amount", amount),
        ("remark", "劳务费"),
        ("project", "P-1"),
    ]
}

pub const APPLICANT_PW: &str = "Good-Pass-2026";

/// A tiny PNG (signature, IHDR, IDAT, IEND; CRCs are not checked by the platform).
pub fn tiny_png() -> Vec<u8> {
    let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunks: [(&[u8], &[u8]); 3] = [
        (b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
        (b"IDAT", &[9, 9]),
        (b"IEND", &[]),
    ];
    for (kind, data) in chunks {
        p.extend_from_slice(&(data.len() as u32).to_be_bytes());
        p.extend_from_slice(kind);
        p.extend_from_slice(data);
        p.extend_from_slice(&[0, 0, 0, 0]);
    }
    p
}

/// Drops the database's append-only guard on the audit log, as an attacker with the database
/// owner's rights could, so that tests can check that the hash chain still catches tampering.
pub async fn drop_audit_guard(db: &app::backend::db::Db) {
    let statements: &[&'static str] = match db.engine() {
        app::backend::db::Engine::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        app::backend::db::Engine::Postgres => &["DROP TRIGGER audit_log_no_change ON audit_log"],
    };
    for sql in statements.iter().copied() {
        sqlx::query(sql)
            .execute(db.pool())
            .await
            .expect("drop the audit guard");
    }
}

/// The JSON body of a response.
pub async fn json(res: reqwest::Response) -> serde_json::Value {
    res.json().await.expect("a JSON body")
}

/// The (field, rule) pairs of an `Invalid` error body.
pub fn field_rules(body: &serde_json::Value) -> Vec<(String, String)> {
    body["detail"]
        .as_array()
        .map(|errs| {
            errs.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_string(),
                        e["rule"]["rule"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The token of an invitation link (`https://…/invite/<token>`) as `invite_member` answers it.
pub fn invite_token(created: &serde_json::Value) -> String {
    let link = created["link"].as_str().expect("a link");
    link.rsplit_once("/invite/")
        .expect("an invitation link")
        .1
        .to_string()
}

impl crate::helpers::TestApp {
    /// Posts a small PNG to the multipart server function `endpoint`, after the text `fields`.
    pub async fn upload_png(
        &self,
        cookie: &str,
        endpoint: &str,
        fields: &[(&str, &str)],
        file_name: &str,
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(tiny_png()).file_name(file_name.to_string()),
        );
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .header("cookie", cookie)
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }
}
