//! 消息 → 发件箱 `/ops/outbox`: messages waiting for delivery (invitations, review results).
//! Until the messages capability sends them, they wait here in plain sight.

use crate::api::review::list_outbox;
use crate::components::ErrorNotice;
use crate::i18n::{
    outbox_channel_label, outbox_purpose_label, outbox_status_label, t, AccMsg, BizMsg, Msg,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let items = Resource::new(|| (), |_| list_outbox());
    view! {
        <Title text=t(Msg::AreaOutbox)/>
        <h1 class="page-title">{t(Msg::AreaOutbox)}</h1>
        <p class="notice notice-info">{t(BizMsg::OutboxNotice)}</p>
        <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
            {move || items.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                Ok(list) => view! {
                    <div class="table-wrap" tabindex="0" data-testid="outbox">
                        <table>
                            <thead><tr>
                                <th>{t(AccMsg::Time)}</th><th>{t(BizMsg::Channel)}</th><th>{t(BizMsg::Recipient)}</th>
                                <th>{t(BizMsg::Subject)}</th><th>{t(BizMsg::Purpose)}</th><th>{t(AccMsg::Status)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|m| view! {
                                    <tr>
                                        <td>{m.created_at.china_display()}</td><td>{t(outbox_channel_label(m.channel))}</td><td>{m.recipient_masked}</td>
                                        <td>{m.subject}</td><td>{t(outbox_purpose_label(m.purpose))}</td>
                                        <td><span class="badge badge-pending">{t(outbox_status_label(m.status))}</span></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}
