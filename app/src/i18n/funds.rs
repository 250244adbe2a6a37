//! Messages of 资金管理 (portal) and 资金 (console).

crate::messages! {
    pub enum FundMsg {
        TabOverview => "账户余额", "Balances";
        TabTopups => "充值记录", "Top-ups";
        TabOrders => "付款订单", "Payment orders";
        TabTransfers => "转账", "Transfers";
        TabFlow => "资金流水", "Fund flow";
        TabBills => "账单", "Bills";
        Available => "可用余额", "Available";
        Reserved => "冻结中（待付款）", "Reserved (being paid)";
        PendingWithdrawal => "转出审核中", "Transfers pending";
        Total => "账户总额", "Total balance";
        MonthSpend => "本月支出", "Spent this month";
        ReceivingAccount => "专属充值账户", "Your receiving account";
        ReceivingIntro => "请从企业对公账户向以下专属账户转账，款项到账并经财务确认后自动计入可用余额。", "Transfer from your company's bank account to this dedicated account; the money is added to your available balance once finance has recorded it.";
        AccountName => "户名", "Account name";
        AccountNo => "账号", "Account number";
        BankName => "开户行", "Bank";
        Chart => "近 90 天账户总额", "Total balance, last 90 days";
        Amount => "金额", "Amount";
        Credited => "到账金额", "Credited";
        PayerName => "付款户名", "Payer";
        PayerAccount => "付款账号", "Payer account";
        BankRef => "银行流水号", "Bank reference";
        ValueDate => "交易日期", "Value date";
        RecordedAt => "记录时间", "Recorded";
        NoTopups => "暂无充值记录。", "No top-ups yet.";
        NewOrder => "新建付款订单", "New payment order";
        OrderId => "商户订单号", "Order ID";
        OrderIdHint => "贵司系统中的唯一编号（最多 64 位字母、数字、-、_、.）；重复提交同一编号不会重复付款。", "Your own unique number (up to 64 letters, digits, -, _ or .); submitting it again never pays twice.";
        PayeeName => "收款人姓名", "Payee name";
        IdNumber => "身份证号", "ID-card number";
        Channel => "付款渠道", "Channel";
        Account => "收款账号", "Payee account";
        AccountHint => "银行卡号、支付宝账号（手机号或邮箱）或微信 openid", "Bank card number, Alipay account (mobile or e-mail) or WeChat openid";
        Mobile => "手机号", "Mobile";
        AmountYuan => "金额（元）", "Amount (yuan)";
        Remark => "备注", "Remark";
        Project => "项目", "Project";
        CreateOrder => "提交订单", "Submit order";
        OrderCreated => "订单已受理。", "Order accepted.";
        OrderReplayed => "该订单号已提交过，以下为原订单（未重复付款）。", "This order ID was submitted before; here is the original order (nothing was paid twice).";
        BatchUpload => "批量付款（CSV）", "Batch payment (CSV)";
        BatchHint => "UTF-8 编码的 CSV，首行为列名：order_id,payee_name,id_number,channel,account,mobile,amount,remark,project（也可用中文列名）；最多 5,000 行、2 MB。任一行有误则整批不导入。", "A UTF-8 CSV whose first line names the columns: order_id,payee_name,id_number,channel,account,mobile,amount,remark,project (Chinese names work too); up to 5,000 rows and 2 MB. If any row is wrong, nothing is imported.";
        Template => "下载模板（CSV UTF-8）", "Download the template (CSV UTF-8)";
        TemplateExcel => "下载模板（Excel 适用）", "Download the template (for Excel)";
        TemplateIntro => "每行一笔付款；填写后上传。用 Excel 编辑时请下载 Excel 适用的模板，并另存为“CSV UTF-8”。", "One payment per line; fill it in and upload it. To edit it in Excel, take the Excel template and save it as “CSV UTF-8”.";
        RowErrors => "文件有误，未导入任何订单：", "The file has errors; no order was imported:";
        WholeFile => "整个文件", "The file";
        Batches => "批次", "Batches";
        File => "文件", "File";
        Orders => "笔数", "Orders";
        Fee => "服务费", "Service fee";
        Tax => "代扣税费", "Tax withheld";
        Received => "实收金额", "Received";
        Confirm => "确认付款", "Confirm";
        CancelBatch => "取消批次", "Cancel batch";
        Status => "状态", "Status";
        Reason => "原因", "Reason";
        Created => "创建时间", "Created";
        Payee => "收款人", "Payee";
        Details => "详情", "Details";
        AllStatuses => "全部状态", "All statuses";
        Filter => "筛选", "Filter";
        Next => "下一页 →", "Next page →";
        NoOrders => "暂无订单。", "No orders.";
        OrderDetail => "订单详情", "Order details";
        Reveal => "查看完整号码（将记录审计日志）", "Show full numbers (recorded in the audit log)";
        Retry => "重新付款", "Retry";
        CancelOrder => "取消订单", "Cancel order";
        Receipt => "电子回单", "Receipt";
        ReceiptPayer => "付款企业", "Payer";
        ReceiptIssuer => "出具方", "Issued by";
        PlatformRef => "平台流水号", "Platform reference";
        ReceiptCode => "验证码", "Verification code";
        CheckReceipt => "核验回单", "Check a receipt";
        CheckReceiptIntro => "输入回单上的平台流水号和验证码，核对是否为本平台出具。", "Enter the platform reference and the verification code printed on a receipt to check that the platform issued it.";
        CheckReceiptButton => "核验", "Check";
        ReceiptGenuine => "回单真实：本平台出具，内容如下。", "Genuine: the platform issued this receipt, with these facts.";
        ReceiptUnknown => "没有与此平台流水号和验证码相符的已付款订单：该回单不是本平台出具的，或内容被改动过。", "No paid order has this platform reference and code: the platform did not issue this receipt, or it was changed.";
        LedgerAccount => "账户", "Account";
        FlowCsvHeader => "时间(UTC+8),账户,账户代码,类型,类型代码,金额(元),变动后余额(元),业务参考号", "Time (UTC+8),Account,Account code,Category,Category code,Amount (CNY),Balance after (CNY),Reference";
        Print => "打印", "Print";
        Download => "下载", "Download";
        ChannelRef => "交易流水号", "Transaction reference";
        PaidAt => "付款时间", "Paid at";
        BackToOrders => "← 返回付款订单", "← Back to payment orders";
        WithdrawalAccount => "企业收款账户（转出目的地）", "Your bank account (for transfers out)";
        SaveAccount => "保存账户", "Save account";
        NoAccount => "请先登记企业对公账户。", "Register your company's bank account first.";
        RequestTransfer => "申请转出", "Request a transfer";
        TransferIntro => "将可用余额的一部分转回企业对公账户；财务审核通过后付出，期间该金额冻结。", "Move part of the available balance back to your company's account; finance approves it, and the amount is held meanwhile.";
        Requested => "申请时间", "Requested";
        Decided => "处理时间", "Decided";
        NoTransfers => "暂无转出记录。", "No transfers yet.";
        From => "开始日期", "From";
        To => "结束日期", "To";
        AllCategories => "全部类型", "All types";
        Category => "业务类型", "Type";
        BalanceAfter => "变动后余额", "Balance after";
        Reference => "业务参考号", "Reference";
        Time => "时间", "Time";
        ExportCsv => "导出 CSV", "Export CSV";
        NoFlow => "暂无资金流水。", "No fund flow.";
        Month => "月份", "Month";
        Opening => "期初余额", "Opening balance";
        Topups => "充值", "Top-ups";
        Payments => "付款", "Payments";
        Fees => "服务费", "Service fees";
        Refunds => "退回", "Returned";
        Transfers => "转出", "Transfers out";
        Closing => "期末余额", "Closing balance";
        BillNote => "账单按账户总额（可用 + 冻结 + 转出审核中）计算：期初 + 充值 − 付款 − 服务费 + 退回 − 转出 = 期末。", "Bills are over the total balance (available + reserved + pending transfers): opening + top-ups − payments − fees + returned − transfers = closing.";
        Show => "查看", "Show";
        OpsCredits => "银行入账", "Bank credits";
        OpsTransfers => "转出审核", "Transfer approvals";
        OpsPayouts => "付款通道", "Payout channel";
        RecordCredit => "登记一笔入账", "Record a credit";
        ReceivingAccountNo => "收款账号（企业专属账户）", "Receiving account (the enterprise's)";
        BankFee => "银行手续费（元，可空）", "Bank fee (yuan, optional)";
        Record => "登记", "Record";
        CheckCredit => "核对收款方", "Check the receiving account";
        ConfirmCredit => "确认入账", "Confirm and record";
        CreditAlready => "此银行流水号已按相同信息记录过，未重复入账。", "This bank reference was recorded before with the same details; nothing was added twice.";
        ImportStatement => "导入银行流水（CSV）", "Import a bank statement (CSV)";
        ImportHint => "列：bank_ref,value_date,payer_name,payer_account,receiving_account_no,amount[,bank_fee]；重复导入同一流水不会重复入账。", "Columns: bank_ref,value_date,payer_name,payer_account,receiving_account_no,amount[,bank_fee]; importing the same statement again never credits twice.";
        Unmatched => "待匹配", "To be matched";
        UnmatchedIntro => "收款账号未对应任何企业的入账。填写企业的专属账号或统一社会信用代码后入账。", "Credits whose receiving account names no enterprise. Enter the enterprise's receiving account or credit code to apply one.";
        Enterprise => "企业", "Enterprise";
        Assign => "入账", "Apply";
        RecentCredits => "最近入账", "Recent credits";
        Approve => "通过", "Approve";
        Reject => "驳回", "Reject";
        RejectReason => "驳回原因", "Reason for rejecting";
        Waiting => "待审核", "Waiting";
        PayoutsIntro => "开发与测试环境使用付款通道模拟器：以 0002 结尾的银行卡付款失败（账户冻结），以 0003 结尾的失败（账号无效），含 fail 的支付宝 / 微信账号失败（户名不符）。", "Development and tests use the payout simulator: bank cards ending in 0002 fail (frozen), ending in 0003 fail (invalid), Alipay / WeChat accounts containing “fail” fail (name mismatch).";
        SimReturn => "模拟退回", "Simulate a return";
        Submitted => "提交时间", "Submitted";
        Done => "已完成", "Done";
        StatusCredited => "已到账", "Credited";
        StatusHeld => "待复核", "Awaiting second approval";
        StatusRejected => "已驳回", "Rejected";
        HeldCredits => "待复核的大额入账", "Large credits awaiting a second approval";
        HeldIntro => "超过复核金额的入账须由另一位财务人员（非录入人）复核后才会计入企业余额。", "Credits above the approval threshold are booked to an enterprise only after a second finance operator, not the one who recorded them, approves them.";
        SecondApprove => "复核通过", "Approve (second)";
        FourEyesIntro => "转出须经两位不同的财务人员审批：第一次“通过”为初审，另一位财务人员“复核通过”后资金才会转出。", "Transfers need two different finance operators: the first approval checks a request, and the money leaves only when another finance operator gives the second approval.";
    }
}

