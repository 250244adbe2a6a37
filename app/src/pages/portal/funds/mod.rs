//! 资金管理 `/portal/funds` (P1.1.5, P6.1): balances with the receiving account and the
//! 90-day chart, top-ups, payment orders and batches, receipts, transfers, fund flow and
//! monthly bills.

mod flow;
mod order;
mod orders;
mod recent;
mod transfers;

pub use flow::{BillsPage, FlowPage};
pub use order::{OrderPage, ReceiptPage};
pub use orders::OrdersPage;
pub use recent::RecentOrders;
pub use transfers::TransfersPage;

use super::use_may;
use crate::api::funds::{list_topups, load_funds_overview};
use crate::components::{
    load_once, AreaHeader, BalanceChart, Col, DataTable, Label, LangLink, Loader, StatusBadge, Tab,
};
use crate::i18n::{t, use_lang, FundMsg, Msg};
use crate::model::access::MemberNeeds;
use crate::model::funds::{FundsOverview, TopupView};
use crate::model::Fen;
use leptos::prelude::*;

/// The page's title, the area's heading and its tabs (转账 is the admin's).
#[component]
pub fn FundsTabs(#[prop(into)] title: Label) -> impl IntoView {
    let is_admin = use_may(MemberNeeds::Admin);
    view! {
        <AreaHeader title area=Msg::AreaFunds>
            <Tab path="/portal/funds" label=FundMsg::TabOverview exact=true/>
            <Tab path="/portal/funds/topups" label=FundMsg::TabTopups/>
            <Tab path="/portal/funds/orders" label=FundMsg::TabOrders/>
            <Suspense fallback=|| ()>
                {move || is_admin.get().then(|| view! { <Tab path="/portal/funds/transfers" label=FundMsg::TabTransfers/> })}
            </Suspense>
            <Tab path="/portal/funds/flow" label=FundMsg::TabFlow/>
            <Tab path="/portal/funds/bills" label=FundMsg::TabBills/>
        </AreaHeader>
    }
}

/// One figure with its label.
#[component]
fn Stat(
    label: FundMsg,
    value: Fen,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-label">{t(label)}</span>
            <span class="stat-value" data-testid=testid>{value.to_string()}</span>
        </div>
    }
}

#[component]
pub fn FundsPage() -> impl IntoView {
    let overview = load_once(load_funds_overview);
    view! {
        <FundsTabs title=Msg::AreaFunds/>
        <Loader resource=overview page=true let:o>
            <Balances o=o.clone()/>
            {o.receiving.map(|r| view! {
                <section class="card" data-testid="receiving-account">
                    <h2>{t(FundMsg::ReceivingAccount)}</h2>
                    <p class="muted">{t(FundMsg::ReceivingIntro)}</p>
                    <dl class="facts">
                        <div><dt>{t(FundMsg::AccountName)}</dt><dd>{r.account_name}</dd></div>
                        <div><dt>{t(FundMsg::AccountNo)}</dt><dd class="mono" data-testid="receiving-account-no">{r.account_no}</dd></div>
                        <div><dt>{t(FundMsg::BankName)}</dt><dd>{r.bank_name}</dd></div>
                    </dl>
                </section>
            })}
            <section class="card"><BalanceChart series=o.series/></section>
        </Loader>
    }
}

/// The balances and the fee rule.
#[component]
fn Balances(o: FundsOverview) -> impl IntoView {
    let lang = use_lang();
    let fee = format!("{:.2}", f64::from(o.fee_rule.service_fee_bp) / 100.0);
    let tax = format!("{:.2}", f64::from(o.fee_rule.tax_bp) / 100.0);
    let min = format!("¥{}", o.fee_rule.min_fee.to_yuan_plain());
    view! {
        <section class="card">
            <div class="stats" data-testid="balances">
                <Stat label=FundMsg::Available value=o.available testid="available"/>
                <Stat label=FundMsg::Reserved value=o.reserved testid="reserved"/>
                <Stat label=FundMsg::PendingWithdrawal value=o.pending_withdrawal/>
                <Stat label=FundMsg::Total value=o.total/>
                <Stat label=FundMsg::MonthSpend value=o.month_spend/>
            </div>
            <p class="muted">{move || crate::i18n::text::fee_rule(lang.get(), &fee, &tax, &min)}</p>
        </section>
    }
}

/// The balances on the portal's overview (for those who may see funds).
#[component]
pub fn BalanceSummary() -> impl IntoView {
    let overview = load_once(load_funds_overview);
    view! {
        <section class="card" data-testid="overview-balances">
            <h2><LangLink href="/portal/funds">{t(Msg::AreaFunds)}</LangLink></h2>
            <Loader resource=overview let:o>
                <div class="stats">
                    <Stat label=FundMsg::Available value=o.available/>
                    <Stat label=FundMsg::Reserved value=o.reserved/>
                    <Stat label=FundMsg::MonthSpend value=o.month_spend/>
                </div>
            </Loader>
        </section>
    }
}

fn topup_row(x: TopupView) -> impl IntoView {
    view! {
        <tr>
            <td>{x.value_date}</td><td class="mono">{x.bank_ref}</td><td>{x.payer_name}</td>
            <td class="mono">{x.payer_account}</td><td class="num">{x.amount.to_string()}</td>
            <td class="num">{x.credited.to_string()}</td>
            <td><StatusBadge status=x.status/></td>
            <td>{x.at.china_display()}</td>
        </tr>
    }
}

#[component]
pub fn TopupsPage() -> impl IntoView {
    view! {
        <FundsTabs title=FundMsg::TabTopups/>
        <section class="card">
            <Loader resource=load_once(list_topups) let:list>
                <DataTable cols=vec![Col::new(FundMsg::ValueDate), Col::new(FundMsg::BankRef), Col::new(FundMsg::PayerName), Col::new(FundMsg::PayerAccount), Col::num(FundMsg::Amount), Col::num(FundMsg::Credited), Col::new(FundMsg::Status), Col::new(FundMsg::RecordedAt)]
                    rows=list row=topup_row empty=FundMsg::NoTopups testid="topups"/>
            </Loader>
        </section>
    }
}
