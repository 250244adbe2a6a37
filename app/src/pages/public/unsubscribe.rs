//! `/unsubscribe/:token`: the link every promotional e-mail carries (P7.1). Opening it changes
//! nothing (link scanners open links); the button does, without a login. A mail client's
//! one-click `POST` to the same address (RFC 8058) is answered by the server directly
//! (`server::unsubscribe`).

use crate::api::inbox::Unsubscribe;
use crate::components::{action_error, FormError, LangLink, NarrowPage, Submit};
use crate::i18n::{t, InboxMsg, Msg};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let query = use_query_map();
    let action = ServerAction::<Unsubscribe>::new();
    let error = action_error(action);
    // `?done=1` after the form was posted without the WASM client.
    let done =
        move || query.read().get("done").is_some() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <NarrowPage title=InboxMsg::UnsubTitle testid="unsubscribe">
            <Show
                when=done
                fallback=move || view! {
                    <p class="lead">{t(InboxMsg::UnsubIntro)}</p>
                    <ActionForm action=action attr:class="form">
                        <FormError error/>
                        <input type="hidden" name="token" value=token/>
                        <div class="form-actions"><Submit label=InboxMsg::UnsubConfirm pending=action.pending().into()/></div>
                    </ActionForm>
                }
            >
                <p class="notice notice-success" role="status" data-testid="unsubscribed">{t(InboxMsg::UnsubDone)}</p>
            </Show>
            <p class="muted"><LangLink href="/">{t(Msg::NavHome)}</LangLink></p>
        </NarrowPage>
    }
}