use crate::model::funds::{
    BatchStatus, Category, Channel, EntAccount, OrderStatus, Reason, TransferStatus,
};

crate::messages! {
    pub enum FundCode {
        StAwaiting => "待确认", "Awaiting confirmation";
        StAccepted => "已受理", "Accepted";
        StPaying => "付款中", "Paying";
        StPaid => "已付款", "Paid";
        StFailed => "付款失败", "Failed";
        StSuspended => "已挂起", "Suspended";
        StCancelled => "已取消", "Cancelled";
        StReturned => "已退回", "Returned";
        RsNone => "—", "—";
        RsAwaiting => "等待确认批次", "Waiting for the batch to be confirmed";
        RsReserved => "资金已冻结，等待付款", "Funds reserved, waiting to be paid";
        RsSent => "已提交付款通道", "Sent to the payout channel";
        RsPaid => "付款成功", "Paid";
        RsInsufficient => "可用余额不足，充值后可重新付款", "Not enough available balance: top up, then retry";
        RsCancelled => "企业已取消", "Cancelled by the enterprise";
        RsBatchCancelled => "批次已取消", "The batch was cancelled";
        RsInvalid => "收款账号无效", "The payee account is invalid";
        RsFrozen => "收款账户已冻结", "The payee account is frozen";
        RsNameMismatch => "户名与账号不符", "The name does not match the account";
        RsReturned => "收款方银行退回", "Sent back by the payee's bank";
        RsChannel => "付款通道错误", "Payout channel error";
        RsNotSigned => "收款人未签约", "Payee not signed";
        ChBank => "银行卡", "Bank card";
        ChAlipay => "支付宝", "Alipay";
        ChWechat => "微信", "WeChat";
        CatTopup => "充值", "Top-up";
        CatReserve => "付款冻结", "Reserved for payment";
        CatRelease => "解冻", "Released";
        CatPayment => "付款", "Payment";
        CatFee => "服务费", "Service fee";
        CatRefund => "退回", "Returned";
        CatWithdraw => "转出冻结", "Held for transfer";
        CatTransfer => "转出", "Transfer out";
        CatCorrection => "调整", "Correction";
        AccAvailable => "可用", "Available";
        AccReserved => "冻结", "Reserved";
        AccWithdraw => "转出中", "Transfer pending";
        TrRequested => "待审核", "Waiting for approval";
        TrChecked => "待复核", "Awaiting second approval";
        TrApproved => "已转出", "Transferred";
        TrRejected => "已驳回", "Rejected";
        BaAwaiting => "待确认", "Awaiting confirmation";
        BaConfirmed => "已确认", "Confirmed";
        BaCancelled => "已取消", "Cancelled";
    }
}

