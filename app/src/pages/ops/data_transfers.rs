//! 隐私 → 信息转让 `/ops/privacy/transfers` (issue 19; P3.2; privacy officers): every recorded
//! transfer in a merger, an acquisition, a bankruptcy or an asset transfer — the successor, what
//! happens, the basis, the date, how many enterprises and people it reached — and the form that
//! records one and tells everyone affected.

use crate::api::sharing::{successions, RecordSuccession};
use crate::components::{
    action_error, successes, Card, Col, DataTable, Field, FormError, Label, Loader, SelectField,
    Submit,
};
use crate::i18n::{succession_basis_label, succession_kind_label, t, use_lang, ShareMsg};
use crate::model::succession::{
    SuccessionBasis, SuccessionKind, SuccessionView, SUCCESSOR_MAX, SUMMARY_MAX,
};
use leptos::prelude::*;

#[component]
pub fn OpsDataTransfersPage() -> impl IntoView {
    let record = ServerAction::<RecordSuccession>::new();
    let recorded = successes(record);
    let list = Resource::new(move || recorded.get(), |_| successions());
    view! {
        <super::incidents::PrivacyTabs title=ShareMsg::TransfersTitle/>
        <p class="muted">{t(ShareMsg::TransfersIntro)}</p>
        <Card testid="transfers">
            <Loader resource=list let:rows>
                <DataTable cols=vec![Col::new(ShareMsg::EffectiveOn), Col::new(ShareMsg::SuccessorName), Col::new(ShareMsg::TransferKind), Col::new(ShareMsg::TransferBasis), Col::num(ShareMsg::AffectedCount)]
                    rows=rows row=transfer_row empty=ShareMsg::NoTransfers testid="transfer-list"/>
            </Loader>
        </Card>
        <Card title=ShareMsg::NewTransfer testid="transfer-new">
            <TransferFields record/>
        </Card>
    }
}

fn transfer_row(s: SuccessionView) -> impl IntoView {
    let lang = use_lang();
    let summary = s.summary.clone();
    view! {
        <tr data-testid="transfer-row">
            <td>{s.effective_on.china_date()}</td>
            <td>{s.successor.clone()} <br/><span class="muted small pre-line">{move || summary.get(lang.get()).to_string()}</span></td>
            <td>{t(succession_kind_label(s.kind))}</td>
            <td>{t(succession_basis_label(s.basis))}</td>
            <td class="num" data-testid="transfer-counts">{format!("{} / {}", s.enterprises, s.told)}</td>
        </tr>
    }
}

#[component]
fn TransferFields(record: ServerAction<RecordSuccession>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(record);
    let kinds: Vec<(&'static str, Label)> = SuccessionKind::ALL
        .iter()
        .map(|k| (k.code(), succession_kind_label(*k).into()))
        .collect();
    let bases: Vec<(&'static str, Label)> = SuccessionBasis::ALL
        .iter()
        .map(|b| (b.code(), succession_basis_label(*b).into()))
        .collect();
    view! {
        {move || record.value().get().and_then(Result::ok).map(|_| view! {
            <p class="notice notice-success" role="status" data-testid="transfer-recorded">{move || crate::i18n::Translate::text(ShareMsg::TransferRecorded, lang.get())}</p>
        })}
        <ActionForm action=record attr:class="form" attr:novalidate=true attr:data-testid="transfer-form">
            <FormError error/>
            <Field label=ShareMsg::SuccessorName name="successor" error maxlength=SUCCESSOR_MAX/>
            <SelectField label=ShareMsg::TransferKind name="kind" error options=kinds blank=ShareMsg::TransferKind/>
            <SelectField label=ShareMsg::TransferBasis name="basis" error options=bases blank=ShareMsg::TransferBasis/>
            <Field label=ShareMsg::EffectiveOn name="effective_on" error kind="date"/>
            <div class="field">
                <label><input type="checkbox" name="everyone" data-testid="transfer-everyone"/> " " {t(ShareMsg::Everyone)}</label>
            </div>
            <Field label=ShareMsg::Enterprises name="enterprises" error multiline=true required=false/>
            <Field label=ShareMsg::SummaryZh name="summary_zh" error multiline=true maxlength=SUMMARY_MAX/>
            <Field label=ShareMsg::SummaryEn name="summary_en" error multiline=true maxlength=SUMMARY_MAX/>
            <Submit label=ShareMsg::RecordTransfer pending=record.pending().into()/>
        </ActionForm>
    }
}
