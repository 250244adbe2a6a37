//! Stored codes fail closed: a status, channel or purpose that no variant names (written by a
//! newer version, or by hand) is an internal error, logged with its column and value, never
//! read as some default.

use crate::helpers::{json, spawn_app};

/// A bank credit whose stored status is unknown is not shown as "to be matched" or "credited":
/// the lists that read it fail with an internal error, and the other rows are unaffected
/// once the value is repaired.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_stored_codes_are_errors_not_defaults() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "代码测试公司", "100.00").await;
    let ok = json(
        app.call_as(&ops, "list_credits", &[("unmatched_only", "false")])
            .await,
    )
    .await;
    assert_eq!(ok[0]["status"], "credited", "{ok}");

    sqlx::query("UPDATE bank_credits SET status = 'frozen'")
        .execute(app.db.pool())
        .await
        .unwrap();
    for (who, endpoint, args) in [
        (&ops, "list_credits", vec![("unmatched_only", "false")]),
        (&ent.cookie, "list_topups", vec![]),
    ] {
        let res = app.call_as(who, endpoint, &args).await;
        assert_eq!(res.status(), 500, "{endpoint}");
        let body = json(res).await;
        assert_eq!(body["kind"], "internal", "{endpoint}: {body}");
        assert!(
            body["detail"]["reference"]
                .as_str()
                .is_some_and(|r| !r.is_empty()),
            "{body}"
        );
    }

    // A typed row (`sqlx::FromRow` with `try_from`) fails the same way: a transfer whose
    // status no variant names.
    sqlx::query(
        "INSERT INTO transfers (id, enterprise_id, client_key, amount, status, reason, account_name, \
         bank_name, account_no_enc, account_hint, requested_by, requested_at) \
         VALUES ('t-lost', $1, 'k-lost', 100, 'lost', '', '甲', '银行', 'x', '****', 'u', 0)",
    )
    .bind(&ent.id)
    .execute(app.db.pool())
    .await
    .unwrap();
    let res = app
        .call_as(&ops, "list_transfer_requests", &[("waiting_only", "false")])
        .await;
    assert_eq!(
        res.status(),
        500,
        "an unknown transfer status fails the typed row"
    );
    sqlx::query("DELETE FROM transfers WHERE id = 't-lost'")
        .execute(app.db.pool())
        .await
        .unwrap();

    // A login person with an unknown stored status is not treated as active (or as anything).
    sqlx::query("UPDATE bank_credits SET status = 'credited'")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert!(app
        .call_as(&ent.cookie, "funds_overview", &[])
        .await
        .status()
        .is_success());
    sqlx::query("UPDATE users SET status = 'suspended' WHERE enterprise_id = $1")
        .bind(&ent.id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let res = app.call_as(&ent.cookie, "funds_overview", &[]).await;
    assert_eq!(res.status(), 500, "an unknown user status fails closed");

    // An outbox message with an unknown purpose fails the console's list.
    sqlx::query("UPDATE outbox SET purpose = 'carrier_pigeon'")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(app.call_as(&ops, "list_outbox", &[]).await.status(), 500);
}

/// The conversion itself names the type, the column and the value.
#[test]
fn unknown_codes_name_their_column_and_value() {
    use app::model::funds::CreditStatus;
    let e = CreditStatus::from_stored("frozen", "bank_credits.status").unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown CreditStatus code \"frozen\" in bank_credits.status"
    );
    assert_eq!(
        CreditStatus::from_stored("credited", "bank_credits.status"),
        Ok(CreditStatus::Credited)
    );
}
