//! Files finance and enterprises upload (P1.1.5): bank statements and payment batches, all or
//! nothing, every bad line named.

use crate::helpers::{field_rules, json, spawn_app};

/// P1.1.5: a statement import credits matched lines once, queues the rest, and a re-import
/// credits nothing; the same reference with another amount is refused with its line.
#[tokio::test]
async fn p1_1_5_bank_statement_import_is_matched_and_idempotent() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "导入企业", "").await;
    let csv = format!(
        "流水号,交易日期,付款户名,付款账号,收款账号,金额,手续费\n\
         S-1,2026-11-28,导入企业,6225880012345678,{},\"12,000.00\",0\n\
         S-2,2026-11-28,某人,6225880099998888,9999999999999999,300.00,\n",
        ent.account_no
    );
    let import = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("stmt.csv"),
        );
        app.client
            .post(app.url("/api/import_statement"))
            .header("accept", "application/json")
            .header("cookie", &ops)
            .multipart(form)
            .send()
    };
    let first = json(import(csv.clone().into_bytes()).await.unwrap()).await;
    assert_eq!(
        (first["credited"].as_i64(), first["unmatched"].as_i64()),
        (Some(1), Some(1))
    );
    let again = json(import(csv.clone().into_bytes()).await.unwrap()).await;
    assert_eq!(again["already_recorded"].as_i64(), Some(2));
    assert_eq!(app.balances(&ent).await, (1_200_000, 0, 0));

    // Same reference, another amount: refused, with its line, and nothing changes.
    let changed = csv.replace("300.00", "301.00");
    let res = import(changed.into_bytes()).await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        field_rules(&json(res).await),
        vec![("L3:bank_ref".to_string(), "mismatch".to_string())]
    );

    // The unmatched credit waits in the queue until finance assigns it.
    let queue = json(
        app.call_as(&ops, "list_credits", &[("unmatched_only", "true")])
            .await,
    )
    .await;
    let queued = queue.as_array().unwrap();
    assert_eq!(queued.len(), 1);
    let res = app
        .call_as(
            &ops,
            "assign_credit",
            &[
                ("id", queued[0]["id"].as_str().unwrap()),
                ("enterprise", &ent.account_no),
            ],
        )
        .await;
    assert!(res.status().is_success());
    assert_eq!(app.balances(&ent).await, (1_230_000, 0, 0));
    let res = app
        .call_as(
            &ops,
            "assign_credit",
            &[
                ("id", queued[0]["id"].as_str().unwrap()),
                ("enterprise", &ent.account_no),
            ],
        )
        .await;
    assert_eq!(res.status(), 409, "a credit is assigned once");

    // The enterprise sees its top-ups.
    let topups = json(app.call_as(&ent.cookie, "list_topups", &[]).await).await;
    assert_eq!(topups.as_array().unwrap().len(), 2);
    assert!(topups
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["payer_account"] == "6225 **** **** 8888"));
    app.assert_ledger_clean().await;
}

