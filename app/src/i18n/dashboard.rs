//! The dashboards' words: each queue's name, and how long its oldest item has waited.

use crate::i18n::{Lang, Translate};
use crate::model::dashboard::{Age, Queue};

crate::messages! {
    pub enum DashMsg {
        Applications => "待审核的开户申请", "Applications to review";
        UnmatchedCredits => "待匹配的入账", "Credits to match";
        CreditsToCheck => "待复核的大额入账", "Large credits to approve";
        TransfersToApprove => "待审批的转出", "Transfers to approve";
        OutboxFailed => "发送失败的消息", "Messages that could not be sent";
        RightsRequests => "待答复的个人信息请求", "Privacy requests to answer";
        InvoicesToIssue => "待开具的发票", "Invoices to issue";
        RedLettersToApprove => "待审核的红字发票", "Red letters to approve";
        TaxpayerIds => "待审核的纳税人识别号", "Taxpayer IDs to review";
        MyInvoicesWaiting => "平台处理中的发票申请", "Invoice applications in progress";
        TasksToReview => "待审核的任务", "Tasks to review";
        TicketsWaiting => "待处理的客服工单", "Support tickets waiting";
        TasksToChange => "需修改的任务", "Tasks to change";
        BatchesToConfirm => "待确认的付款批次", "Payment batches to confirm";
        SuspendedOrders => "已挂起的付款订单", "Suspended payment orders";
        MyTransfersWaiting => "平台处理中的转出", "Transfers the platform is handling";
        OpenInvites => "待接受的邀请", "Invitations not yet accepted";
        Queues => "待办", "To do";
        NothingWaiting => "暂无待办", "Nothing waiting";
        Open => "前往处理", "Open";
        RecentOrders => "最近的付款订单", "Recent payment orders";
        NoOrders => "还没有付款订单。", "No payment orders yet.";
        Notices => "平台公告", "Platform notices";
        NoNotices => "暂无公告。", "No notices.";
    }
}

pub fn queue_label(q: Queue) -> DashMsg {
    match q {
        Queue::Applications => DashMsg::Applications,
        Queue::UnmatchedCredits => DashMsg::UnmatchedCredits,
        Queue::CreditsToCheck => DashMsg::CreditsToCheck,
        Queue::TransfersToApprove => DashMsg::TransfersToApprove,
        Queue::OutboxFailed => DashMsg::OutboxFailed,
        Queue::RightsRequests => DashMsg::RightsRequests,
        Queue::InvoicesToIssue => DashMsg::InvoicesToIssue,
        Queue::RedLettersToApprove => DashMsg::RedLettersToApprove,
        Queue::TaxpayerIds => DashMsg::TaxpayerIds,
        Queue::MyInvoicesWaiting => DashMsg::MyInvoicesWaiting,
        Queue::TasksToReview => DashMsg::TasksToReview,
        Queue::TicketsWaiting => DashMsg::TicketsWaiting,
        Queue::TasksToChange => DashMsg::TasksToChange,
        Queue::BatchesToConfirm => DashMsg::BatchesToConfirm,
        Queue::SuspendedOrders => DashMsg::SuspendedOrders,
        Queue::MyTransfersWaiting => DashMsg::MyTransfersWaiting,
        Queue::OpenInvites => DashMsg::OpenInvites,
    }
}

/// "Oldest: 3 days" (typed: the number cannot be left out).
pub fn oldest_text(age: Age, lang: Lang) -> String {
    match (lang, age) {
        (Lang::ZhCn, Age::Minutes(n)) => format!("最早一项已等待 {n} 分钟"),
        (Lang::ZhCn, Age::Hours(n)) => format!("最早一项已等待 {n} 小时"),
        (Lang::ZhCn, Age::Days(n)) => format!("最早一项已等待 {n} 天"),
        (Lang::En, Age::Minutes(n)) => format!("Oldest waiting {n} min"),
        (Lang::En, Age::Hours(1)) => "Oldest waiting 1 hour".to_string(),
        (Lang::En, Age::Hours(n)) => format!("Oldest waiting {n} hours"),
        (Lang::En, Age::Days(1)) => "Oldest waiting 1 day".to_string(),
        (Lang::En, Age::Days(n)) => format!("Oldest waiting {n} days"),
    }
}

/// The accessible name of a tile's link: "Applications to review: 3".
pub fn tile_name(q: Queue, count: i64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{}：{count}", queue_label(q).text(lang)),
        Lang::En => format!("{}: {count}", queue_label(q).text(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally_in_both_languages() {
        assert_eq!(oldest_text(Age::Days(3), Lang::ZhCn), "最早一项已等待 3 天");
        assert_eq!(oldest_text(Age::Days(1), Lang::En), "Oldest waiting 1 day");
        assert_eq!(
            oldest_text(Age::Hours(5), Lang::En),
            "Oldest waiting 5 hours"
        );
        assert_eq!(
            tile_name(Queue::Applications, 2, Lang::En),
            "Applications to review: 2"
        );
    }
}
