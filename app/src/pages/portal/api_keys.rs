//! 业务中心 → 开放接口 `/portal/business/api` (issue 19; the enterprise's admin): the open API's
//! keys — name, key id, scopes, IP allow-list, dates, status — a form that issues one (the
//! secret shown once, right after), and rotating or revoking a key.

use crate::api::openapi::{
    api_credentials, api_shown_once, CreateApiCredential, RevokeApiCredential, RotateApiCredential,
};
use crate::components::{
    action_error, successes, Card, Col, DataTable, Field, FormError, ItemButton, Label, Loader,
    SelectField, StatusBadge, Submit,
};
use crate::i18n::{api_scope_label, scopes_text, t, use_lang, ApiMsg, Msg};
use crate::model::openapi::{CredentialStatus, CredentialView, IssuedSecret, Scope, NAME_MAX};
use leptos::prelude::*;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let create = ServerAction::<CreateApiCredential>::new();
    let rotate = ServerAction::<RotateApiCredential>::new();
    let revoke = ServerAction::<RevokeApiCredential>::new();
    let (c, r, v) = (successes(create), successes(rotate), successes(revoke));
    let list = Resource::new(move || (c.get(), r.get(), v.get()), |_| api_credentials());
    // The secret of whichever key was issued last (created or rotated): shown this once. Without
    // the WASM the form's answer is a redirect back here, and the secret waits on the server for
    // this rendering (`held`).
    let held = Resource::new(|| (), |_| api_shown_once());
    let issued = RwSignal::new(None::<IssuedSecret>);
    for action in [create.value(), rotate.value()] {
        Effect::new(move |_| {
            if let Some(Ok(s)) = action.get() {
                issued.set(Some(s));
            }
        });
    }
    let row = move |k: CredentialView| key_row(k, rotate, revoke);
    view! {
        <super::business::BusinessTabs title=ApiMsg::Title/>
        <p class="muted">{t(ApiMsg::Intro)}</p>
        // The API's reference is served by the server, outside the app's routes.
        <p><a href="/openapi/v1/docs" rel="external" data-testid="api-docs">{t(ApiMsg::Docs)}</a></p>
        <Transition fallback=|| ()>
            {move || {
                let held = held.get().and_then(Result::ok).and_then(|h| h.key);
                issued.get().or(held).map(|s| view! { <ShownOnce s/> })
            }}
        </Transition>
        <Card title=ApiMsg::Keys testid="api-keys">
            <FormError error=action_error(rotate)/>
            <FormError error=action_error(revoke)/>
            <Loader resource=list let:keys>
                <DataTable cols=vec![Col::new(ApiMsg::Name), Col::new(ApiMsg::KeyId), Col::new(ApiMsg::Scopes), Col::new(ApiMsg::IpAllowCol), Col::new(ApiMsg::Expires), Col::new(ApiMsg::LastUsed), Col::new(ApiMsg::Status), Col::new(Msg::Actions)]
                    rows=keys row empty=ApiMsg::NoKeys testid="api-key-list"/>
            </Loader>
        </Card>
        <Card title=ApiMsg::NewKey testid="api-key-new">
            <KeyForm create/>
        </Card>
        <super::api_callbacks::CallbacksCard held/>
    }
}

/// The key id and secret of the key just issued or rotated: shown this once.
#[component]
fn ShownOnce(s: IssuedSecret) -> impl IntoView {
    view! {
        <section class="notice notice-success" role="status" data-testid="api-issued">
            <p><strong>{t(ApiMsg::SecretOnce)}</strong></p>
            <dl class="facts">
                <div><dt>{t(ApiMsg::KeyId)}</dt><dd class="mono" data-testid="api-key-id">{s.key_id.clone()}</dd></div>
                <div><dt>{t(ApiMsg::Secret)}</dt><dd class="mono" data-testid="api-secret">{s.secret.clone()}</dd></div>
                <div><dt>{t(ApiMsg::Expires)}</dt><dd>{s.expires_at.china_display()}</dd></div>
            </dl>
        </section>
    }
}

fn key_row(
    k: CredentialView,
    rotate: ServerAction<RotateApiCredential>,
    revoke: ServerAction<RevokeApiCredential>,
) -> impl IntoView {
    let lang = use_lang();
    let scopes = k.scopes.clone();
    let ip = if k.ip_allow.is_empty() {
        None
    } else {
        Some(k.ip_allow.join(", "))
    };
    let live = matches!(k.status, CredentialStatus::Active);
    let ends = k.status != CredentialStatus::Revoked && k.status != CredentialStatus::Expired;
    view! {
        <tr data-testid="api-key-row" data-key=k.key_id.clone() data-status=format!("{:?}", k.status).to_lowercase()>
            <td>{k.name.clone()}</td>
            <td class="mono">{k.key_id.clone()}</td>
            <td>{move || scopes_text(&scopes, lang.get())}</td>
            <td class="mono small">{match ip { Some(ip) => view! { {ip} }.into_any(), None => view! { {t(ApiMsg::AnyIp)} }.into_any() }}</td>
            <td>{k.expires_at.china_display()}</td>
            <td>{match k.last_used_at { Some(at) => view! { {at.china_display()} }.into_any(), None => view! { {t(ApiMsg::Never)} }.into_any() }}</td>
            <td>
                <StatusBadge status=k.status/>
                {k.until.filter(|_| k.status == CredentialStatus::Rotating).map(|u| view! { <br/><span class="muted small">{t(ApiMsg::Until)} " " {u.china_display()}</span> })}
            </td>
            <td>
                {live.then(|| view! { <ItemButton action=rotate value=k.id.clone() label=ApiMsg::Rotate testid="api-rotate"/> })}
                {ends.then(|| view! { <ItemButton action=revoke value=k.id.clone() label=ApiMsg::Revoke class="btn btn-danger" testid="api-revoke"/> })}
            </td>
        </tr>
    }
}

#[component]
fn KeyForm(create: ServerAction<CreateApiCredential>) -> impl IntoView {
    let error = action_error(create);
    let lang = use_lang();
    let days: Vec<(&'static str, Label)> = vec![
        ("30", ApiMsg::Days30.into()),
        ("90", ApiMsg::Days90.into()),
        ("180", ApiMsg::Days180.into()),
        ("365", ApiMsg::Days365.into()),
    ];
    let scope_error = move || {
        error
            .get()
            .and_then(|e| e.field_message("scopes", lang.get()))
    };
    view! {
        <ActionForm action=create attr:class="form" attr:novalidate=true attr:data-testid="api-key-form">
            <FormError error/>
            <Field label=ApiMsg::Name name="name" error maxlength=NAME_MAX/>
            <fieldset class="field">
                <legend>{t(ApiMsg::Scopes)}</legend>
                {Scope::ALL.iter().map(|s| {
                    let name = format!("scope_{}", s.code());
                    view! { <label class="check"><input type="checkbox" name=name/> " " {t(api_scope_label(*s))}</label> }
                }).collect_view()}
                <span class="error" data-field-error="scopes">{scope_error}</span>
            </fieldset>
            <Field label=ApiMsg::IpAllow name="ip_allow" error multiline=true required=false/>
            <SelectField label=ApiMsg::ValidDays name="valid_days" error options=days selected="90"/>
            <Submit label=ApiMsg::Issue pending=create.pending().into()/>
        </ActionForm>
    }
}
