//! `/portal/tasks/workers/{id}` (issue 18 §2, P6.1): one worker of the register, where they
//! stand with the service agreement, their signing history (version, time, method, truncated
//! network address, browser, releases) and the invitations sent; the enterprise texts an
//! invitation or releases the worker with a reason.

use crate::api::signing::{load_worker, InviteWorker, ReleaseWorker};
use crate::components::{
    action_error, successes, AreaHeader, Field, FormError, ItemButton, Loader, SignatureTable,
    StatusBadge, Tab,
};
use crate::i18n::{channel_label, localized_href, t, use_lang, FundMsg, Msg, SignMsg, TaskMsg};
use crate::model::worker::{SigningStatus, WorkerPage as Page};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn WorkerPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let invite = ServerAction::<InviteWorker>::new();
    let release = ServerAction::<ReleaseWorker>::new();
    let changes = [successes(invite), successes(release)];
    let page = Resource::new(
        move || {
            let id = params.read().get("id").unwrap_or_default();
            (id, changes.map(|c| c.get()))
        },
        |(id, _)| load_worker(id),
    );
    view! {
        <AreaHeader title=SignMsg::Worker area=Msg::AreaTasks>
            <Tab path="/portal/tasks" label=TaskMsg::Library exact=true/>
            <Tab path="/portal/tasks/workers" label=TaskMsg::WorkerRegister/>
        </AreaHeader>
        <p><a href=move || localized_href("/portal/tasks/workers", lang.get())>"← " {t(SignMsg::Back)}</a></p>
        <Loader resource=page page=true let:p>
            <WorkerFacts p=p.clone()/>
            <SigningActions p=p.clone() invite release/>
            <section class="card">
                <h2>{t(SignMsg::History)}</h2>
                <SignatureTable rows=p.signatures.clone()/>
            </section>
            <section class="card">
                <h2>{t(SignMsg::Invites)}</h2>
                <ul class="plain" data-testid="invites">
                    {p.invites.is_empty().then(|| view! { <li class="muted">{t(SignMsg::NoInvites)}</li> })}
                    {p.invites.iter().map(|(at, used)| view! {
                        <li>{at.china_display()} " · " {if *used { t(SignMsg::Used) } else { t(SignMsg::Unused) }}</li>
                    }).collect_view()}
                </ul>
            </section>
        </Loader>
    }
}

#[component]
fn WorkerFacts(p: Page) -> impl IntoView {
    let w = p.worker;
    view! {
        <section class="card" data-testid="worker-detail">
            <h2>{w.name.clone()}</h2>
            <dl class="facts">
                <div><dt>{t(FundMsg::IdNumber)}</dt><dd class="mono">{w.id_masked.clone()}</dd></div>
                <div><dt>{t(FundMsg::Mobile)}</dt><dd class="mono">{w.mobile_masked.clone()}</dd></div>
                <div><dt>{t(TaskMsg::Accounts)}</dt><dd>{w.accounts.iter().map(|a| view! {
                    <span>{t(channel_label(a.channel))} " " <span class="mono">{a.masked.clone()}</span></span><br/>
                }).collect_view()}</dd></div>
                <div><dt>{t(SignMsg::Status)}</dt><dd><StatusBadge status=w.signing testid="worker-signing"/></dd></div>
            </dl>
        </section>
    }
}

/// Invite (unless signed the current version) and release (when signed).
#[component]
fn SigningActions(
    p: Page,
    invite: ServerAction<InviteWorker>,
    release: ServerAction<ReleaseWorker>,
) -> impl IntoView {
    let id = p.worker.id.clone();
    let error = action_error(release);
    let signed = p.worker.signing == SigningStatus::Signed;
    let earlier = p.worker.signed_earlier;
    let invite_id = id.clone();
    let invite_form = move || {
        view! {
            <p class="muted">{t(SignMsg::InviteIntro)}</p>
            <FormError error=action_error(invite)/>
            {move || invite.value().get().and_then(Result::ok).map(|_| view! {
                <p class="notice notice-success" role="status" data-testid="invited">{t(SignMsg::Invited)}</p>
            })}
            <ItemButton action=invite value=invite_id.clone() label=SignMsg::Invite class="btn btn-primary" testid="invite-worker"/>
        }
    };
    view! {
        <section class="card" data-testid="signing-actions">
            <h2>{t(SignMsg::Signing)}</h2>
            {earlier.then(|| view! {
                <p class="notice notice-info" role="status" data-testid="signed-earlier">{t(SignMsg::SignedEarlier)}</p>
            })}
            {earlier.then(invite_form.clone())}
            {if signed {
                view! {
                    <p class="muted">{t(SignMsg::ReleaseIntro)}</p>
                    <ActionForm action=release attr:class="form" attr:novalidate=true>
                        <FormError error/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <Field label=SignMsg::ReleaseReason name="reason" error maxlength=200/>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-danger" data-testid="release-worker">{t(SignMsg::Release)}</button>
                        </div>
                    </ActionForm>
                }.into_any()
            } else {
                invite_form().into_any()
            }}
        </section>
    }
}
