//! 系统 System: the audit log with its chain check (P5.1). Super-admin. (Operators are in
//! [`super::operators`].)

use crate::api::audit::{search_audit, verify_audit};
use crate::components::{Col, DataTable, FilterForm, LangLink, Loader, StatusBadge};
use crate::i18n::{
    actor_kind_label, actor_role_text, switch_href, t, use_lang, AccMsg, Lang, Msg, Translate,
};
use crate::model::audit::{AuditQuery, AuditRecord};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Audit search (GET form: works without JavaScript, and results are linkable) and the chain
/// check.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).filter(|v| !v.trim().is_empty());
    let records = Resource::new(
        move || AuditQuery {
            actor: param("actor"),
            action: param("action"),
            target: param("target"),
            enterprise_id: param("enterprise"),
            before: param("before").and_then(|b| b.parse().ok()),
            limit: 50,
        },
        search_audit,
    );
    // The next page: this search, before the last sequence number shown.
    let older = move |last: i64| {
        let mut q: Vec<(String, String)> = query
            .get_untracked()
            .into_iter()
            .filter(|(k, _)| k != "before")
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        q.push(("before".into(), last.to_string()));
        switch_href("/ops/audit", &q, Lang::default())
    };
    view! {
        <Title text=t(Msg::AreaAudit)/>
        <h1 class="page-title">{t(Msg::AreaAudit)}</h1>
        <ChainCheck wanted=Signal::derive(move || param("verify").is_some())/>
        <FilterForm submit=AccMsg::Search search=true>
            <label>{t(AccMsg::Actor)} <input type="search" name="actor" value=move || param("actor")/></label>
            <label>{t(AccMsg::Action)} <input type="search" name="action" value=move || param("action")/></label>
            <label>{t(AccMsg::Target)} <input type="search" name="target" value=move || param("target")/></label>
        </FilterForm>
        <Loader resource=records let:list>
            <DataTable cols=vec![Col::num("#"), Col::new(AccMsg::Time), Col::new(AccMsg::Actor), Col::new(AccMsg::Action), Col::new(AccMsg::Target), Col::new(AccMsg::Result), Col::new(AccMsg::Ip), Col::new(AccMsg::Detail)]
                more=list.last().filter(|_| list.len() >= 50).map(|r| older(r.seq))
                rows=list row=audit_row testid="audit-records"/>
        </Loader>
    }
}

fn audit_row(r: AuditRecord) -> impl IntoView {
    let lang = use_lang();
    view! {
        <tr>
            <td class="num">{r.seq}</td><td>{r.at.china_display()}</td>
            <td>{move || format!("{} {} ({})", actor_kind_label(r.actor_kind).text(lang.get()), r.actor_id, actor_role_text(&r.actor_role, lang.get()))}</td>
            <td>{r.action}</td><td>{r.target}</td><td><StatusBadge status=r.result/></td>
            <td>{r.ip}</td><td>{r.detail}</td>
        </tr>
    }
}

/// The chain check is a link (`?verify=1`): its result renders on the server too.
#[component]
fn ChainCheck(wanted: Signal<bool>) -> impl IntoView {
    let verify = Resource::new(
        move || wanted.get(),
        |wanted| async move {
            if wanted {
                verify_audit().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <section class="card" data-testid="audit-chain">
            <LangLink href="/ops/audit?verify=1" class="btn btn-secondary">{t(AccMsg::VerifyChain)}</LangLink>
            <Loader resource=verify let:check>
                {check.map(|s| match s.first_broken {
                    None => view! { <p class="notice notice-success" role="status" data-testid="chain-ok">
                        {t(AccMsg::ChainIntact)} " (" {s.entries} "; " {t(AccMsg::SealedThrough)} " #" {s.sealed_through} ")"</p> }.into_any(),
                    Some(seq) => view! { <p class="notice notice-error" role="alert" data-testid="chain-broken">
                        {t(AccMsg::ChainBroken)} " #" {seq}</p> }.into_any(),
                })}
            </Loader>
        </section>
    }
}
