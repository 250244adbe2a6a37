//! `/sign/{token}`: the phone page where a worker signs the worker service agreement (签约; issue
//! 18 §2), reached from the invitation's text. Sent as HTML only (`SERVER_RENDERED_ONLY`): its
//! forms post and come back, so it works on any phone without the WASM client. The worker
//! reads the current version, asks for a code by text, and signs with it and the box ticked.

use crate::api::signing::{load_signing_view, SendSigningCode, SignAgreement};
use crate::components::{action_error, error_from_url, FormError, Loader, NarrowPage, Submit};
use crate::i18n::{t, use_lang, SignMsg};
use crate::model::worker::{SigningAsk, SigningView};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SignPage() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let send = ServerAction::<SendSigningCode>::new();
    let sign = ServerAction::<SignAgreement>::new();
    let token = move || params.read().get("token").unwrap_or_default();
    let (sent, signed) = (
        crate::components::successes(send),
        crate::components::successes(sign),
    );
    let view_now = Resource::new(
        move || (token(), lang.get(), sent.get(), signed.get()),
        |(token, lang, ..)| load_signing_view(token, lang.code().to_string()),
    );
    // Without scripts, a refused post comes back with its error in the URL.
    let (send_url, sign_url) = (
        error_from_url("/api/send_signing_code"),
        error_from_url("/api/sign_agreement"),
    );
    let send_error = Signal::derive(move || action_error(send).get().or(send_url.clone()));
    let sign_error = Signal::derive(move || action_error(sign).get().or(sign_url.clone()));
    view! {
        <NarrowPage title=SignMsg::PhoneTitle testid="signing">
            <Loader resource=view_now let:v>
                {match v {
                    SigningView::Gone => view! {
                        <p class="notice notice-error" role="alert" data-testid="signing-step" data-step="gone">{t(SignMsg::Gone)}</p>
                    }.into_any(),
                    SigningView::Signed { version, at } => view! {
                        <p class="notice notice-success" role="status" data-testid="signing-step" data-step="signed">{t(SignMsg::Done)}</p>
                        <dl class="facts">
                            <dt>{t(SignMsg::Version)}</dt><dd data-testid="signed-version">{version}</dd>
                            <dt>{t(SignMsg::SignedAt)}</dt><dd>{at.china_display()}</dd>
                        </dl>
                    }.into_any(),
                    SigningView::Ask(a) => view! {
                        <Ask a token=token() send sign send_error sign_error/>
                    }.into_any(),
                }}
            </Loader>
        </NarrowPage>
    }
}

/// The agreement, the code, and the signature.
#[component]
fn Ask(
    a: SigningAsk,
    token: String,
    send: ServerAction<SendSigningCode>,
    sign: ServerAction<SignAgreement>,
    send_error: Signal<Option<crate::error::AppError>>,
    sign_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let code_message = move || {
        sign_error
            .get()
            .and_then(|e| e.field_message("code", lang.get()))
    };
    let agree_message = move || {
        sign_error
            .get()
            .and_then(|e| e.field_message("agree", lang.get()))
    };
    let send_token = token.clone();
    view! {
        <dl class="facts" data-testid="signing-step" data-step="ask">
            <dt>{t(SignMsg::InvitedBy)}</dt><dd data-testid="signing-enterprise">{a.enterprise.clone()}</dd>
            <dt>{t(SignMsg::Worker)}</dt><dd>{a.worker.clone()}</dd>
            <dt>{t(SignMsg::Version)}</dt><dd data-testid="signing-version">{a.version.clone()}</dd>
        </dl>
        {a.earlier.clone().map(|v| view! {
            <p class="notice notice-info" role="status" data-testid="signing-earlier">
                {t(SignMsg::NewVersionIntro)} " " <span class="mono">{v}</span>
            </p>
        })}
        <div class="agreement pre-line" data-testid="agreement" tabindex="0">{a.content.clone()}</div>
        <p class="muted">{t(SignMsg::Record)}</p>
        <FormError error=send_error/>
        <ActionForm action=send attr:class="form">
            <input type="hidden" name="token" value=send_token/>
            <p>{t(SignMsg::YourMobile)} " " <span class="mono">{a.mobile.clone()}</span></p>
            {a.code_sent.then(|| view! { <p class="notice notice-info" role="status" data-testid="code-sent">{t(SignMsg::CodeSent)}</p> })}
            <Submit label=SignMsg::SendCode pending=send.pending().into() class="btn btn-secondary btn-block"/>
        </ActionForm>
        <FormError error=sign_error/>
        <ActionForm action=sign attr:class="form">
            <input type="hidden" name="token" value=token/>
            <input type="hidden" name="version" value=a.version.clone()/>
            {(a.wrong_tries > 0).then(|| view! {
                <p class="muted" data-testid="tries-left">{t(SignMsg::TriesLeft)} ": " {a.tries_left}</p>
            })}
            <div class="field">
                <label for="f-code">{t(SignMsg::Code)}</label>
                <input id="f-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                    aria-describedby="f-code-error"/>
                <span class="error" id="f-code-error" data-field-error="code">{code_message}</span>
            </div>
            <div class="field field-check">
                <label><input type="checkbox" name="agree" value="on" data-testid="agree" aria-describedby="f-agree-error"/> {t(SignMsg::Agree)}</label>
                <span class="error" id="f-agree-error" data-field-error="agree">{agree_message}</span>
            </div>
            <Submit label=SignMsg::Sign pending=sign.pending().into() class="btn btn-primary btn-block"/>
        </ActionForm>
    }
}
