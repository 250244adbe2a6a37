//! The one way a page shows data it loads: [`Loader`] owns the fallback ("Loading…"), the error
//! arm and the busy state, so pages write only what they show. It is built on `<Transition>`:
//! when an action reloads the resource, the old content stays visible (marked busy) instead
//! of flashing back to the fallback.

use super::ErrorNotice;
use crate::error::AppError;
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

#[component]
pub fn Loader<T, V, F>(
    /// What to load.
    resource: Resource<Result<T, AppError>>,
    /// What to show once it is loaded (`let:data`).
    children: F,
    /// The page's main data: its error is also the page's HTTP status (a 404 for an unknown
    /// id, a 403 for a refusal).
    #[prop(optional)]
    page: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let pending = RwSignal::new(false);
    let fallback = move || view! { <p class="muted" role="status">{t(Msg::Loading)}</p> };
    let content = move || {
        resource.get().map(|r| match r {
            Ok(v) => children(v).into_any(),
            Err(e) => {
                if page {
                    super::set_http_status(e.status());
                }
                if e.status() >= 500 {
                    super::mark_incomplete();
                }
                view! { <ErrorNotice error=e/> }.into_any()
            }
        })
    };
    // The busy state is the browser's: `set_pending` starts an effect that, on the server,
    // would outlive the render and read disposed signals. The markup is the same either way.
    #[cfg(feature = "hydrate")]
    let inner =
        view! { <Transition fallback set_pending=pending.write_only()>{content}</Transition> };
    #[cfg(not(feature = "hydrate"))]
    let inner = view! { <Transition fallback>{content}</Transition> };
    view! { <div class="loader" aria-busy=move || pending.get().to_string()>{inner}</div> }
}

/// A resource loaded once when the page renders (no reload trigger).
pub fn load_once<T, F, Fut>(fetch: F) -> Resource<Result<T, AppError>>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    Resource::new(|| (), move |_| fetch())
}
