//! Messages of the sharing register and its log in the privacy centre (issue 19; P3.1.3), and
//! the log as CSV.

use super::{data_category_label, Lang, Translate};
use crate::model::csv::escape;
use crate::model::disclosure::{DisclosureGround, DisclosureStatus};
use crate::model::sharing::{RecipientKind, SharingEvent};

pub fn recipient_kind_label(k: RecipientKind) -> ShareMsg {
    match k {
        RecipientKind::Affiliate => ShareMsg::Affiliate,
        RecipientKind::Processor => ShareMsg::Processor,
        RecipientKind::Authority => ShareMsg::Authority,
        RecipientKind::EnterpriseSystem => ShareMsg::EnterpriseSystem,
        RecipientKind::Successor => ShareMsg::Successor,
    }
}

/// The kinds of information, joined.
pub fn categories_text(cs: &[crate::model::data_map::Category], lang: Lang) -> String {
    let sep = match lang {
        Lang::ZhCn => "、",
        Lang::En => ", ",
    };
    cs.iter()
        .map(|c| data_category_label(*c).text(lang))
        .collect::<Vec<_>>()
        .join(sep)
}

pub fn succession_kind_label(k: crate::model::succession::SuccessionKind) -> ShareMsg {
    use crate::model::succession::SuccessionKind as K;
    match k {
        K::Merger => ShareMsg::KMerger,
        K::Acquisition => ShareMsg::KAcquisition,
        K::Bankruptcy => ShareMsg::KBankruptcy,
        K::AssetTransfer => ShareMsg::KAssetTransfer,
    }
}

pub fn succession_basis_label(b: crate::model::succession::SuccessionBasis) -> ShareMsg {
    use crate::model::succession::SuccessionBasis as B;
    match b {
        B::Bound => ShareMsg::BBound,
        B::Reconsent => ShareMsg::BReconsent,
        B::Law => ShareMsg::BLaw,
    }
}

/// The label of a disclosure's ground (the policy's exceptions, P3.4).
pub fn disclosure_ground_label(g: DisclosureGround) -> ShareMsg {
    use DisclosureGround as G;
    match g {
        G::NationalSecurity => ShareMsg::GNationalSecurity,
        G::PublicSafety => ShareMsg::GPublicSafety,
        G::CriminalJustice => ShareMsg::GCriminalJustice,
        G::VitalInterests => ShareMsg::GVitalInterests,
        G::SelfPublished => ShareMsg::GSelfPublished,
        G::LawfullyPublic => ShareMsg::GLawfullyPublic,
        G::LegalDuty => ShareMsg::GLegalDuty,
    }
}

