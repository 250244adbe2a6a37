//! Invoices (issue 17, P1.1.4), on both engines: the profile's rules (credit code, the
//! reviewer's override of a legacy ID, a special invoice's completeness, history), and
//! applications through finance's steps (idempotent, split, issue with a file typed by content,
//! reject, mail, red-letter reversal with maker and checker), the downloads and the CSV export.
//! Concurrency and the reconciliation property are in `invoices_standing.rs`.

use crate::authz::operator_with;
use crate::helpers::{json, spawn_app, spawn_app_with};
use crate::invoice_helpers::*;
use app::backend::clock::Clock;
use app::model::account::OperatorRole;

/// P1.1.4: the profile — a credit code checked with the shared rule, a legacy ID only with a
/// reviewer's override (with a reason), a special invoice needs every field, changes are kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_4_the_invoice_profile_rules() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = paying_enterprise(&app, &ops, "开票信息企业", &["100"]).await;
    // Before a profile, no application.
    let res = call(
        &app,
        &ent.cookie,
        "apply_invoice",
        &apply_form("10", "ordinary", "electronic", "k0"),
    )
    .await;
    assert_eq!(json(res).await["detail"], "invoice_no_profile");
    // A wrong check character is a legacy ID: saved, but waiting for a reviewer.
    let mut form = profile_form("开票信息企业");
    form[2].1 = "91350100M000100Y44".into();
    // A bare profile: ordinary invoices only.
    for field in [3, 4, 5, 6] {
        form[field].1 = String::new();
    }
    let page = save_profile(&app, &ent.cookie, &form).await;
    assert_eq!(page["profile"]["taxpayer_id_state"], "pending");
    let res = call(
        &app,
        &ent.cookie,
        "apply_invoice",
        &apply_form("10", "ordinary", "electronic", "k1"),
    )
    .await;
    assert_eq!(json(res).await["detail"], "taxpayer_id_not_accepted");
    // The reviewer sees it, and accepts it with a reason (a reason is required).
    let pending = json(app.call_as(&ops, "pending_taxpayer_ids", &[]).await).await;
    assert_eq!(pending[0]["taxpayer_id"], "91350100M000100Y44");
    let decide = |reason: &'static str| {
        vec![
            ("enterprise_id", ent.id.clone()),
            ("taxpayer_id", "91350100M000100Y44".to_string()),
            ("accept", "true".to_string()),
            ("reason", reason.to_string()),
        ]
    };
    assert_eq!(
        call(&app, &ops, "decide_taxpayer_id", &decide(""))
            .await
            .status(),
        422
    );
    let res = call(
        &app,
        &ops,
        "decide_taxpayer_id",
        &decide("早期赋码，已核对营业执照"),
    )
    .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        json(call(&app, &ops, "decide_taxpayer_id", &decide("again")).await).await["detail"],
        "taxpayer_id_not_pending"
    );
    // Saved again with the same ID, the override stands.
    form[1].1 = "开票信息企业（更名）".into();
    let page = save_profile(&app, &ent.cookie, &form).await;
    assert_eq!(page["profile"]["taxpayer_id_state"], "overridden");
    assert_eq!(
        page["profile"]["override_reason"],
        "早期赋码，已核对营业执照"
    );
    // A special invoice needs the whole profile; an ordinary one does not.
    let res = call(
        &app,
        &ent.cookie,
        "apply_invoice",
        &apply_form("10", "special", "electronic", "k2"),
    )
    .await;
    assert_eq!(json(res).await["detail"], "special_needs_profile");
    let res = call(
        &app,
        &ent.cookie,
        "apply_invoice",
        &apply_form("10", "ordinary", "electronic", "k3"),
    )
    .await;
    assert!(res.status().is_success(), "{}", res.status());
    // The full profile with a valid code: valid, and the special invoice is taken.
    let page = save_profile(&app, &ent.cookie, &profile_form("开票信息企业")).await;
    assert_eq!(page["profile"]["taxpayer_id_state"], "valid");
    assert_eq!(
        page["profile"]["bank_account_masked"],
        "0200 **** **** 0123"
    );
    let res = call(
        &app,
        &ent.cookie,
        "apply_invoice",
        &apply_form("10", "special", "electronic", "k4"),
    )
    .await;
    assert!(res.status().is_success(), "{}", res.status());
    // History: three versions, newest first, the account masked in the changes.
    let history = page["history"].as_array().unwrap();
    assert_eq!(history.len(), 3);
    let newest = history[0]["changes"].as_array().unwrap();
    let account = newest
        .iter()
        .find(|c| c["field"] == "bank_account")
        .unwrap();
    assert_eq!(
        (account["before"].as_str(), account["after"].as_str()),
        (Some(""), Some("0200 **** **** 0123"))
    );
    assert!(newest
        .iter()
        .any(|c| c["field"] == "title" && c["before"] == "开票信息企业（更名）"));
    // The bank account is sealed at rest.
    let stored: String = sqlx::query_scalar(
        "SELECT bank_account_enc FROM invoice_profiles WHERE enterprise_id = $1",
    )
    .bind(&ent.id)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(!stored.contains("0200001234567890123"));
    // Bad input is refused field by field.
    let mut bad = profile_form("x");
    bad[2].1 = "123".into();
    bad[10].1 = "a@x.cn b@x.cn c@x.cn d@x.cn e@x.cn f@x.cn".into();
    let res = call(&app, &ent.cookie, "save_invoice_profile", &bad).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await.to_string();
    assert!(
        body.contains("taxpayer_id") && body.contains("emails"),
        "{body}"
    );
}

