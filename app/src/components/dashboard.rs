//! The queue tiles of the console's 工作台 and the portal's 概览 (`backend::dashboard`).

use super::Loader;
use crate::error::AppError;
use crate::i18n::{localized_href, oldest_text, queue_label, t, tile_name, use_lang, DashMsg};
use crate::model::dashboard::{Age, Dashboard};
use leptos::prelude::*;

#[component]
pub fn QueueTiles(dashboard: Resource<Result<Dashboard, AppError>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" data-testid="queues" aria-labelledby="queues-title">
            <h2 id="queues-title">{t(DashMsg::Queues)}</h2>
            <Loader resource=dashboard let:d>
                {if d.tiles.is_empty() {
                    view! { <p class="muted">{t(DashMsg::NothingWaiting)}</p> }.into_any()
                } else {
                    let now = d.now;
                    view! {
                        <ul class="tiles">
                            {d.tiles.into_iter().map(|tile| {
                                let q = tile.queue;
                                let age = tile.oldest_at.map(|at| Age::between(at, now));
                                view! {
                                    <li class="tile" class:tile-empty=tile.count == 0 data-queue=q.code()>
                                        <a href=move || localized_href(q.href(), lang.get())
                                            aria-label=move || tile_name(q, tile.count, lang.get())>
                                            <span class="tile-count">{tile.count}</span>
                                            <span class="tile-label">{t(queue_label(q))}</span>
                                        </a>
                                        <span class="muted tile-age">
                                            {move || match age {
                                                Some(a) => oldest_text(a, lang.get()),
                                                None => t(DashMsg::NothingWaiting)().to_string(),
                                            }}
                                        </span>
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
