//! The parts of a rights request both sides show (issue 16 §2): its facts with the clock, its
//! steps with their times, the answer, and the regulators' complaint routes (P10.2).

use super::{Card, DueBadge, ExternalLink, StatusBadge};
use crate::i18n::{
    action_label, ground_label, kind_label, refusal_label, scope_label, step_by_label, t, use_lang,
    RightsMsg, Translate,
};
use crate::model::rights::{ComplaintRoute, RequestDetail, RequestStep, RequestSummary};
use leptos::prelude::*;

/// The clock while the request is open; the answer's time (and whether it was in time) once
/// answered.
#[component]
pub fn RequestClock(s: RequestSummary) -> impl IntoView {
    match (s.status.is_open(), s.due, s.answered_at) {
        (true, Some(due), _) => view! { <DueBadge due/> }.into_any(),
        (true, None, _) => view! { <span class="muted" data-testid="clock-waits">{t(RightsMsg::ClockAfterVerify)}</span> }.into_any(),
        (false, due, Some(at)) => {
            let on_time = due.is_some_and(|d| at.0 <= d.due_at.0);
            view! {
                <span data-testid="answered-at">{at.china_display()}</span> " "
                <span class="muted">{t(if on_time { RightsMsg::AnsweredInTime } else { RightsMsg::AnsweredLate })}</span>
            }
            .into_any()
        }
        (false, _, None) => view! { <span>"—"</span> }.into_any(),
    }
}

/// What was asked, by whom (the console), when, and where it stands.
#[component]
pub fn RequestFacts(d: RequestDetail) -> impl IntoView {
    let s = d.summary.clone();
    let who = (!d.requester_full.is_empty()).then(|| {
        view! {
            <dt>{t(RightsMsg::RequesterFull)}</dt><dd data-testid="request-requester">{d.requester_full.clone()}</dd>
            <dt>{t(RightsMsg::Enterprise)}</dt><dd>{s.enterprise.clone()}</dd>
        }
    });
    view! {
        <Card title=RightsMsg::Title testid="request-facts">
            <dl class="facts">
                {who}
                <dt>{t(RightsMsg::Kind)}</dt><dd data-testid="request-kind">{t(kind_label(s.kind))}</dd>
                <dt>{t(RightsMsg::Scope)}</dt><dd>{t(scope_label(s.scope))}</dd>
                {d.ground.map(|g| view! { <dt>{t(RightsMsg::Ground)}</dt><dd>{t(ground_label(g))}</dd> })}
                <dt>{t(RightsMsg::Details)}</dt><dd class="inbox-body" data-testid="request-details">{if d.details.is_empty() { "—".to_string() } else { d.details.clone() }}</dd>
                <dt>{t(RightsMsg::Submitted)}</dt><dd>{s.submitted_at.china_display()}</dd>
                <dt>{t(RightsMsg::DueDate)}</dt><dd>{s.due.map(|d| d.due_at.china_date())} " " <RequestClock s=s.clone()/></dd>
                <dt>{t(RightsMsg::Status)}</dt><dd><StatusBadge status=s.status testid="request-status"/></dd>
            </dl>
            {d.fee_reason.clone().map(|r| view! {
                <p class="notice notice-warning" data-testid="request-fee">{t(RightsMsg::FeeMarked)} "：" {r}</p>
                <p class="muted">{t(RightsMsg::FeeWhy)}</p>
            })}
        </Card>
    }
}

/// The answer (with the refusal's reason) and where to complain.
#[component]
pub fn RequestAnswer(d: RequestDetail) -> impl IntoView {
    d.answer.clone().map(|answer| {
        view! {
            <Card title=RightsMsg::Answer testid="request-answer">
                {d.refusal.map(|r| view! {
                    <p data-testid="refusal-reason"><strong>{t(RightsMsg::RefusalReason)} "："</strong>{t(refusal_label(r))}</p>
                })}
                <p class="inbox-body" data-testid="answer-text">{answer}</p>
                <ComplaintRoutes routes=d.complaint_routes.clone()/>
            </Card>
        }
    })
}

/// The steps, oldest first, each with its time and who took it.
#[component]
pub fn RequestSteps(steps: Vec<RequestStep>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Card title=RightsMsg::Timeline testid="request-steps">
            <ol class="timeline">
                {steps.into_iter().map(|s| view! {
                    <li data-testid="request-step" data-action=s.action.code()>
                        <time datetime=s.at.rfc3339()>{s.at.china_display()}</time>
                        " · " {move || step_by_label(s.by).text(lang.get())}
                        " · " {move || action_label(s.action).text(lang.get())}
                    </li>
                }).collect_view()}
            </ol>
        </Card>
    }
}

