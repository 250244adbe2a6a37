//! Messages of the invoice pages (issue 17, P1.1.4): the profile, applications, statistics and
//! finance's queue.

use super::{Lang, Translate};
use crate::model::csv::escape;
use crate::model::invoice::{
    ApplyBlock, InvoiceKind, InvoiceStatus, InvoiceView, Medium, TaxpayerIdState, TaxpayerType,
};

crate::messages! {
    pub enum InvMsg {
        TabInvoices => "发票申请", "Invoices";
        TabProfile => "开票信息", "Invoice profile";
        TabStats => "开票统计", "Statistics";
        ProfileIntro => "发票将按以下信息开具。纳税人识别号按统一社会信用代码规则校验；旧版 15–20 位识别号须经平台审核人员确认后才能开票。开具专票须填写全部信息。", "Invoices are issued to these details. The taxpayer ID is checked as a unified social credit code; an older 15–20 character ID needs a platform reviewer's acceptance before invoices are issued. A special invoice needs every field.";
        TaxpayerType => "纳税人类型", "Taxpayer type";
        Title => "发票抬头", "Invoice title";
        TaxpayerId => "纳税人识别号", "Taxpayer ID";
        RegAddress => "注册地址", "Registered address";
        RegPhone => "注册电话", "Registered phone";
        BankName => "开户银行", "Bank";
        BankAccount => "银行账号", "Bank account";
        MailName => "收件人", "Mailing contact";
        MailPhone => "收件人电话", "Contact phone";
        MailAddress => "邮寄地址", "Mailing address";
        Emails => "接收邮箱（最多 5 个，用逗号分隔）", "Receiving e-mails (up to 5, separated by commas)";
        SaveProfile => "保存开票信息", "Save the profile";
        CodeValid => "统一社会信用代码校验通过。", "The credit code's check character is right.";
        CodeLegacy => "不是有效的统一社会信用代码：保存后须经平台审核人员确认才能开票。", "Not a valid unified social credit code: once saved, a platform reviewer must accept it before invoices are issued.";
        CodeFormat => "纳税人识别号为 15–20 位字母或数字。", "A taxpayer ID is 15–20 letters and digits.";
        IdState => "识别号状态", "ID status";
        ReviewerNote => "审核说明", "Reviewer's note";
        History => "修改记录", "Change history";
        NoHistory => "尚无修改记录。", "No changes yet.";
        Field => "项目", "Field";
        Before => "修改前", "Before";
        After => "修改后", "After";
        When => "时间", "When";
        By => "操作人", "By";
        NoProfile => "尚未填写开票信息。", "No invoice profile yet.";
        Invoiceable => "可开票总额", "Invoiceable total";
        Invoiced => "已开票", "Invoiced";
        BeingInvoiced => "开票中", "Being invoiced";
        NotYetInvoiced => "未开票", "Not yet invoiced";
        OverInvoiced => "超开金额（须红冲）", "Over-invoiced (to reverse)";
        RuleNote => "可开票总额 = 已付款订单金额 + 服务费 − 已退回订单的金额和服务费，由账务数据计算。", "Invoiceable total = paid orders' amounts + their service fees − what returned orders gave back, computed from the ledger.";
        Apply => "申请开票", "Apply for an invoice";
        Amount => "金额（元）", "Amount (¥)";
        Kind => "发票类型", "Invoice type";
        Medium => "发票介质", "Medium";
        Goods => "货物或应税劳务、服务名称", "Goods or service name";
        Remark => "备注", "Remark";
        SplitNote => "超过单张限额的金额将拆分为多张发票：", "An amount above the per-invoice limit is split into several invoices: ";
        Limit => "单张限额", "Per-invoice limit";
        Submit => "提交申请", "Submit";
        Applications => "发票申请记录", "Applications";
        NoApplications => "尚无发票申请。", "No applications yet.";
        Applied => "申请时间", "Applied";
        Status => "状态", "Status";
        Number => "发票号码", "Invoice number";
        Date => "开票日期", "Invoice date";
        Rate => "税率（%）", "Tax rate (%)";
        Price => "金额（不含税）", "Price (excl. tax)";
        Tax => "税额", "Tax";
        Waybill => "快递单号", "Waybill";
        Courier => "快递公司", "Courier";
        Reason => "原因", "Reason";
        Download => "下载发票", "Download";
        Cancel => "取消申请", "Cancel";
        Part => "拆分", "Part";
        BlockedNoProfile => "请先填写开票信息，再申请开票。", "Fill in the invoice profile first, then apply.";
        BlockedPending => "纳税人识别号正在等待平台审核人员确认，确认后即可申请开票。", "The taxpayer ID waits for a platform reviewer's acceptance; you can apply once it is accepted.";
        BlockedRefused => "纳税人识别号被平台退回：请在“开票信息”中更正后重新保存。", "The platform refused the taxpayer ID: correct it under Invoice profile and save again.";
        Month => "月份", "Month";
        MonthlyChart => "每月可开票与已开票金额", "Invoiceable and invoiced by month";
        ChartNote => "柱形：可开票（深色）与已开票（浅色）；已开票按开具月份计，红冲在冲销月份扣减。", "Bars: invoiceable (dark) and invoiced (light); invoiced counts in the month issued, reversals in the month reversed.";
        Queue => "开票队列", "Invoice queue";
        QueueIntro => "等待开具的申请按等待时间排列。开具后申请人会收到通知，并可下载发票。", "Waiting applications, longest waiting first. Once issued, the applicant is told and can download the invoice.";
        Enterprise => "企业", "Enterprise";
        Buyer => "购买方", "Buyer";
        DaysWaiting => "等待天数", "Days waiting";
        StartIssuing => "开始开具", "Start issuing";
        Issue => "开具", "Issue";
        File => "发票文件（PDF、OFD 或 XML）", "Invoice file (PDF, OFD or XML)";
        Reject => "驳回", "Reject";
        Mail => "登记寄出", "Record mailing";
        RedNumber => "红字发票号码", "Red-letter invoice number";
        RedDate => "红字开票日期", "Red-letter date";
        RedReason => "红冲原因", "Reason for reversal";
        RecordRed => "登记红字发票", "Record a red-letter invoice";
        ApproveRed => "审核红冲", "Approve the reversal";
        WithdrawRed => "撤回红字记录", "Withdraw the red letter";
        RedPending => "红字发票待另一位财务人员审核", "Red letter waiting for a second finance operator";
        AllWaiting => "待处理", "Waiting";
        AnyKind => "全部类型", "All types";
        AnyMedium => "全部介质", "All media";
        Filter => "筛选", "Filter";
        TaxpayerIds => "待确认的纳税人识别号", "Taxpayer IDs to accept";
        TaxpayerIdsIntro => "企业在开票信息中填写了不符合统一社会信用代码校验规则的识别号。核对营业执照或税务登记后确认或退回，并写明理由。", "Enterprises entered taxpayer IDs that fail the credit code's check. Check them against the licence or tax registration, then accept or refuse with a reason.";
        NoTaxpayerIds => "没有待确认的识别号。", "No taxpayer IDs wait.";
        CreditCode => "统一社会信用代码", "Unified social credit code";
        Accept => "确认", "Accept";
        Refuse => "退回", "Refuse";
        General => "一般纳税人", "General taxpayer";
        SmallScale => "小规模纳税人", "Small-scale taxpayer";
        Special => "增值税专用发票", "Special VAT invoice";
        Ordinary => "增值税普通发票", "Ordinary VAT invoice";
        Electronic => "数电发票", "Fully digital (数电)";
        Paper => "纸质发票", "Paper";
        Submitted => "已提交", "Submitted";
        Issuing => "开具中", "Being issued";
        Issued => "已开具", "Issued";
        Rejected => "已驳回", "Rejected";
        Mailed => "已寄出", "Mailed";
        Reversed => "已红冲", "Reversed";
        Cancelled => "已取消", "Cancelled";
        IdValid => "校验通过", "Valid";
        IdPending => "待平台确认", "Waiting for the platform";
        IdOverridden => "平台已确认", "Accepted by the platform";
        IdRefused => "平台已退回", "Refused by the platform";
        ExportCsv => "导出 CSV", "Export CSV";
        ExportExcel => "导出 CSV（Excel）", "Export CSV (Excel)";
        CsvHeader => "申请时间(UTC+8),金额(元),发票类型,类型代码,介质,介质代码,货物或服务名称,状态,状态代码,发票号码,开票日期,税率(%),金额(不含税),税额,快递公司,快递单号,原因,红字发票号码", "Applied (UTC+8),Amount (CNY),Type,Type code,Medium,Medium code,Goods or service,Status,Status code,Invoice number,Invoice date,Tax rate (%),Price (excl. tax),Tax,Courier,Waybill,Reason,Red-letter number";
    }
}

