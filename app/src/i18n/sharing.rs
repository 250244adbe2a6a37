//! Messages of the sharing register and its log in the privacy centre (issue 19; P3.1.3), and
//! the log as CSV.

use super::{data_category_label, Lang, Translate};
use crate::model::csv::escape;
use crate::model::sharing::SharingEvent;

crate::messages! {
    pub enum ShareMsg {
        Title => "数据共享记录", "Who received what";
        Back => "← 隐私中心", "← Privacy centre";
        Intro => "个人信息只在有记录的依据下、按最小必要的范围离开本平台，并以加密方式传输。下表列出可能接收您企业及人员信息的外部接收方，以及每一次提供的记录：时间、接收方、信息类别、涉及的人员和业务单号。", "Personal information leaves the platform only on a recorded basis, no more than needed, and encrypted in transit. Below are the outside recipients that may receive information about your enterprise and its people, and a record of each time it was sent: when, to whom, which kinds of information, whose, and the business reference.";
        Recipients => "接收方", "Recipients";
        Recipient => "接收方", "Recipient";
        Kind => "类型", "Type";
        Purpose => "目的与依据", "Purpose and basis";
        Fields => "信息类别", "Information";
        Region => "所在地区", "Region";
        Agreement => "协议", "Agreement";
        Log => "提供记录", "Log";
        At => "时间", "When";
        Whose => "涉及", "Whose";
        Reference => "业务单号", "Reference";
        TheEnterprise => "本企业", "The enterprise";
        NoEvents => "还没有提供记录。", "Nothing has been sent yet.";
        More => "更早的记录", "Older entries";
        All => "全部", "All";
        Apply => "筛选", "Filter";
        Affiliate => "关联公司", "Affiliate";
        Processor => "受托处理者", "Processor";
        Authority => "国家机关", "Authority";
        EnterpriseSystem => "企业自有系统（开放接口）", "The enterprise's own system (API)";
        CentreLink => "查看数据共享记录：谁在何时收到了哪些信息。", "See who received what, and when.";
        Download => "下载 CSV", "Download CSV";
        DownloadExcel => "下载 CSV（Excel）", "Download CSV (Excel)";
        CsvHeader => "时间(UTC+8),接收方,类型代码,目的代码,依据代码,信息类别,涉及,业务单号", "When (UTC+8),Recipient,Type code,Purpose code,Basis code,Information,Whose,Reference";
    }
}

/// The log as CSV in `lang` (labels beside stable codes); `excel`: with a BOM and CRLF, so
/// Excel opens the Chinese intact.
pub fn sharing_csv(rows: &[SharingEvent], lang: Lang, excel: bool) -> String {
    let end = if excel { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(rows.len() * 120 + 200);
    if excel {
        out.push('\u{feff}');
    }
    out.push_str(ShareMsg::CsvHeader.text(lang));
    out.push_str(end);
    let sep = match lang {
        Lang::ZhCn => "、",
        Lang::En => "; ",
    };
    for r in rows {
        let categories: Vec<&str> = r
            .categories
            .iter()
            .map(|c| data_category_label(*c).text(lang))
            .collect();
        let whose = if r.subject.is_empty() {
            ShareMsg::TheEnterprise.text(lang).to_string()
        } else {
            r.subject.clone()
        };
        let fields = [
            r.at.china_display(),
            escape(r.recipient.get(lang)),
            r.kind.code().to_string(),
            r.purpose.code().to_string(),
            r.basis.code().to_string(),
            escape(&categories.join(sep)),
            escape(&whose),
            // A message's reference is what it was for; a payout's, the order's number.
            match crate::model::outbox::OutboxPurpose::from_code(&r.reference) {
                Some(p) => escape(super::outbox_purpose_label(p).text(lang)),
                None => escape(&r.reference),
            },
        ];
        out.push_str(&fields.join(","));
        out.push_str(end);
    }
    out
}
