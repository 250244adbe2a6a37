//! Messages of the incident records (P5.5).

crate::messages! {
    pub enum IncMsg {
        Title => "安全事件", "Incidents";
        Intro => "记录每一起安全事件：发生了什么、何时发现、可能的影响、已采取的措施、给用户的建议、补救措施、受影响的企业，以及向监管部门报告的时间。每次修改都记入时间线。", "Record every security incident: what happened, when it was discovered, the possible impact, the measures taken, advice to users, remedies, the affected enterprises, and when it was reported to the regulator. Every change is kept in the timeline.";
        New => "记录新事件", "Record an incident";
        Record => "事件记录", "The record";
        TitleZh => "标题（中文）", "Title (Chinese)";
        TitleEn => "标题（英文）", "Title (English)";
        WhatHappened => "发生了什么", "What happened";
        DiscoveredAt => "发现时间（北京时间）", "Discovered at (China time)";
        Impact => "可能的影响", "Possible impact";
        Measures => "已采取的措施", "Measures taken";
        AdviceZh => "给用户的建议（中文）", "Advice to users (Chinese)";
        AdviceEn => "给用户的建议（英文）", "Advice to users (English)";
        Remedies => "补救措施", "Remedies";
        ReportedAt => "向监管部门报告的时间（北京时间，未报告留空）", "Reported to the regulator at (China time; empty if not yet)";
        Enterprises => "受影响企业的统一社会信用代码", "Credit codes of the affected enterprises";
        EnterprisesHint => "每行一个；这些企业的全部登录人员都会被逐一通知。", "One per line; every login person of these enterprises is notified individually.";
        Save => "保存记录", "Save the record";
        Notify => "通知受影响的人", "Notify the affected people";
        Affected => "受影响：", "Affected:";
        People => "人", "people";
        Untold => "通知发出后，又有人员属于受影响企业，尚未收到通知：确认后只发送给他们。", "Since the notice went out, more people belong to an affected enterprise and have not been told: confirming sends it to them only.";
        NotifyPreview => "每人将逐一收到站内信、邮件和短信（安全通知无法退订），内容包括发生了什么、可能的影响、已采取的措施、建议和补救措施。确认人数后发送；只能发送一次。", "Each person gets an in-site message, an e-mail and a text (security notices cannot be unsubscribed) with what happened, the possible impact, the measures, the advice and the remedies. Check the number, then send; it is sent once.";
        Send => "确认发送", "Send now";
        NotifiedAt => "已通知：", "Notified:";
        PublicNotice => "公开公告", "Public notice";
        PublicNoticeWhy => "无法逐一通知时，可以从本记录发布公开的安全事件公告（首页和所有用户的站内信）。", "When individual notice is impractical, publish a public incident announcement from this record (home page and every inbox).";
        Publish => "发布公开公告", "Publish the public notice";
        Results => "逐人送达结果", "Delivery per person";
        Enterprise => "企业", "Enterprise";
        InSite => "站内信", "In-site";
        Read => "已读", "Read";
        Email => "邮件", "E-mail";
        Sms => "短信", "Text";
        Timeline => "时间线", "Timeline";
        NotifiedAtCol => "通知时间", "Notified";
        Yes => "是", "Yes";
    }
}
