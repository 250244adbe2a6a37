//! The notice of a policy version about to take effect, or just in force (P9): on the home page
//! and at the top of every portal page, linking to the version and to what changed.

use super::load_once;
use crate::api::policy::policy_notices;
use crate::i18n::{localized_href, t, use_lang, Msg, PolicyMsg, Translate};
use crate::model::policy::PolicyKind;
use crate::model::policy_change::PolicyNotice;
use leptos::prelude::*;

fn headline(n: &PolicyNotice, lang: crate::i18n::Lang) -> String {
    let doc = match n.kind {
        PolicyKind::Privacy => Msg::PrivacyTitle,
        PolicyKind::Terms => Msg::TermsTitle,
    };
    let date = n.effective_at.china_date();
    if n.in_force {
        crate::i18n::text::notice_updated(lang, doc.text(lang), date, &n.version)
    } else {
        crate::i18n::text::notice_upcoming(lang, doc.text(lang), date, &n.version)
    }
}

/// Every version announced now; nothing when there is none.
#[component]
pub fn PolicyNotices() -> impl IntoView {
    let lang = use_lang();
    let notices = load_once(policy_notices);
    view! {
        <Suspense fallback=|| ()>
            {move || notices.get().and_then(Result::ok).map(|list| list.into_iter().map(|n| {
                let text = n.clone();
                let (href, changes) = (n.href(), n.changes_href());
                view! {
                    <section class="notice notice-warning policy-notice" role="status" data-testid="policy-notice">
                        <p><strong>{move || headline(&text, lang.get())}</strong></p>
                        <p>{let n = n.clone(); move || n.summary(lang.get()).to_string()}</p>
                        {(n.material && !n.in_force).then(|| view! { <p>{t(PolicyMsg::NoticeMaterial)}</p> })}
                        <p class="notice-links">
                            <a href=move || localized_href(&href, lang.get()) data-testid="policy-notice-read">{t(PolicyMsg::ReadVersion)}</a>
                            " · "
                            <a href=move || localized_href(&changes, lang.get()) data-testid="policy-notice-changes">{t(PolicyMsg::SeeChanges)}</a>
                        </p>
                    </section>
                }
            }).collect_view())}
        </Suspense>
    }
}
