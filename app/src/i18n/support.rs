//! Messages of customer service (issue 18 §3, P1.1.7): the portal's tickets and the console's
//! queue, thread, verification and account panel.

use crate::model::support::{SystemNote, TicketCategory, TicketStatus, VerifyMethod};

crate::messages! {
    pub enum SupportMsg {
        Title => "客户服务", "Customer service";
        Intro => "有问题请提交工单，客服会在工作时间内尽快回复；回复会发送到您的消息中心。", "Open a ticket and support will answer as soon as they can; replies reach your message centre.";
        New => "提交工单", "Open a ticket";
        Category => "问题类别", "Category";
        ChooseCategory => "请选择类别", "Choose a category";
        Subject => "主题", "Subject";
        Body => "问题描述", "Describe the problem";
        Send => "提交", "Send";
        Tickets => "我的工单", "Our tickets";
        NoTickets => "还没有工单。", "No tickets yet.";
        Status => "状态", "Status";
        Opened => "提交时间", "Opened";
        OpenedBy => "提交人", "Opened by";
        Updated => "最近更新", "Last update";
        Back => "返回工单列表", "Back to the tickets";
        Thread => "对话记录", "Conversation";
        Reply => "回复", "Reply";
        SendReply => "发送回复", "Send the reply";
        Attach => "上传附件", "Attach a file";
        AttachHint => "JPEG、PNG 或 PDF，不超过 10 MB；图片和文档中的元数据会被去除。", "JPEG, PNG or PDF, up to 10 MB; metadata is removed from images and documents.";
        CloseTicket => "关闭工单", "Close the ticket";
        Closed => "工单已关闭，不能再回复。", "The ticket is closed: no more replies.";
        RateTitle => "评价本次服务", "Rate the service";
        Rating => "满意度（1–5）", "Satisfaction (1–5)";
        RatingNote => "意见（可选）", "Comments (optional)";
        Rate => "提交评价", "Send the rating";
        Rated => "您的评价", "Your rating";
        Verification => "身份验证", "Identity check";
        VNotRequested => "未要求验证", "Not asked";
        VRequested => "待客户验证", "Waiting for the customer";
        VVerified => "已验证", "Verified";
        VerifyAskedPortal => "客服请求确认您的身份后才能查看您的账户信息。如确为本人提交，请点击下方按钮。", "Support asks you to confirm who you are before they look at your account. If you opened this ticket, press the button below.";
        VerifyAskedCode => "客服请求验证您的身份后才能查看您的账户信息。请输入发送到注册手机的验证码。", "Support asks you to confirm who you are before they look at your account. Enter the code sent to your registered mobile.";
        ConfirmItsMe => "确认是我本人", "Confirm it's me";
        Code => "验证码", "Code";
        SubmitCode => "验证", "Verify";
        VerifiedNote => "身份已验证：客服可以查看账户信息（每次查看都有记录）。", "Identity verified: support may look at the account (every look is recorded).";
        OnlyOpener => "客服已请求验证身份，需由提交该工单的人完成。", "Support asked for an identity check, which the person who opened the ticket must give.";
        Live => "新回复会自动显示。", "New replies appear by themselves.";
        System => "系统", "System";
        You => "客户", "Customer";
        Attachment => "附件", "Attachment";
        Queue => "客服工单", "Support tickets";
        QueueIntro => "逾期的工单排在最前，其次是等待我们处理的工单。", "Overdue tickets come first, then those waiting for us.";
        Targets => "时效目标", "Targets";
        FirstResponse => "首次响应", "First response";
        Resolution => "解决", "Resolution";
        Due => "期限", "Due";
        Overdue => "已逾期", "Overdue";
        OnTime => "按时", "On time";
        OverdueOnly => "只看逾期", "Overdue only";
        AllOpen => "全部未关闭", "All not closed";
        Filter => "筛选", "Filter";
        NoQueue => "没有工单。", "No tickets.";
        Enterprise => "企业", "Enterprise";
        Open => "查看", "Open";
        Resolve => "标记已解决", "Mark resolved";
        AskVerification => "请求客户验证身份", "Ask the customer to verify";
        ByCode => "发送短信验证码到注册手机", "Text a code to the registered mobile";
        ByPortal => "请客户在门户中确认", "Ask for confirmation in the portal";
        Panel => "账户信息", "Account details";
        PanelClosed => "客户身份验证通过前，账户信息不可查看。", "The account details stay closed until the customer's identity is verified.";
        ShowPanel => "查看账户信息（将被记录）", "Show the account details (recorded)";
        CreditCode => "统一社会信用代码", "Credit code";
        AccountStatus => "账户状态", "Account status";
        Available => "可用余额", "Available";
        Reserved => "冻结金额", "Reserved";
        People => "登录人员", "Login persons";
        RecentOrders => "最近的付款订单", "Recent payment orders";
        InvoicesWaiting => "待开发票申请", "Invoice applications waiting";
        Name => "姓名", "Name";
        Role => "角色", "Role";
        Mobile => "手机号", "Mobile";
        OrderId => "订单号", "Order";
        Payee => "收款人", "Payee";
        Amount => "金额", "Amount";
        When => "时间", "When";
        CatAccount => "账户", "Account";
        CatFunds => "资金", "Funds";
        CatInvoice => "发票", "Invoices";
        CatTask => "任务", "Tasks";
        CatPrivacy => "隐私", "Privacy";
        CatOther => "其他", "Other";
        StOpen => "待响应", "Open";
        StWaitingCustomer => "待客户回复", "Waiting for the customer";
        StWaitingUs => "待客服处理", "Waiting for us";
        StResolved => "已解决", "Resolved";
        StClosed => "已关闭", "Closed";
        NoteVerifyAskedCode => "客服请求验证您的身份：验证码已发送至您的注册手机，请在本页输入。", "Support asked to verify your identity: a code was texted to your registered mobile; enter it on this page.";
        NoteVerifyAskedPortal => "客服请求验证您的身份：请在本页点击“确认是我本人”。", "Support asked to verify your identity: press \"Confirm it's me\" on this page.";
        NoteVerifiedCode => "客户已通过注册手机验证码验证身份。", "The customer verified their identity with a code texted to the registered mobile.";
        NoteVerifiedPortal => "客户已在门户中确认身份。", "The customer confirmed their identity in the portal.";
        NoteResolved => "客服已将工单标记为已解决；如仍有问题，直接回复即可重新打开。7 天内无回复将自动关闭。", "Support marked the ticket resolved; reply to reopen it if something is still wrong. Without a reply it closes in 7 days.";
        NoteClosed => "工单已关闭。", "The ticket was closed.";
        EntActive => "正常", "Open";
        EntClosed => "已注销", "Closed";
        NotTheirs => "验证人无权查看（与其在门户中的权限一致）", "Not the verified person's to see (as in the portal)";
        Minutes => "分钟", "minutes";
        Hours => "小时", "hours";
    }
}

