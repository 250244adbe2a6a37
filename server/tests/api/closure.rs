//! Account closure (issue 16 §5, P6.3): the admin asks as a rights request; it is refused while
//! the account holds money or has anything in flight; once the balance has left, the officer's
//! completion closes the account, ends every login and disables its people.

use crate::authz::operator_with;
use crate::helpers::{json, spawn_app, APPLICANT_PW};
use crate::rights::email_of;
use app::model::account::OperatorRole;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_3_closure_needs_an_empty_account_and_ends_every_login() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let checker = operator_with(&app, "closure-checker", &[OperatorRole::Finance]).await;
    let ent = app.funded_enterprise(&ops, "注销公司", "100").await;
    let admin = ent.cookie.clone();
    let closure = |key: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            app.call_as(
                admin,
                "submit_privacy_request",
                &[
                    ("key", key),
                    ("kind", "closure"),
                    ("channel", "email"),
                    ("password", APPLICANT_PW),
                ],
            )
            .await
        }
    };

    // A balance: refused before anything is made.
    assert_eq!(
        json(closure("c1").await).await["detail"],
        "closure_has_balance"
    );
    assert_eq!(app.count("privacy_requests").await, 0);

    // Transferring it out: in flight until both finance operators approved.
    let res = app
        .call_as(
            &ent.cookie,
            "set_withdrawal_account",
            &[
                ("account_name", "注销公司"),
                ("bank_name", "工商银行"),
                ("account_no", "6212261234567890"),
                ("password", APPLICANT_PW),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let t = json(
        app.call_as(
            &admin,
            "request_transfer",
            &[("amount", "100"), ("key", "out-1")],
        )
        .await,
    )
    .await;
    let tid = t["id"].as_str().expect("a transfer").to_string();
    assert_eq!(
        json(closure("c2").await).await["detail"],
        "closure_in_flight"
    );
    for who in [&ops, &checker] {
        let res = app
            .call_as(
                who,
                "decide_transfer",
                &[("id", &tid), ("approve", "true"), ("reason", "")],
            )
            .await;
        assert!(res.status().is_success(), "{}", res.status());
    }
    assert_eq!(app.balances(&ent).await, (0, 0, 0));

    // Now the closure goes in, is verified and completed.
    assert!(closure("c3").await.status().is_success());
    let mine = json(app.call_as(&admin, "my_privacy_requests", &[]).await).await;
    let id = mine["requests"][0]["id"].as_str().unwrap().to_string();
    let code = app.code_sent_to(&email_of(&ent.mobile)).await;
    let res = app
        .call_as(
            &admin,
            "verify_privacy_request",
            &[("id", &id), ("code", &code)],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    // Money arriving before the officer completes it: refused again, nothing changed.
    app.top_up(&ops, &ent, "1").await;
    let complete = || {
        let (app, ops, id) = (&app, &ops, &id);
        async move {
            app.call_as(
                ops,
                "complete_privacy_request",
                &[("id", id.as_str()), ("answer", "您的企业账户已注销。")],
            )
            .await
        }
    };
    assert_eq!(
        json(complete().await).await["detail"],
        "closure_has_balance"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM enterprises WHERE id = $1")
        .bind(&ent.id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "active");
    let t = json(
        app.call_as(
            &admin,
            "request_transfer",
            &[("amount", "1"), ("key", "out-2")],
        )
        .await,
    )
    .await;
    let tid = t["id"].as_str().expect("a transfer").to_string();
    for who in [&ops, &checker] {
        app.call_as(
            who,
            "decide_transfer",
            &[("id", &tid), ("approve", "true"), ("reason", "")],
        )
        .await;
    }
    let res = complete().await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );

    // Closed, with its time; every login ended; nobody can log in again.
    let (status, closed_at): (String, Option<i64>) =
        sqlx::query_as("SELECT status, closed_at FROM enterprises WHERE id = $1")
            .bind(&ent.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(status, "closed");
    assert!(closed_at.is_some(), "the retention clock starts");
    assert_eq!(
        app.call_as(&admin, "my_privacy_requests", &[])
            .await
            .status(),
        401,
        "the admin's session ended"
    );
    let res = app
        .call(
            "login",
            &[("login", ent.mobile.as_str()), ("password", APPLICANT_PW)],
        )
        .await;
    assert!(
        res.status().is_client_error(),
        "a disabled person cannot log in"
    );
    assert_eq!(app.audit_count("enterprise.closed").await, 1);
    // Money sent to its receiving account afterwards is not booked to it: finance matches or
    // returns it.
    let form = [
        ("bank_ref", "AFTER-CLOSE"),
        ("value_date", "2026-11-30"),
        ("payer_name", "付款企业"),
        ("payer_account", "6225880012345678"),
        ("receiving_account_no", ent.account_no.as_str()),
        ("amount", "5.00"),
        ("bank_fee", ""),
        ("confirm", "yes"),
    ];
    let res = app.call_as(&ops, "record_credit", &form).await;
    assert!(res.status().is_success(), "{}", res.status());
    let credit: String =
        sqlx::query_scalar("SELECT status FROM bank_credits WHERE bank_ref = 'AFTER-CLOSE'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(credit, "unmatched");
    let mut conn = app.db.conn().await.unwrap();
    assert_eq!(
        app::backend::ledger::balances(&mut conn, &ent.id)
            .await
            .unwrap(),
        (0, 0, 0)
    );
    app.assert_ledger_clean().await;
}

/// P6.3: a payment order or a batch still in flight holds a closure back, whatever the balance;
/// once cancelled, the closure goes in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p6_3_closure_waits_for_orders_and_batches_in_flight() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "在途注销公司", "").await;
    let admin = ent.cookie.clone();
    let closure = |key: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            app.call_as(
                admin,
                "submit_privacy_request",
                &[
                    ("key", key),
                    ("kind", "closure"),
                    ("channel", "email"),
                    ("password", APPLICANT_PW),
                ],
            )
            .await
        }
    };
    // An order beyond the (empty) balance waits, suspended: in flight.
    let form = crate::helpers::order_form("CLOSE-1", "bank", "6222021234561234", "5.00");
    let order = json(app.call_as(&admin, "create_order", &form).await).await;
    let order_id = order["order"]["id"].as_str().unwrap().to_string();
    assert_eq!(order["order"]["status"], "suspended", "{order}");
    assert_eq!(
        json(closure("w1").await).await["detail"],
        "closure_in_flight"
    );
    let res = app
        .call_as(&admin, "cancel_order", &[("id", &order_id)])
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    // A batch uploaded and not yet confirmed: in flight too.
    let csv = "order_id,payee_name,id_number,channel,account,mobile,amount\n\
               CLOSE-B1,张三,11010519491231002X,bank,6222021234561234,13800000001,1\n";
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("b.csv"),
    );
    let batch: serde_json::Value = app
        .client
        .post(app.url("/api/upload_batch"))
        .header("accept", "application/json")
        .header("cookie", &admin)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let batch_id = batch["id"].as_str().expect("a batch").to_string();
    assert_eq!(
        json(closure("w2").await).await["detail"],
        "closure_in_flight"
    );
    let res = app
        .call_as(
            &admin,
            "decide_batch",
            &[("id", batch_id.as_str()), ("confirm", "false")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    // Nothing in flight and nothing held: the closure goes in.
    assert_eq!(app.count("privacy_requests").await, 0);
    assert!(closure("w3").await.status().is_success());
    assert_eq!(app.count("privacy_requests").await, 1);
}
