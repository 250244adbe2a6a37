//! 发票 `/ops/invoices` (finance; issue 17): the queue with filters and days waiting, and each
//! application's steps — take up, issue (number, date, rate, the file), reject, mail a paper
//! invoice, record a red-letter invoice (or withdraw one typed wrong) and, by another finance
//! operator, approve the reversal.
//! `/ops/applications/taxpayer-ids` (reviewers): legacy taxpayer IDs to accept or refuse.

use crate::api::invoices::{
    load_invoice_queue, load_pending_taxpayer_ids, ApproveRedInvoice, DecideTaxpayerId,
    MailInvoice, RecordRedInvoice, RejectInvoice, StartInvoice, WithdrawRedInvoice,
};
use crate::components::{
    action_error, code_options, query_values, successes, AreaHeader, Card, CodeSelect, Col,
    DataTable, DownloadLink, FileUpload, FilterForm, FormError, ItemButton, Loader, StatusBadge,
    Tab,
};
use crate::i18n::{
    invoice_kind_label, invoice_status_label, localized_href, medium_label, t, use_lang, InvMsg,
    Msg, Translate,
};
use crate::model::invoice::{
    BuyerView, InvoiceKind, InvoiceStatus, InvoiceView, Medium, PendingTaxpayerId, TaxRate,
};
use leptos::prelude::*;

#[component]
pub fn OpsInvoicesPage() -> impl IntoView {
    let query = query_values(["status", "kind", "medium"]);
    let (start, reject) = (
        ServerAction::<StartInvoice>::new(),
        ServerAction::<RejectInvoice>::new(),
    );
    let (mail, red, approve, withdraw) = (
        ServerAction::<MailInvoice>::new(),
        ServerAction::<RecordRedInvoice>::new(),
        ServerAction::<ApproveRedInvoice>::new(),
        ServerAction::<WithdrawRedInvoice>::new(),
    );
    let issued = RwSignal::new(0u32);
    let changed = (
        successes(start),
        successes(reject),
        successes(mail),
        successes(red),
        successes(approve),
        successes(withdraw),
    );
    let queue = Resource::new(
        move || {
            (
                query(),
                issued.get(),
                changed.0.get()
                    + changed.1.get()
                    + changed.2.get()
                    + changed.3.get()
                    + changed.4.get()
                    + changed.5.get(),
            )
        },
        |([status, kind, medium], _, _)| load_invoice_queue(status, kind, medium),
    );
    let actions = Actions {
        start,
        reject,
        mail,
        red,
        approve,
        withdraw,
        issued,
    };
    let errors = [
        action_error(start),
        action_error(reject),
        action_error(mail),
        action_error(red),
        action_error(approve),
        action_error(withdraw),
    ];
    let statuses = code_options(
        InvoiceStatus::ALL,
        InvoiceStatus::code,
        invoice_status_label,
    );
    let kinds = code_options(InvoiceKind::ALL, InvoiceKind::code, invoice_kind_label);
    let media = code_options(Medium::ALL, Medium::code, medium_label);
    view! {
        <AreaHeader title=InvMsg::Queue area=Msg::AreaInvoices>
            <Tab path="/ops/invoices" label=InvMsg::Queue exact=true/>
        </AreaHeader>
        <Card testid="invoice-queue">
            <p class="muted">{t(InvMsg::QueueIntro)}</p>
            <FilterForm submit=InvMsg::Filter>
                <CodeSelect name="status" label=InvMsg::Status all=InvMsg::AllWaiting options=statuses selected=Signal::derive(move || query()[0].clone())/>
                <CodeSelect name="kind" label=InvMsg::Kind all=InvMsg::AnyKind options=kinds selected=Signal::derive(move || query()[1].clone())/>
                <CodeSelect name="medium" label=InvMsg::Medium all=InvMsg::AnyMedium options=media selected=Signal::derive(move || query()[2].clone())/>
            </FilterForm>
            {errors.into_iter().map(|error| view! { <FormError error/> }).collect_view()}
            <Loader resource=queue let:items>
                <DataTable cols=vec![Col::new(InvMsg::Enterprise), Col::num(InvMsg::Amount), Col::new(InvMsg::Kind), Col::new(InvMsg::Buyer), Col::new(InvMsg::Applied), Col::new(InvMsg::Status), Col::new(Msg::Actions)]
                    rows=items row=move |x| queue_row(x, actions) empty=InvMsg::NoApplications testid="invoice-queue-rows"/>
            </Loader>
        </Card>
    }
}

