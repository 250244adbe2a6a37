//! Messages of the console's statistics (issue 16 §1, P1.4).

crate::messages! {
    pub enum StatsMsg {
        Intro => "以下数字只由全平台的计数和合计得出，不含任何企业、个人或订单的名称、编号和账户（去标识化统计）。", "These figures are counts and sums over the whole platform only; they name no enterprise, person, order or account (de-identified statistics).";
        Overview => "概况", "Overview";
        EnterprisesActive => "开户企业", "Open business accounts";
        EnterprisesClosed => "已注销企业", "Closed accounts";
        PeopleActive => "启用的登录人员", "Active login persons";
        ApplicationsWaiting => "待审核的开户申请", "Applications waiting for review";
        Orders => "付款订单（按状态）", "Payment orders by status";
        Status => "状态", "Status";
        Count => "数量", "Count";
        Months => "每月已付款（北京时间）", "Paid each month (China time)";
        Month => "月份", "Month";
        Paid => "笔数", "Orders";
        Amount => "金额", "Amount";
        Fees => "服务费", "Service fees";
    }
}
