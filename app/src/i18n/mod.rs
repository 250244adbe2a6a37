//! The one translation mechanism. Every string a user reads comes from a message table
//! defined with [`messages!`]: each key carries its zh-CN and English text side by side, so a
//! key without both translations does not compile.
//!
//! The language is part of the URL (`?lang=en`); zh-CN is the default. Keeping it in the URL
//! needs no cookie, so it works before any consent is given (P2.2: remembering the language
//! in a cookie is a convenience that needs consent).

mod account;
mod business;
mod common;
mod conflict;
mod consent;
mod dashboard;
mod data_map;
mod errors;
mod funds;
mod inbox;
mod incidents;
mod invoice;
mod members;
mod openapi;
mod operators;
mod policy;
pub mod receipt;
pub mod retention;
pub mod rights;
mod sharing;
mod signing;
mod stats;
mod support;
mod task;
pub mod text;
mod wechat;

pub use crate::model::lang::Lang;
pub use crate::model::net::encode_component;
pub use account::{
    actor_kind_label, actor_role_text, operator_role_label, outbox_channel_label,
    outbox_purpose_label, outbox_status_label, AccMsg,
};
pub use business::{application_status_label, BizMsg};
pub use common::Msg;
pub use conflict::{conflict_message, ConflictMsg};
pub use consent::ConsentMsg;
pub use dashboard::{oldest_text, queue_label, tile_name, DashMsg};
pub use data_map::{data_category_label, deletion_done, erasure_text, retention_text, MapMsg};
pub use funds::{
    account_label, batch_label, category_label, channel_label, reason_label,
    status_label as order_status_label, transfer_label, FundCode, FundMsg,
};
pub use inbox::{
    announcement_kind_label, announcement_status_label, message_category_label,
    message_channel_label, InboxMsg,
};
pub use incidents::IncMsg;
pub use invoice::{
    apply_block_label, id_state_label, invoice_kind_label, invoice_status_label, invoices_csv,
    medium_label, profile_field_label, taxpayer_type_label, InvMsg,
};
pub use members::{perm_label, role_label, status_label as members_status_label, MemMsg};
pub use openapi::{
    api_scope_label, callback_event_label, credential_status_label, delivery_status_label,
    scopes_text, ApiMsg,
};
pub use operators::OpMsg;
pub use policy::{area_label, basis_text, history_label, purpose_text, PolicyMsg};
pub use retention::RetentionMsg;
pub use rights::{
    action_label, due_text, field_label, ground_label, kind_label, refusal_label,
    request_status_label, scope_label, step_by_label, RightsCode, RightsMsg,
};
pub use sharing::{
    categories_text, disclosure_ground_label, disclosure_status_label, recipient_kind_label,
    sharing_csv, succession_basis_label, succession_kind_label, ShareMsg,
};
pub use signing::{signing_status_label, SignMsg};
pub use stats::StatsMsg;
pub use support::{
    system_note_label, ticket_category_label, ticket_status_label, verify_method_label, SupportMsg,
};
pub use task::{
    completion_status_label, pay_kind_label, task_decision_label, task_pay, task_place,
    task_status_label, worker_source_label, TaskMsg,
};
pub use wechat::{desktop_state_label, login_method_label, place_label, problem_label, WxMsg};

use leptos::prelude::*;

/// The message of a conflict, in `lang`.
pub fn conflict_text(c: crate::model::conflict::Conflict, lang: Lang) -> &'static str {
    conflict_message(c).text(lang)
}

/// The separator of an inline list: `资金、财务` in Chinese, `Funds, Finance` in English.
pub const fn list_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "、",
        Lang::En => ", ",
    }
}

/// Implemented by every message table.
pub trait Translate: Copy + Send + Sync + 'static {
    fn text(self, lang: Lang) -> &'static str;
}

/// Text that reads the same in every language (a symbol such as `#`).
impl Translate for &'static str {
    fn text(self, _: Lang) -> &'static str {
        self
    }
}

/// Defines a message table: `Key => "中文", "English";`.
/// Defines messages with values: `fn name(a, b) => "中文 {a} {b}", "English {b} {a}";` becomes
/// `fn name(lang, a: impl Display, b: impl Display) -> String` (see `i18n::text`).
#[macro_export]
macro_rules! templates {
    ($($vis:vis fn $name:ident($($arg:ident),*) => $zh:literal, $en:literal;)*) => {
        $(
            $vis fn $name(lang: $crate::i18n::Lang, $($arg: impl std::fmt::Display),*) -> String {
                match lang {
                    $crate::i18n::Lang::ZhCn => format!($zh),
                    $crate::i18n::Lang::En => format!($en),
                }
            }
        )*
    };
}

