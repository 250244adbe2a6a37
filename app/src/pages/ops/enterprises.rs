//! 企业 `/ops/enterprises`: the enterprise list and one enterprise's details with its login
//! persons. Opening an enterprise is audited (P5.1). Reviewers and support.

use crate::api::review::{enterprise_detail, list_enterprises};
use crate::components::{
    action_error, Col, DataTable, FilterForm, FormError, ItemButton, LangLink, Loader,
    SignatureTable, StatusBadge,
};
use crate::i18n::{localized_href, role_label, t, use_lang, AccMsg, BizMsg, MemMsg, Msg};
use crate::i18n::{SignMsg, TaskMsg};
use crate::model::business::EnterpriseSummary;
use crate::model::members::MemberView;
use crate::model::worker::WorkerPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn EnterprisesPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").filter(|v| !v.trim().is_empty());
    let list = Resource::new(q, list_enterprises);
    view! {
        <Title text=t(Msg::AreaEnterprises)/>
        <h1 class="page-title">{t(Msg::AreaEnterprises)}</h1>
        <FilterForm submit=AccMsg::Search search=true>
            <label>{t(BizMsg::EnterpriseName)} " / " {t(BizMsg::CreditCode)}
                <input type="search" name="q" value=q/>
            </label>
        </FilterForm>
        <Loader resource=list let:rows>
            <DataTable cols=vec![Col::new(BizMsg::EnterpriseName), Col::new(BizMsg::CreditCode), Col::num(MemMsg::Members), Col::new(BizMsg::OpenedAt)]
                rows row=enterprise_row testid="enterprises"/>
        </Loader>
    }
}

fn enterprise_row(e: EnterpriseSummary) -> impl IntoView {
    view! {
        <tr>
            <td><LangLink href=format!("/ops/enterprises/{}", e.id)>{e.name}</LangLink></td>
            <td>{e.credit_code}</td><td class="num">{e.members}</td>
            <td>{e.opened_at.china_display()}</td>
        </tr>
    }
}

#[component]
pub fn EnterpriseDetailPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        enterprise_detail,
    );
    view! {
        <Title text=t(Msg::AreaEnterprises)/>
        <p><a href=move || localized_href("/ops/enterprises", lang.get())>"← " {t(Msg::AreaEnterprises)}</a></p>
        <Loader resource=detail page=true let:d>
            {
                let b = d.details;
                view! {
                    <h1 class="page-title">{b.name.clone()}</h1>
                    <section class="card" data-testid="enterprise-detail">
                        <dl class="facts">
                            <div><dt>{t(BizMsg::CreditCode)}</dt><dd>{b.credit_code}</dd></div>
                            <div><dt>{t(BizMsg::RegisteredAddress)}</dt><dd>{b.registered_address}</dd></div>
                            <div><dt>{t(BizMsg::BusinessScope)}</dt><dd>{b.business_scope}</dd></div>
                            <div><dt>{t(BizMsg::OpenedAt)}</dt><dd>{b.opened_at.china_display()}</dd></div>
                        </dl>
                        {d.application_id.map(|id| view! {
                            <p><LangLink href=format!("/ops/applications/{id}")>{t(BizMsg::Materials)}</LangLink></p>
                        })}
                    </section>
                    <section class="card">
                        <h2>{t(MemMsg::Members)}</h2>
                        <MemberTable members=d.members/>
                    </section>
                    <EnterpriseWorkers id=params.read_untracked().get("id").unwrap_or_default()/>
                }
            }
        </Loader>
    }
}

/// Login persons as a reviewer sees them (masked).
#[component]
fn MemberTable(members: Vec<MemberView>) -> impl IntoView {
    let row = |m: MemberView| {
        view! {
            <tr>
                <td>{m.name}</td><td>{m.mobile_masked}</td><td>{m.email_masked}</td>
                <td>{t(role_label(m.role))}</td>
                <td><StatusBadge status=m.status/></td>
            </tr>
        }
    };
    view! {
        <DataTable cols=vec![Col::new(AccMsg::Name), Col::new(AccMsg::Mobile), Col::new(AccMsg::Email), Col::new(MemMsg::Role), Col::new(AccMsg::Status)]
            rows=members row/>
    }
}

/// The enterprise's workers and their signing histories (issue 18, P6.1): shown on request,
/// and every look is audited.
#[component]
fn EnterpriseWorkers(id: String) -> impl IntoView {
    let show = ServerAction::<crate::api::signing::LoadEnterpriseWorkers>::new();
    let row = |p: WorkerPage| {
        let w = p.worker;
        view! {
            <details class="worker-signing" data-testid="ops-worker">
                <summary>{w.name.clone()} " · " <span class="mono">{w.id_masked.clone()}</span> " · "
                    <StatusBadge status=w.signing testid="ops-worker-signing"/></summary>
                <SignatureTable rows=p.signatures/>
            </details>
        }
    };
    view! {
        <section class="card" data-testid="ops-workers">
            <h2>{t(SignMsg::OpsTitle)}</h2>
            <FormError error=action_error(show)/>
            {move || match show.value().get().and_then(Result::ok) {
                Some(list) => view! {
                    <div>{list.is_empty().then(|| view! { <p class="muted">{t(TaskMsg::NoWorkers)}</p> })}
                    {list.into_iter().map(row).collect_view()}</div>
                }.into_any(),
                None => view! {
                    <ItemButton action=show name="enterprise_id" value=id.clone() label=SignMsg::OpsShow class="btn btn-secondary" testid="show-workers"/>
                }.into_any(),
            }}
        </section>
    }
}
