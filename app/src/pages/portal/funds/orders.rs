//! 付款订单 `/portal/funds/orders`: a new order, a batch upload with its batches, and the
//! order list with a status filter and cursor pages.

use super::FundsTabs;
use crate::api::funds::{list_batches, list_orders, CreateOrder, DecideBatch};
use crate::components::{
    action_error, poll_while, query_values, successes, CodeSelect, Col, DataTable, DownloadLink,
    Field, FileUpload, FilterForm, FormError, ItemButton, LangLink, Loader, RowErrors, Status,
    StatusBadge, Submit,
};
use crate::error::AppError;
use crate::i18n::{
    channel_label, localized_href, order_status_label, reason_label, t, use_lang, FundMsg, Msg,
    Translate,
};
use crate::model::funds::{BatchStatus, BatchView, Channel, OrderPage, OrderStatus, OrderView};
use leptos::prelude::*;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let create = ServerAction::<CreateOrder>::new();
    let decide = ServerAction::<DecideBatch>::new();
    let uploads = RwSignal::new(0u32);
    let created = successes(create);
    let decided = successes(decide);
    let filter = query_values(["status", "batch", "cursor"]);
    // While any order shown is being paid, the list reloads itself until it settles.
    let (in_flight, set_in_flight) = signal(false);
    let tick = poll_while(move || in_flight.get(), 2_000);
    let orders = Resource::new(
        move || {
            (
                filter(),
                created.get(),
                decided.get(),
                uploads.get(),
                tick.get(),
            )
        },
        |([status, batch, cursor], ..)| list_orders(status, batch, cursor),
    );
    Effect::new(move |_| {
        let busy = orders
            .get()
            .and_then(Result::ok)
            .is_some_and(|p| p.orders.iter().any(|o| o.status.in_flight()));
        set_in_flight.set(busy);
    });
    let batches = Resource::new(
        move || (decided.get(), uploads.get(), tick.get()),
        |_| list_batches(),
    );
    view! {
        <FundsTabs title=FundMsg::TabOrders/>
        <div class="grid-2">
            <NewOrder create/>
            <BatchUpload uploads/>
        </div>
        <BatchList batches decide/>
        <OrderList orders filter=Signal::derive(filter)/>
    }
}

fn order_row(o: OrderView) -> impl IntoView {
    let lang = use_lang();
    let key = o.order_id.clone();
    view! {
        <tr data-testid="order-row" data-order-id=key>
            <td><LangLink href=format!("/portal/funds/orders/{}", o.id)>{o.order_id}</LangLink></td>
            <td>{o.payee_name}</td>
            <td>{t(channel_label(o.channel))}</td>
            <td class="mono">{o.account_masked}</td>
            <td class="num">{o.charges.amount.to_string()}</td>
            <td class="num">{o.charges.fee.to_string()}</td>
            <td class="num">{o.charges.tax.to_string()}</td>
            <td class="num">{o.charges.received.to_string()}</td>
            <td><span class=o.status.tone().class() data-testid="order-status" title=move || reason_label(o.reason).text(lang.get())>{t(order_status_label(o.status))}</span></td>
            <td>{o.created_at.china_display()}</td>
        </tr>
    }
}

