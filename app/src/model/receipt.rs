//! The electronic receipt (电子回单) of a paid order: the same facts on the printable page and
//! in the downloaded file. The payee's numbers are masked.

use crate::model::funds::{Channel, OrderView};

/// The lines of a receipt, label (zh / en) and value.
pub fn lines(o: &OrderView) -> Vec<(&'static str, &'static str, String)> {
    let channel = match o.channel {
        Channel::Bank => "银行卡 Bank card",
        Channel::Alipay => "支付宝 Alipay",
        Channel::Wechat => "微信 WeChat",
    };
    vec![
        ("商户订单号", "Order ID", o.order_id.clone()),
        (
            "交易流水号",
            "Transaction reference",
            o.channel_ref.clone().unwrap_or_default(),
        ),
        ("收款人", "Payee", o.payee_name.clone()),
        ("身份证号", "ID number", o.id_masked.clone()),
        ("收款渠道", "Channel", channel.to_string()),
        ("收款账号", "Account", o.account_masked.clone()),
        ("付款金额", "Amount", o.charges.amount.to_string()),
        ("服务费", "Service fee", o.charges.fee.to_string()),
        ("代扣税费", "Tax withheld", o.charges.tax.to_string()),
        (
            "实收金额",
            "Amount received",
            o.charges.received.to_string(),
        ),
        (
            "付款时间",
            "Paid at",
            o.paid_at.map(|t| t.china_display()).unwrap_or_default(),
        ),
    ]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A self-contained HTML file of the receipt (no scripts, no outside resources).
pub fn standalone_html(o: &OrderView, operator: &str) -> String {
    let rows: String = lines(o)
        .into_iter()
        .map(|(zh, en, v)| {
            format!(
                "<tr><th>{zh} <small>{en}</small></th><td>{}</td></tr>",
                esc(&v)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>电子回单 {id}</title>\
         <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}th,td{{border:1px solid #999;padding:.4em .8em;text-align:left}}small{{color:#666}}</style>\
         </head><body><h1>电子回单 <small>Payment receipt</small></h1><p>{op}</p><table><tbody>{rows}</tbody></table></body></html>",
        id = esc(&o.order_id),
        op = esc(operator),
    )
}
