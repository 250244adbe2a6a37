//! 资金流水 `/portal/funds/flow` (every balance change, filtered by date and type, cursor
//! pages, CSV export) and 账单 `/portal/funds/bills` (monthly bills).

use super::FundsTabs;
use crate::api::funds::{bill_months, fund_flow, get_bill};
use crate::components::{
    load_once, query_values, CodeSelect, Col, DataTable, DownloadLink, FilterForm, Loader,
};
use crate::i18n::{account_label, category_label, encode_component, t, use_lang, FundMsg};
use crate::model::funds::{Bill, Category, FlowLine};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn flow_row(l: FlowLine) -> impl IntoView {
    view! {
        <tr data-testid="flow-row">
            <td>{l.at.china_display()}</td>
            <td>{t(category_label(l.category))}</td>
            <td>{t(account_label(l.account))}</td>
            <td class="num">{l.amount.to_string()}</td>
            <td class="num">{l.balance_after.to_string()}</td>
            <td class="mono">{l.reference}</td>
        </tr>
    }
}

#[component]
pub fn FlowPage() -> impl IntoView {
    let lang = use_lang();
    let filter = query_values(["from", "to", "category", "cursor"]);
    let flow = Resource::new(filter, |[from, to, category, cursor]| {
        fund_flow(from, to, category, cursor)
    });
    let base = move || {
        let [from, to, category, _] = filter();
        format!(
            "from={}&to={}&category={}",
            encode_component(&from),
            encode_component(&to),
            encode_component(&category)
        )
    };
    view! {
        <FundsTabs title=FundMsg::TabFlow/>
        <section class="card">
            <FilterForm submit=FundMsg::Filter>
                <label for="f-from">{t(FundMsg::From)}</label>
                <input id="f-from" type="date" name="from" value=move || filter()[0].clone()/>
                <label for="f-to">{t(FundMsg::To)}</label>
                <input id="f-to" type="date" name="to" value=move || filter()[1].clone()/>
                <CodeSelect name="category" label=FundMsg::Category all=FundMsg::AllCategories
                    options=Category::ALL.iter().map(|&c| (c.code(), category_label(c).into())).collect()
                    selected=Signal::derive(move || filter()[2].clone())/>
            </FilterForm>
            <p><DownloadLink testid="export-csv" href=Signal::derive(move || format!("/portal/funds/flow.csv?{}&lang={}", base(), lang.get().code()))>{t(FundMsg::ExportCsv)}</DownloadLink></p>
            <Loader resource=flow let:page>
                <DataTable cols=vec![Col::new(FundMsg::Time), Col::new(FundMsg::Category), Col::new(FundMsg::LedgerAccount), Col::num(FundMsg::Amount), Col::num(FundMsg::BalanceAfter), Col::new(FundMsg::Reference)]
                    more=page.next_cursor.map(|c| format!("/portal/funds/flow?{}&cursor={c}", base()))
                    rows=page.lines row=flow_row empty=FundMsg::NoFlow testid="flow"/>
            </Loader>
        </section>
    }
}

#[component]
pub fn BillsPage() -> impl IntoView {
    let query = use_query_map();
    let months = load_once(bill_months);
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
        <FundsTabs title=FundMsg::TabBills/>
        <section class="card">
            <FilterForm submit=FundMsg::Show>
            <label for="f-month">{t(FundMsg::Month)}</label>
                <select id="f-month" name="month">
                    <Suspense fallback=|| ()>
                        {move || months.get().and_then(Result::ok).map(|list| list.into_iter().map(|m| {
                            let value = m.clone();
                            view! { <option value=value.clone() selected=move || chosen() == value>{m}</option> }
                        }).collect_view())}
                    </Suspense>
                </select>
                </FilterForm>
            <Loader resource=bill let:b>
                <BillTable b/>
            </Loader>
        </section>
    }
}

/// One month's bill: opening balance, each kind of movement, closing balance.
#[component]
fn BillTable(b: Bill) -> impl IntoView {
    let lines = [
        (FundMsg::Opening, b.opening),
        (FundMsg::Topups, b.topups),
        (FundMsg::Payments, b.payments),
        (FundMsg::Fees, b.fees),
        (FundMsg::Refunds, b.refunds),
        (FundMsg::Transfers, b.transfers),
    ];
    view! {
        <h2>{b.month}</h2>
        <div class="table-wrap" tabindex="0" data-testid="bill">
            <table>
                <tbody>
                    {lines.into_iter().map(|(label, fen)| view! {
                        <tr><th>{t(label)}</th><td class="num">{fen.to_string()}</td></tr>
                    }).collect_view()}
                    <tr><th>{t(FundMsg::Closing)}</th><td class="num" data-testid="bill-closing"><strong>{b.closing.to_string()}</strong></td></tr>
                </tbody>
            </table>
        </div>
        <p class="muted">{t(FundMsg::BillNote)}</p>
    }
}
