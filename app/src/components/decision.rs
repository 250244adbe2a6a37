//! A yes/no decision on one item (approve or reject a transfer, confirm or cancel a batch):
//! two inline forms that work before the WASM loads, each posting the item's `id` and the
//! decision field. A "no" that needs a reason asks for it.

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
pub fn Decision<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
    /// The item decided on, posted as `id`.
    id: String,
    /// The decision's field (`approve`, `confirm`…), posted as `true` or `false`.
    field: &'static str,
    #[prop(into)] yes: Label,
    #[prop(into)] no: Label,
    /// When given, "no" needs a reason (this is its label), posted as `reason`; "yes" posts
    /// an empty one.
    #[prop(optional, into)]
    reason: Option<Label>,
    #[prop(optional)] yes_testid: Option<&'static str>,
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
    let with_reason = reason.is_some();
    let reason_input = reason.map(|label| {
        let text = move || label.text(lang.get());
        view! { <input name="reason" required=true aria-label=text.clone() placeholder=text/> }
    });
    let yes_id = id.clone();
    let no_class = if with_reason {
        "btn btn-danger"
    } else {
        "btn btn-ghost"
    };
    view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="id" value=yes_id/>
            <input type="hidden" name=field value="true"/>
            {with_reason.then(|| view! { <input type="hidden" name="reason" value=""/> })}
            <button type="submit" class="btn btn-primary" data-testid=yes_testid>
                {move || yes.text(lang.get())}
            </button>
        </ActionForm>
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name=field value="false"/>
            {reason_input}
            <button type="submit" class=no_class>{move || no.text(lang.get())}</button>
        </ActionForm>
    }
}
