//! Messages of the business area: business info, the application and its review, members.

crate::messages! {
    pub enum BizMsg {
        BusinessInfo => "业务信息", "Business info";
        EnterpriseName => "企业名称", "Enterprise name";
        CreditCode => "统一社会信用代码", "Unified social credit code";
        RegisteredAddress => "注册地址", "Registered address";
        BusinessScope => "经营范围", "Business scope";
        AccountOpen => "已开通", "Open";
        OpenedAt => "开通时间", "Opened";
        OperationRecords => "操作记录", "Operation records";
    }
}
