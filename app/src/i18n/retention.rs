//! Messages of the retention page (issue 16 §6, P4.2).

use crate::model::retention::RetentionRule;

crate::messages! {
    pub enum RetentionMsg {
        Title => "数据保存期限", "Retention";
        Intro => "保存期限到期的数据每天 03:00（北京时间）起自动删除或匿名化；处于法律保全的企业的数据不受影响。试运行只统计将被处理的数据，不做任何改动。", "Data whose period is over is deleted or anonymised every day from 03:00 China time; the data of enterprises under a legal hold is left alone. A dry run only counts what a run would do and changes nothing.";
        Rules => "规则与期限", "Rules and periods";
        Rule => "规则", "Rule";
        Period => "期限", "Period";
        Action => "处理", "Action";
        Delete => "删除", "Delete";
        Anonymise => "匿名化", "Anonymise";
        RunNow => "立即执行", "Run now";
        DryRun => "试运行", "Dry run";
        Runs => "执行记录", "Runs";
        When => "时间", "When";
        Kind => "类型", "Kind";
        By => "执行者", "By";
        Counts => "处理条数", "Rows";
        Scheduled => "定时任务", "Schedule";
        RealRun => "执行", "Run";
        NoRuns => "尚无执行记录。", "No runs yet.";
        Failed => "失败", "Failed";
        Holds => "法律保全", "Legal holds";
        HoldsIntro => "对处于争议、诉讼或有关部门调查中的企业设置保全，保全期间其数据不被删除或匿名化。", "Put an enterprise in a dispute, lawsuit or an authority's investigation on hold: while it lasts, its data is not deleted or anonymised.";
        CreditCode => "统一社会信用代码", "Unified social credit code";
        Reason => "理由", "Reason";
        Place => "设置保全", "Place a hold";
        Release => "解除", "Release";
        Enterprise => "企业", "Enterprise";
        PlacedAt => "设置时间", "Placed";
        ReleasedAt => "解除时间", "Released";
        Active => "保全中", "On hold";
        NoHolds => "暂无保全。", "No holds.";
        Held => "因保全保留", "kept (hold)";
        RLoginEvents => "登录记录", "Login events";
        ROutbox => "已发送的消息记录", "Sent message records";
        RInvitations => "已使用或过期的邀请", "Used or expired invitations";
        RVisitorConsents => "访客的 Cookie 选择", "Visitors' cookie choices";
        RAbandonedApplications => "未开户的申请及其文件", "Applications that never opened an account, with their files";
        RClosedAccounts => "已注销企业的登录人员信息", "Login persons of closed enterprises";
        RClosedEnterprises => "已注销企业的申请材料、地址、经营范围与提现账户", "Closed enterprises' application files, address, business scope and withdrawal account";
        ROldPaymentOrders => "超过会计档案期限的付款订单收款人信息", "Payees of orders beyond the accounting period";
        RSupportTranscripts => "关闭已满保存期限的客服工单及对话记录", "Support tickets and their conversations, their period after closing over";
        RCallbackDeliveries => "已送达或已放弃的回调通知记录", "Callback deliveries delivered or given up";
    }
}

crate::templates! {
    pub fn days(n) => "{n} 天", "{n} days";
}

pub fn rule_label(r: RetentionRule) -> RetentionMsg {
    use RetentionMsg as M;
    match r {
        RetentionRule::LoginEvents => M::RLoginEvents,
        RetentionRule::Outbox => M::ROutbox,
        RetentionRule::Invitations => M::RInvitations,
        RetentionRule::VisitorConsents => M::RVisitorConsents,
        RetentionRule::AbandonedApplications => M::RAbandonedApplications,
        RetentionRule::ClosedAccounts => M::RClosedAccounts,
        RetentionRule::ClosedEnterprises => M::RClosedEnterprises,
        RetentionRule::OldPaymentOrders => M::ROldPaymentOrders,
        RetentionRule::SupportTranscripts => M::RSupportTranscripts,
        RetentionRule::CallbackDeliveries => M::RCallbackDeliveries,
    }
}
