//! 隐私中心 → 数据共享记录 `/portal/privacy/sharing` (issue 19; P3.1.3): who outside the platform
//! receives the enterprise's and its people's information — each recipient with its kind,
//! purpose and basis, the kinds of information it may receive, its region and agreement — and
//! the log of every time data left, newest first, filterable by recipient. The admin sees the
//! enterprise's and all its people's; a member their own.

use crate::api::sharing::load_sharing_log;
use crate::components::{Col, DataTable, DownloadLink, LangLink, Loader};
use crate::i18n::{
    basis_text, categories_text, purpose_text, recipient_kind_label, t, use_lang, ShareMsg,
    Translate,
};
use crate::model::provision::Grounds;
use crate::model::purpose::LegalBasis;
use crate::model::sharing::{Recipient, SharingEvent};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SharingPage() -> impl IntoView {
    let query = use_query_map();
    let log = Resource::new(
        move || {
            let q = query.read();
            (q.get("recipient"), q.get("cursor"))
        },
        |(recipient, cursor)| load_sharing_log(recipient, cursor),
    );
    view! {
        <Title text=t(ShareMsg::Title)/>
        <h1 class="page-title">{t(ShareMsg::Title)}</h1>
        <p><LangLink href="/portal/privacy">{t(ShareMsg::Back)}</LangLink></p>
        <p class="muted">{t(ShareMsg::Intro)}</p>
        <Loader resource=log page=true let:data>
            <section class="card" data-testid="sharing-recipients">
                <h2>{t(ShareMsg::Recipients)}</h2>
                <DataTable cols=vec![Col::new(ShareMsg::Recipient), Col::new(ShareMsg::Kind), Col::new(ShareMsg::Purpose), Col::new(ShareMsg::Fields), Col::new(ShareMsg::Region), Col::new(ShareMsg::Agreement)]
                    rows=data.recipients.clone() row=recipient_row testid="recipients"/>
            </section>
            <section class="card" data-testid="sharing-events">
                <h2>{t(ShareMsg::Log)}</h2>
                <Filter recipients=data.recipients.clone()/>
                <Downloads/>
                <DataTable cols=vec![Col::new(ShareMsg::At), Col::new(ShareMsg::Recipient), Col::new(ShareMsg::Purpose), Col::new(ShareMsg::Fields), Col::new(ShareMsg::Whose), Col::new(ShareMsg::Reference)]
                    rows=data.events.clone() row=event_row empty=ShareMsg::NoEvents testid="events"/>
                {data.next.clone().map(|next| {
                    let recipient = query.read().get("recipient").unwrap_or_default();
                    let href = format!("/portal/privacy/sharing?recipient={}&cursor={next}", crate::model::net::encode_component(&recipient));
                    view! { <p><LangLink href=href>{t(ShareMsg::More)}</LangLink></p> }
                })}
            </section>
        </Loader>
    }
}

/// A plain GET form: works before the WASM loads.
#[component]
fn Filter(recipients: Vec<Recipient>) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let chosen = move || query.read().get("recipient").unwrap_or_default();
    view! {
        <form method="get" action="/portal/privacy/sharing" class="inline-form" data-testid="sharing-filter">
            <label for="f-recipient">{t(ShareMsg::Recipient)}</label>
            <select id="f-recipient" name="recipient">
                <option value="" selected=move || chosen().is_empty()>{t(ShareMsg::All)}</option>
                {recipients.into_iter().map(|r| {
                    let code = r.code.clone();
                    let selected = { let code = code.clone(); move || chosen() == code };
                    view! { <option value=code selected=selected>{move || r.name.get(lang.get()).to_string()}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="btn btn-secondary btn-sm">{t(ShareMsg::Apply)}</button>
        </form>
    }
}

/// The log (as filtered) as CSV, plain or for Excel, in the page's language.
#[component]
fn Downloads() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let href = move |variant: &'static str| {
        Signal::derive(move || {
            let recipient = query.read().get("recipient").unwrap_or_default();
            format!(
                "/portal/privacy/sharing.csv?recipient={}&lang={}&variant={variant}",
                crate::model::net::encode_component(&recipient),
                lang.get().code()
            )
        })
    };
    view! {
        <p class="form-actions">
            <DownloadLink testid="sharing-csv" href=href("")>{t(ShareMsg::Download)}</DownloadLink>
            <DownloadLink testid="sharing-csv-excel" href=href("excel")>{t(ShareMsg::DownloadExcel)}</DownloadLink>
        </p>
    }
}

fn recipient_row(r: Recipient) -> impl IntoView {
    let lang = use_lang();
    let (purpose, _) = purpose_text(r.purpose);
    let (basis, _) = basis_text(r.basis());
    let cats = r.categories();
    let name = r.name.clone();
    view! {
        <tr data-testid="recipient-row" data-code=r.code.clone()>
            <td>{move || name.get(lang.get()).to_string()}</td>
            <td>{t(recipient_kind_label(r.kind))}</td>
            <td>{t(purpose)} <br/><span class="muted">{t(basis)}</span></td>
            <td>{if cats.is_empty() {
                view! { {t(ShareMsg::PerDemand)} }.into_any()
            } else {
                view! { {move || categories_text(&cats, lang.get())} }.into_any()
            }}</td>
            <td class="mono">{r.region.clone()}</td>
            <td>{r.contract_ref.clone()}</td>
        </tr>
    }
}

fn event_row(e: SharingEvent) -> impl IntoView {
    let lang = use_lang();
    let name = e.recipient.clone();
    let cats = e.categories.clone();
    // What it rested on (P3.1.1): the registered basis, the person's consent, or de-identified.
    let (purpose, _) = purpose_text(e.purpose);
    let grounds = e.basis;
    let grounds = move || match grounds {
        Grounds::Deidentified => ShareMsg::Deidentified.text(lang.get()),
        Grounds::Consent => basis_text(LegalBasis::Consent).0.text(lang.get()),
        Grounds::Registered(b) => basis_text(b).0.text(lang.get()),
    };
    let whose = if e.subject.is_empty() {
        None
    } else {
        Some(e.subject.clone())
    };
    view! {
        <tr data-testid="event-row">
            <td>{e.at.china_display()}</td>
            <td>{move || name.get(lang.get()).to_string()}</td>
            <td data-testid="event-grounds">{t(purpose)} <br/><span class="muted">{grounds}</span></td>
            <td>{move || categories_text(&cats, lang.get())}</td>
            <td>{match whose { Some(w) => view! { {w} }.into_any(), None => view! { {t(ShareMsg::TheEnterprise)} }.into_any() }}</td>
            <td>{match crate::model::outbox::OutboxPurpose::from_code(&e.reference) {
                // A message: what it was for.
                Some(p) => view! { {t(crate::i18n::outbox_purpose_label(p))} }.into_any(),
                None => view! { <span class="mono">{e.reference.clone()}</span> }.into_any(),
            }}</td>
        </tr>
    }
}
