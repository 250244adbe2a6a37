//! Issue 17 with issue 16 (P4.2, P6.3): a paper invoice's mailing contact is sealed apart from
//! the buyer's printed details, an electronic one keeps none; when a closed enterprise's period
//! has passed, the retention job deletes its invoice profile and blanks its invoices' receiving
//! addresses and mailing contacts — also inside the buyer's details of an application made
//! before they were apart — while the invoices and what they print stay with the books.

use crate::helpers::json;
use crate::invoice_helpers::{
    apply_form, call, paying_enterprise, profile_form, save_profile, CODE,
};
use crate::retention::{rows, run, DAY_MS};
use app::backend::clock::Clock;
use app::backend::invoices::store::ctx;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p4_2_a_closed_enterprises_invoices_keep_the_books_but_no_contacts() {
    let app = crate::helpers::spawn_app().await;
    let ops = app.finance().await;
    let ent = paying_enterprise(&app, &ops, "注销开票企业", &["100"]).await;
    save_profile(&app, &ent.cookie, &profile_form("注销开票企业")).await;
    let mut ids = Vec::new();
    for (amount, medium, key) in [("30", "paper", "c1"), ("20", "electronic", "c2")] {
        let form = apply_form(amount, "ordinary", medium, key);
        let res = call(&app, &ent.cookie, "apply_invoice", &form).await;
        ids.push(json(res).await[0]["id"].as_str().unwrap().to_string());
    }
    // An application made before the mailing contact was apart: it is in the buyer's JSON.
    let legacy = app::backend::ids::new_id();
    let buyer = serde_json::json!({
        "title": "注销开票企业", "taxpayer_id": CODE, "reg_address": "北京市朝阳区建国路 1 号",
        "reg_phone": "010-12345678", "bank_name": "工行", "bank_account": "0200001234567890123",
        "mail_name": "旧收件人", "mail_phone": "13800000009", "mail_address": "旧地址 9 号",
    });
    let seal =
        |column: &str, value: &str| app.state.cipher.encrypt_text(value, &ctx(column, &legacy));
    sqlx::query(
        "INSERT INTO invoice_applications (id, enterprise_id, client_key, part, parts, amount, kind, medium, goods, remark, \
         emails_enc, buyer_enc, buyer_title, buyer_taxpayer_id, status, applied_by, applied_at, updated_at) \
         SELECT $1, enterprise_id, $2, 1, 1, 100, 'ordinary', 'paper', goods, '', $3, $4, buyer_title, buyer_taxpayer_id, \
         'rejected', applied_by, applied_at, updated_at FROM invoice_applications WHERE id = $5",
    )
    .bind(&legacy)
    .bind(format!("{}/legacy/1", ent.id))
    .bind(seal("emails", "old@example.com"))
    .bind(seal("buyer", &buyer.to_string()))
    .bind(&ids[0])
    .execute(app.db.pool())
    .await
    .unwrap();

    // Finance sees the paper invoice's contact (from its own column), none for the electronic one.
    let queue = json(
        call(
            &app,
            &ops,
            "invoice_queue",
            &[
                ("status", String::new()),
                ("kind", String::new()),
                ("medium", String::new()),
            ],
        )
        .await,
    )
    .await;
    let buyer_of = |id: &str| {
        queue
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()["buyer"]
            .clone()
    };
    assert_eq!(buyer_of(&ids[0])["mail_name"], "收件人");
    assert_eq!(buyer_of(&ids[0])["bank_account"], "0200001234567890123");
    assert_eq!(buyer_of(&ids[1])["mail_name"], "");
    let mailing = |id: String| {
        let pool = app.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT mailing_enc FROM invoice_applications WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert!(!mailing(ids[0].clone()).await.is_empty());
    assert!(mailing(ids[1].clone()).await.is_empty());

    // Closed long ago: the closed-enterprise rule runs.
    sqlx::query("UPDATE enterprises SET status = 'closed', closed_at = $2 WHERE id = $1")
        .bind(&ent.id)
        .bind(app.clock.now().0)
        .execute(app.db.pool())
        .await
        .unwrap();
    app.clock.advance_ms(200 * DAY_MS);
    let ops = app.finance().await;
    assert_eq!(
        rows(&run(&app, &ops, false).await, "closed_enterprises").0,
        1
    );

    assert_eq!(app.count("invoice_profiles").await, 0);
    let left: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, emails_enc, mailing_enc, buyer_enc, amount FROM invoice_applications WHERE enterprise_id = $1",
    )
    .bind(&ent.id)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(left.len(), 3, "the invoices stay with the books");
    for (id, emails, mailing, buyer, amount) in left {
        assert_eq!((emails.as_str(), mailing.as_str()), ("", ""));
        assert!(amount > 0);
        let buyer = app
            .state
            .cipher
            .decrypt_text(&buyer, &ctx("buyer", &id))
            .unwrap();
        assert!(
            buyer.contains("注销开票企业") && buyer.contains(CODE),
            "{buyer}"
        );
        for gone in ["mail_", "收件人", "13800000009", "旧地址"] {
            assert!(!buyer.contains(gone), "{gone} in {buyer}");
        }
    }
}
