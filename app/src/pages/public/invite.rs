//! `/invite/:token`: an invited login person sets their password, accepts the policy and
//! terms, and joins the enterprise (P1.1.2, P0.2).

use crate::api::members::{invite_preview, AcceptInvite};
use crate::api::policy::current_policies;
use crate::components::{
    action_error, load_once, AcceptTerms, FormError, Loader, NarrowPage, NewPassword, Submit,
};
use crate::i18n::{t, AccMsg, MemMsg};
use crate::model::policy::PolicySet;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let details = Resource::new(token, invite_preview);
    let policies = load_once(current_policies);
    let accept = ServerAction::<AcceptInvite>::new();
    view! {
        <NarrowPage title=MemMsg::InviteTitle testid="invite-accept">
                <Loader resource=details page=true let:d>
                    <p class="lead">{d.enterprise_name} " · " {d.name}</p>
                    <dl class="facts">
                        <div><dt>{t(AccMsg::Mobile)}</dt><dd>{d.mobile_masked}</dd></div>
                        <div><dt>{t(AccMsg::Email)}</dt><dd>{d.email_masked}</dd></div>
                    </dl>
                    <Loader resource=policies let:p>
                        <JoinForm accept token=token() policies=p/>
                    </Loader>
                </Loader>
            </NarrowPage>
    }
}

/// The password, the consent to the versions in force, and joining.
#[component]
fn JoinForm(
    accept: ServerAction<AcceptInvite>,
    token: String,
    policies: PolicySet,
) -> impl IntoView {
    let error = action_error(accept);
    let PolicySet { privacy, terms } = policies;
    view! {
        <ActionForm action=accept attr:class="form" attr:novalidate=true>
            <FormError error/>
            <input type="hidden" name="token" value=token/>
            <input type="hidden" name="privacy_version_id" value=privacy.id/>
            <input type="hidden" name="terms_version_id" value=terms.id/>
            <NewPassword label=MemMsg::ChoosePassword error/>
            <AcceptTerms error versions=(privacy.version, terms.version)/>
            <div class="form-actions"><Submit label=MemMsg::Join pending=accept.pending().into()/></div>
        </ActionForm>
    }
}
