//! Messages of the task library (issue 18 §1, P1.1.6): the portal's tasks and the reviewers'
//! queue.

use super::{Lang, Translate};
use crate::model::task::completion::CompletionStatus;
use crate::model::task::{PayKind, TaskDecision, TaskStatus, TaskView};
use crate::model::worker::WorkerSource;

crate::messages! {
    pub enum TaskMsg {
        Library => "任务库", "Task library";
        Intro => "发布任务须经平台审核，通过后开放。草稿只需标题，可随时保存；提交审核时须填写全部信息。", "Tasks open once the platform has reviewed them. A draft needs only its title and can be saved at any time; sending it for review needs every field.";
        New => "发布任务", "Publish a task";
        Edit => "编辑任务", "Edit the task";
        Title => "任务名称", "Title";
        Description => "任务说明", "Description";
        Category => "类别", "Category";
        ChooseCategory => "请选择类别", "Choose a category";
        Remote => "远程（不限地点）", "Remote (anywhere)";
        City => "城市", "City";
        PayKind => "计酬方式", "Pay";
        ChoosePay => "请选择计酬方式", "Choose how it is paid";
        UnitPrice => "单价（元）", "Unit price (¥)";
        Units => "预计数量", "Units expected";
        Budget => "预算（元）", "Budget (¥)";
        Workers => "需要人数", "Workers wanted";
        StartsOn => "开始日期", "Start date";
        EndsOn => "结束日期", "End date";
        SaveDraft => "保存草稿", "Save the draft";
        SendForReview => "提交审核", "Send for review";
        Close => "关闭任务", "Close the task";
        Tasks => "我的任务", "Our tasks";
        NoTasks => "还没有任务。", "No tasks yet.";
        Status => "状态", "Status";
        Place => "地点", "Place";
        Dates => "起止日期", "Dates";
        ReviewNote => "审核意见", "Reviewer's note";
        Publisher => "发布人", "Published by";
        Enterprise => "企业", "Enterprise";
        Submitted => "提交时间", "Sent";
        Flags => "敏感词提示", "Flagged terms";
        FlagsNote => "包含配置的敏感词，请重点审核（不会自动处理）。", "Contains configured terms: review with care (nothing is decided automatically).";
        Decision => "审核结论", "Decision";
        Note => "说明", "Note";
        Decide => "提交结论", "Record the decision";
        Queue => "任务审核", "Task review";
        QueueIntro => "待审核的任务，最早提交的在前。驳回或要求修改须说明原因，发布人会收到通知。", "Tasks waiting for review, the oldest first. A rejection or a request for changes needs a reason; the publisher is told.";
        NoQueue => "没有待审核的任务。", "No tasks waiting.";
        Filter => "筛选", "Filter";
        InReviewOnly => "待审核", "Waiting for review";
        Open => "查看", "Open";
        Saved => "已保存。", "Saved.";
        NotEditable => "该任务当前不可修改。", "This task cannot be changed now.";
        Back => "返回任务库", "Back to the task library";
        StDraft => "草稿", "Draft";
        StInReview => "审核中", "In review";
        StChanges => "需修改", "Changes requested";
        StOpen => "已开放", "Open";
        StClosed => "已关闭", "Closed";
        StRejected => "未通过", "Rejected";
        PerUnit => "按件计酬", "Per unit";
        Fixed => "固定预算", "Fixed budget";
        Approve => "通过", "Approve";
        Reject => "驳回", "Reject";
        AskChanges => "要求修改", "Ask for changes";
        Completions => "完成记录", "Completion records";
        CompletionsIntro => "登记工人完成的工作；验收后可将已验收的记录生成付款批次。登记金额合计不能超过任务预算。", "Record the work each worker did; once accepted, the accepted records can be paid as a payment batch. Records may not exceed the task's budget.";
        RecordCompletion => "登记完成记录", "Record a completion";
        Record => "登记", "Record";
        Worker => "工人", "Worker";
        Quantity => "完成数量", "Units done";
        Milestone => "里程碑", "Milestone";
        MilestoneNote => "备注", "Note";
        Work => "完成内容", "Work";
        Amount => "金额", "Amount";
        Accept => "验收", "Accept";
        Withdraw => "撤回", "Withdraw";
        Accepted => "验收时间", "Accepted";
        Payment => "付款", "Payment";
        NotPaid => "未付款", "Not paid";
        PayAccepted => "将已验收记录生成付款批次", "Pay the accepted records as a batch";
        PayIntro => "生成的批次在“付款订单”中确认后才会预留资金并付款（需要资金权限）。", "The batch reserves funds and pays once it is confirmed under Payment orders (the funds permission is needed).";
        BatchMade => "已生成付款批次：", "Payment batch created: ";
        NoCompletions => "还没有完成记录。", "No completions yet.";
        Money => "预算与付款", "Budget and payments";
        RecordedAmt => "已登记", "Recorded";
        AcceptedAmt => "已验收", "Accepted";
        PaidAmt => "已付款", "Paid";
        Reconciled => "与账本一致", "Agrees with the ledger";
        NotReconciled => "与账本不一致，请联系平台客服", "Does not agree with the ledger: contact the platform";
        StRecorded => "待验收", "Recorded";
        StAccepted => "已验收", "Accepted";
        StWithdrawn => "已撤回", "Withdrawn";
        WorkerRegister => "工人名册", "Workers";
        WorkersIntro => "企业付过款或登记过完成记录的工人，按身份证号去重（号码加密保存，列表只显示掩码）。", "The workers this enterprise has paid or recorded work for, one per ID number (numbers are stored encrypted; lists show them masked).";
        NoWorkers => "还没有工人。", "No workers yet.";
        Accounts => "收款账户", "Payout accounts";
        Source => "来源", "From";
        SrcBatch => "批量付款文件", "A batch file";
        SrcCompletion => "完成记录", "A completion record";
        SrcOrder => "付款订单", "A payment order";
        Since => "加入时间", "Since";
    }
}