/// P1.1.5: the bad batch files of the ledger issue. Each bad row is reported with its line and
/// nothing of the batch is created.
#[tokio::test]
async fn p1_1_5_a_bad_batch_is_refused_whole_with_its_lines() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "批量企业", "1000").await;
    let upload = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("batch.csv"),
        );
        app.client
            .post(app.url("/api/upload_batch"))
            .header("accept", "application/json")
            .header("cookie", &ent.cookie)
            .multipart(form)
            .send()
    };
    let head = app::model::orders::batch_template(app::i18n::Lang::En, false);
    let row = |id: &str, amount: &str| {
        format!("{id},李四,11010519491231002X,alipay,lisi@example.com,13800000002,{amount},,\n")
    };
    type Case = (Vec<u8>, Vec<(&'static str, &'static str)>);
    let cases: Vec<Case> = vec![
        (
            // Neither UTF-8 nor GB18030 (0xFF starts no character in either).
            b"order_id\n\xFF\xFE\n".to_vec(),
            vec![("L2:file", "encoding")],
        ),
        (
            b"order_id,payee_name,amount\nA,B,1\n".to_vec(),
            vec![("L1:id_number", "missing_column")],
        ),
        (
            format!("{head}{}{}", row("A", "-1"), row("B", "0")).into_bytes(),
            vec![("L2:amount", "amount"), ("L3:amount", "amount")],
        ),
        (
            format!("{head}{}", row("A", "1.234")).into_bytes(),
            vec![("L2:amount", "amount")],
        ),
        (
            format!("{head}{}{}", row("A", "1"), row("A", "2")).into_bytes(),
            vec![("L3:order_id", "duplicate")],
        ),
        (vec![b'x'; 10_000_000], vec![("file", "file_too_large")]),
    ];
    for (bytes, expected) in cases {
        let res = upload(bytes).await.unwrap();
        assert_eq!(res.status(), 422);
        let got = field_rules(&json(res).await);
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(f, r)| (f.to_string(), r.to_string()))
            .collect();
        assert_eq!(got, expected);
    }
    assert_eq!(app.count("payment_orders").await, 0);
    assert_eq!(app.count("payment_batches").await, 0);

    // A good file waits for confirmation; confirming reserves what the balance covers, in
    // file order; an order cancelled on its own before confirmation stays cancelled.
    let good = format!(
        "{head}{}{}{}{}",
        row("Z-1", "400"),
        row("A-2", "400"),
        row("C-3", "400"),
        row("B-4", "400")
    );
    let batch = json(upload(good.clone().into_bytes()).await.unwrap()).await;
    assert_eq!(
        (batch["status"].as_str(), batch["order_count"].as_i64()),
        (Some("awaiting_confirmation"), Some(4))
    );
    // Re-uploading the same order_ids is refused, naming the lines.
    let res = upload(good.into_bytes()).await.unwrap();
    assert_eq!(field_rules(&json(res).await).len(), 4);
    assert_eq!(
        app.balances(&ent).await,
        (100_000, 0, 0),
        "nothing reserved before confirmation"
    );
    let listed = |statuses: serde_json::Value| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = statuses["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["order_id"].as_str().unwrap().to_string(),
                    o["status"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let list_args = [
        ("status", ""),
        ("batch", batch["id"].as_str().unwrap()),
        ("cursor", ""),
    ];
    let before = listed(json(app.call_as(&ent.cookie, "list_orders", &list_args).await).await);
    let c3 = json(app.call_as(&ent.cookie, "list_orders", &list_args).await).await["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order_id"] == "C-3")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(before.iter().all(|(_, s)| s == "awaiting_confirmation"));
    let res = app
        .call_as(&ent.cookie, "cancel_order", &[("id", &c3)])
        .await;
    assert_eq!(json(res).await["status"], "cancelled");
    let done = json(
        app.call_as(
            &ent.cookie,
            "decide_batch",
            &[("id", batch["id"].as_str().unwrap()), ("confirm", "true")],
        )
        .await,
    )
    .await;
    assert_eq!(done["status"], "confirmed");
    let orders = json(
        app.call_as(
            &ent.cookie,
            "list_orders",
            &[
                ("status", ""),
                ("batch", batch["id"].as_str().unwrap()),
                ("cursor", ""),
            ],
        )
        .await,
    )
    .await;
    // File order, not order_id order: Z-1 and A-2 fit (4 × 424.00 > 1,000.00), B-4 waits.
    assert_eq!(
        listed(orders),
        vec![
            ("A-2".to_string(), "accepted".to_string()),
            ("B-4".to_string(), "suspended".to_string()),
            ("C-3".to_string(), "cancelled".to_string()),
            ("Z-1".to_string(), "accepted".to_string()),
        ]
    );
    let res = app
        .call_as(
            &ent.cookie,
            "decide_batch",
            &[("id", batch["id"].as_str().unwrap()), ("confirm", "false")],
        )
        .await;
    assert_eq!(res.status(), 409, "decided once");
    app.assert_ledger_clean().await;
}

/// Issue 12: zh-CN Excel saves "CSV (逗号分隔)" as GB18030 without a BOM. Such a statement and
/// such a batch upload as they are, their Chinese intact.
#[tokio::test]
async fn p1_1_5_files_saved_by_zh_cn_excel_upload() {
    let app = spawn_app().await;
    let ops = app.finance().await;
    let ent = app.funded_enterprise(&ops, "编码企业", "").await;
    let gb18030 = |text: &str| {
        let (bytes, _, lossy) = encoding_rs::GB18030.encode(text);
        assert!(!lossy && std::str::from_utf8(&bytes).is_err());
        bytes.into_owned()
    };
    let upload = |path: &'static str, cookie: String, bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("excel.csv"),
        );
        app.client
            .post(app.url(path))
            .header("accept", "application/json")
            .header("cookie", cookie)
            .multipart(form)
            .send()
    };
    let statement = gb18030(&format!(
        "流水号,交易日期,付款户名,付款账号,收款账号,金额\r\nGB-1,2026-11-28,编码企业,6225880012345678,{},500.00\r\n",
        ent.account_no
    ));
    let res = upload("/api/import_statement", ops.clone(), statement)
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["credited"].as_i64(), Some(1));
    let topups = json(app.call_as(&ent.cookie, "list_topups", &[]).await).await;
    assert_eq!(topups[0]["payer_name"], "编码企业");

    let batch = gb18030(&format!(
        "{}GB-O-1,王五,11010519491231002X,bank,6222021234561234,13800000003,12.00,劳务费,项目甲\r\n",
        app::model::orders::batch_template(app::i18n::Lang::ZhCn, false)
    ));
    let res = upload("/api/upload_batch", ent.cookie.clone(), batch)
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let orders = json(
        app.call_as(
            &ent.cookie,
            "list_orders",
            &[("status", ""), ("batch", ""), ("cursor", "")],
        )
        .await,
    )
    .await;
    let order = &orders["orders"][0];
    assert_eq!(
        (order["payee_name"].as_str(), order["project"].as_str()),
        (Some("王五"), Some("项目甲"))
    );
}
