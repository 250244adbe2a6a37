//! Messages of the message centre (消息中心), the unsubscribe page and the console's
//! announcements.

use crate::model::announcement::{AnnouncementKind, AnnouncementStatus};
use crate::model::messages::{Channel, MessageCategory};

crate::messages! {
    pub enum InboxMsg {
        Title => "消息中心", "Messages";
        TabInbox => "站内消息", "Inbox";
        TabPreferences => "通知设置", "Preferences";
        UnreadBadge => "条未读消息", "unread messages";
        Unread => "未读", "Unread";
        MarkRead => "标为已读", "Mark read";
        MarkAllRead => "全部标为已读", "Mark all read";
        Empty => "暂无消息。", "No messages.";
        Category => "类别", "Category";
        CatAnnouncement => "服务公告", "Service announcements";
        CatSecurity => "安全通知", "Security notices";
        CatPrivacy => "个人信息请求", "Privacy requests";
        CatAccount => "账户通知", "Account notices";
        CatFunds => "资金通知", "Funds notices";
        CatTasks => "任务通知", "Task notices";
        CatSupport => "客服消息", "Customer service";
        CatPromotion => "推广消息", "Promotions";
        ChInSite => "站内信", "In-site";
        ChEmail => "邮件", "E-mail";
        ChSms => "短信", "Text message";
        PrefsIntro => "选择每类消息通过哪些渠道发给您。", "Choose the channels each kind of message reaches you on.";
        MandatoryWhy => "服务公告和安全通知关系到您的账户安全和服务的正常使用，无法关闭（隐私政策第七条）。", "Service announcements and security notices concern your account's security and the service itself, so they cannot be turned off (privacy policy, section 7).";
        Locked => "无法关闭", "Always on";
        AllowFirst => "需先同意接收推广消息", "Allow promotions first";
        PromotionsOff => "您尚未同意接收推广消息，任何渠道都不会发送。此开关与隐私中心的“推广消息”用途是同一项设置。", "You have not agreed to promotions, so none is sent on any channel. This switch and the privacy centre's \"Promotions\" purpose are the same setting.";
        PromotionsOn => "您已同意接收推广消息。每封推广邮件都带有一键退订链接。", "You have agreed to promotions. Every promotional e-mail carries a one-click unsubscribe link.";
        AllowPromotions => "同意接收推广消息", "Allow promotions";
        StopPromotions => "不再接收推广消息", "Stop promotions";
        Lang => "邮件和短信的语言", "Language of e-mails and text messages";
        Save => "保存", "Save";
        Saved => "已保存。", "Saved.";
        UnsubTitle => "退订推广消息", "Unsubscribe from promotions";
        UnsubIntro => "确认后，您将不再通过站内信、邮件或短信收到推广消息。服务公告和安全通知不受影响。", "Once you confirm, no promotion will reach you by in-site message, e-mail or text. Service announcements and security notices are not affected.";
        UnsubConfirm => "确认退订", "Unsubscribe";
        UnsubDone => "已退订推广消息。如需重新接收，可在登录后于隐私中心开启。", "You are unsubscribed from promotions. To receive them again, switch them on in the privacy centre after logging in.";
        AnnTitle => "公告", "Announcements";
        AnnIntro => "公告发布时出现在首页，并发送到每位用户的站内信（邮件、短信同时发送），用户无法退订。推广消息不在首页显示，只发给同意接收的用户。", "An announcement appears on the home page when published and reaches every user's inbox (and e-mail and text), with no way to unsubscribe. A promotion is not shown on the home page and reaches only users who allow promotions.";
        AnnNew => "撰写公告", "Write an announcement";
        AnnEdit => "修改", "Edit";
        AnnKind => "类型", "Kind";
        TitleZh => "标题（中文）", "Title (Chinese)";
        TitleEn => "标题（英文）", "Title (English)";
        BodyZh => "正文（中文）", "Text (Chinese)";
        BodyEn => "正文（英文）", "Text (English)";
        PublishAt => "发布时间（北京时间，留空为立即发布）", "Publish at (China time; empty for now)";
        Publish => "发布", "Publish";
        SaveChanges => "保存修改", "Save changes";
        Withdraw => "撤回", "Withdraw";
        Published => "已发布", "Published";
        Scheduled => "待发布", "Scheduled";
        Withdrawn => "已撤回", "Withdrawn";
        Recipients => "送达人数", "Recipients";
        KindService => "服务公告", "Notice";
        KindMaintenance => "维护公告", "Maintenance";
        KindIncident => "安全事件公告", "Incident";
        KindPromotion => "推广消息", "Promotion";
    }
}

pub fn message_category_label(c: MessageCategory) -> InboxMsg {
    match c {
        MessageCategory::Announcement => InboxMsg::CatAnnouncement,
        MessageCategory::Security => InboxMsg::CatSecurity,
        MessageCategory::Account => InboxMsg::CatAccount,
        MessageCategory::Funds => InboxMsg::CatFunds,
        MessageCategory::Promotion => InboxMsg::CatPromotion,
        MessageCategory::Privacy => InboxMsg::CatPrivacy,
        MessageCategory::Tasks => InboxMsg::CatTasks,
        MessageCategory::Support => InboxMsg::CatSupport,
    }
}

pub fn message_channel_label(c: Channel) -> InboxMsg {
    match c {
        Channel::InSite => InboxMsg::ChInSite,
        Channel::Email => InboxMsg::ChEmail,
        Channel::Sms => InboxMsg::ChSms,
    }
}

pub fn announcement_kind_label(k: AnnouncementKind) -> InboxMsg {
    match k {
        AnnouncementKind::Service => InboxMsg::KindService,
        AnnouncementKind::Maintenance => InboxMsg::KindMaintenance,
        AnnouncementKind::Incident => InboxMsg::KindIncident,
        AnnouncementKind::Promotion => InboxMsg::KindPromotion,
    }
}

pub fn announcement_status_label(s: AnnouncementStatus) -> InboxMsg {
    match s {
        AnnouncementStatus::Scheduled => InboxMsg::Scheduled,
        AnnouncementStatus::Published => InboxMsg::Published,
        AnnouncementStatus::Withdrawn => InboxMsg::Withdrawn,
    }
}