pub fn invoice_status_label(s: InvoiceStatus) -> InvMsg {
    match s {
        InvoiceStatus::Submitted => InvMsg::Submitted,
        InvoiceStatus::Issuing => InvMsg::Issuing,
        InvoiceStatus::Issued => InvMsg::Issued,
        InvoiceStatus::Rejected => InvMsg::Rejected,
        InvoiceStatus::Mailed => InvMsg::Mailed,
        InvoiceStatus::Reversed => InvMsg::Reversed,
        InvoiceStatus::Cancelled => InvMsg::Cancelled,
    }
}

pub fn invoice_kind_label(k: InvoiceKind) -> InvMsg {
    match k {
        InvoiceKind::Special => InvMsg::Special,
        InvoiceKind::Ordinary => InvMsg::Ordinary,
    }
}

pub fn medium_label(m: Medium) -> InvMsg {
    match m {
        Medium::Electronic => InvMsg::Electronic,
        Medium::Paper => InvMsg::Paper,
    }
}

pub fn taxpayer_type_label(t: TaxpayerType) -> InvMsg {
    match t {
        TaxpayerType::General => InvMsg::General,
        TaxpayerType::SmallScale => InvMsg::SmallScale,
    }
}

pub fn id_state_label(s: TaxpayerIdState) -> InvMsg {
    match s {
        TaxpayerIdState::Valid => InvMsg::IdValid,
        TaxpayerIdState::Pending => InvMsg::IdPending,
        TaxpayerIdState::Overridden => InvMsg::IdOverridden,
        TaxpayerIdState::Refused => InvMsg::IdRefused,
    }
}

