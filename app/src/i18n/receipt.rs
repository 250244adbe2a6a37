//! A payment receipt (P1.1.5) as the payer reads it: its lines, and a self-contained HTML file.

use crate::i18n::{channel_label, order_status_label, FundMsg, Lang, Translate};
use crate::model::receipt::Receipt;

/// The lines of a receipt, label and value, in `lang`.
pub fn lines(r: &Receipt, lang: Lang) -> Vec<(&'static str, String)> {
    let o = &r.order;
    let text = |m: FundMsg| m.text(lang);
    vec![
        (text(FundMsg::ReceiptPayer), r.payer.clone()),
        (text(FundMsg::ReceiptIssuer), r.issuer.get(lang).to_string()),
        (text(FundMsg::PayeeName), o.payee_name.clone()),
        (text(FundMsg::IdNumber), o.id_masked.clone()),
        (
            text(FundMsg::Channel),
            channel_label(o.channel).text(lang).to_string(),
        ),
        (text(FundMsg::Account), o.account_masked.clone()),
        (text(FundMsg::Amount), o.charges.amount.to_string()),
        (text(FundMsg::Fee), o.charges.fee.to_string()),
        (text(FundMsg::Tax), o.charges.tax.to_string()),
        (text(FundMsg::Received), o.charges.received.to_string()),
        (text(FundMsg::OrderId), o.order_id.clone()),
        (text(FundMsg::PlatformRef), o.id.clone()),
        (
            text(FundMsg::ChannelRef),
            o.channel_ref.clone().unwrap_or_default(),
        ),
        (
            text(FundMsg::PaidAt),
            o.paid_at.map(|t| t.china_display()).unwrap_or_default(),
        ),
        // A payment the payee's bank sent back says so (its receipt stays valid as a record).
        (
            text(FundMsg::Status),
            order_status_label(o.status).text(lang).to_string(),
        ),
        (text(FundMsg::ReceiptCode), r.code.clone()),
    ]
}

/// Escapes text for HTML written by hand (standalone files).
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A self-contained HTML file of the receipt (no scripts, no outside resources).
pub fn standalone_html(r: &Receipt, lang: Lang) -> String {
    let rows: String = lines(r, lang)
        .into_iter()
        .map(|(label, v)| format!("<tr><th>{}</th><td>{}</td></tr>", esc(label), esc(&v)))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{title} {id}</title>\
         <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}th,td{{border:1px solid #999;padding:.4em .8em;text-align:left}}p{{color:#555}}</style>\
         </head><body><h1>{title}</h1><table><tbody>{rows}</tbody></table><p>{check}</p></body></html>",
        code = lang.code(),
        title = esc(FundMsg::Receipt.text(lang)),
        id = esc(&r.order.order_id),
        check = esc(&crate::i18n::text::receipt_check_hint(lang, r.issuer.get(lang))),
    )
}
