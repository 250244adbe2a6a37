//! The overview's "recent payment orders": the five newest, each linking to its page.

use crate::api::funds::list_orders;
use crate::components::{Loader, StatusBadge};
use crate::i18n::{localized_href, t, use_lang, DashMsg};
use leptos::prelude::*;

#[component]
pub fn RecentOrders() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(
        || (),
        |_| list_orders(String::new(), String::new(), String::new()),
    );
    view! {
        <section class="card" data-testid="recent-orders" aria-labelledby="recent-orders-title">
            <h2 id="recent-orders-title">
                <a href=move || localized_href("/portal/funds/orders", lang.get())>{t(DashMsg::RecentOrders)}</a>
            </h2>
            <Loader resource=page let:p>
                {if p.orders.is_empty() {
                    view! { <p class="muted">{t(DashMsg::NoOrders)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="recent-list">
                            {p.orders.into_iter().take(5).map(|o| {
                                let href = format!("/portal/funds/orders/{}", o.id);
                                view! {
                                    <li>
                                        <a href=move || localized_href(&href, lang.get())>{o.order_id}</a>
                                        " " <span>{o.payee_name}</span>
                                        " " <span class="num">{o.charges.amount.to_string()}</span>
                                        " " <StatusBadge status=o.status/>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loader>
        </section>
    }
}
