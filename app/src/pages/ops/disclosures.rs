//! 隐私 → 合法披露 `/ops/privacy/disclosures` (issue 19; P3.1.2, P3.4; privacy officers): every
//! recorded disclosure — the authority, the ground, the law and the document, whose information
//! and which fields, whether the subject is told and why not — with its status; a second
//! officer approves a pending one (four eyes) or anyone refuses it with a reason; and the form
//! that records a new one.

use crate::api::sharing::{sharing_register, DecideDisclosure, RecordDisclosure};
use crate::components::{
    action_error, successes, Card, Col, DataTable, DecideButtons, Field, FormError, Label, Loader,
    SelectField, StatusBadge, Submit,
};
use crate::i18n::{disclosure_ground_label, t, use_lang, Msg, ShareMsg, Translate};
use crate::model::disclosure::{
    DisclosureGround, DisclosureStatus, DisclosureView, AUTHORITY_MAX, BASIS_MAX, DOCUMENT_MAX,
    REASON_MAX,
};
use leptos::prelude::*;

#[component]
pub fn OpsDisclosuresPage() -> impl IntoView {
    let record = ServerAction::<RecordDisclosure>::new();
    let decide = ServerAction::<DecideDisclosure>::new();
    let recorded = successes(record);
    let decided = successes(decide);
    let list = Resource::new(
        move || (recorded.get(), decided.get()),
        |_| sharing_register(),
    );
    let row = move |d: DisclosureView| disclosure_row(d, decide);
    view! {
        <super::incidents::PrivacyTabs title=ShareMsg::DisclosuresTitle/>
        <p class="muted">{t(ShareMsg::DisclosuresIntro)}</p>
        <Card testid="disclosures">
            <FormError error=action_error(decide)/>
            <Loader resource=list let:data>
                <DataTable cols=vec![Col::new(ShareMsg::DisclosedAt), Col::new(ShareMsg::Authority), Col::new(ShareMsg::Ground), Col::new(ShareMsg::Subject), Col::new(ShareMsg::Fields), Col::new(ShareMsg::Told), Col::new(ShareMsg::Status), Col::new(Msg::Actions)]
                    rows=data.disclosures.clone() row empty=ShareMsg::NoDisclosures testid="disclosure-list"/>
            </Loader>
        </Card>
        <Card title=ShareMsg::NewDisclosure testid="disclosure-new">
            <DisclosureFields record/>
        </Card>
    }
}

fn disclosure_row(d: DisclosureView, decide: ServerAction<DecideDisclosure>) -> impl IntoView {
    let whose = if d.person.is_empty() {
        d.enterprise.clone()
    } else {
        format!("{} · {}", d.enterprise, d.person)
    };
    let told = if d.tell {
        None
    } else {
        Some(d.tell_reason.clone())
    };
    let decided = d.decided_at.map(|at| {
        format!(
            "{} · {}",
            d.decided_by.clone().unwrap_or_default(),
            at.china_display()
        )
    });
    view! {
        <tr data-testid="disclosure-row" data-status=d.status.code()>
            <td>{d.disclosed_at.china_display()}</td>
            <td>{d.authority.clone()} <br/><span class="muted small">{d.document_ref.clone()} " · " {d.legal_basis.clone()}</span></td>
            <td>{t(disclosure_ground_label(d.ground))}</td>
            <td>{whose}</td>
            <td class="mono small">{d.fields.join(", ")}</td>
            <td data-testid="disclosure-told">{match told {
                None => view! { {t(ShareMsg::TellYes)} }.into_any(),
                Some(reason) => view! { {t(ShareMsg::TellNo)} <br/><span class="muted small">{reason}</span> }.into_any(),
            }}</td>
            <td>
                <StatusBadge status=d.status/>
                <br/><span class="muted small">{d.recorded_by.clone()} {decided.map(|x| view! { " / " {x} })}</span>
                {(!d.reject_reason.is_empty()).then(|| view! { <br/><span class="muted small">{d.reject_reason.clone()}</span> })}
            </td>
            <td>{(d.status == DisclosureStatus::Pending).then(|| view! {
                <DecideButtons action=decide id=d.id.clone() approve=ShareMsg::SecondApprove testid="approve-disclosure"/>
            })}</td>
        </tr>
    }
}

/// The record's fields.
#[component]
fn DisclosureFields(record: ServerAction<RecordDisclosure>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(record);
    let grounds: Vec<(&'static str, Label)> = DisclosureGround::ALL
        .iter()
        .map(|g| (g.code(), disclosure_ground_label(*g).into()))
        .collect();
    let tell: Vec<(&'static str, Label)> = vec![
        ("yes", ShareMsg::TellYes.into()),
        ("no", ShareMsg::TellNo.into()),
    ];
    view! {
        {move || record.value().get().and_then(Result::ok).map(|_| view! {
            <p class="notice notice-success" role="status" data-testid="disclosure-recorded">{ShareMsg::Recorded.text(lang.get())}</p>
        })}
        <ActionForm action=record attr:class="form" attr:novalidate=true attr:data-testid="disclosure-form">
            <FormError error/>
            <Field label=ShareMsg::Authority name="authority" error maxlength=AUTHORITY_MAX/>
            <SelectField label=ShareMsg::Ground name="ground" error options=grounds blank=ShareMsg::Ground/>
            <Field label=ShareMsg::LegalBasis name="legal_basis" error maxlength=BASIS_MAX/>
            <Field label=ShareMsg::DocumentRef name="document_ref" error maxlength=DOCUMENT_MAX/>
            <Field label=ShareMsg::CreditCode name="credit_code" error maxlength=18/>
            <Field label=ShareMsg::PersonMobile name="person_mobile" error kind="tel" required=false maxlength=11/>
            <Field label=ShareMsg::FieldList name="fields" error multiline=true/>
            <super::sharing::MapFields/>
            <Field label=ShareMsg::DisclosedAt name="disclosed_at" error kind="datetime-local"/>
            <SelectField label=ShareMsg::Tell name="tell" error options=tell blank=ShareMsg::Tell/>
            <Field label=ShareMsg::TellReason name="tell_reason" error multiline=true required=false maxlength=REASON_MAX/>
            <Submit label=ShareMsg::Record pending=record.pending().into()/>
        </ActionForm>
    }
}
