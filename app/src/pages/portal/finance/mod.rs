//! 财务中心 `/portal/finance` (issue 17, P1.1.4, P6.1): VAT invoices for the admin and the
//! members with the finance permission — the applications with their statuses, files and
//! waybills, the invoice profile with its history, and the statistics.

mod invoices;
mod profile;
mod stats;

pub use invoices::InvoicesPage;
pub use profile::InvoiceProfilePage;
pub use stats::InvoiceStatsPage;

use crate::components::{AreaHeader, Label, Tab};
use crate::i18n::{t, InvMsg, Msg};
use crate::model::access::MemberNeeds;
use crate::model::account::Permission;
use crate::model::invoice::Standing;
use crate::model::Fen;
use leptos::prelude::*;

/// What the finance pages need (the same permission their server functions check).
pub const FINANCE: MemberNeeds = MemberNeeds::Permission(Permission::Finance);

/// The page's title, the area's heading and its tabs.
#[component]
pub fn FinanceTabs(#[prop(into)] title: Label) -> impl IntoView {
    view! {
        <AreaHeader title area=Msg::AreaFinance>
            <Tab path="/portal/finance/invoices" label=InvMsg::TabInvoices/>
            <Tab path="/portal/finance/profile" label=InvMsg::TabProfile/>
            <Tab path="/portal/finance/stats" label=InvMsg::TabStats/>
        </AreaHeader>
    }
}

fn figure(label: InvMsg, value: Fen, testid: &'static str) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-label">{t(label)}</span>
            <span class="stat-value" data-testid=testid>{value.to_string()}</span>
        </div>
    }
}

/// The standing: the invoiceable total and how it divides (P1.1.4).
#[component]
fn StandingCard(s: Standing) -> impl IntoView {
    view! {
        <section class="card" data-testid="invoice-standing">
            <div class="stats">
                {figure(InvMsg::Invoiceable, s.total, "invoiceable")}
                {figure(InvMsg::Invoiced, s.invoiced, "invoiced")}
                {figure(InvMsg::BeingInvoiced, s.being_invoiced, "being-invoiced")}
                {figure(InvMsg::NotYetInvoiced, s.not_yet_invoiced, "not-yet-invoiced")}
                {(s.over_invoiced.0 > 0).then(|| figure(InvMsg::OverInvoiced, s.over_invoiced, "over-invoiced"))}
            </div>
            <p class="muted">{t(InvMsg::RuleNote)}</p>
        </section>
    }
}
