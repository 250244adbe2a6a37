//! 发票申请 `/portal/finance/invoices` (issue 17, P1.1.4, P6.1): the standing, the application
//! form (split over the per-invoice limit, shown before submitting), and the applications with
//! their statuses, files and waybills.

use super::{FinanceTabs, StandingCard};
use crate::api::invoices::{load_invoices_page, ApplyInvoice, CancelInvoice};
use crate::components::{
    action_error, code_options, successes, Col, DataTable, DownloadLink, Field, FormError,
    ItemButton, LangLink, Loader, SelectField, StatusBadge, Submit,
};
use crate::i18n::{
    apply_block_label, invoice_kind_label, localized_href, medium_label, t, use_lang, InvMsg,
    Translate,
};
use crate::model::invoice::{split, InvoiceKind, InvoiceStatus, InvoiceView, InvoicesPage, Medium};
use crate::model::Fen;
use leptos::prelude::*;

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let apply = ServerAction::<ApplyInvoice>::new();
    let cancel = ServerAction::<CancelInvoice>::new();
    let (applied, cancelled) = (successes(apply), successes(cancel));
    let lang = use_lang();
    let page = Resource::new(
        move || (applied.get(), cancelled.get()),
        |_| load_invoices_page(),
    );
    view! {
        <FinanceTabs title=InvMsg::TabInvoices/>
        <Loader resource=page page=true let:p>
            <StandingCard s=p.standing/>
            <ApplyCard page=p.clone() action=apply/>
            <section class="card">
                <h2>{t(InvMsg::Applications)}</h2>
                <p>
                    <DownloadLink href=Signal::derive(move || format!("/portal/finance/invoices.csv?lang={}", lang.get().code())) testid="invoices-csv">{t(InvMsg::ExportCsv)}</DownloadLink>
                    " "
                    <DownloadLink href=Signal::derive(move || format!("/portal/finance/invoices.csv?variant=excel&lang={}", lang.get().code())) testid="invoices-csv-excel">{t(InvMsg::ExportExcel)}</DownloadLink>
                </p>
                <DataTable cols=vec![Col::new(InvMsg::Applied), Col::num(InvMsg::Amount), Col::new(InvMsg::Kind), Col::new(InvMsg::Status), Col::new(InvMsg::Number), Col::new(InvMsg::Waybill), Col::new(InvMsg::Reason), Col::new(InvMsg::Download)]
                    rows=p.applications row=move |x| invoice_row(x, cancel) empty=InvMsg::NoApplications testid="invoices"/>
            </section>
        </Loader>
    }
}

fn invoice_row(x: InvoiceView, cancel: ServerAction<CancelInvoice>) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/portal/finance/invoices/{}/file", x.id);
    let part = (x.parts > 1).then(|| format!(" ({}/{})", x.part, x.parts));
    let number = x
        .number
        .clone()
        .map(|n| format!("{n} · {}", x.date.clone().unwrap_or_default()));
    let waybill = x
        .waybill
        .clone()
        .map(|w| format!("{} {w}", x.courier.clone().unwrap_or_default()));
    let reason = if x.red_reason.is_empty() {
        x.reason.clone()
    } else {
        x.red_reason.clone()
    };
    view! {
        <tr data-testid="invoice-row">
            <td>{x.applied_at.china_display()}</td>
            <td class="num">{x.amount.to_string()}{part}</td>
            <td>{t(invoice_kind_label(x.kind))} " · " {t(medium_label(x.medium))}</td>
            <td><StatusBadge status=x.status testid="invoice-status"/></td>
            <td class="mono">{number}</td>
            <td class="mono" data-testid="invoice-waybill">{waybill}</td>
            <td>{reason}</td>
            <td>
                {x.has_file.then(|| view! {
                    <DownloadLink href=Signal::derive(move || localized_href(&href, lang.get())) testid="invoice-download">
                        {t(InvMsg::Download)}
                    </DownloadLink>
                })}
                {(x.status == InvoiceStatus::Submitted).then(|| view! {
                    <ItemButton action=cancel value=x.id.clone() label=InvMsg::Cancel testid="invoice-cancel"/>
                })}
            </td>
        </tr>
    }
}

/// The application form, or why the enterprise cannot apply yet.
#[component]
fn ApplyCard(page: InvoicesPage, action: ServerAction<ApplyInvoice>) -> impl IntoView {
    let error = action_error(action);
    let lang = use_lang();
    let limit = page.limit;
    let typed = RwSignal::new(String::new());
    // The split, shown before submitting (the server splits with the same rule).
    let preview = move || {
        let amount = Fen::parse_positive_yuan(&typed.get()).ok()?;
        let parts = split(amount, limit);
        (parts.len() > 1).then(|| {
            parts
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(" + ")
        })
    };
    let kinds = code_options(InvoiceKind::ALL, InvoiceKind::code, invoice_kind_label);
    let media = code_options(Medium::ALL, Medium::code, medium_label);
    let body = match page.blocked {
        Some(block) => view! {
            <p class="notice notice-info" data-testid="invoice-blocked">
                {t(apply_block_label(block))} " "
                <LangLink href="/portal/finance/profile">{t(InvMsg::TabProfile)}</LangLink>
            </p>
        }
        .into_any(),
        None => view! {
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="key" value=page.form_key/>
                <div class="field">
                    <label for="f-amount">{t(InvMsg::Amount)}</label>
                    <input id="f-amount" name="amount" type="text" inputmode="decimal" required=true data-testid="invoice-amount"
                        on:input=move |ev| typed.set(event_target_value(&ev)) aria-describedby="f-amount-split f-amount-error"/>
                    <span class="hint" id="f-amount-split" aria-live="polite" data-testid="invoice-split">
                        {move || format!("{}: {}", InvMsg::Limit.text(lang.get()), limit)}
                        {move || preview().map(|p| format!(" · {}{p}", InvMsg::SplitNote.text(lang.get())))}
                    </span>
                    <span class="error" id="f-amount-error" data-field-error="amount">
                        {move || error.get().and_then(|e| e.field_message("amount", lang.get()))}
                    </span>
                </div>
                <SelectField label=InvMsg::Kind name="kind" error options=kinds selected="ordinary"/>
                <SelectField label=InvMsg::Medium name="medium" error options=media selected="electronic"/>
                <div class="field">
                    <label for="f-goods">{t(InvMsg::Goods)}</label>
                    <select id="f-goods" name="goods" data-testid="select-goods">
                        {page.goods.into_iter().map(|g| view! { <option value=g.clone()>{g.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <Field label=InvMsg::Remark name="remark" error required=false maxlength=200/>
                <Field label=InvMsg::Emails name="emails" error value=page.default_emails required=false maxlength=400/>
                <div class="form-actions"><Submit label=InvMsg::Submit pending=action.pending().into()/></div>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <section class="card" data-testid="apply-invoice">
            <h2>{t(InvMsg::Apply)}</h2>
            {body}
        </section>
    }
}