pub fn disclosure_status_label(s: DisclosureStatus) -> ShareMsg {
    match s {
        DisclosureStatus::Pending => ShareMsg::SPending,
        DisclosureStatus::Approved => ShareMsg::SApproved,
        DisclosureStatus::Rejected => ShareMsg::SRejected,
    }
}

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
        Deidentified => "去标识化", "De-identified";
        NoEvents => "还没有提供记录。", "Nothing has been sent yet.";
        More => "更早的记录", "Older entries";
        All => "全部", "All";
        Apply => "筛选", "Filter";
        Affiliate => "关联公司", "Affiliate";
        Processor => "受托处理者", "Processor";
        Authority => "国家机关", "Authority";
        EnterpriseSystem => "企业自有系统（开放接口）", "The enterprise's own system (API)";
        Successor => "承继方", "Successor";
        // Transfers in a merger, an acquisition, a bankruptcy (P3.2).
        TransfersTitle => "信息转让", "Transfers";
        TransfersIntro => "运营方合并、收购、破产清算或资产转让涉及个人信息转让时，在此登记承继方、情形、依据、生效日期和涉及的企业。登记即把承继方写入共享登记和相关企业的数据共享记录，并通过消息中心告知每一位受影响的登录人员。", "When the operator's merger, acquisition, bankruptcy or asset transfer moves personal information, record here the successor, what happens, the basis, the date and the enterprises affected. Recording enters the successor in the register and in each affected enterprise's sharing log, and tells every affected login person through the messages capability.";
        SuccessorName => "承继方名称", "Successor's name";
        TransferKind => "情形", "What happens";
        TransferBasis => "依据", "Basis";
        EffectiveOn => "生效日期", "Takes effect on";
        Everyone => "涉及全部企业", "Every enterprise is affected";
        Enterprises => "涉及企业的统一社会信用代码（每行一个）", "Affected enterprises' credit codes (one per line)";
        SummaryZh => "告知内容（中文）", "What people are told (Chinese)";
        SummaryEn => "告知内容（英文）", "What people are told (English)";
        RecordTransfer => "登记并告知", "Record and tell";
        NewTransfer => "登记一次信息转让", "Record a transfer";
        NoTransfers => "还没有登记的信息转让。", "No transfers are recorded.";
        TransferRecorded => "已登记，已告知的人数：", "Recorded; people told:";
        AffectedCount => "企业 / 人员", "Enterprises / people";
        KMerger => "合并", "Merger";
        KAcquisition => "收购", "Acquisition";
        KBankruptcy => "破产清算", "Bankruptcy";
        KAssetTransfer => "资产转让", "Asset transfer";
        BBound => "承继方继续受本隐私政策约束", "The successor is bound by this privacy policy";
        BReconsent => "承继方须重新征求您的同意", "The successor must ask for your consent again";
        BLaw => "法律法规或强制性要求", "Required by law or a mandatory order";
        CentreLink => "查看数据共享记录：谁在何时收到了哪些信息。", "See who received what, and when.";
        Download => "下载 CSV", "Download CSV";
        DownloadExcel => "下载 CSV（Excel）", "Download CSV (Excel)";
        // The console's register (privacy officers).
        RegisterTitle => "共享登记", "Sharing register";
        RegisterIntro => "登记所有可能接收个人信息的外部接收方：目的与依据、可接收的数据清单字段、所在地区（须与存储地区一致）、协议和有效期。平台只按登记的字段向接收方提供信息；接收方的目的不能更改，新目的须登记新的接收方。", "Every outside recipient of personal information is registered: its purpose and basis, the data map's fields it may receive, its region (which must be the storage region), its agreement and when it is active. The platform sends a recipient only its registered fields; a recipient's purpose never changes — a new purpose is a new recipient.";
        StorageRegion => "存储地区", "Storage region";
        Code => "代码", "Code";
        NameZh => "名称（中文）", "Name (Chinese)";
        NameEn => "名称（英文）", "Name (English)";
        FieldList => "可接收的字段（表名.字段名，每行一个）", "Fields it may receive (table.column, one per line)";
        MapFields => "数据清单中的字段", "The data map's fields";
        ActiveFrom => "生效日期", "Active from";
        ActiveTo => "终止日期（可选）", "Active until (optional)";
        Active => "有效期", "Active";
        Open => "长期", "open-ended";
        PerDemand => "按每次调取的文书", "As each demand names";
        Change => "修改", "Change";
        AddRecipient => "登记接收方", "Register a recipient";
        ChangeRecipient => "修改接收方", "Change the recipient";
        Save => "保存", "Save";
        BackToRegister => "← 共享登记", "← Sharing register";
        // Lawful disclosures.
        DisclosuresTitle => "合法披露", "Lawful disclosures";
        DisclosuresIntro => "国家机关依法调取信息时，由一名隐私官登记：机关、情形、法律依据、文书编号、字段和涉及的企业或人员、提供时间，以及是否告知当事人（法律可能禁止告知，须写明理由）。须由另一名隐私官复核批准；告知的披露会写入企业的数据共享记录并通知其管理员和相关人员。", "When an authority demands information by law, one privacy officer records it: the authority, the ground, the law, the document, the fields and whose, when it was handed over, and whether the subject is told (the law may forbid it: the reason is written down). A second privacy officer approves it; a disclosure the subject is told of enters the enterprise's sharing log and is sent to its admins and the person named.";
        Ground => "情形", "Ground";
        LegalBasis => "法律依据", "Legal basis";
        DocumentRef => "文书编号", "Document reference";
        CreditCode => "企业统一社会信用代码", "Enterprise's credit code";
        PersonMobile => "涉及的登录人员手机号（可选）", "Login person's mobile (optional)";
        DisclosedAt => "提供时间", "Handed over at";
        Tell => "是否告知当事人", "Tell the subject";
        TellYes => "告知", "Tell them";
        TellNo => "不告知", "Do not tell";
        TellReason => "理由（不告知时必填）", "Reason (required when not telling)";
        Subject => "涉及", "Whose";
        Told => "告知", "Told";
        Status => "状态", "Status";
        RecordedBy => "登记 / 复核", "Recorded / decided by";
        Record => "登记披露", "Record the disclosure";
        NewDisclosure => "登记一次合法披露", "Record a lawful disclosure";
        SecondApprove => "复核批准", "Approve (second officer)";
        NoDisclosures => "还没有登记的披露。", "No disclosures are recorded.";
        Recorded => "已登记，等待另一名隐私官复核。", "Recorded: a second privacy officer approves it next.";
        GNationalSecurity => "国家安全、国防安全", "National security or defence";
        GPublicSafety => "公共安全、公共卫生、重大公共利益", "Public safety, public health, a major public interest";
        GCriminalJustice => "犯罪侦查、起诉、审判和判决执行", "Criminal investigation, prosecution, trial or enforcement";
        GVitalInterests => "保护生命、财产等重大合法权益", "Protecting life, property or other vital interests";
        GSelfPublished => "当事人自行公开的信息", "Information the person made public";
        GLawfullyPublic => "合法公开的信息", "Information from lawfully public sources";
        GLegalDuty => "履行法定职责或法定义务", "A statutory duty or obligation";
        SPending => "待复核", "Awaiting approval";
        SApproved => "已批准", "Approved";
        SRejected => "已拒绝", "Refused";
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
