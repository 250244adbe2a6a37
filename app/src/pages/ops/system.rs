//! 系统 System: operators and the audit log with its chain check (P5.1). Super-admin.

use crate::api::audit::{search_audit, verify_audit};
use crate::api::ops::list_operators;
use crate::components::{Col, DataTable, ErrorNotice, Loader, StatusBadge};
use crate::i18n::{list_separator, operator_role_label, t, use_lang, AccMsg, Msg, Translate};
use crate::model::audit::AuditQuery;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OperatorsPage() -> impl IntoView {
    let lang = use_lang();
    let operators = Resource::new(|| (), |_| list_operators());
    view! {
        <Title text=t(Msg::AreaOperators)/>
        <h1 class="page-title">{t(Msg::AreaOperators)}</h1>
        <p class="muted">{t(AccMsg::OperatorsCli)} " " <code>"server create-operator --login … --name … --roles reviewer,finance"</code></p>
        <Loader resource=operators let:list>
            <DataTable
                cols=vec![
                    Col::new(AccMsg::OperatorLogin),
                    Col::new(AccMsg::Name),
                    Col::new(AccMsg::Roles),
                    Col::new(AccMsg::Status),
                    Col::new(AccMsg::Since),
                ]
                testid="operators"
            >
                {list.into_iter().map(|o| view! {
                    <tr>
                        <td>{o.login}</td><td>{o.display_name}</td>
                        <td>{move || o.roles.iter().map(|r| operator_role_label(*r).text(lang.get())).collect::<Vec<_>>().join(list_separator(lang.get()))}</td>
                        <td><StatusBadge status=o.status/></td>
                        <td>{o.created_at.china_display()}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        </Loader>
    }
}

/// Audit search (GET form: works without JavaScript, and results are linkable) and the chain
/// check.
#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
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
    // The chain check is a link (`?verify=1`): its result renders on the server too.
    let verify = Resource::new(
        move || param("verify").is_some(),
        |wanted| async move {
            if wanted {
                verify_audit().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <Title text=t(Msg::AreaAudit)/>
        <h1 class="page-title">{t(Msg::AreaAudit)}</h1>
        <section class="card" data-testid="audit-chain">
            <a class="btn btn-secondary" href=move || crate::i18n::localized_href("/ops/audit?verify=1", lang.get())>
                {t(AccMsg::VerifyChain)}
            </a>
            <Suspense fallback=|| ()>
            {move || verify.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(None) => ().into_any(),
                Ok(Some(s)) => match s.first_broken {
                    None => view! { <p class="notice notice-success" role="status" data-testid="chain-ok">
                        {t(AccMsg::ChainIntact)} " (" {s.entries} ")"</p> }.into_any(),
                    Some(seq) => view! { <p class="notice notice-error" role="alert" data-testid="chain-broken">
                        {t(AccMsg::ChainBroken)} " #" {seq}</p> }.into_any(),
                },
            })}
            </Suspense>
        </section>
        <form method="get" class="filters" role="search">
            <input type="hidden" name="lang" value=move || lang.get().code()/>
            <label>{t(AccMsg::Actor)} <input type="search" name="actor" value=move || param("actor")/></label>
            <label>{t(AccMsg::Action)} <input type="search" name="action" value=move || param("action")/></label>
            <label>{t(AccMsg::Target)} <input type="search" name="target" value=move || param("target")/></label>
            <button type="submit" class="btn btn-primary">{t(AccMsg::Search)}</button>
        </form>
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || records.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(list) => {
                    let last = list.last().map(|r| r.seq);
                    view! {
                        <div class="table-wrap" tabindex="0" data-testid="audit-records">
                            <table>
                                <thead><tr>
                                    <th class="num">"#"</th><th>{t(AccMsg::Time)}</th><th>{t(AccMsg::Actor)}</th>
                                    <th>{t(AccMsg::Action)}</th><th>{t(AccMsg::Target)}</th><th>{t(AccMsg::Result)}</th>
                                    <th>{t(AccMsg::Ip)}</th><th>{t(AccMsg::Detail)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|r| view! {
                                        <tr>
                                            <td class="num">{r.seq}</td><td>{r.at.china_display()}</td>
                                            <td>{format!("{} {} ({})", r.actor_kind, r.actor_id, r.actor_role)}</td>
                                            <td>{r.action}</td><td>{r.target}</td><td>{r.result}</td>
                                            <td>{r.ip}</td><td>{r.detail}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {last.filter(|s| *s > 1).map(|s| view! {
                            <nav class="pagination">
                                <a class="btn btn-ghost" href=move || {
                                    let mut q: Vec<(String, String)> = query.get().into_iter()
                                        .filter(|(k, _)| k != "before" && k != "lang")
                                        .map(|(k, v)| (k.to_string(), v.to_string())).collect();
                                    q.push(("before".into(), s.to_string()));
                                    crate::i18n::switch_href("/ops/audit", &q, lang.get())
                                }>{t(AccMsg::Older)}</a>
                            </nav>
                        })}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
