//! `/privacy`, `/terms` and their past versions (P0.1, P0.3, P0.4): the document with its
//! publish and effective dates, important clauses in bold, and every version linked.

use crate::api::policy::policy_page;
use crate::components::{use_platform_info, LangLink, Loader, PublicLayout, Tone};
use crate::i18n::{t, use_lang, AccMsg, Msg, PolicyMsg};
use crate::model::policy::{
    blocks, Block, PolicyKind, PolicyPageData, PolicyVersion, PolicyVersionSummary,
};
use crate::model::policy_change::{diff, Change};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A document's blocks: headings, paragraphs, important clauses in bold (P0.4).
#[component]
pub fn PolicyContent(doc: PolicyVersion) -> impl IntoView {
    let lang = use_lang();
    move || {
        blocks(doc.content(lang.get()))
            .into_iter()
            .map(|b| match b {
                Block::Heading(h) => view! { <h2>{h.to_string()}</h2> }.into_any(),
                Block::Paragraph {
                    text,
                    important: true,
                } => view! { <p class="important"><strong>{text.to_string()}</strong></p> }
                    .into_any(),
                Block::Paragraph { text, .. } => view! { <p>{text.to_string()}</p> }.into_any(),
            })
            .collect_view()
    }
}

/// What a version changed (P9): its summary and the paragraphs removed and added against the
/// version before it. The home-page notice links here (`#changes`).
#[component]
pub fn PolicyChanges(shown: PolicyVersion, previous: PolicyVersion) -> impl IntoView {
    let lang = use_lang();
    let summary = shown.clone();
    let label = previous.version.clone();
    view! {
        <section id="changes" class="policy-changes" data-testid="policy-changes">
            <h2>{t(PolicyMsg::Changes)}</h2>
            <p>{move || summary.summary(lang.get()).to_string()}</p>
            <h3>{move || crate::i18n::text::compared_with(lang.get(), &label)}</h3>
            <PolicyDiff old=previous new=shown/>
        </section>
    }
}

/// The changed paragraphs of `new` against `old`, in the reader's language (`<del>`, `<ins>`).
#[component]
pub fn PolicyDiff(old: PolicyVersion, new: PolicyVersion) -> impl IntoView {
    let lang = use_lang();
    move || {
        let blocks = diff(old.content(lang.get()), new.content(lang.get()));
        if blocks.iter().all(|b| b.change == Change::Same) {
            return view! { <p class="muted">{t(PolicyMsg::NoChanges)}</p> }.into_any();
        }
        view! {
            <ol class="policy-diff" data-testid="policy-diff">
                {blocks.into_iter().filter(|b| b.change != Change::Same).map(|b| {
                    let text = if b.heading { format!("## {}", b.text) } else { b.text };
                    let body = if b.important { view! { <strong>{text}</strong> }.into_any() } else { text.into_any() };
                    match b.change {
                        Change::Removed => view! {
                            <li class="diff-removed"><span class="diff-tag">{t(PolicyMsg::Removed)}</span><del>{body}</del></li>
                        }.into_any(),
                        _ => view! {
                            <li class="diff-added"><span class="diff-tag">{t(PolicyMsg::Added)}</span><ins>{body}</ins></li>
                        }.into_any(),
                    }
                }).collect_view()}
            </ol>
        }.into_any()
    }
}

#[component]
fn PolicyPage(kind: PolicyKind, title: Msg) -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("v"),
        move |v| policy_page(kind, v),
    );
    view! {
        <Title text=t(title)/>
        <PublicLayout>
            <article class="card page-card prose" data-testid=kind.code()>
                <h1>{t(title)}</h1>
                <Publisher/>
                <Loader resource=data page=true let:page>
                    <PolicyDocument page kind/>
                </Loader>
            </article>
        </PublicLayout>
    }
}

/// Who publishes the policy, and how to reach them.
#[component]
fn Publisher() -> impl IntoView {
    let lang = use_lang();
    let info = use_platform_info();
    view! {
        <Suspense fallback=|| ()>
            {move || info.get().and_then(Result::ok).map(|info| view! {
                <p class="muted">
                    {t(Msg::PolicyPublisher)} ": " {info.operator_name.get(lang.get()).to_string()} " · "
                    {t(Msg::PolicyContact)} ": " {info.contact_email}
                </p>
            })}
        </Suspense>
    }
}

/// The version shown: its dates and standing, what changed, the text, and every version.
#[component]
fn PolicyDocument(page: PolicyPageData, kind: PolicyKind) -> impl IntoView {
    let lang = use_lang();
    let PolicyPageData {
        shown,
        previous,
        withdrawn,
        versions,
    } = page;
    let is_current = versions
        .iter()
        .any(|v| v.current && v.version == shown.version);
    let upcoming = versions
        .iter()
        .find(|v| v.current)
        .is_some_and(|c| shown.effective_at > c.effective_at);
    let date = shown.effective_at.china_display();
    view! {
        <dl class="facts" data-testid="policy-dates">
            <div><dt>{t(AccMsg::PolicyVersion)}</dt><dd data-testid="policy-version">{shown.version.clone()}</dd></div>
            <div><dt>{t(AccMsg::PolicyPublished)}</dt><dd>{shown.published_at.china_display()}</dd></div>
            <div><dt>{t(AccMsg::PolicyEffective)}</dt><dd>{shown.effective_at.china_display()}</dd></div>
            <div><dt>{t(AccMsg::PolicyHash)}</dt><dd><code class="hash">{shown.content_hash.clone()}</code></dd></div>
        </dl>
        {if withdrawn {
            view! { <p class="notice notice-warning" data-testid="policy-withdrawn">{t(PolicyMsg::WithdrawnNotice)}</p> }.into_any()
        } else if upcoming {
            view! { <p class="notice notice-info" data-testid="policy-upcoming">{move || crate::i18n::text::not_yet_in_force(lang.get(), &date)}</p> }.into_any()
        } else if !is_current {
            view! { <p class="notice notice-warning">{t(AccMsg::PolicyOldVersion)}</p> }.into_any()
        } else {
            ().into_any()
        }}
        {previous.map(|previous| view! { <PolicyChanges shown=shown.clone() previous/> })}
        <PolicyContent doc=shown/>
        <h2>{t(AccMsg::PolicyAllVersions)}</h2>
        <VersionList versions kind/>
    }
}

/// Every published version, newest first, each linked; material changes marked.
#[component]
fn VersionList(versions: Vec<PolicyVersionSummary>, kind: PolicyKind) -> impl IntoView {
    let first = versions.len().saturating_sub(1);
    view! {
        <ul data-testid="policy-versions">
            {versions.into_iter().enumerate().map(move |(i, v)| view! {
                <li>
                    <LangLink href=format!("{}/versions/{}", kind.path(), v.version)>{v.version.clone()}</LangLink>
                    " · " {t(AccMsg::PolicyPublished)} " " {v.published_at.china_date()}
                    " · " {t(AccMsg::PolicyEffective)} " " {v.effective_at.china_date()}
                    {(v.material && i < first).then(|| view! { " " <span class=Tone::Pending.class()>{t(PolicyMsg::Material)}</span> })}
                    {v.current.then(|| view! { " " <span class=Tone::Done.class()>{t(AccMsg::PolicyCurrent)}</span> })}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <PolicyPage kind=PolicyKind::Privacy title=Msg::PrivacyTitle/> }
}

#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <PolicyPage kind=PolicyKind::Terms title=Msg::TermsTitle/> }
}