pub fn ticket_category_label(c: TicketCategory) -> SupportMsg {
    match c {
        TicketCategory::Account => SupportMsg::CatAccount,
        TicketCategory::Funds => SupportMsg::CatFunds,
        TicketCategory::Invoice => SupportMsg::CatInvoice,
        TicketCategory::Task => SupportMsg::CatTask,
        TicketCategory::Privacy => SupportMsg::CatPrivacy,
        TicketCategory::Other => SupportMsg::CatOther,
    }
}

pub fn ticket_status_label(s: TicketStatus) -> SupportMsg {
    match s {
        TicketStatus::Open => SupportMsg::StOpen,
        TicketStatus::WaitingCustomer => SupportMsg::StWaitingCustomer,
        TicketStatus::WaitingUs => SupportMsg::StWaitingUs,
        TicketStatus::Resolved => SupportMsg::StResolved,
        TicketStatus::Closed => SupportMsg::StClosed,
    }
}

pub fn verify_method_label(m: VerifyMethod) -> SupportMsg {
    match m {
        VerifyMethod::SmsCode => SupportMsg::ByCode,
        VerifyMethod::Portal => SupportMsg::ByPortal,
    }
}

pub fn system_note_label(n: SystemNote) -> SupportMsg {
    match n {
        SystemNote::VerifyAskedCode => SupportMsg::NoteVerifyAskedCode,
        SystemNote::VerifyAskedPortal => SupportMsg::NoteVerifyAskedPortal,
        SystemNote::VerifiedCode => SupportMsg::NoteVerifiedCode,
        SystemNote::VerifiedPortal => SupportMsg::NoteVerifiedPortal,
        SystemNote::Resolved => SupportMsg::NoteResolved,
        SystemNote::Closed => SupportMsg::NoteClosed,
    }
}
