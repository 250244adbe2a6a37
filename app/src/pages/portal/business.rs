//! 业务中心 → 业务管理 → 业务信息 `/portal/business`: the enterprise's business details (P6.1)
//! with the corrections made by correction requests, before and after (P6.2), and, for the
//! admin, the operation records of its members (P1.1.5).

use super::use_may;
use crate::api::business::{business_info, operation_records};
use crate::api::rights::business_corrections;
use crate::components::{
    load_once, AreaHeader, Card, Col, DataTable, Label, LangLink, Loader, StatusBadge, Tab, Tone,
};
use crate::i18n::{field_label, t, AccMsg, BizMsg, MemMsg, Msg, RightsMsg};
use crate::model::access::MemberNeeds;
use crate::model::audit::OperationRecord;
use crate::model::rights::CorrectionRecord;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BusinessPage() -> impl IntoView {
    let info = load_once(business_info);
    let is_admin = use_may(MemberNeeds::Admin);
    view! {
        <BusinessTabs title=BizMsg::BusinessInfo/>
        <Card testid="business-info">
            <Loader resource=info let:b>
                <dl class="facts">
                    <div><dt>{t(BizMsg::EnterpriseName)}</dt><dd>{b.name}</dd></div>
                    <div><dt>{t(BizMsg::CreditCode)}</dt><dd>{b.credit_code}</dd></div>
                    <div><dt>{t(BizMsg::RegisteredAddress)}</dt><dd>{b.registered_address}</dd></div>
                    <div><dt>{t(BizMsg::BusinessScope)}</dt><dd>{b.business_scope}</dd></div>
                    <div><dt>{t(AccMsg::Status)}</dt><dd><span class=Tone::Done.class()>{t(BizMsg::AccountOpen)}</span></dd></div>
                    <div><dt>{t(BizMsg::OpenedAt)}</dt><dd>{b.opened_at.china_display()}</dd></div>
                </dl>
            </Loader>
        </Card>
        <Corrections/>
        <Suspense fallback=|| ()>{move || is_admin.get().then(|| view! { <OperationRecords/> })}</Suspense>
    }
}

fn correction_row(c: CorrectionRecord) -> impl IntoView {
    view! {
        <tr data-testid="correction-record">
            <td>{c.applied_at.china_display()}</td>
            <td>{t(field_label(c.field))}</td>
            <td>{c.before}</td>
            <td>{c.after}</td>
            <td><LangLink href=format!("/portal/privacy/requests/{}", c.request_id)>{t(RightsMsg::Request)}</LangLink></td>
        </tr>
    }
}

/// The enterprise's details changed by correction requests, before and after (P6.2).
#[component]
fn Corrections() -> impl IntoView {
    let list = load_once(business_corrections);
    view! {
        <Card title=RightsMsg::HistoryTitle testid="business-corrections">
            <p class="muted">{t(RightsMsg::HistoryIntro)}</p>
            <Loader resource=list let:rows>
                <DataTable cols=vec![Col::new(AccMsg::Time), Col::new(RightsMsg::FieldCol), Col::new(RightsMsg::BeforeCol), Col::new(RightsMsg::AfterCol), Col::new(RightsMsg::Request)]
                    rows row=correction_row empty=RightsMsg::HistoryEmpty/>
            </Loader>
        </Card>
    }
}

fn record_row(r: OperationRecord) -> impl IntoView {
    view! {
        <tr>
            <td>{r.at.china_display()}</td><td>{r.actor_name}</td><td>{r.action}</td>
            <td>{r.target}</td><td><StatusBadge status=r.result/></td><td>{r.ip}</td>
        </tr>
    }
}

/// The members' actions, newest first, 50 at a time (`?before=` is the cursor).
#[component]
fn OperationRecords() -> impl IntoView {
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|b| b.parse::<i64>().ok())
    };
    let records = Resource::new(before, operation_records);
    // The next page (a full page of 50 shown): the records before the last one.
    let more = |list: &[OperationRecord]| {
        list.last()
            .filter(|_| list.len() >= 50)
            .map(|r| format!("/portal/business?before={}", r.seq))
    };
    view! {
        <Card title=BizMsg::OperationRecords testid="operation-records">
            <Loader resource=records let:list>
                <DataTable cols=vec![Col::new(AccMsg::Time), Col::new(AccMsg::Actor), Col::new(AccMsg::Action), Col::new(AccMsg::Target), Col::new(AccMsg::Result), Col::new(AccMsg::Ip)]
                    more=more(&list) rows=list row=record_row/>
            </Loader>
        </Card>
    }
}

/// The head of 业务管理's pages: business info, and (for the admin) members and the open API.
#[component]
pub fn BusinessTabs(#[prop(into)] title: Label) -> impl IntoView {
    let is_admin = use_may(MemberNeeds::Admin);
    view! {
        <AreaHeader title area=Msg::AreaBusiness>
            <Tab path="/portal/business" label=MemMsg::TabInfo exact=true/>
            <Suspense fallback=|| ()>
                {move || is_admin.get().then(|| view! {
                    <Tab path="/portal/business/members" label=MemMsg::Members/>
                    <Tab path="/portal/business/api" label=crate::i18n::ApiMsg::Title/>
                })}
            </Suspense>
        </AreaHeader>
    }
}
