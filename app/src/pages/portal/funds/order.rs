//! One order `/portal/funds/orders/:id` (its status and reason, the full numbers on request,
//! retry or cancel) and its electronic receipt `/portal/funds/orders/:id/receipt`.

use super::FundsTabs;
use crate::api::funds::{get_order, get_receipt, CancelOrder, RetryOrder, RevealOrder};
use crate::components::{
    action_error, poll_while, successes, Card, DownloadLink, FormError, ItemButton, LangLink,
    Loader, StatusBadge,
};
use crate::i18n::{channel_label, reason_label, t, use_lang, FundMsg};
use crate::model::funds::{OrderStatus, OrderView};
use crate::model::receipt::Receipt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn order_id_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id").unwrap_or_default())
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let id = order_id_param();
    let reveal = ServerAction::<RevealOrder>::new();
    let cancel = ServerAction::<CancelOrder>::new();
    let retry = ServerAction::<RetryOrder>::new();
    let (cancelled, retried) = (successes(cancel), successes(retry));
    let (in_flight, set_in_flight) = signal(false);
    let tick = poll_while(move || in_flight.get(), 2_000);
    let order = Resource::new(
        move || (id(), cancelled.get(), retried.get(), tick.get()),
        |(id, ..)| get_order(id),
    );
    // While it is being paid, the page follows the order until it settles.
    Effect::new(move |_| {
        set_in_flight.set(
            order
                .get()
                .and_then(Result::ok)
                .is_some_and(|o| o.status.in_flight()),
        );
    });
    let error = Signal::derive(move || {
        action_error(reveal)
            .get()
            .or_else(|| action_error(cancel).get())
            .or_else(|| action_error(retry).get())
    });
    view! {
        <FundsTabs title=FundMsg::OrderDetail/>
        <p><LangLink href="/portal/funds/orders">{t(FundMsg::BackToOrders)}</LangLink></p>
        <FormError error/>
        <Loader resource=order page=true let:o>
            <Card testid="order-detail">
                <h2>{t(FundMsg::OrderDetail)} " " <span class="mono">{o.order_id.clone()}</span></h2>
                <p><StatusBadge status=o.status testid="order-status"/>
                   {o.reason.tells_more().then(|| view! { " " <span class="muted" data-testid="order-reason">{t(reason_label(o.reason))}</span> })}</p>
                <OrderFacts o=o.clone()/>
                <OrderActions o reveal cancel retry/>
                {move || reveal.value().get().and_then(Result::ok).map(|s| view! {
                    <dl class="facts notice notice-warning" data-testid="revealed">
                        <div><dt>{t(FundMsg::IdNumber)}</dt><dd class="mono">{s.id_number}</dd></div>
                        <div><dt>{t(FundMsg::Account)}</dt><dd class="mono">{s.account}</dd></div>
                        <div><dt>{t(FundMsg::Mobile)}</dt><dd class="mono">{s.mobile}</dd></div>
                    </dl>
                })}
            </Card>
        </Loader>
    }
}

/// What the order says (the numbers masked).
#[component]
fn OrderFacts(o: OrderView) -> impl IntoView {
    view! {
        <dl class="facts">
            <div><dt>{t(FundMsg::PayeeName)}</dt><dd>{o.payee_name}</dd></div>
            <div><dt>{t(FundMsg::IdNumber)}</dt><dd class="mono">{o.id_masked}</dd></div>
            <div><dt>{t(FundMsg::Channel)}</dt><dd>{t(channel_label(o.channel))}</dd></div>
            <div><dt>{t(FundMsg::Account)}</dt><dd class="mono">{o.account_masked}</dd></div>
            <div><dt>{t(FundMsg::Mobile)}</dt><dd class="mono">{o.mobile_masked}</dd></div>
            <div><dt>{t(FundMsg::Amount)}</dt><dd>{o.charges.amount.to_string()}</dd></div>
            <div><dt>{t(FundMsg::Fee)}</dt><dd>{o.charges.fee.to_string()}</dd></div>
            <div><dt>{t(FundMsg::Tax)}</dt><dd>{o.charges.tax.to_string()}</dd></div>
            <div><dt>{t(FundMsg::Received)}</dt><dd>{o.charges.received.to_string()}</dd></div>
            <div><dt>{t(FundMsg::Remark)}</dt><dd>{o.remark}</dd></div>
            <div><dt>{t(FundMsg::Project)}</dt><dd>{o.project}</dd></div>
            <div><dt>{t(FundMsg::Created)}</dt><dd>{o.created_at.china_display()}</dd></div>
            {o.channel_ref.map(|c| view! { <div><dt>{t(FundMsg::ChannelRef)}</dt><dd class="mono">{c}</dd></div> })}
            {o.paid_at.map(|p| view! { <div><dt>{t(FundMsg::PaidAt)}</dt><dd>{p.china_display()}</dd></div> })}
        </dl>
    }
}

