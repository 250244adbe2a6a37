//! 资金流水 `/portal/funds/flow` (every balance change, filtered by date and type, cursor
//! pages, CSV export) and 账单 `/portal/funds/bills` (monthly bills).

use super::{FundsTabs, LangField};
use crate::api::funds::{bill_months, fund_flow, get_bill};
use crate::components::{DownloadLink, ErrorNotice, Loader};
use crate::i18n::{
    account_label, category_label, encode_component, localized_href, t, use_lang, FundMsg, Msg,
};
use crate::model::funds::Category;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FlowPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            (
                q.get("from").unwrap_or_default(),
                q.get("to").unwrap_or_default(),
                q.get("category").unwrap_or_default(),
                q.get("cursor").unwrap_or_default(),
            )
        })
    };
    let flow = Resource::new(filter, |(from, to, category, cursor)| {
        fund_flow(from, to, category, cursor)
    });
    let base = move || {
        let (from, to, category, _) = filter();
        format!(
            "from={}&to={}&category={}",
            encode_component(&from),
            encode_component(&to),
            encode_component(&category)
        )
    };
    view! {
        <Title text=t(FundMsg::TabFlow)/>
        <FundsTabs/>
        <section class="card">
            <form method="get" class="filters">
                <LangField/>
                <label for="f-from">{t(FundMsg::From)}</label>
                <input id="f-from" type="date" name="from" value=move || filter().0/>
                <label for="f-to">{t(FundMsg::To)}</label>
                <input id="f-to" type="date" name="to" value=move || filter().1/>
                <label for="f-category">{t(FundMsg::Category)}</label>
                <select id="f-category" name="category">
                    <option value="">{t(FundMsg::AllCategories)}</option>
                    {Category::ALL.iter().copied().map(|c| view! {
                        <option value=c.code() selected=move || filter().2 == c.code()>{t(category_label(c))}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="btn btn-secondary">{t(FundMsg::Filter)}</button>
                <DownloadLink testid="export-csv" href=Signal::derive(move || format!("/portal/funds/flow.csv?{}&lang={}", base(), lang.get().code()))>{t(FundMsg::ExportCsv)}</DownloadLink>
            </form>
            <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || flow.get().map(|r| match r {
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    Ok(page) if page.lines.is_empty() => view! { <p class="muted">{t(FundMsg::NoFlow)}</p> }.into_any(),
                    Ok(page) => {
                        let next = page.next_cursor.map(|c| format!("/portal/funds/flow?{}&cursor={c}", base()));
                        view! {
                            <div class="table-wrap" tabindex="0" data-testid="flow">
                                <table>
                                    <thead><tr>
                                        <th>{t(FundMsg::Time)}</th><th>{t(FundMsg::Category)}</th><th>{t(FundMsg::LedgerAccount)}</th>
                                        <th class="num">{t(FundMsg::Amount)}</th><th class="num">{t(FundMsg::BalanceAfter)}</th><th>{t(FundMsg::Reference)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.lines.into_iter().map(|l| view! {
                                            <tr data-testid="flow-row">
                                                <td>{l.at.china_display()}</td>
                                                <td>{t(category_label(l.category))}</td>
                                                <td>{t(account_label(l.account))}</td>
                                                <td class="num">{l.amount.to_string()}</td>
                                                <td class="num">{l.balance_after.to_string()}</td>
                                                <td class="mono">{l.reference}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|href| view! { <p><a class="btn btn-ghost" href=move || localized_href(&href, lang.get())>{t(FundMsg::Next)}</a></p> })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn BillsPage() -> impl IntoView {
    let query = use_query_map();
    let months = Resource::new(|| (), |_| bill_months());
    let chosen = move || query.with(|q| q.get("month").unwrap_or_default());
    let bill = Resource::new(chosen, |m| async move {
        let month = if m.is_empty() {
            bill_months().await?.into_iter().next().unwrap_or_default()
        } else {
            m
        };
        get_bill(month).await
    });
    view! {
            <Title text=t(FundMsg::TabBills)/>
            <FundsTabs/>
            <section class="card">
                <form method="get" class="filters">
                    <LangField/>
                    <label for="f-month">{t(FundMsg::Month)}</label>
                    <select id="f-month" name="month">
                        <Suspense fallback=|| ()>
                            {move || months.get().and_then(Result::ok).map(|list| list.into_iter().map(|m| {
                                let value = m.clone();
                                view! { <option value=value.clone() selected=move || chosen() == value>{m}</option> }
                            }).collect_view())}
                        </Suspense>
                    </select>
                    <button type="submit" class="btn btn-secondary">{t(FundMsg::Show)}</button>
                </form>
                <Loader resource=bill let:b>
    <h2>{b.month.clone()}</h2>
                            <div class="table-wrap" tabindex="0" data-testid="bill">
                                <table>
                                    <tbody>
                                        <tr><th>{t(FundMsg::Opening)}</th><td class="num">{b.opening.to_string()}</td></tr>
                                        <tr><th>{t(FundMsg::Topups)}</th><td class="num">{b.topups.to_string()}</td></tr>
                                        <tr><th>{t(FundMsg::Payments)}</th><td class="num">{b.payments.to_string()}</td></tr>
                                        <tr><th>{t(FundMsg::Fees)}</th><td class="num">{b.fees.to_string()}</td></tr>
                                        <tr><th>{t(FundMsg::Refunds)}</th><td class="num">{b.refunds.to_string()}</td></tr>
                                        <tr><th>{t(FundMsg::Transfers)}</th><td class="num">{b.transfers.to_string()}</td></tr>
                                        <tr><th>{t(FundMsg::Closing)}</th><td class="num" data-testid="bill-closing"><strong>{b.closing.to_string()}</strong></td></tr>
                                    </tbody>
                                </table>
                            </div>
                            <p class="muted">{t(FundMsg::BillNote)}</p>
    </Loader>
            </section>
        }
}
