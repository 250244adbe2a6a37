//! 开票统计 `/portal/finance/stats` (issue 17, P1.1.4): invoiced, being invoiced and not yet
//! invoiced, and a chart of the last twelve months' invoiceable and invoiced amounts (an SVG
//! drawn by our own code, the same on the server and in the browser), with its table.

use super::{FinanceTabs, StandingCard};
use crate::api::invoices::load_invoice_stats;
use crate::components::{load_once, Col, DataTable, Loader};
use crate::i18n::{t, InvMsg};
use crate::model::invoice::InvoiceMonth;
use leptos::prelude::*;

const W: f64 = 720.0;
const H: f64 = 200.0;
const PAD: f64 = 16.0;

#[component]
pub fn InvoiceStatsPage() -> impl IntoView {
    let stats = load_once(load_invoice_stats);
    view! {
        <FinanceTabs title=InvMsg::TabStats/>
        <Loader resource=stats page=true let:s>
            <StandingCard s=s.standing/>
            <section class="card">
                <MonthChart months=s.months.clone()/>
                <DataTable cols=vec![Col::new(InvMsg::Month), Col::num(InvMsg::Invoiceable), Col::num(InvMsg::Invoiced)]
                    rows=s.months row=month_row testid="invoice-months"/>
            </section>
        </Loader>
    }
}

fn month_row(m: InvoiceMonth) -> impl IntoView {
    view! {
        <tr><td>{m.month}</td><td class="num">{m.invoiceable.to_string()}</td><td class="num">{m.invoiced.to_string()}</td></tr>
    }
}

/// Two bars a month: invoiceable (dark) and invoiced (light), scaled to the largest.
#[component]
fn MonthChart(months: Vec<InvoiceMonth>) -> impl IntoView {
    let max = months
        .iter()
        .flat_map(|m| [m.invoiceable.0, m.invoiced.0])
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = (W - 2.0 * PAD) / months.len().max(1) as f64;
    let bar = slot * 0.35;
    let height = |v: i64| (v.max(0) as f64 / max) * (H - 2.0 * PAD);
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x = PAD + slot * i as f64 + slot * 0.1;
            let (a, b) = (height(m.invoiceable.0), height(m.invoiced.0));
            view! {
                <rect x=format!("{x:.1}") y=format!("{:.1}", H - PAD - a) width=format!("{bar:.1}") height=format!("{a:.1}") class="chart-bar"/>
                <rect x=format!("{:.1}", x + bar) y=format!("{:.1}", H - PAD - b) width=format!("{bar:.1}") height=format!("{b:.1}") class="chart-bar-alt"/>
            }
        })
        .collect_view();
    let first = months.first().map(|m| m.month.clone()).unwrap_or_default();
    let last = months.last().map(|m| m.month.clone()).unwrap_or_default();
    let summary = format!("{first} – {last}");
    let label = summary.clone();
    view! {
        <figure class="chart" data-testid="invoice-chart">
            <figcaption>{t(InvMsg::MonthlyChart)}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=label preserveAspectRatio="none">
                <title>{summary}</title>
                <line x1=PAD y1=H - PAD x2=W - PAD y2=H - PAD class="chart-axis"/>
                {bars}
            </svg>
            <div class="chart-labels"><span>{first}</span><span>{last}</span></div>
            <p class="muted">{t(InvMsg::ChartNote)}</p>
        </figure>
    }
}
