//! The overview's "recent payment orders": the five newest, each linking to its page.

use crate::api::funds::list_orders;
use crate::components::{ItemList, LangLink, Loader, StatusBadge};
use crate::i18n::{t, DashMsg};
use crate::model::funds::OrderView;
use leptos::prelude::*;

#[component]
pub fn RecentOrders() -> impl IntoView {
    let page = Resource::new(
        || (),
        |_| list_orders(String::new(), String::new(), String::new()),
    );
    view! {
        <section class="card" data-testid="recent-orders" aria-labelledby="recent-orders-title">
            <h2 id="recent-orders-title">
                <LangLink href="/portal/funds/orders">{t(DashMsg::RecentOrders)}</LangLink>
            </h2>
            <Loader resource=page let:p>
                <ItemList items=p.orders.into_iter().take(5).collect() item=order_item empty=DashMsg::NoOrders class="recent-list"/>
            </Loader>
        </section>
    }
}

fn order_item(o: OrderView) -> impl IntoView {
    view! {
        <li>
            <LangLink href=format!("/portal/funds/orders/{}", o.id)>{o.order_id}</LangLink>
            " " <span>{o.payee_name}</span>
            " " <span class="num">{o.charges.amount.to_string()}</span>
            " " <StatusBadge status=o.status/>
        </li>
    }
}