pub fn status_label(s: OrderStatus) -> FundCode {
    match s {
        OrderStatus::AwaitingConfirmation => FundCode::StAwaiting,
        OrderStatus::Accepted => FundCode::StAccepted,
        OrderStatus::Paying => FundCode::StPaying,
        OrderStatus::Paid => FundCode::StPaid,
        OrderStatus::Failed => FundCode::StFailed,
        OrderStatus::Suspended => FundCode::StSuspended,
        OrderStatus::Cancelled => FundCode::StCancelled,
        OrderStatus::Returned => FundCode::StReturned,
    }
}

pub fn reason_label(r: Reason) -> FundCode {
    match r {
        Reason::None => FundCode::RsNone,
        Reason::AwaitingConfirmation => FundCode::RsAwaiting,
        Reason::FundsReserved => FundCode::RsReserved,
        Reason::SentToChannel => FundCode::RsSent,
        Reason::Paid => FundCode::RsPaid,
        Reason::InsufficientBalance => FundCode::RsInsufficient,
        Reason::CancelledByEnterprise => FundCode::RsCancelled,
        Reason::BatchCancelled => FundCode::RsBatchCancelled,
        Reason::AccountInvalid => FundCode::RsInvalid,
        Reason::AccountFrozen => FundCode::RsFrozen,
        Reason::NameMismatch => FundCode::RsNameMismatch,
        Reason::ReturnedByBank => FundCode::RsReturned,
        Reason::ChannelError => FundCode::RsChannel,
        Reason::PayeeNotSigned => FundCode::RsNotSigned,
    }
}

