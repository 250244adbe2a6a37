//! 隐私 → 工人服务协议 `/ops/privacy/agreement` (privacy officer; issue 18 §2): every version of
//! the worker service agreement with how many workers hold a signature of it and how many were
//! texted about it, and the form that publishes a new one. Publishing texts every worker who
//! signed an earlier version a link to read and sign it (the agreement's §6); the new version
//! applies to each once they sign it.

use crate::api::signing::{agreement_versions, PublishAgreement};
use crate::components::{action_error, successes, Card, Field, FormError, Loader, Submit};
use crate::i18n::{t, use_lang, PolicyMsg, SignMsg};
use crate::model::agreement::{AgreementAdmin, AgreementVersion, AGREEMENT_MAX};
use leptos::prelude::*;

#[component]
pub fn OpsAgreementPage() -> impl IntoView {
    let publish = ServerAction::<PublishAgreement>::new();
    let published = successes(publish);
    let list = Resource::new(move || published.get(), |_| agreement_versions());
    view! {
        <super::incidents::PrivacyTabs title=SignMsg::AgreementTitle/>
        <p class="muted">{t(SignMsg::AgreementIntro)}</p>
        {move || publish.value().get().and_then(Result::ok).map(|told| view! {
            <p class="notice notice-success" role="status" data-testid="agreement-published">
                {t(SignMsg::AgreementPublished)} " " <span data-testid="agreement-told">{told}</span>
            </p>
        })}
        <Loader resource=list let:data>
            <Versions data=data.clone()/>
            <Card title=SignMsg::AgreementNew testid="agreement-new">
                <PublishForm data publish/>
            </Card>
        </Loader>
    }
}

/// Every version, newest first, each text behind a disclosure.
#[component]
fn Versions(data: AgreementAdmin) -> impl IntoView {
    view! {
        <section class="card" data-testid="agreement-versions">
            <h2>{t(SignMsg::AgreementVersions)}</h2>
            <ul class="plain">
                {data.versions.into_iter().enumerate().map(|(i, v)| view! { <VersionItem v current=i == 0/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn VersionItem(v: AgreementVersion, current: bool) -> impl IntoView {
    let lang = use_lang();
    let by = if v.published_by.is_empty() {
        None
    } else {
        Some(v.published_by.clone())
    };
    view! {
        <li data-testid="agreement-version" data-version=v.version.clone()>
            <h3>
                {t(SignMsg::Version)} " " <span class="mono">{v.version.clone()}</span>
                {current.then(|| view! { " " <span class="badge badge-done">{t(SignMsg::AgreementCurrent)}</span> })}
            </h3>
            <dl class="facts">
                <div><dt>{t(PolicyMsg::Published)}</dt><dd>{v.published_at.china_display()} {by.map(|b| view! { " · " {b} })}</dd></div>
                <div><dt>{t(SignMsg::AgreementSignedCount)}</dt><dd data-testid="agreement-signed">{v.signed}</dd></div>
                <div><dt>{t(SignMsg::AgreementToldCount)}</dt><dd data-testid="agreement-told-count">{v.told}</dd></div>
                <div><dt>{t(SignMsg::AgreementHash)}</dt><dd class="mono">{v.content_hash.clone()}</dd></div>
            </dl>
            <details>
                <summary>{t(SignMsg::AgreementReadText)}</summary>
                <div class="agreement pre-line" tabindex="0">{move || match lang.get() {
                    crate::model::Lang::ZhCn => v.content_zh.clone(),
                    crate::model::Lang::En => v.content_en.clone(),
                }}</div>
            </details>
        </li>
    }
}

/// The new version's label and texts, started from the current version's texts.
#[component]
fn PublishForm(data: AgreementAdmin, publish: ServerAction<PublishAgreement>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(publish);
    let latest = data.versions.first().cloned();
    let (zh, en) = latest
        .as_ref()
        .map(|v| (v.content_zh.clone(), v.content_en.clone()))
        .unwrap_or_default();
    let signed = data.signed_workers;
    view! {
        <ActionForm action=publish attr:class="form" attr:novalidate=true attr:data-testid="agreement-form">
            <FormError error/>
            <p class="notice notice-info" data-testid="agreement-will-tell">
                {move || crate::i18n::text::agreement_will_tell(lang.get(), signed)}
            </p>
            <Field label=SignMsg::Version name="version" error maxlength=16 hint=SignMsg::AgreementVersionHint/>
            <Field label=PolicyMsg::ContentZh name="content_zh" error value=zh multiline=true maxlength=AGREEMENT_MAX as u32/>
            <Field label=PolicyMsg::ContentEn name="content_en" error value=en multiline=true maxlength=AGREEMENT_MAX as u32/>
            <Submit label=SignMsg::AgreementPublish pending=publish.pending().into()/>
        </ActionForm>
    }
}