/// P1.1.4: apply, replay, split; issue (number, date, rate, file by content), download, mail,
/// reject, cancel, red-letter reversal with maker and checker; the standing reconciles after
/// every step, and the applicant is told of each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_4_applications_through_issuing_and_reversal() {
    let app = spawn_app_with(&["--invoice-limit-fen", "5000"]).await;
    let ops = app.finance().await;
    let checker = operator_with(&app, "finance-two", &[OperatorRole::Finance]).await;
    // ¥100 + ¥6 fee and ¥50 + ¥3: ¥159 invoiceable.
    let ent = paying_enterprise(&app, &ops, "开票企业", &["100", "50"]).await;
    save_profile(&app, &ent.cookie, &profile_form("开票企业")).await;
    let s = assert_reconciles(&app, &ent).await;
    assert_eq!(fen(&s["not_yet_invoiced"]), 15_900);
    // Over the amount: refused.
    let res = call(
        &app,
        &ent.cookie,
        "apply_invoice",
        &apply_form("159.01", "special", "electronic", "a0"),
    )
    .await;
    assert_eq!(json(res).await["detail"], "invoice_over_amount");
    // ¥106 over a ¥50 limit: three invoices (50, 50, 6).
    let first = json(
        call(
            &app,
            &ent.cookie,
            "apply_invoice",
            &apply_form("106", "special", "electronic", "a1"),
        )
        .await,
    )
    .await;
    let parts: Vec<i64> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|v| fen(&v["amount"]))
        .collect();
    assert_eq!(parts, [5_000, 5_000, 600]);
    // The same form again: the same invoices; other details under the key: a conflict.
    let again = json(
        call(
            &app,
            &ent.cookie,
            "apply_invoice",
            &apply_form("106", "special", "electronic", "a1"),
        )
        .await,
    )
    .await;
    assert_eq!(again, first);
    let res = call(
        &app,
        &ent.cookie,
        "apply_invoice",
        &apply_form("105", "special", "electronic", "a1"),
    )
    .await;
    assert_eq!(json(res).await["detail"], "key_reused");
    let s = assert_reconciles(&app, &ent).await;
    assert_eq!(
        (fen(&s["being_invoiced"]), fen(&s["not_yet_invoiced"])),
        (10_600, 5_300)
    );
    let ids: Vec<String> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();

    // Finance: the queue, taking one up; a bad number and a picture are refused.
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
    assert_eq!(queue.as_array().unwrap().len(), 3);
    let res = call(&app, &ops, "start_invoice", &[("id", ids[0].clone())]).await;
    assert_eq!(json(res).await["status"], "issuing");
    let res = issue(&app, &ops, &ids[0], "12345678", PDF).await;
    assert_eq!(res.status(), 422);
    let res = issue(&app, &ops, &ids[0], &number(1), &crate::helpers::tiny_png()).await;
    assert!(json(res).await.to_string().contains("file_type"));
    // Issued: price and tax from the total at 6 % (¥50.00 → ¥47.17 + ¥2.83).
    let issued = json(issue(&app, &ops, &ids[0], &number(1), PDF).await).await;
    assert_eq!(issued["status"], "issued");
    assert_eq!((fen(&issued["price"]), fen(&issued["tax"])), (4_717, 283));
    // The number is taken for good.
    let res = issue(&app, &ops, &ids[1], &number(1), PDF).await;
    assert_eq!(json(res).await["detail"], "invoice_number_taken");
    let s = assert_reconciles(&app, &ent).await;
    assert_eq!(fen(&s["invoiced"]), 5_000);
    // Finance's queue opens the buyer's details (to print them), and the look is audited; the
    // enterprise's own list does not name the operator who issued.
    let issued_list = json(
        call(
            &app,
            &ops,
            "invoice_queue",
            &[
                ("status", "issued".into()),
                ("kind", String::new()),
                ("medium", String::new()),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(
        issued_list[0]["buyer"]["bank_account"],
        "0200001234567890123"
    );
    // An electronic invoice keeps no mailing contact (only a paper one needs it).
    assert_eq!(issued_list[0]["buyer"]["mail_address"], "");
    assert!(app.audit_count("invoice.queue_view").await >= 2);
    let page = json(app.call_as(&ent.cookie, "invoices_page", &[]).await).await;
    let mine = page["applications"].as_array().unwrap();
    assert!(
        mine.iter()
            .all(|a| a["issued_by"].is_null() && a["buyer"].is_null()),
        "{page}"
    );
    // The enterprise downloads the file, byte for byte; another enterprise cannot.
    let res = app
        .get_as(
            &ent.cookie,
            &format!("/portal/finance/invoices/{}/file", ids[0]),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let other = app.open_enterprise("别的企业").await;
    let res = app
        .get_as(&other, &format!("/portal/finance/invoices/{}/file", ids[0]))
        .await;
    assert_eq!(res.status(), 404);
    // Finance's look is audited.
    let res = app
        .get_as(&ops, &format!("/ops/invoices/{}/file", ids[0]))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.audit_count("invoice.file_view").await, 1);

    // Reject one (a reason is required); cancel the last while it waits.
    assert_eq!(
        call(
            &app,
            &ops,
            "reject_invoice",
            &[("id", ids[1].clone()), ("reason", String::new())]
        )
        .await
        .status(),
        422
    );
    let rejected = json(
        call(
            &app,
            &ops,
            "reject_invoice",
            &[("id", ids[1].clone()), ("reason", "抬头有误".into())],
        )
        .await,
    )
    .await;
    assert_eq!(
        (rejected["status"].as_str(), rejected["reason"].as_str()),
        (Some("rejected"), Some("抬头有误"))
    );
    let cancelled = json(
        call(
            &app,
            &ent.cookie,
            "cancel_invoice",
            &[("id", ids[2].clone())],
        )
        .await,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    // Refused transitions: a rejected one is not issued; a cancelled one not cancelled again;
    // an electronic invoice is not mailed.
    let res = issue(&app, &ops, &ids[1], &number(2), PDF).await;
    assert_eq!(json(res).await["detail"], "invoice_moved_on");
    let res = call(
        &app,
        &ent.cookie,
        "cancel_invoice",
        &[("id", ids[2].clone())],
    )
    .await;
    assert_eq!(json(res).await["detail"], "invoice_moved_on");
    let res = call(
        &app,
        &ops,
        "mail_invoice",
        &[
            ("id", ids[0].clone()),
            ("courier", "顺丰".into()),
            ("waybill", "SF1234567890".into()),
        ],
    )
    .await;
    assert_eq!(json(res).await["detail"], "invoice_moved_on");
    let s = assert_reconciles(&app, &ent).await;
    assert_eq!(
        (
            fen(&s["invoiced"]),
            fen(&s["being_invoiced"]),
            fen(&s["not_yet_invoiced"])
        ),
        (5_000, 0, 10_900)
    );

    // A paper invoice, issued with an 8-digit number and mailed with its waybill.
    let paper = json(
        call(
            &app,
            &ent.cookie,
            "apply_invoice",
            &apply_form("30", "ordinary", "paper", "p1"),
        )
        .await,
    )
    .await;
    let paper_id = paper[0]["id"].as_str().unwrap().to_string();
    let res = issue(&app, &ops, &paper_id, "00012345", PDF).await;
    assert!(res.status().is_success(), "{}", res.status());
    let mailed = json(
        call(
            &app,
            &ops,
            "mail_invoice",
            &[
                ("id", paper_id.clone()),
                ("courier", "顺丰".into()),
                ("waybill", "SF1234567890".into()),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(
        (mailed["status"].as_str(), mailed["waybill"].as_str()),
        (Some("mailed"), Some("SF1234567890"))
    );

    // Red letter: recorded by the issuer (maker); the issuer cannot approve, another can.
    let red = |n: u32| {
        vec![
            ("id", ids[0].clone()),
            ("number", number(n)),
            ("date", app.clock.now().china_date()),
            ("reason", "购方信息有误".to_string()),
        ]
    };
    let recorded = json(call(&app, &ops, "record_red_invoice", &red(1)).await).await;
    assert_eq!(
        recorded["detail"], "invoice_number_taken",
        "the blue number is not a red one"
    );
    let recorded = json(call(&app, &ops, "record_red_invoice", &red(90)).await).await;
    assert_eq!(
        (
            recorded["status"].as_str(),
            recorded["reversal_pending"].as_bool()
        ),
        (Some("issued"), Some(true))
    );
    // Typed wrong: withdrawn (with a reason, audited), the number free, the right one recorded.
    let withdraw = |reason: &str| vec![("id", ids[0].clone()), ("reason", reason.to_string())];
    let res = call(&app, &ops, "withdraw_red_invoice", &withdraw(" ")).await;
    assert_eq!(res.status(), 422);
    let withdrawn =
        json(call(&app, &ops, "withdraw_red_invoice", &withdraw("号码录错")).await).await;
    assert_eq!(
        (
            withdrawn["status"].as_str(),
            withdrawn["reversal_pending"].as_bool(),
            withdrawn["red_number"].as_str()
        ),
        (Some("issued"), Some(false), None)
    );
    let res = call(
        &app,
        &checker,
        "approve_red_invoice",
        &[("id", ids[0].clone())],
    )
    .await;
    assert_eq!(json(res).await["detail"], "invoice_moved_on");
    let res = call(&app, &ops, "withdraw_red_invoice", &withdraw("再次")).await;
    assert_eq!(json(res).await["detail"], "invoice_moved_on");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.red_withdraw' AND detail LIKE $1",
    )
    .bind(format!("{}: 号码录错", number(90)))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let recorded = json(call(&app, &ops, "record_red_invoice", &red(90)).await).await;
    assert_eq!(
        recorded["reversal_pending"], true,
        "the number is free again"
    );
    let res = call(&app, &ops, "approve_red_invoice", &[("id", ids[0].clone())]).await;
    assert_eq!(json(res).await["detail"], "invoice_checker_same");
    // The checker's page showed another red number (a record since replaced): not approved.
    let stale = [("id", ids[0].clone()), ("red_number", number(91))];
    let res = call(&app, &checker, "approve_red_invoice", &stale).await;
    assert_eq!(json(res).await["detail"], "invoice_moved_on");
    let reversed = json(
        call(
            &app,
            &checker,
            "approve_red_invoice",
            &[("id", ids[0].clone())],
        )
        .await,
    )
    .await;
    assert_eq!(reversed["status"], "reversed");
    let s = assert_reconciles(&app, &ent).await;
    assert_eq!(
        (fen(&s["invoiced"]), fen(&s["not_yet_invoiced"])),
        (3_000, 12_900)
    );

    // The CSV export (P6.1): every invoice, labels beside codes; the Excel variant with a BOM
    // and CRLF; another enterprise's members get their own (empty) list.
    let csv = app
        .get_as(&ent.cookie, "/portal/finance/invoices.csv")
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("申请时间(UTC+8),金额(元)"), "{csv}");
    assert_eq!(lines.len(), 1 + 4, "{csv}");
    assert!(
        csv.contains(&format!(",已红冲,reversed,{},", number(1))),
        "{csv}"
    );
    assert!(csv.contains(",已寄出,mailed,00012345,"), "{csv}");
    let excel = app
        .get_as(
            &ent.cookie,
            "/portal/finance/invoices.csv?variant=excel&lang=en",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        excel.starts_with("\u{feff}Applied (UTC+8),") && excel.contains("\r\n"),
        "{excel}"
    );
    let theirs = app
        .get_as(&other, "/portal/finance/invoices.csv")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(theirs.lines().count(), 1, "{theirs}");
    // A paper invoice recorded as voided is not posted; a file of 2 MiB is taken (up to 10).
    let late = json(
        call(
            &app,
            &ent.cookie,
            "apply_invoice",
            &apply_form("10", "ordinary", "paper", "p2"),
        )
        .await,
    )
    .await;
    let late_id = late[0]["id"].as_str().unwrap().to_string();
    let mut big = b"%PDF-1.7\n%".to_vec();
    big.resize(2 << 20, b'x');
    big.extend_from_slice(b"\n%%EOF\n");
    let res = issue(&app, &ops, &late_id, "00012346", &big).await;
    assert!(res.status().is_success(), "{}", res.status());
    let form = vec![
        ("id", late_id.clone()),
        ("number", "00012399".to_string()),
        ("date", app.clock.now().china_date()),
        ("reason", "开错了".to_string()),
    ];
    assert!(call(&app, &ops, "record_red_invoice", &form)
        .await
        .status()
        .is_success());
    let res = call(
        &app,
        &ops,
        "mail_invoice",
        &[
            ("id", late_id.clone()),
            ("courier", "顺丰".into()),
            ("waybill", "SF1".into()),
        ],
    )
    .await;
    assert_eq!(json(res).await["detail"], "invoice_moved_on");
    let reversed =
        json(call(&app, &checker, "approve_red_invoice", &[("id", late_id)]).await).await;
    assert_eq!(reversed["status"], "reversed");
    assert_reconciles(&app, &ent).await;
    // Every step reached the applicant through the messages capability.
    let inbox = json(app.call_as(&ent.cookie, "my_inbox", &[]).await).await;
    let titles: Vec<&str> = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["title"]["zh"].as_str())
        .collect();
    for step in ["开具中", "已开具", "已驳回", "已寄出", "已红冲"] {
        assert!(
            titles.iter().any(|t| t.contains(step)),
            "{step} in {titles:?}"
        );
    }
    // Every step is audited.
    for action in [
        "invoice.apply",
        "invoice.start",
        "invoice.issue",
        "invoice.reject",
        "invoice.cancel",
        "invoice.mail",
        "invoice.red_record",
        "invoice.reverse",
    ] {
        assert!(app.audit_count(action).await >= 1, "{action}");
    }
    app.assert_ledger_clean().await;
}