#[macro_export]
macro_rules! messages {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($key:ident => $zh:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name { $($key),* }

        impl $name {
            /// Every key, for completeness tests.
            pub const ALL: &'static [$name] = &[$($name::$key),*];
        }

        impl $crate::i18n::Translate for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $(
                        ($name::$key, $crate::i18n::Lang::ZhCn) => $zh,
                        ($name::$key, $crate::i18n::Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

/// The current language, provided once under the router.
///
/// Reading it never panics: `leptos_meta` renders `<title>` and `<html lang>` after the page
/// itself, when the page's reactive owner may already be gone, so a read falls back to the
/// language the handle was created with.
#[derive(Clone, Copy)]
pub struct LangSignal {
    memo: Memo<Lang>,
    initial: Lang,
}

impl LangSignal {
    /// The current language (tracked, so views update when it changes).
    pub fn get(&self) -> Lang {
        self.memo.try_get().unwrap_or(self.initial)
    }

    /// The current language, without tracking.
    pub fn get_untracked(&self) -> Lang {
        self.memo.try_get_untracked().unwrap_or(self.initial)
    }
}

/// Provides the language context, derived from the `lang` query parameter.
pub fn provide_i18n() {
    let query = leptos_router::hooks::use_query_map();
    let memo = Memo::new(move |_| {
        query
            .read()
            .get("lang")
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    });
    provide_context(memo);
}

/// The current language.
pub fn use_lang() -> LangSignal {
    let memo = use_context::<Memo<Lang>>().unwrap_or_else(|| Memo::new(|_| Lang::default()));
    LangSignal {
        memo,
        initial: memo.try_get_untracked().unwrap_or_default(),
    }
}

/// A reactive translation of `key`, usable as a view child or an attribute value.
pub fn t<K: Translate>(key: K) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || key.text(lang.get())
}

/// An internal link that keeps the current language: `/privacy` or `/privacy?lang=en`.
pub fn localized_href(path: &str, lang: Lang) -> String {
    if lang == Lang::default() {
        return path.to_string();
    }
    // The query goes before a fragment (`/privacy/versions/1.1?lang=en#changes`).
    let (path, fragment) = path.split_once('#').map_or((path, ""), |(p, f)| (p, f));
    let sep = if path.contains('?') { '&' } else { '?' };
    let hash = if fragment.is_empty() { "" } else { "#" };
    format!("{path}{sep}lang={}{hash}{fragment}", lang.code())
}

/// The href that switches the current page (path plus its other query parameters) to `target`.
/// The path is reduced to a single leading slash, so that a request for `//other.example`
/// can never turn the switch into a link to another site.
pub fn switch_href(path: &str, query: &[(String, String)], target: Lang) -> String {
    let mut out = local_path(path);
    let mut sep = '?';
    for (k, v) in query.iter().filter(|(k, _)| k != "lang") {
        out.push(sep);
        out.push_str(&encode_component(k));
        out.push('=');
        out.push_str(&encode_component(v));
        sep = '&';
    }
    if target != Lang::default() {
        out.push(sep);
        out.push_str("lang=");
        out.push_str(target.code());
    }
    out
}

/// A request path as a local path: exactly one leading slash, so that `//evil.example/` (which
/// a browser reads as another site) becomes `/evil.example/`. Every redirect the server builds
/// from a request's own path goes through this.
pub fn local_path(path: &str) -> String {
    format!("/{}", path.trim_start_matches(['/', '\\']))
}

/// The language a query string asks for (`…&lang=en&…`), if any.
pub fn lang_in_query(query: &str) -> Option<Lang> {
    query
        .split('&')
        .find_map(|p| p.strip_prefix("lang="))
        .and_then(Lang::parse)
}

/// A redirect target that keeps `lang`: a local path without a `lang` parameter gets one.
/// `None` when nothing is to change (the default language, a target on another origin, or one
/// that names its language already).
pub fn keep_lang(location: &str, lang: Lang) -> Option<String> {
    let local =
        location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\");
    if lang == Lang::default() || !local {
        return None;
    }
    let query = location
        .split_once('#')
        .map_or(location, |(p, _)| p)
        .split_once('?')
        .map_or("", |(_, q)| q);
    let named = query
        .split('&')
        .any(|p| p == "lang" || p.starts_with("lang="));
    (!named).then(|| localized_href(location, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_leniently() {
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("zh_cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("ZH"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }

    fn complete<K: Translate + std::fmt::Debug>(keys: &[K]) {
        for key in keys {
            for lang in Lang::ALL {
                assert!(
                    !key.text(lang).trim().is_empty(),
                    "{key:?} is empty in {lang:?}"
                );
            }
            // A symbol ("—") reads the same in both languages; words do not.
            if key.text(Lang::ZhCn).chars().any(char::is_alphabetic) {
                assert_ne!(
                    key.text(Lang::ZhCn),
                    key.text(Lang::En),
                    "{key:?} is untranslated"
                );
            }
        }
    }

    #[test]
    fn every_message_has_both_translations() {
        complete(Msg::ALL);
        complete(AccMsg::ALL);
        complete(BizMsg::ALL);
        complete(MemMsg::ALL);
        complete(ConsentMsg::ALL);
        complete(FundMsg::ALL);
        complete(FundCode::ALL);
        complete(PolicyMsg::ALL);
        complete(ConflictMsg::ALL);
        complete(DashMsg::ALL);
        complete(InboxMsg::ALL);
        complete(OpMsg::ALL);
        complete(IncMsg::ALL);
        complete(WxMsg::ALL);
        complete(MapMsg::ALL);
        complete(RightsMsg::ALL);
        complete(RightsCode::ALL);
        complete(StatsMsg::ALL);
        complete(RetentionMsg::ALL);
        complete(InvMsg::ALL);
        complete(TaskMsg::ALL);
        complete(SignMsg::ALL);
        complete(SupportMsg::ALL);
        complete(ShareMsg::ALL);
        complete(ApiMsg::ALL);
    }

    /// The test above lists every table: a new one must be added there.
    #[test]
    fn the_translation_test_covers_every_table() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/i18n");
        let tables: usize = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                std::fs::read_to_string(e.unwrap().path())
                    .unwrap()
                    .lines()
                    .filter(|l| l.starts_with("crate::messages! {"))
                    .count()
            })
            .sum();
        assert_eq!(
            tables, 25,
            "add the new table to every_message_has_both_translations"
        );
    }

    #[test]
    fn links_keep_the_language() {
        assert_eq!(localized_href("/privacy", Lang::ZhCn), "/privacy");
        assert_eq!(localized_href("/privacy", Lang::En), "/privacy?lang=en");
        assert_eq!(localized_href("/a?x=1", Lang::En), "/a?x=1&lang=en");
        assert_eq!(
            localized_href("/privacy/versions/1.1#changes", Lang::En),
            "/privacy/versions/1.1?lang=en#changes"
        );
    }

    #[test]
    fn switch_keeps_other_parameters_and_encodes_them() {
        let q = vec![
            ("lang".to_string(), "en".to_string()),
            ("q".to_string(), "a b&c".to_string()),
        ];
        assert_eq!(switch_href("/x", &q, Lang::ZhCn), "/x?q=a%20b%26c");
        assert_eq!(switch_href("/x", &q, Lang::En), "/x?q=a%20b%26c&lang=en");
        assert_eq!(switch_href("/", &[], Lang::En), "/?lang=en");
    }

    #[test]
    fn redirects_keep_the_language_and_stay_local() {
        assert_eq!(local_path("//evil.example/"), "/evil.example/");
        assert_eq!(local_path("/\\evil.example"), "/evil.example");
        assert_eq!(local_path("/portal"), "/portal");
        assert_eq!(lang_in_query("next=%2Fportal&lang=en"), Some(Lang::En));
        assert_eq!(lang_in_query("language=en"), None);
        assert_eq!(
            keep_lang("/portal", Lang::En).as_deref(),
            Some("/portal?lang=en")
        );
        assert_eq!(
            keep_lang("/login?next=/portal#top", Lang::En).as_deref(),
            Some("/login?next=/portal&lang=en#top")
        );
        assert_eq!(keep_lang("/portal?lang=zh-CN", Lang::En), None);
        assert_eq!(keep_lang("/portal", Lang::ZhCn), None);
        assert_eq!(keep_lang("//evil.example/", Lang::En), None);
        assert_eq!(keep_lang("https://evil.example/", Lang::En), None);
    }

    #[test]
    fn switch_never_links_off_site() {
        assert_eq!(
            switch_href("//evil.example", &[], Lang::En),
            "/evil.example?lang=en"
        );
        assert_eq!(
            switch_href("/\\evil.example", &[], Lang::ZhCn),
            "/evil.example"
        );
        assert_eq!(switch_href("", &[], Lang::ZhCn), "/");
    }
}