/// The regulators' complaint routes (P10.2).
#[component]
pub fn ComplaintRoutes(routes: Vec<ComplaintRoute>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div data-testid="complaint-routes">
            <p>{t(RightsMsg::ComplaintRoutes)}</p>
            <ul>
                {routes.into_iter().map(|r| {
                    let name = r.name.clone();
                    view! { <li>{move || name.get(lang.get()).to_string()} "：" <Contact contact=r.contact/></li> }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// A complaint route's contact ("www.12377.cn · 12377"): its web addresses are links that
/// leave the platform for an authority's site (P8), the rest is text.
#[component]
fn Contact(contact: String) -> impl IntoView {
    let parts: Vec<String> = contact.split(" · ").map(str::to_string).collect();
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let sep = (i + 1 < n).then_some(" · ");
            match crate::model::net::web_address(&part) {
                Some(href) => {
                    view! { <ExternalLink href third_party=true>{part}</ExternalLink> {sep} }
                        .into_any()
                }
                None => view! { {part} {sep} }.into_any(),
            }
        })
        .collect_view()
}

/// A copy request's copy (P6.1): its progress while it is built (the page asks again every
/// second; without JavaScript a link reloads it), then its download for 7 days. `download`
/// is false in the console: only the requester downloads.
#[component]
pub fn CopyCard(
    copy: crate::model::rights::CopyView,
    download: bool,
    /// Asked to look again while the copy is being built.
    #[prop(optional)]
    refresh: Option<Callback<()>>,
) -> impl IntoView {
    use crate::i18n::rights::{copy_progress, copy_ready};
    use crate::model::rights::CopyStatus;
    let lang = use_lang();
    if copy.status == CopyStatus::Building {
        if let Some(refresh) = refresh {
            // Client-side only (effects do not run on the server).
            Effect::new(move |_| {
                set_timeout(
                    move || refresh.run(()),
                    std::time::Duration::from_millis(1000),
                );
            });
        }
    }
    let pct = copy.percent();
    let body = match copy.status {
        CopyStatus::Building => view! {
            <p>{t(RightsMsg::CopyBuilding)}</p>
            <progress max="100" value=pct.to_string() data-testid="copy-progress" aria-label=move || copy_progress(lang.get(), pct)></progress>
            " " <span>{move || copy_progress(lang.get(), pct)}</span>
            <p><a href="" data-testid="copy-refresh">{t(RightsMsg::CopyReload)}</a></p>
        }
        .into_any(),
        CopyStatus::Ready => {
            let until = copy.expires_at.map(|e| e.china_display()).unwrap_or_default();
            let size = copy.size_text();
            let link = download.then(|| {
                view! {
                    <p><a class="btn btn-primary" href=copy.href.clone() download="" data-testid="copy-download" rel="external">{t(RightsMsg::CopyDownload)}</a></p>
                }
            });
            view! {
                <p data-testid="copy-ready">{move || copy_ready(lang.get(), until.clone(), size.clone())}</p>
                {link}
            }
            .into_any()
        }
        CopyStatus::Expired => view! { <p class="muted" data-testid="copy-expired">{t(RightsMsg::CopyExpired)}</p> }.into_any(),
        CopyStatus::Failed => view! { <p class="notice notice-warning" data-testid="copy-failed">{t(RightsMsg::CopyFailed)}</p> }.into_any(),
    };
    view! {
        <Card title=RightsMsg::CopyTitle testid="request-copy">
            {body}
        </Card>
    }
}

/// A correction request's changes (P6.2): each item with its value before and the proposed
/// one, and whether it was applied; the new licence, when the change needs one.
#[component]
pub fn CorrectionCard(
    c: crate::model::rights::CorrectionDetail,
    /// Applied or refused: the request is answered.
    answered: bool,
    /// What the side adds under the licence (the requester's upload form).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    use crate::i18n::field_label;
    use crate::model::rights::CorrectionView;
    let row = move |ch: CorrectionView| {
        let state = match (ch.applied_at, answered) {
            (Some(at), _) => view! { <span data-testid="correction-applied">{t(RightsMsg::Applied)} " " {at.china_display()}</span> }.into_any(),
            (None, true) => view! { <span>{t(RightsMsg::NotApplied)}</span> }.into_any(),
            (None, false) => view! { <span>{t(RightsMsg::Proposed)}</span> }.into_any(),
        };
        view! {
            <tr data-testid="correction-change" data-field=ch.field.code()>
                <td>{t(field_label(ch.field))}</td>
                <td data-testid="correction-before">{ch.before}</td>
                <td data-testid="correction-after">{ch.proposed}</td>
                <td>{state}</td>
            </tr>
        }
    };
    let cols = vec![
        super::Col::new(RightsMsg::FieldCol),
        super::Col::new(RightsMsg::BeforeCol),
        super::Col::new(RightsMsg::AfterCol),
        super::Col::new(RightsMsg::StateCol),
    ];
    let licence = c.needs_licence.then(|| {
        let link = c.licence_file_id.clone().map(|id| {
            view! { <p><a href=format!("/files/{id}") rel="external" target="_blank" data-testid="correction-licence">{t(RightsMsg::LicenceView)}</a></p> }
        });
        view! {
            <h3>{t(RightsMsg::LicenceTitle)}</h3>
            <p class="muted">{t(RightsMsg::LicenceNeeded)}</p>
            {link}
        }
    });
    view! {
        <Card title=RightsMsg::ChangesTitle testid="request-correction">
            <super::DataTable cols rows=c.changes.clone() row testid="correction-changes"/>
            {licence}
            {children.map(|c| c())}
        </Card>
    }
}
