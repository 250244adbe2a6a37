//! A button that acts on one item (assign, return, revoke, approve…): an inline form that
//! works before the WASM loads, posting the item's key and any further fields given as
//! children.

use super::Label;
use crate::i18n::use_lang;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use leptos::web_sys::FormData;
use serde::de::DeserializeOwned;

#[component]
pub fn ItemButton<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
    /// The field that names the item (`id`, `key`, `handle`…).
    #[prop(default = "id")]
    name: &'static str,
    #[prop(into)] value: String,
    #[prop(into)] label: Label,
    #[prop(default = "btn btn-ghost")] class: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    /// Further fields of the form.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView
where
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<ServFn::Client as Client<ServFn::Error>>::Request as ClientReq<ServFn::Error>>::FormData:
        From<FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    <ServFn as ServerFn>::Client: Client<<ServFn as ServerFn>::Error>,
{
    let lang = use_lang();
    view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name=name value=value/>
            {children.map(|c| c())}
            <button type="submit" class=class data-testid=testid>{move || label.text(lang.get())}</button>
        </ActionForm>
    }
}

/// Approve and reject buttons for one item waiting for a decision (a transfer, a held credit):
/// the action takes `id`, `approve` and `reason`, and a rejection needs its reason.
#[component]
pub fn DecideButtons<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
    id: String,
    #[prop(into)] approve: Label,
    testid: &'static str,
) -> impl IntoView
where
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<ServFn::Client as Client<ServFn::Error>>::Request as ClientReq<ServFn::Error>>::FormData:
        From<FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    <ServFn as ServerFn>::Client: Client<<ServFn as ServerFn>::Error>,
{
    use crate::i18n::{t, FundMsg};
    view! {
        <ItemButton action value=id.clone() label=approve class="btn btn-primary" testid>
            <input type="hidden" name="approve" value="true"/><input type="hidden" name="reason" value=""/>
        </ItemButton>
        <ItemButton action value=id label=FundMsg::Reject class="btn btn-danger">
            <input type="hidden" name="approve" value="false"/>
            <input name="reason" required=true aria-label=t(FundMsg::RejectReason) placeholder=t(FundMsg::RejectReason)/>
        </ItemButton>
    }
}