/// The queue's actions, shared by its rows.
#[derive(Clone, Copy)]
struct Actions {
    start: ServerAction<StartInvoice>,
    reject: ServerAction<RejectInvoice>,
    mail: ServerAction<MailInvoice>,
    red: ServerAction<RecordRedInvoice>,
    approve: ServerAction<ApproveRedInvoice>,
    withdraw: ServerAction<WithdrawRedInvoice>,
    /// Counts issues (a multipart upload, not a server action).
    issued: RwSignal<u32>,
}

fn queue_row(x: InvoiceView, a: Actions) -> impl IntoView {
    let lang = use_lang();
    let number = x.number.clone();
    // Each cell's view is erased (`AnyView`): one statically typed row of this size overflows
    // the stack of a debug build's server thread.
    let buyer = x.buyer.clone().map(buyer_details);
    let actions = row_actions(&x, a);
    view! {
        <tr data-testid="invoice-item">
            <td>{x.enterprise_name.clone()}</td>
            <td class="num">{x.amount.to_string()}{(x.parts > 1).then(|| format!(" ({}/{})", x.part, x.parts))}</td>
            <td>{t(invoice_kind_label(x.kind))} " · " {t(medium_label(x.medium))}<br/><span class="muted">{x.goods.clone()}</span></td>
            <td>{x.buyer_title.clone()}<br/><span class="mono">{x.buyer_taxpayer_id.clone()}</span>{buyer}</td>
            <td>{x.applied_at.china_display()}<br/><span class="muted">{move || format!("{} {}", InvMsg::DaysWaiting.text(lang.get()), x.days_waiting)}</span></td>
            <td>
                <StatusBadge status=x.status testid="queue-status"/>
                {number.map(|n| view! { <br/><span class="mono">{n}</span> })}
                {x.reversal_pending.then(|| view! { <br/><span class="muted" data-testid="red-pending">{t(InvMsg::RedPending)}</span> })}
            </td>
            <td class="actions">{actions}</td>
        </tr>
    }
}

/// The steps that apply to an application in its status.
fn row_actions(x: &InvoiceView, a: Actions) -> Vec<AnyView> {
    let lang = use_lang();
    let waiting = x.status.being_invoiced();
    let id = || x.id.clone();
    let mut out = Vec::new();
    if x.status == InvoiceStatus::Submitted {
        out.push(view! { <ItemButton action=a.start value=id() label=InvMsg::StartIssuing testid="start-invoice"/> }.into_any());
    }
    if waiting {
        out.push(issue_form(&x.id, a.issued).into_any());
        out.push(view! {
            <ItemButton action=a.reject value=id() label=InvMsg::Reject class="btn btn-danger" testid="reject-invoice">
                <label>{t(InvMsg::Reason)} <input name="reason" maxlength="200" required=true data-testid="reject-reason"/></label>
            </ItemButton>
        }.into_any());
    }
    if x.has_file {
        let href = format!("/ops/invoices/{}/file", x.id);
        out.push(view! {
            <DownloadLink href=Signal::derive(move || localized_href(&href, lang.get())) testid="ops-invoice-download">{t(InvMsg::Download)}</DownloadLink>
        }.into_any());
    }
    // A paper invoice recorded as voided (its red letter waiting) is not posted.
    if x.status == InvoiceStatus::Issued && x.medium == Medium::Paper && x.red_number.is_none() {
        out.push(view! {
            <ItemButton action=a.mail value=id() label=InvMsg::Mail testid="mail-invoice">
                <label>{t(InvMsg::Courier)} <input name="courier" maxlength="40" required=true data-testid="courier"/></label>
                <label>{t(InvMsg::Waybill)} <input name="waybill" maxlength="40" required=true data-testid="waybill"/></label>
            </ItemButton>
        }.into_any());
    }
    if x.status.invoiced() && x.red_number.is_none() {
        out.push(view! {
            <ItemButton action=a.red value=id() label=InvMsg::RecordRed class="btn btn-danger" testid="record-red">
                <label>{t(InvMsg::RedNumber)} <input name="number" inputmode="numeric" maxlength="24" required=true data-testid="red-number"/></label>
                <label>{t(InvMsg::RedDate)} <input name="date" type="date" required=true data-testid="red-date"/></label>
                <label>{t(InvMsg::RedReason)} <input name="reason" maxlength="200" required=true data-testid="red-reason"/></label>
            </ItemButton>
        }.into_any());
    }
    if x.reversal_pending {
        let shown = x.red_number.clone().unwrap_or_default();
        out.push(view! {
            <ItemButton action=a.approve value=id() label=InvMsg::ApproveRed class="btn btn-primary" testid="approve-red">
                <input type="hidden" name="red_number" value=shown/>
            </ItemButton>
        }.into_any());
        out.push(view! {
            <ItemButton action=a.withdraw value=id() label=InvMsg::WithdrawRed testid="withdraw-red">
                <label>{t(InvMsg::Reason)} <input name="reason" maxlength="200" required=true data-testid="withdraw-red-reason"/></label>
            </ItemButton>
        }.into_any());
    }
    out
}

