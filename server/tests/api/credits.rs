//! Recording one bank credit (issue 11): finance first sees whose receiving account it is,
//! and nothing is booked until it confirms; each outcome is a typed value the page words.

use crate::helpers::{json, spawn_app};
use app::backend::clock::Clock;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_5_a_credit_is_previewed_then_confirmed_once() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "入账预览公司", "").await;
    let date = app.clock.now().china_date();
    let mut form = vec![
        ("bank_ref", "PREVIEW-1"),
        ("value_date", date.as_str()),
        ("payer_name", "付款企业"),
        ("payer_account", "6225880012345678"),
        ("receiving_account_no", ent.account_no.as_str()),
        ("amount", "300"),
        ("bank_fee", "0.50"),
    ];
    let credits = app.count("bank_credits").await;
    let preview = json(app.call_as(&ops, "record_credit", &form).await).await;
    assert_eq!(
        preview,
        serde_json::json!({"Preview": {"enterprise": "入账预览公司", "amount": 30000, "credited": 29950}})
    );
    assert_eq!(
        app.balances(&ent).await,
        (0, 0, 0),
        "a preview books nothing"
    );
    assert_eq!(app.count("bank_credits").await, credits);

    form.push(("confirm", "yes"));
    let done = json(app.call_as(&ops, "record_credit", &form).await).await;
    assert_eq!(
        done,
        serde_json::json!({"Credited": {"enterprise": "入账预览公司", "credited": 29950}})
    );
    assert_eq!(app.balances(&ent).await, (29_950, 0, 0));
    let again = json(app.call_as(&ops, "record_credit", &form).await).await;
    assert_eq!(again, "AlreadyRecorded");
    // The check itself says so, before any confirmation; other details are refused.
    let preview = json(app.call_as(&ops, "record_credit", &form[..7]).await).await;
    assert_eq!(preview, "AlreadyRecorded");
    let mut changed = form[..7].to_vec();
    changed[5] = ("amount", "301");
    let res = app.call_as(&ops, "record_credit", &changed).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.balances(&ent).await, (29_950, 0, 0));

    // A receiving account nobody owns: the preview says so; confirmed, it waits in the queue.
    let mut nobody = form.clone();
    nobody[0] = ("bank_ref", "PREVIEW-2");
    nobody[4] = ("receiving_account_no", "9558800000000000000");
    nobody.pop();
    let preview = json(app.call_as(&ops, "record_credit", &nobody).await).await;
    assert_eq!(preview["Preview"]["enterprise"], serde_json::Value::Null);
    nobody.push(("confirm", "yes"));
    let queued = json(app.call_as(&ops, "record_credit", &nobody).await).await;
    assert_eq!(
        queued,
        serde_json::json!({"Unmatched": {"credited": 29950}})
    );
    app.assert_ledger_clean().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_5_batch_templates_download_in_both_variants() {
    let app = spawn_app().await;
    let res = app.get("/portal/funds/order-template.csv?lang=en").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("payment-orders-template.csv"));
    assert_eq!(
        res.text().await.unwrap(),
        "order_id,payee_name,id_number,channel,account,mobile,amount,remark,project\n"
    );
    let (status, excel) = app
        .get_compressed("", "/portal/funds/order-template.csv?variant=excel")
        .await;
    assert_eq!(status, 200);
    assert!(excel.starts_with("\u{feff}商户订单号,姓名,") && excel.ends_with("\r\n"));
}

/// P4.3, issue 14: a payer's account number is stored encrypted; the plain column holds only
/// the masked form. Rows from before the encryption are sealed when the server starts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p4_3_payer_accounts_are_encrypted_at_rest() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "加密付款账号公司", "").await;
    let date = app.clock.now().china_date();
    let form = [
        ("bank_ref", "SEALED-1"),
        ("value_date", date.as_str()),
        ("payer_name", "付款企业"),
        ("payer_account", "6225880099998888"),
        ("receiving_account_no", ent.account_no.as_str()),
        ("amount", "10"),
        ("bank_fee", "0"),
        ("confirm", "yes"),
    ];
    assert_eq!(
        app.call_as(&ops, "record_credit", &form).await.status(),
        200
    );
    let (id, plain, enc): (String, String, String) = sqlx::query_as(
        "SELECT id, payer_account, payer_account_enc FROM bank_credits WHERE bank_ref = 'SEALED-1'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(plain, "6225 **** **** 8888");
    assert!(!enc.contains("99998888"), "{enc}");
    let cipher = &app.state.cipher;
    let ctx = format!("bank_credits.payer_account:{id}");
    assert_eq!(cipher.decrypt_text(&enc, &ctx).unwrap(), "6225880099998888");

    // A row as an older version wrote it: the plain number and no sealed copy.
    sqlx::query("UPDATE bank_credits SET payer_account = '6225880077776666', payer_account_enc = NULL WHERE id = $1")
        .bind(&id)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let sealed = app::backend::funds::credits::seal_payer_accounts(&app.state.db, cipher)
        .await
        .unwrap();
    assert_eq!(sealed, 1);
    let (plain, enc): (String, String) =
        sqlx::query_as("SELECT payer_account, payer_account_enc FROM bank_credits WHERE id = $1")
            .bind(&id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(plain, "6225 **** **** 6666");
    assert_eq!(cipher.decrypt_text(&enc, &ctx).unwrap(), "6225880077776666");
}
