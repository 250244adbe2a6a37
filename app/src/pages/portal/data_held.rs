//! The privacy centre's "what we hold" (issue 16 §1; P1.4, P6.1): generated from the data map
//! (`model::data_map::held`), so a column added to the schema (and so to the map) shows here.

use crate::components::{Col, DataTable};
use crate::i18n::{
    data_category_label, erasure_text, purpose_text, retention_text, t, use_lang, MapMsg, Translate,
};
use crate::model::data_map::{held, Held, Subject};
use leptos::prelude::*;

#[component]
pub fn DataHeldCard() -> impl IntoView {
    let lang = use_lang();
    let row = move |h: Held| {
        let sensitive = move || {
            if h.sensitive {
                MapMsg::Sensitive.text(lang.get())
            } else {
                ""
            }
        };
        view! {
            <tr>
                <td>{move || data_category_label(h.category).text(lang.get())}{sensitive}</td>
                <td>{move || purpose_text(h.purpose).0.text(lang.get())}</td>
                <td>{move || retention_text(h.retention, lang.get())}</td>
                <td>{move || erasure_text(h.erasure, lang.get())}</td>
            </tr>
        }
    };
    let cols = || {
        vec![
            Col::new(MapMsg::Category),
            Col::new(MapMsg::Purpose),
            Col::new(MapMsg::Kept),
            Col::new(MapMsg::OnDeletion),
        ]
    };
    view! {
        <section class="card" id="data-held" aria-labelledby="data-held-title" data-testid="data-held">
            <h2 id="data-held-title">{t(MapMsg::HeldTitle)}</h2>
            <p>{t(MapMsg::HeldIntro)}</p>
            <h3>{t(MapMsg::AboutYou)}</h3>
            <DataTable cols=cols() rows=held(Subject::Person) row testid="data-held-person"/>
            <h3>{t(MapMsg::AboutEnterprise)}</h3>
            <DataTable cols=cols() rows=held(Subject::Enterprise) row testid="data-held-enterprise"/>
        </section>
    }
}
