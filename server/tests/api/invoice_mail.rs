//! Issue 17 (P1.1.4): an electronic invoice is e-mailed with its file attached to the receiving
//! addresses of its application, over a real SMTP conversation; a paper one is not; a file
//! that is gone by the time of sending fails its message for good rather than sending it bare.

use crate::delivery::{app_with_smtp, smtp_server};
use crate::helpers::json;
use crate::invoice_helpers::{
    apply_form, call, issue, number, paying_enterprise, profile_form, save_profile,
};
use base64::Engine;

/// An invoice file with bytes of every value, so that the attachment's encoding is tested.
/// (An all-ASCII file with bare line feeds is checked too: sent as 7bit text, SMTP would change
/// its line ends.)
fn invoice_pdf() -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
    pdf.extend_from_slice(b"\n%%EOF\n");
    pdf
}

/// The attachment named `name` in the raw message `mail`: its headers and its decoded bytes.
fn attachment(mail: &str, name: &str) -> Option<(String, Vec<u8>)> {
    // Long names are split by RFC 2231 (`filename*0="…"`).
    let at = mail.find(&format!("=\"{name}\""))?;
    let start = mail[..at].rfind("\n--")? + 1;
    let part = &mail[start..];
    let (head, rest) = part.split_once("\n\n")?;
    let body: String = rest
        .lines()
        .take_while(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .concat();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .ok()?;
    Some((head.to_string(), bytes))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_4_an_electronic_invoice_is_emailed_with_its_file_to_the_receiving_addresses() {
    let server = smtp_server(0, false).await;
    let app = app_with_smtp(&server).await;
    let ops = app.finance().await;
    let ent = paying_enterprise(&app, &ops, "收票企业", &["100"]).await;
    save_profile(&app, &ent.cookie, &profile_form("收票企业")).await;
    let mut ids = Vec::new();
    let forms = [
        ("50", "electronic", "m1"),
        ("20", "paper", "m2"),
        ("10", "electronic", "m3"),
    ];
    for (amount, medium, key) in forms {
        let form = apply_form(amount, "ordinary", medium, key);
        let res = call(&app, &ent.cookie, "apply_invoice", &form).await;
        ids.push(json(res).await[0]["id"].as_str().unwrap().to_string());
    }
    let (electronic, paper) = (&ids[0], &ids[1]);
    app.deliver_all().await;
    let before = server.received.lock().unwrap().len();

    let pdf = invoice_pdf();
    let ascii = crate::invoice_helpers::PDF;
    for (id, n, file) in [
        (electronic, 1, &pdf[..]),
        (paper, 2, &pdf),
        (&ids[2], 3, ascii),
    ] {
        call(&app, &ops, "start_invoice", &[("id", id.clone())]).await;
        let res = issue(&app, &ops, id, &number(n), file).await;
        assert!(res.status().is_success(), "issue: {}", res.status());
    }
    app.deliver_all().await;
    let received: Vec<String> = server.received.lock().unwrap()[before..].to_vec();
    let name = format!("invoice-{}.pdf", number(1));
    let with_file: Vec<&String> = received
        .iter()
        .filter(|m| attachment(m, &name).is_some())
        .collect();
    // One e-mail to each receiving address, each with the file byte for byte.
    assert_eq!(with_file.len(), 2, "{received:#?}");
    for to in ["ap@example.com", "cfo@example.com"] {
        let mail = with_file
            .iter()
            .find(|m| m.contains(&format!("To: {to}")))
            .unwrap_or_else(|| panic!("the invoice to {to}"));
        assert!(mail.contains("multipart/mixed"), "{mail}");
        assert!(mail.contains("multipart/alternative"), "{mail}");
        let (head, bytes) = attachment(mail, &name).expect("the attachment");
        assert!(head.contains("application/pdf"), "{head}");
        assert!(head.contains("attachment"), "{head}");
        assert_eq!(bytes, pdf);
    }
    // An all-ASCII file with bare line feeds arrives unchanged too (base64, not 7bit text).
    let small = format!("invoice-{}.pdf", number(3));
    let mail = received
        .iter()
        .find(|m| m.contains("To: ap@example.com") && attachment(m, &small).is_some())
        .expect("the small invoice");
    assert_eq!(attachment(mail, &small).unwrap().1, ascii);
    // The paper invoice's file is not e-mailed (it goes by courier).
    let paper_name = format!("invoice-{}.pdf", number(2));
    assert!(!received.iter().any(|m| m.contains(&paper_name)));

    // The outbox lists them (receivers masked) as electronic invoices; the applicant is told
    // how many addresses received the file.
    let list = json(app.call_as(&ops, "list_outbox", &[]).await).await;
    let files: Vec<&serde_json::Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["purpose"] == "invoice_file")
        .collect();
    assert_eq!(files.len(), 4);
    assert!(files.iter().all(|m| m["status"] == "sent"));
    assert!(files
        .iter()
        .all(|m| !m["recipient_masked"].as_str().unwrap().contains("ap@")));
    let inbox = json(app.call_as(&ent.cookie, "my_inbox", &[]).await).await;
    assert!(
        inbox.to_string().contains("发票文件已发送至 2 个收票邮箱"),
        "the applicant is told: {inbox}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_1_4_an_invoice_whose_file_is_gone_is_not_sent_without_it() {
    let server = smtp_server(0, false).await;
    let app = app_with_smtp(&server).await;
    let ops = app.finance().await;
    let ent = paying_enterprise(&app, &ops, "缺文件企业", &["100"]).await;
    save_profile(&app, &ent.cookie, &profile_form("缺文件企业")).await;
    let res = call(
        &app,
        &ent.cookie,
        "apply_invoice",
        &apply_form("10", "ordinary", "electronic", "g1"),
    )
    .await;
    let id = json(res).await[0]["id"].as_str().unwrap().to_string();
    app.deliver_all().await;
    call(&app, &ops, "start_invoice", &[("id", id.clone())]).await;
    assert!(issue(&app, &ops, &id, &number(7), &invoice_pdf())
        .await
        .status()
        .is_success());
    // The stored file disappears before the worker sends (a damaged store).
    let key: String = sqlx::query_scalar("SELECT file_key FROM invoice_applications WHERE id = $1")
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    app.state.files.delete(&key).unwrap();
    let before = server.received.lock().unwrap().len();
    app.deliver_all().await;
    let received: Vec<String> = server.received.lock().unwrap()[before..].to_vec();
    assert!(!received
        .iter()
        .any(|m| m.contains("ap@example.com") && m.contains("invoice-")));
    let list = json(app.call_as(&ops, "list_outbox", &[]).await).await;
    let dead: Vec<&serde_json::Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["purpose"] == "invoice_file")
        .collect();
    assert_eq!(dead.len(), 2);
    for m in dead {
        assert_eq!(m["status"], "dead", "{m}");
        assert!(
            m["last_error"]
                .as_str()
                .unwrap()
                .contains("no longer stored"),
            "{m}"
        );
    }
}
