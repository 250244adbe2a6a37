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

/// The other typed rows fail the same way: an announcement's kind, a login attempt's
/// outcome, a policy version's status, a consent record's categories and an audit entry's
/// result that no variant names are internal errors, not defaults (and not "unknown" shown
/// as something else).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_rows_fail_closed() {
    let app = spawn_app().await;
    let internal = |res: reqwest::Response, what: &'static str| async move {
        assert_eq!(res.status(), 500, "{what}");
        assert_eq!(json(res).await["kind"], "internal", "{what}");
    };

    sqlx::query(
        "INSERT INTO announcements (id, kind, title_zh, title_en, body_zh, body_en, published_at, created_at) \
         VALUES ('00000000000000000000000000000abc', 'promo', '促销', 'Promo', '正文', 'Body', 0, 0)",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
    internal(
        app.call("announcements", &[("limit", "5")]).await,
        "announcement kind",
    )
    .await;

    let (_, mobile) = app.register_unique_login().await;
    let cookie = app.login(&mobile, crate::helpers::APPLICANT_PW).await;
    let history = json(app.call_as(&cookie, "login_history", &[]).await).await;
    assert_eq!(history[0]["outcome"], "ok", "{history}");
    sqlx::query("UPDATE login_events SET outcome = 'teleported'")
        .execute(app.db.pool())
        .await
        .unwrap();
    internal(
        app.call_as(&cookie, "login_history", &[]).await,
        "login outcome",
    )
    .await;

    // The policy console reads every version; a status no variant names fails it (and the
    // public page, which reads the same rows).
    let ops = app.finance().await;
    assert!(app
        .call_as(&ops, "policy_versions", &[])
        .await
        .status()
        .is_success());
    sqlx::query(
        "INSERT INTO policy_documents (id, kind, version, published_at, effective_at, content_zh, content_en, \
         content_hash, created_at, material, summary_zh, summary_en, updated_at, status) \
         SELECT 'p-archived', kind, '0.9', published_at, effective_at, content_zh, content_en, content_hash, \
         created_at, material, summary_zh, summary_en, updated_at, 'archived' FROM policy_documents WHERE kind = 'privacy' LIMIT 1",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
    internal(
        app.call_as(&ops, "policy_versions", &[]).await,
        "policy status",
    )
    .await;
}
