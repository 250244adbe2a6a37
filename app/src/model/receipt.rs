//! The electronic receipt (电子回单) of a paid order: the same facts on the printable page and
//! in the downloaded file, in the reader's language. It names the payer and the issuing
//! platform, masks the payee's numbers, and carries a verification code the platform checks
//! (console → Funds → Payout channel → Check a receipt).

use crate::i18n::{channel_label, order_status_label, FundMsg, Lang, Translate};
use crate::model::funds::OrderView;
use crate::model::Bilingual;
use serde::{Deserialize, Serialize};

/// A paid order's receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub order: OrderView,
    /// The paying enterprise.
    pub payer: String,
    /// The platform's operator, who issues the receipt (configuration).
    pub issuer: Bilingual,
    /// The verification code (see [`format_code`]).
    pub code: String,
}

/// What the platform finds when it checks a receipt's code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptCheck {
    /// The code belongs to this order: the receipt's facts as the platform holds them.
    Genuine(Box<Receipt>),
    /// No paid order has this reference and code.
    Unknown,
}

/// 80 bits as four groups of five base-32 characters (no 0/1/I/O confusion in Crockford's
/// alphabet): `7K3QD-…`.
pub fn format_code(bytes: &[u8; 10]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(*b);
    }
    let chars: Vec<u8> = (0..16)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize])
        .collect();
    chars
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed: upper case, without spaces or dashes, and the letters people mistake for
/// digits read as those digits (O → 0, I and L → 1), as Crockford's base 32 does.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

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

fn esc(s: &str) -> String {
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
        check = esc(&FundMsg::ReceiptCheckHint.text(lang).replace("{issuer}", r.issuer.get(lang))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_and_typed_back() {
        let code = format_code(&[0xff; 10]);
        assert_eq!(code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        let code = format_code(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(code.len(), 19);
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")),
            code.replace('-', "")
        );
        assert_eq!(normalise_code("o1-il"), "0111");
    }
}
