//! The applicant's side of the admission review (P1.1.1), shown on `/register` once logged in.

use crate::i18n::{t, AccMsg};
use crate::model::account::Me;
use leptos::prelude::*;

#[component]
pub fn ApplicationSection(me: Me) -> impl IntoView {
    view! {
        <section class="card page-card" data-testid="application">
            <h1>{t(AccMsg::ApplicationTitle)}</h1>
            <p class="lead">{t(AccMsg::ApplicationHello)} " " {me.name}</p>
        </section>
    }
}