pub fn apply_block_label(b: ApplyBlock) -> InvMsg {
    match b {
        ApplyBlock::NoProfile => InvMsg::BlockedNoProfile,
        ApplyBlock::TaxpayerIdPending => InvMsg::BlockedPending,
        ApplyBlock::TaxpayerIdRefused => InvMsg::BlockedRefused,
    }
}

/// The label of a profile field named in the history.
pub fn profile_field_label(field: &str) -> InvMsg {
    match field {
        "taxpayer_type" => InvMsg::TaxpayerType,
        "title" => InvMsg::Title,
        "taxpayer_id" => InvMsg::TaxpayerId,
        "reg_address" => InvMsg::RegAddress,
        "reg_phone" => InvMsg::RegPhone,
        "bank_name" => InvMsg::BankName,
        "bank_account" => InvMsg::BankAccount,
        "mail_name" => InvMsg::MailName,
        "mail_phone" => InvMsg::MailPhone,
        "mail_address" => InvMsg::MailAddress,
        _ => InvMsg::Emails,
    }
}

/// The enterprise's invoices as CSV (P6.1): labels in `lang` beside stable codes, amounts in
/// yuan. `excel`: the variant Excel opens with the Chinese intact (a byte-order mark, CRLF).
pub fn invoices_csv(rows: &[InvoiceView], lang: Lang, excel: bool) -> String {
    let end = if excel { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(rows.len() * 120 + 200);
    if excel {
        out.push('\u{feff}');
    }
    out.push_str(InvMsg::CsvHeader.text(lang));
    out.push_str(end);
    let opt = |v: &Option<String>| escape(v.as_deref().unwrap_or(""));
    for r in rows {
        let fields = [
            r.applied_at.china_display(),
            r.amount.to_yuan_plain(),
            escape(invoice_kind_label(r.kind).text(lang)),
            r.kind.code().to_string(),
            escape(medium_label(r.medium).text(lang)),
            r.medium.code().to_string(),
            escape(&r.goods),
            escape(invoice_status_label(r.status).text(lang)),
            r.status.code().to_string(),
            opt(&r.number),
            opt(&r.date),
            r.rate.map(|x| x.percent().to_string()).unwrap_or_default(),
            r.price.map(|p| p.to_yuan_plain()).unwrap_or_default(),
            r.tax.map(|t| t.to_yuan_plain()).unwrap_or_default(),
            opt(&r.courier),
            opt(&r.waybill),
            escape(if r.red_reason.is_empty() {
                &r.reason
            } else {
                &r.red_reason
            }),
            opt(&r.red_number),
        ];
        out.push_str(&fields.join(","));
        out.push_str(end);
    }
    out
}