/// Reveal the numbers; retry a suspended order; cancel one not yet paying; the receipt of a
/// paid one.
#[component]
fn OrderActions(
    o: OrderView,
    reveal: ServerAction<RevealOrder>,
    cancel: ServerAction<CancelOrder>,
    retry: ServerAction<RetryOrder>,
) -> impl IntoView {
    let paid = matches!(o.status, OrderStatus::Paid | OrderStatus::Returned);
    let can_cancel = matches!(
        o.status,
        OrderStatus::Suspended | OrderStatus::Accepted | OrderStatus::AwaitingConfirmation
    );
    let id = o.id.clone();
    view! {
        <div class="form-actions">
            <ItemButton action=reveal value=o.id.clone() label=FundMsg::Reveal class="btn btn-secondary" testid="reveal"/>
            {(o.status == OrderStatus::Suspended).then(|| view! {
                <ItemButton action=retry value=o.id.clone() label=FundMsg::Retry class="btn btn-primary"/>
            })}
            {can_cancel.then(|| view! {
                <ItemButton action=cancel value=o.id.clone() label=FundMsg::CancelOrder class="btn btn-danger"/>
            })}
            {paid.then(|| view! {
                <LangLink class="btn btn-secondary" testid="receipt-link" href=format!("/portal/funds/orders/{id}/receipt")>{t(FundMsg::Receipt)}</LangLink>
            })}
        </div>
    }
}

/// The printable receipt. Printing uses the browser's own command (the button calls it once
/// the page is interactive); the download is the same receipt as a file.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let id = order_id_param();
    let receipt = Resource::new(id, get_receipt);
    view! {
        <Title text=t(FundMsg::Receipt)/>
        <Loader resource=receipt page=true let:rc>
            <ReceiptCard rc/>
        </Loader>
    }
}

/// The receipt's lines, and printing or downloading it.
#[component]
fn ReceiptCard(rc: Receipt) -> impl IntoView {
    let lang = use_lang();
    let id = rc.order.id.clone();
    let download = Signal::derive(move || {
        format!(
            "/portal/funds/orders/{id}/receipt.html?lang={}",
            lang.get().code()
        )
    });
    let issuer = rc.issuer.clone();
    let hint = move || crate::i18n::text::receipt_check_hint(lang.get(), issuer.get(lang.get()));
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <p class="no-print"><LangLink href=format!("/portal/funds/orders/{}", rc.order.id)>{t(FundMsg::OrderDetail)}</LangLink></p>
        <section class="card receipt" data-testid="receipt">
            <h1>{t(FundMsg::Receipt)}</h1>
            <table>
                <tbody>
                    {move || crate::i18n::receipt::lines(&rc, lang.get()).into_iter().map(|(label, v)| view! {
                        <tr><th>{label}</th><td>{v}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted">{hint}</p>
            <div class="form-actions no-print">
                <button type="button" class="btn btn-secondary" on:click=print>{t(FundMsg::Print)}</button>
                <DownloadLink class="btn btn-primary" testid="receipt-download" href=download>{t(FundMsg::Download)}</DownloadLink>
            </div>
        </section>
    }
}