/// What finance prints on the invoice and where a paper one goes.
fn buyer_details(b: BuyerView) -> AnyView {
    let line = |parts: [&str; 2]| {
        parts
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let registered = line([&b.reg_address, &b.reg_phone]);
    let bank = line([&b.bank_name, &b.bank_account]);
    let mail = line([&b.mail_name, &b.mail_phone]);
    view! {
        <br/><span class="muted" data-testid="buyer-registered">{registered}</span>
        <br/><span class="muted mono" data-testid="buyer-bank">{bank}</span>
        <br/><span class="muted" data-testid="buyer-mail">{mail} " " {b.mail_address}</span>
    }
    .into_any()
}

/// Issuing: the number, date and rate, and the invoice's file, sent as one multipart form (it
/// works before the WASM loads).
fn issue_form(id: &str, issued: RwSignal<u32>) -> impl IntoView {
    let (id, name) = (id.to_string(), format!("issue-{id}"));
    let on_done = Callback::new(move |_: String| issued.update(|n| *n += 1));
    let rates = TaxRate::ALLOWED
        .iter()
        .map(|r| view! { <option value=r.to_string() selected=*r == 6>{format!("{r}%")}</option> })
        .collect_view();
    view! {
        <FileUpload action="/api/issue_invoice" name accept=".pdf,.ofd,.xml,application/pdf,application/xml"
            label=InvMsg::File hint=InvMsg::Issue on_done max_bytes=crate::model::invoice::MAX_INVOICE_FILE_BYTES
            submit=InvMsg::Issue>
            <input type="hidden" name="id" value=id/>
            <label>{t(InvMsg::Number)} <input name="number" inputmode="numeric" maxlength="24" required=true data-testid="invoice-number"/></label>
            <label>{t(InvMsg::Date)} <input name="date" type="date" required=true data-testid="invoice-date"/></label>
            <label>{t(InvMsg::Rate)} <select name="rate" data-testid="invoice-rate">{rates}</select></label>
        </FileUpload>
    }
}

/// Legacy taxpayer IDs waiting for a reviewer (`/ops/applications/taxpayer-ids`).
#[component]
pub fn TaxpayerIdsPage() -> impl IntoView {
    let decide = ServerAction::<DecideTaxpayerId>::new();
    let decided = successes(decide);
    let list = Resource::new(move || decided.get(), |_| load_pending_taxpayer_ids());
    view! {
        <AreaHeader title=InvMsg::TaxpayerIds area=Msg::AreaApplications>
            <Tab path="/ops/applications" label=Msg::AreaApplications exact=true/>
            <Tab path="/ops/applications/taxpayer-ids" label=InvMsg::TaxpayerIds/>
        </AreaHeader>
        <Card testid="taxpayer-ids">
            <p class="muted">{t(InvMsg::TaxpayerIdsIntro)}</p>
            <FormError error=action_error(decide)/>
            <Loader resource=list let:items>
                <DataTable cols=vec![Col::new(InvMsg::Enterprise), Col::new(InvMsg::CreditCode), Col::new(InvMsg::Title), Col::new(InvMsg::TaxpayerId), Col::new(Msg::Actions)]
                    rows=items row=move |p| taxpayer_row(p, decide) empty=InvMsg::NoTaxpayerIds/>
            </Loader>
        </Card>
    }
}

fn taxpayer_row(p: PendingTaxpayerId, decide: ServerAction<DecideTaxpayerId>) -> impl IntoView {
    let (eid, tid) = (p.enterprise_id.clone(), p.taxpayer_id.clone());
    let buttons = [(true, InvMsg::Accept, "btn btn-primary"), (false, InvMsg::Refuse, "btn btn-danger")]
        .into_iter()
        .map(|(accept, label, class)| {
            let tid = tid.clone();
            view! {
                <ItemButton action=decide name="enterprise_id" value=eid.clone() label class>
                    <input type="hidden" name="taxpayer_id" value=tid/>
                    <input type="hidden" name="accept" value=accept.to_string()/>
                    <label>{t(InvMsg::Reason)} <input name="reason" maxlength="200" required=true/></label>
                </ItemButton>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="taxpayer-id-row">
            <td>{p.enterprise_name}</td><td class="mono">{p.credit_code}</td><td>{p.title}</td>
            <td class="mono">{p.taxpayer_id}</td><td class="actions">{buttons}</td>
        </tr>
    }
}
