//! 统计 `/ops/stats` (issue 16 §1, P1.4): the platform's figures — enterprises, people,
//! applications waiting, payment orders by status, the monthly paid volume — as counts and sums
//! only (no enterprise, person or order is named).

use crate::api::stats::console_stats;
use crate::components::{load_once, Card, Col, DataTable, Loader, StatusBadge};
use crate::i18n::{t, Msg, StatsMsg};
use crate::model::stats::{MonthVolume, StatusCount};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StatsPage() -> impl IntoView {
    let stats = load_once(console_stats);
    view! {
        <Title text=t(Msg::AreaStats)/>
        <h1 class="page-title">{t(Msg::AreaStats)}</h1>
        <p class="muted">{t(StatsMsg::Intro)}</p>
        <Loader resource=stats page=true let:s>
            <Card title=StatsMsg::Overview testid="stats-overview">
                <dl class="facts">
                    <dt>{t(StatsMsg::EnterprisesActive)}</dt><dd data-testid="stat-enterprises">{s.enterprises_active}</dd>
                    <dt>{t(StatsMsg::EnterprisesClosed)}</dt><dd>{s.enterprises_closed}</dd>
                    <dt>{t(StatsMsg::PeopleActive)}</dt><dd>{s.people_active}</dd>
                    <dt>{t(StatsMsg::ApplicationsWaiting)}</dt><dd>{s.applications_waiting}</dd>
                </dl>
            </Card>
            <Card title=StatsMsg::Orders testid="stats-orders">
                <DataTable cols=vec![Col::new(StatsMsg::Status), Col::num(StatsMsg::Count)]
                    rows=s.orders.clone() row=order_row testid="stats-orders-table"/>
            </Card>
            <Card title=StatsMsg::Months testid="stats-months">
                <DataTable cols=vec![Col::new(StatsMsg::Month), Col::num(StatsMsg::Paid), Col::num(StatsMsg::Amount), Col::num(StatsMsg::Fees)]
                    rows=s.months.clone() row=month_row testid="stats-months-table"/>
            </Card>
        </Loader>
    }
}

fn order_row(c: StatusCount) -> impl IntoView {
    view! { <tr><td><StatusBadge status=c.status/></td><td class="num">{c.count}</td></tr> }
}

fn month_row(m: MonthVolume) -> impl IntoView {
    view! {
        <tr>
            <td>{m.month}</td><td class="num">{m.paid}</td>
            <td class="num">{m.amount.to_string()}</td><td class="num">{m.fees.to_string()}</td>
        </tr>
    }
}