pub fn channel_label(c: Channel) -> FundCode {
    match c {
        Channel::Bank => FundCode::ChBank,
        Channel::Alipay => FundCode::ChAlipay,
        Channel::Wechat => FundCode::ChWechat,
    }
}

pub fn category_label(c: Category) -> FundCode {
    match c {
        Category::Topup => FundCode::CatTopup,
        Category::Reserve => FundCode::CatReserve,
        Category::Release => FundCode::CatRelease,
        Category::Payment => FundCode::CatPayment,
        Category::Fee => FundCode::CatFee,
        Category::Refund => FundCode::CatRefund,
        Category::Withdraw => FundCode::CatWithdraw,
        Category::Transfer => FundCode::CatTransfer,
        Category::Correction => FundCode::CatCorrection,
    }
}

pub fn account_label(a: EntAccount) -> FundCode {
    match a {
        EntAccount::Available => FundCode::AccAvailable,
        EntAccount::Reserved => FundCode::AccReserved,
        EntAccount::WithdrawPending => FundCode::AccWithdraw,
    }
}

pub fn transfer_label(s: TransferStatus) -> FundCode {
    match s {
        TransferStatus::Requested => FundCode::TrRequested,
        TransferStatus::Checked => FundCode::TrChecked,
        TransferStatus::Approved => FundCode::TrApproved,
        TransferStatus::Rejected => FundCode::TrRejected,
    }
}

pub fn batch_label(s: BatchStatus) -> FundCode {
    match s {
        BatchStatus::AwaitingConfirmation => FundCode::BaAwaiting,
        BatchStatus::Confirmed => FundCode::BaConfirmed,
        BatchStatus::Cancelled => FundCode::BaCancelled,
    }
}
