//! 账号设置 `/portal/account`: the login person's own profile, password, login history and
//! sessions (P1.1.2, P5.2).

use crate::api::account::{
    login_history, my_profile, my_sessions, ChangePassword, ConfirmContactChange, EndSession,
    LogoutAll, UpdateProfile,
};
use crate::components::{
    action_error, load_once, successes, Col, DataTable, Field, FormError, ItemButton, Loader,
    PasswordMeter, StatusBadge, Submit, Tone,
};
use crate::i18n::{t, use_lang, AccMsg, Msg};
use crate::i18n::{text, Translate};
use crate::model::account::{ContactKind, LoginEvent, PendingContact, SessionInfo};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::AreaAccount)/>
        <h1 class="page-title">{t(Msg::AreaAccount)}</h1>
        <ProfileCard/>
        <PasswordCard/>
        <super::wechat_binding::WechatCard/>
        <SessionsCard/>
        <HistoryCard/>
    }
}

#[component]
fn ProfileCard() -> impl IntoView {
    let update = ServerAction::<UpdateProfile>::new();
    let confirm = ServerAction::<ConfirmContactChange>::new();
    let (updated, confirmed) = (successes(update), successes(confirm));
    let profile = Resource::new(move || (updated.get(), confirmed.get()), |_| my_profile());
    let error = action_error(update);
    let saved = move || matches!(update.value().get(), Some(Ok(())));
    let changed = move || matches!(confirm.value().get(), Some(Ok(())));
    view! {
            <section class="card" data-testid="profile">
                <h2>{t(AccMsg::Profile)}</h2>
                {move || changed().then(|| view! { <p class="notice notice-success" role="status" data-testid="contact-changed">{t(AccMsg::ContactChanged)}</p> })}
                <Loader resource=profile let:p>
    {p.pending.clone().into_iter().map(|c| view! { <PendingCode c confirm/> }).collect_view()}
    <ActionForm action=update attr:class="form" attr:novalidate=true>
                                <FormError error/>
                                {move || saved().then(|| view! { <p class="notice notice-success" role="status">{t(AccMsg::Saved)}</p> })}
                                <Field label=AccMsg::Name name="name" error value=p.name.clone() autocomplete="name"/>
                                <Field label=AccMsg::Mobile name="mobile" kind="tel" error value=p.mobile.clone() autocomplete="tel"/>
                                <Field label=AccMsg::Email name="email" kind="email" error value=p.email.clone() autocomplete="email"/>
                                <Field label=AccMsg::CurrentPassword name="current_password" kind="password" error
                                    required=false autocomplete="current-password" hint=AccMsg::ContactChangeNeedsPassword/>
                                <div class="form-actions"><Submit label=AccMsg::Save pending=update.pending().into()/></div>
                            </ActionForm>
    </Loader>
            </section>
        }
}

/// A new address waiting for its code: where it went, and the field for it.
#[component]
fn PendingCode(c: PendingContact, confirm: ServerAction<ConfirmContactChange>) -> impl IntoView {
    let lang = use_lang();
    let error = action_error(confirm);
    let kind = match c.kind {
        ContactKind::Mobile => AccMsg::ContactKindMobile,
        ContactKind::Email => AccMsg::ContactKindEmail,
    };
    let masked = c.masked.clone();
    view! {
        <ActionForm action=confirm attr:class="form" attr:novalidate=true attr:data-testid=format!("pending-{}", c.kind.code())>
            <p class="notice" role="status">{move || text::contact_code_sent(lang.get(), kind.text(lang.get()), &masked)}</p>
            <FormError error/>
            <input type="hidden" name="kind" value=c.kind.code()/>
            <Field label=AccMsg::VerificationCode name="code" error autocomplete="one-time-code" maxlength=6/>
            <div class="form-actions"><Submit label=AccMsg::ConfirmChange pending=confirm.pending().into()/></div>
        </ActionForm>
    }
}

#[component]
fn PasswordCard() -> impl IntoView {
    let lang = use_lang();
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let (password, set_password) = signal(String::new());
    let saved = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <section class="card" data-testid="password">
            <h2>{t(AccMsg::ChangePassword)}</h2>
            <ActionForm action=change attr:class="form" attr:novalidate=true>
                <FormError error/>
                {move || saved().then(|| view! { <p class="notice notice-success" role="status">{t(AccMsg::PasswordChanged)}</p> })}
                <Field label=AccMsg::CurrentPassword name="current_password" kind="password" error autocomplete="current-password"/>
                <div class="field">
                    <label for="f-new_password">{t(AccMsg::NewPassword)}</label>
                    <input id="f-new_password" name="new_password" type="password" autocomplete="new-password" required=true
                        aria-describedby="f-new_password-error"
                        on:input=move |ev| set_password.set(event_target_value(&ev))/>
                    <span class="hint">{t(AccMsg::PasswordPolicy)}</span>
                    <PasswordMeter password/>
                    <span class="error" id="f-new_password-error" data-field-error="new_password">
                        {move || error.get().and_then(|e| e.field_message("new_password", lang.get()))}
                    </span>
                </div>
                <div class="form-actions"><Submit label=AccMsg::ChangePassword pending=change.pending().into()/></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn SessionsCard() -> impl IntoView {
    let end = ServerAction::<EndSession>::new();
    let logout_all = ServerAction::<LogoutAll>::new();
    let ended = successes(end);
    let sessions = Resource::new(move || ended.get(), |_| my_sessions());
    let row = move |s: SessionInfo| {
        view! {
            <tr>
                <td>{s.device}</td><td>{s.ip}</td>
                <td>{s.created_at.china_display()}</td><td>{s.last_seen_at.china_display()}</td>
                <td>{if s.current {
                    view! { <span class=Tone::Done.class()>{t(AccMsg::ThisSession)}</span> }.into_any()
                } else {
                    view! { <ItemButton action=end name="handle" value=s.handle label=AccMsg::EndSession/> }.into_any()
                }}</td>
            </tr>
        }
    };
    view! {
        <section class="card" data-testid="sessions">
            <h2>{t(AccMsg::Sessions)}</h2>
            <Loader resource=sessions let:list>
                <DataTable cols=vec![Col::new(AccMsg::Device), Col::new(AccMsg::Ip), Col::new(AccMsg::Since), Col::new(AccMsg::LastActive), Col::new(Msg::Actions)]
                    rows=list row/>
            </Loader>
            <ActionForm action=logout_all attr:class="form-actions">
                <button type="submit" class="btn btn-danger" data-testid="logout-all">{t(AccMsg::LogoutAll)}</button>
            </ActionForm>
        </section>
    }
}

fn history_row(e: LoginEvent) -> impl IntoView {
    view! {
        <tr>
            <td>{e.at.china_display()}</td><td>{e.ip}</td><td>{e.device}</td>
            <td>{t(crate::i18n::login_method_label(e.method))}</td>
            <td><StatusBadge status=e.outcome/></td>
        </tr>
    }
}

#[component]
fn HistoryCard() -> impl IntoView {
    let history = load_once(login_history);
    view! {
        <section class="card" data-testid="login-history">
            <h2>{t(AccMsg::LoginHistory)}</h2>
            <p class="muted">{t(AccMsg::LoginHistoryKept)}</p>
            <Loader resource=history let:list>
                <DataTable cols=vec![Col::new(AccMsg::Time), Col::new(AccMsg::Ip), Col::new(AccMsg::Device), Col::new(crate::i18n::WxMsg::Method), Col::new(AccMsg::Result)]
                    rows=list row=history_row/>
            </Loader>
        </section>
    }
}