#[component]
fn NewOrder(create: ServerAction<CreateOrder>) -> impl IntoView {
    let error = action_error(create);
    let lang = use_lang();
    view! {
        <section class="card" data-testid="new-order">
            <h2>{t(FundMsg::NewOrder)}</h2>
            {move || create.value().get().and_then(Result::ok).map(|o| {
                let href = format!("/portal/funds/orders/{}", o.order.id);
                view! {
                    <div class="notice notice-success" role="status" data-testid="order-result">
                        <p>{if o.replayed { t(FundMsg::OrderReplayed)() } else { t(FundMsg::OrderCreated)() }}</p>
                        <p><a href=move || localized_href(&href, lang.get())>{o.order.order_id.clone()}</a>
                            " · " {t(order_status_label(o.order.status))}
                            {o.order.reason.tells_more().then(|| view! { " · " {move || reason_label(o.order.reason).text(lang.get())} })}</p>
                    </div>
                }
            })}
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <FormError error/>
                <Field label=FundMsg::OrderId name="order_id" error maxlength=64 hint=FundMsg::OrderIdHint/>
                <Field label=FundMsg::PayeeName name="payee_name" error maxlength=30/>
                <Field label=FundMsg::IdNumber name="id_number" error maxlength=18/>
                <div class="field">
                    <label for="f-channel">{t(FundMsg::Channel)}</label>
                    <select id="f-channel" name="channel">
                        {Channel::ALL.iter().copied().map(|c| view! { <option value=c.code()>{t(channel_label(c))}</option> }).collect_view()}
                    </select>
                </div>
                <Field label=FundMsg::Account name="account" error hint=FundMsg::AccountHint/>
                <Field label=FundMsg::Mobile name="mobile" kind="tel" error/>
                <Field label=FundMsg::AmountYuan name="amount" error kind="text"/>
                <Field label=FundMsg::Remark name="remark" error required=false maxlength=100/>
                <Field label=FundMsg::Project name="project" error required=false maxlength=64/>
                <div class="form-actions"><Submit label=FundMsg::CreateOrder pending=create.pending().into()/></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn BatchUpload(uploads: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let error = RwSignal::new(None);
    let on_done = Callback::new(move |_: String| uploads.update(|n| *n += 1));
    view! {
        <section class="card" data-testid="batch-upload">
            <h2>{t(FundMsg::BatchUpload)}</h2>
            <FileUpload action="/api/upload_batch" name="batch".to_string() accept=".csv,text/csv"
                label=FundMsg::File hint=FundMsg::BatchHint on_done error max_bytes=crate::model::orders::BATCH_MAX_BYTES/>
            <RowErrors error/>
            <p class="muted">{t(FundMsg::TemplateIntro)}</p>
            <p class="form-actions">
                <DownloadLink testid="template-csv" href=Signal::derive(move || format!("/portal/funds/order-template.csv?lang={}", lang.get().code()))>
                    {t(FundMsg::Template)}
                </DownloadLink>
                <DownloadLink testid="template-excel" href=Signal::derive(move || format!("/portal/funds/order-template.csv?lang={}&variant=excel", lang.get().code()))>
                    {t(FundMsg::TemplateExcel)}
                </DownloadLink>
            </p>
        </section>
    }
}

/// The uploaded batches; one awaiting confirmation can be confirmed or cancelled.
#[component]
fn BatchList(
    batches: Resource<Result<Vec<BatchView>, AppError>>,
    decide: ServerAction<DecideBatch>,
) -> impl IntoView {
    let row = move |b: BatchView| {
        view! {
            <tr data-testid="batch-row">
                <td><LangLink href=format!("/portal/funds/orders?batch={}", b.id)>{b.file_name}</LangLink></td>
                <td class="num">{b.order_count}</td>
                <td class="num">{b.total_amount.to_string()}</td>
                <td class="num">{b.total_fee.to_string()}</td>
                <td><StatusBadge status=b.status/></td>
                <td>{b.created_at.china_display()}</td>
                <td>{(b.status == BatchStatus::AwaitingConfirmation).then(|| view! {
                    <ItemButton action=decide value=b.id.clone() label=FundMsg::Confirm class="btn btn-primary" testid="confirm-batch">
                    <input type="hidden" name="confirm" value="true"/>
                </ItemButton>
                <ItemButton action=decide value=b.id label=FundMsg::CancelBatch>
                    <input type="hidden" name="confirm" value="false"/>
                </ItemButton>
                })}</td>
            </tr>
        }
    };
    view! {
        <section class="card" data-testid="batches">
            <h2>{t(FundMsg::Batches)}</h2>
            <FormError error=action_error(decide)/>
            <Loader resource=batches let:list>
                <DataTable cols=vec![Col::new(FundMsg::File), Col::num(FundMsg::Orders), Col::num(FundMsg::Amount), Col::num(FundMsg::Fee), Col::new(FundMsg::Status), Col::new(FundMsg::Created), Col::new(Msg::Actions)]
                    rows=list row/>
            </Loader>
        </section>
    }
}

/// The orders, filtered by status (a GET form), a page at a time.
#[component]
fn OrderList(
    orders: Resource<Result<OrderPage, AppError>>,
    filter: Signal<[String; 3]>,
) -> impl IntoView {
    view! {
            <section class="card">
                <FilterForm submit=FundMsg::Filter>
                    <CodeSelect name="status" label=FundMsg::Status all=FundMsg::AllStatuses
                        options=OrderStatus::ALL.iter().map(|&s| (s.code(), order_status_label(s).into())).collect()
                        selected=Signal::derive(move || filter.get()[0].clone())/>
                </FilterForm>
                <Loader resource=orders let:page>
                    <DataTable cols=vec![Col::new(FundMsg::OrderId), Col::new(FundMsg::Payee), Col::new(FundMsg::Channel), Col::new(FundMsg::Account), Col::num(FundMsg::Amount), Col::num(FundMsg::Fee), Col::num(FundMsg::Tax), Col::num(FundMsg::Received), Col::new(FundMsg::Status), Col::new(FundMsg::Created)]
                        more=page.next_cursor.map(|c| {
                            let [status, batch, _] = filter.get_untracked();
                            format!("/portal/funds/orders?status={status}&batch={batch}&cursor={c}")
                        })
                        rows=page.orders row=order_row empty=FundMsg::NoOrders testid="orders"/>
                </Loader>
            </section>
    }
}
