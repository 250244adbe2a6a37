//! Helpers of the invoice tests (issue 17): a profile form, an enterprise that paid orders, the
//! application form, finance's issue upload, and the reconciliation check of the standing.

use crate::helpers::{json, Ent, TestApp};
use app::backend::clock::Clock;
use serde_json::Value;

/// A valid unified social credit code (GB 32100-2015).
pub const CODE: &str = "91350100M000100Y43";
/// A small PDF as an invoice file.
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// A complete profile form with `title`.
pub fn profile_form(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("taxpayer_type", "general".into()),
        ("title", title.into()),
        ("taxpayer_id", CODE.into()),
        ("reg_address", "北京市朝阳区建国路 1 号".into()),
        ("reg_phone", "010-12345678".into()),
        ("bank_name", "中国工商银行北京分行".into()),
        ("bank_account", "0200001234567890123".into()),
        ("mail_name", "收件人".into()),
        ("mail_phone", "13800000000".into()),
        ("mail_address", "北京市朝阳区建国路 1 号 8 层".into()),
        ("emails", "ap@example.com".into()),
    ]
}

pub(crate) async fn call(
    app: &TestApp,
    cookie: &str,
    name: &str,
    form: &[(&str, String)],
) -> reqwest::Response {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(cookie, name, &form).await
}

/// Saves the profile of `cookie`'s enterprise; returns the page.
pub async fn save_profile(app: &TestApp, cookie: &str, form: &[(&str, String)]) -> Value {
    let res = call(app, cookie, "save_invoice_profile", form).await;
    assert!(res.status().is_success(), "profile: {}", res.status());
    json(res).await
}

/// A waiting application of `cookie`'s enterprise, for the authorisation walk: the profile
/// saved through the portal (titled `title`), the application written directly (the walk's
/// enterprise has paid nothing to invoice).
pub async fn waiting_application(app: &TestApp, cookie: &str, title: &str) -> String {
    save_profile(app, cookie, &profile_form(title)).await;
    let me = json(app.call_as(cookie, "whoami", &[]).await).await;
    let eid = me["enterprise"]["id"].as_str().unwrap().to_string();
    let user = me["user_id"].as_str().unwrap().to_string();
    let id = app::backend::ids::new_id();
    let seal = |column: &str, value: &str| {
        app.state
            .cipher
            .encrypt_text(value, &app::backend::invoices::store::ctx(column, &id))
    };
    sqlx::query(
        "INSERT INTO invoice_applications (id, enterprise_id, client_key, part, parts, amount, kind, medium, goods, remark, \
         emails_enc, buyer_enc, buyer_title, buyer_taxpayer_id, status, applied_by, applied_at, updated_at) \
         VALUES ($1, $2, $3, 1, 1, 100, 'ordinary', 'electronic', '*现代服务*服务费', '', $4, $5, $6, $7, 'submitted', $8, 0, 0)",
    )
    .bind(&id)
    .bind(&eid)
    .bind(format!("{eid}/walk-fixture/1"))
    .bind(seal("emails", "ap@example.com"))
    .bind(seal("buyer", "{}"))
    .bind(title)
    .bind(CODE)
    .bind(&user)
    .execute(app.db.pool())
    .await
    .unwrap();
    id
}

/// `email` among the receiving addresses of `cookie`'s enterprise (beside `ap@example.com`): in
/// its profile (saved last, so in its history too) and in a waiting application, whose id is
/// returned.
pub async fn receiving_too(app: &TestApp, cookie: &str, title: &str, email: &str) -> String {
    let invoice = waiting_application(app, cookie, title).await;
    let ctx = app::backend::invoices::store::ctx("emails", &invoice);
    sqlx::query("UPDATE invoice_applications SET emails_enc = $1 WHERE id = $2")
        .bind(
            app.state
                .cipher
                .encrypt_text(&format!("ap@example.com\n{email}"), &ctx),
        )
        .bind(&invoice)
        .execute(app.db.pool())
        .await
        .unwrap();
    let mut form = profile_form(title);
    form.retain(|(k, _)| *k != "emails");
    form.push(("emails", format!("ap@example.com, {email}")));
    save_profile(app, cookie, &form).await;
    invoice
}

/// An enterprise that paid `orders` payment orders of `yuan` each (6 % fee on top), settled by
/// the payout simulator.
pub(crate) async fn paying_enterprise(
    app: &TestApp,
    ops: &str,
    name: &str,
    orders: &[&str],
) -> Ent {
    let ent = app.funded_enterprise(ops, name, "10000").await;
    for (i, yuan) in orders.iter().enumerate() {
        let key = format!("INV-{i}");
        let form = crate::helpers::order_form(&key, "bank", "6222021234561234", yuan);
        let res = app.call_as(&ent.cookie, "create_order", &form).await;
        assert!(res.status().is_success(), "order: {}", res.status());
    }
    app.payouts(0).await;
    app.payouts(5_000).await;
    ent
}

pub(crate) fn apply_form(
    amount: &str,
    kind: &str,
    medium: &str,
    key: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("amount", amount.into()),
        ("kind", kind.into()),
        ("medium", medium.into()),
        ("goods", "*现代服务*服务费".into()),
        ("remark", String::new()),
        ("emails", "ap@example.com, cfo@example.com".into()),
        ("key", key.into()),
    ]
}

pub(crate) async fn standing(app: &TestApp, cookie: &str) -> Value {
    json(app.call_as(cookie, "invoices_page", &[]).await).await["standing"].clone()
}

pub(crate) fn fen(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("fen: {v}"))
}

/// The standing's figures reconcile with the invoiceable total, which equals what the ledger
/// says was paid (orders and fees, less returns), computed here from the orders themselves.
pub(crate) async fn assert_reconciles(app: &TestApp, ent: &Ent) -> Value {
    let s = standing(app, &ent.cookie).await;
    let (paid, returned): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status IN ('paid', 'returned') THEN amount + fee ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'returned' THEN amount + fee ELSE 0 END), 0) AS BIGINT) \
         FROM payment_orders WHERE enterprise_id = $1",
    )
    .bind(&ent.id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(fen(&s["total"]), (paid - returned).max(0), "{s}");
    assert_eq!(
        fen(&s["invoiced"]) + fen(&s["being_invoiced"]) + fen(&s["not_yet_invoiced"])
            - fen(&s["over_invoiced"]),
        fen(&s["total"]),
        "{s}"
    );
    let (issued, waiting): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status IN ('issued', 'mailed') THEN amount ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status IN ('submitted', 'issuing') THEN amount ELSE 0 END), 0) AS BIGINT) \
         FROM invoice_applications WHERE enterprise_id = $1",
    )
    .bind(&ent.id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        (fen(&s["invoiced"]), fen(&s["being_invoiced"])),
        (issued, waiting)
    );
    s
}

/// Finance issues application `id` with `number` and the file `bytes`.
pub(crate) async fn issue(
    app: &TestApp,
    ops: &str,
    id: &str,
    number: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("id", id.to_string())
        .text("number", number.to_string())
        .text("date", app.clock.now().china_date())
        .text("rate", "6")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("invoice.pdf"),
        );
    app.client
        .post(app.url("/api/issue_invoice"))
        .header("accept", "application/json")
        .header("cookie", ops)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub(crate) fn number(n: u32) -> String {
    format!("{:020}", 24_110_000_000_000_000_000u128 + u128::from(n))
}
