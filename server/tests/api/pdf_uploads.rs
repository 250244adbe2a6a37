//! P1.1.1, issue 14 (hardening): uploaded PDFs are parsed in a helper process with limits (`server strip-pdf`,
//! `backend/files/pdf_helper.rs`). Crafted files that would overflow the parser's stack or
//! exhaust its memory are refused as damaged, and the server goes on serving.

use crate::applications::upload;
use crate::helpers::{field_rules, json, spawn_app};
use std::io::Write;

/// A PDF whose one object is `depth` nested arrays.
fn deep_pdf(depth: usize) -> Vec<u8> {
    let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let mut out = b"%PDF-1.7\n".to_vec();
    let at = out.len();
    out.extend_from_slice(format!("1 0 obj\n<< /Type /Catalog /X {body} >>\nendobj\n").as_bytes());
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 2\n0000000000 65535 f \n{at:010} 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n")
            .as_bytes(),
    );
    out
}

/// A PDF whose object stream inflates to about `mib` MiB of spaces from a small upload: the
/// deflate data of one MiB, flushed to a byte boundary, repeated.
fn bomb_pdf(mib: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&[b' '; 1 << 20]).unwrap();
    z.flush().unwrap();
    let first = z.get_ref().clone();
    z.write_all(&[b' '; 1 << 20]).unwrap();
    z.flush().unwrap();
    let chunk = z.get_ref()[first.len()..].to_vec();
    let mut data = first;
    for _ in 1..mib {
        data.extend_from_slice(&chunk);
    }
    let mut out = b"%PDF-1.7\n".to_vec();
    let at1 = out.len();
    out.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 3 0 R >>\nendobj\n");
    let at2 = out.len();
    out.extend_from_slice(
        format!(
            "2 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
            data.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 3\n0000000000 65535 f \n{at1:010} 00000 n \n{at2:010} 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n")
            .as_bytes(),
    );
    out
}

#[tokio::test]
async fn p1_1_1_crafted_pdfs_are_refused_and_the_server_goes_on() {
    let app = spawn_app().await;
    let me = app.register_unique().await;
    let deep = deep_pdf(1_000_000);
    let bomb = bomb_pdf(1_024);
    assert!(bomb.len() < 2 << 20, "a small upload: {} bytes", bomb.len());
    // The parser's stack overflows in the helper: refused as damaged.
    let res = upload(&app, &me, "licence", "deep.pdf", deep, "application/pdf").await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        field_rules(&json(res).await),
        vec![("file".to_string(), "file_damaged".to_string())]
    );
    // A gigabyte of inflation stops at the helper's heap limit (the parser then keeps what it
    // had, here nothing of use): answered at once, whether kept or refused.
    let started = std::time::Instant::now();
    let res = upload(&app, &me, "licence", "bomb.pdf", bomb, "application/pdf").await;
    assert!(
        matches!(res.status().as_u16(), 200 | 422),
        "{}",
        res.status()
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // The server is still up, and an ordinary PDF still goes through the helper.
    assert_eq!(app.get("/healthz").await.status(), 200);
    let scan = app::backend::files::pdf::sample_with_metadata();
    let pdf = json(upload(&app, &me, "licence", "执照.pdf", scan, "application/pdf").await).await;
    assert_eq!(pdf["kind"], "pdf", "{pdf}");
}
