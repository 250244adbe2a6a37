//! `/ops/enrol/:token`: a new or reset operator sets their password and confirms their
//! authenticator (P5.2). The one-time link is the credential; the TOTP secret is shown here
//! only, as a QR code and as text, when the authenticator is new.

use crate::api::operators::{load_operator_enrolment, EnrolOperator};
use crate::components::{action_error, Field, FormError, Loader, NarrowPage, NewPassword, Submit};
use crate::i18n::{t, AccMsg, OpMsg};
use crate::model::operators::OperatorEnrolment;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OperatorEnrolPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let enrolment = Resource::new(token, load_operator_enrolment);
    let action = ServerAction::<EnrolOperator>::new();
    let error = action_error(action);
    view! {
        <NarrowPage title=OpMsg::EnrolTitle testid="operator-enrol">
            <Loader resource=enrolment page=true let:e>
                <EnrolmentHead e/>
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <FormError error/>
                    <input type="hidden" name="token" value=token/>
                    <NewPassword label=AccMsg::NewPassword error/>
                    <Field label=OpMsg::Code name="code" error autocomplete="one-time-code" maxlength=6/>
                    <div class="form-actions"><Submit label=OpMsg::Finish pending=action.pending().into()/></div>
                </ActionForm>
            </Loader>
        </NarrowPage>
    }
}

/// Who is enrolling, and the authenticator to set up (or the note that it stays).
#[component]
fn EnrolmentHead(e: OperatorEnrolment) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    view! {
        <p class="lead">{t(OpMsg::EnrolIntro)}</p>
        <p><strong data-testid="enrol-login">{e.login}</strong> " · " {e.display_name}</p>
        {match e.authenticator {
            Some(a) => view! {
                <p>{t(OpMsg::ScanQr)}</p>
                <div class="qr" data-testid="enrol-qr" role="img" aria-label=move || crate::i18n::Translate::text(OpMsg::QrLabel, lang.get()) inner_html=a.qr_svg></div>
                <p><code class="break" data-testid="enrol-secret">{a.secret}</code></p>
            }.into_any(),
            None => view! { <p data-testid="enrol-keep">{t(OpMsg::KeepAuthenticator)}</p> }.into_any(),
        }}
    }
}