pub fn completion_status_label(s: CompletionStatus) -> TaskMsg {
    match s {
        CompletionStatus::Recorded => TaskMsg::StRecorded,
        CompletionStatus::Accepted => TaskMsg::StAccepted,
        CompletionStatus::Withdrawn => TaskMsg::StWithdrawn,
    }
}

pub fn worker_source_label(s: WorkerSource) -> TaskMsg {
    match s {
        WorkerSource::Batch => TaskMsg::SrcBatch,
        WorkerSource::Completion => TaskMsg::SrcCompletion,
        WorkerSource::Order => TaskMsg::SrcOrder,
    }
}

pub fn task_status_label(s: TaskStatus) -> TaskMsg {
    match s {
        TaskStatus::Draft => TaskMsg::StDraft,
        TaskStatus::InReview => TaskMsg::StInReview,
        TaskStatus::ChangesRequested => TaskMsg::StChanges,
        TaskStatus::Open => TaskMsg::StOpen,
        TaskStatus::Closed => TaskMsg::StClosed,
        TaskStatus::Rejected => TaskMsg::StRejected,
    }
}

pub fn pay_kind_label(k: PayKind) -> TaskMsg {
    match k {
        PayKind::PerUnit => TaskMsg::PerUnit,
        PayKind::Fixed => TaskMsg::Fixed,
    }
}

pub fn task_decision_label(d: TaskDecision) -> TaskMsg {
    match d {
        TaskDecision::Approve => TaskMsg::Approve,
        TaskDecision::Reject => TaskMsg::Reject,
        TaskDecision::AskChanges => TaskMsg::AskChanges,
    }
}

/// "福州" or "Remote".
pub fn task_place(t: &TaskView, lang: Lang) -> String {
    if t.task.remote {
        TaskMsg::Remote.text(lang).to_string()
    } else {
        t.task.city.clone()
    }
}

/// "¥8.50 × 200 = ¥1,700.00", "¥3,000.00" (or nothing for a draft without pay).
pub fn task_pay(t: &TaskView, lang: Lang) -> String {
    match t.task.pay_kind {
        Some(PayKind::PerUnit) => format!(
            "{} {} × {} = {}",
            TaskMsg::PerUnit.text(lang),
            t.task.unit_price,
            t.task.units,
            t.task.budget
        ),
        Some(PayKind::Fixed) => format!("{} {}", TaskMsg::Fixed.text(lang), t.task.budget),
        None => String::new(),
    }
}
