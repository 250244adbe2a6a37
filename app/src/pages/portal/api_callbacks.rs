//! 开放接口 → 回调通知 (issue 19; on `/portal/business/api`, the enterprise's admin): the callback
//! address (a signing secret shown once when issued) and the delivery log, with re-send.

use crate::api::callbacks::{api_callbacks, ResendApiCallback, SaveApiCallback};
use crate::components::{
    action_error, successes, Card, Col, DataTable, Field, FormError, ItemButton, Loader,
    StatusBadge, Submit,
};
use crate::error::AppError;
use crate::i18n::{callback_event_label, t, ApiMsg, Msg};
use crate::model::callbacks::{CallbackSaved, CallbackSettings, DeliveryView, URL_MAX};
use crate::model::openapi::ShownOnce;
use leptos::prelude::*;

/// `held`: what a form posted without the WASM issued (its answer was a redirect back here).
#[component]
pub fn CallbacksCard(held: Resource<Result<ShownOnce, AppError>>) -> impl IntoView {
    let save = ServerAction::<SaveApiCallback>::new();
    let resend = ServerAction::<ResendApiCallback>::new();
    let (s, r) = (successes(save), successes(resend));
    let settings = Resource::new(move || (s.get(), r.get()), |_| api_callbacks());
    let issued = move || {
        let held = held
            .get()
            .and_then(Result::ok)
            .and_then(|h| h.callback_secret);
        match save.value().get() {
            Some(Ok(CallbackSaved {
                secret: Some(secret),
                ..
            })) => Some(secret),
            _ => held,
        }
        .map(|secret| view! { <SecretOnce secret/> })
    };
    view! {
        <Card title=ApiMsg::CbTitle testid="api-callbacks">
            <p class="muted">{t(ApiMsg::CbIntro)}</p>
            <Transition fallback=|| ()>{issued}</Transition>
            <Loader resource=settings let:cs>
                <CallbackForm save cs=cs.clone()/>
                <h3>{t(ApiMsg::CbLog)}</h3>
                <FormError error=action_error(resend)/>
                <DataTable cols=vec![Col::new(ApiMsg::Created), Col::new(ApiMsg::CbEvent), Col::new(ApiMsg::CbSubject), Col::new(ApiMsg::Status), Col::new(ApiMsg::CbAttempts), Col::new(ApiMsg::CbLast), Col::new(ApiMsg::CbNext), Col::new(Msg::Actions)]
                    rows=cs.deliveries row=move |d| delivery_row(d, resend) empty=ApiMsg::CbNone testid="callback-log"/>
            </Loader>
        </Card>
    }
}

#[component]
fn SecretOnce(secret: String) -> impl IntoView {
    view! {
        <section class="notice notice-success" role="status" data-testid="callback-issued">
            <p><strong>{t(ApiMsg::CbSecretOnce)}</strong></p>
            <dl class="facts">
                <div><dt>{t(ApiMsg::CbSecret)}</dt><dd class="mono" data-testid="callback-secret">{secret}</dd></div>
            </dl>
        </section>
    }
}

#[component]
fn CallbackForm(save: ServerAction<SaveApiCallback>, cs: CallbackSettings) -> impl IntoView {
    let error = action_error(save);
    let off = cs.url.is_none();
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true attr:data-testid="callback-form">
            <FormError error/>
            {off.then(|| view! { <p class="muted" data-testid="callback-off">{t(ApiMsg::CbOff)}</p> })}
            <Field label=ApiMsg::CbUrl name="url" kind="url" error value=cs.url.unwrap_or_default()
                hint=ApiMsg::CbUrlHint required=false maxlength=URL_MAX/>
            <label class="check"><input type="checkbox" name="new_secret"/> " " {t(ApiMsg::CbNewSecret)}</label>
            <Submit label=ApiMsg::CbSave pending=save.pending().into()/>
        </ActionForm>
    }
}

fn delivery_row(d: DeliveryView, resend: ServerAction<ResendApiCallback>) -> impl IntoView {
    let last = match (d.last_status, d.last_error.is_empty()) {
        (Some(code), true) => format!("HTTP {code}"),
        (_, false) => d.last_error.clone(),
        (None, true) => "—".to_string(),
    };
    view! {
        <tr data-testid="callback-row" data-status=d.status.code() data-subject=d.subject.clone()>
            <td>{d.created_at.china_display()}</td>
            <td>{t(callback_event_label(d.event))}</td>
            <td class="mono small">{d.subject.clone()}</td>
            <td><StatusBadge status=d.status/></td>
            <td>{d.attempts}</td>
            <td class="small">{last}</td>
            <td>{d.next_at.map(|n| n.china_display()).unwrap_or_default()}</td>
            <td><ItemButton action=resend value=d.id.clone() label=ApiMsg::CbResend testid="callback-resend"/></td>
        </tr>
    }
}
