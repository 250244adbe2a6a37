//! 数据保存期限 `/ops/privacy/retention` (issue 16 §6, P4.2): the rules and their periods, a
//! run or a dry run now, the runs with their counts per rule, and legal holds.

use crate::api::retention::{retention_page, PlaceLegalHold, ReleaseLegalHold, RunRetention};
use crate::components::{
    action_error, successes, Card, Col, DataTable, Field, FormError, ItemButton, Loader, Submit,
};
use crate::i18n::retention::{days, rule_label};
use crate::i18n::{t, use_lang, RetentionMsg, Translate};
use crate::model::retention::{
    LegalHold, RetentionAction, RetentionDays, RetentionRule, RetentionRun, HOLD_REASON_MAX,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RetentionPage() -> impl IntoView {
    let run = ServerAction::<RunRetention>::new();
    let place = ServerAction::<PlaceLegalHold>::new();
    let release = ServerAction::<ReleaseLegalHold>::new();
    let (a, b, c) = (successes(run), successes(place), successes(release));
    let page = Resource::new(move || (a.get(), b.get(), c.get()), |_| retention_page());
    view! {
        <Title text=t(RetentionMsg::Title)/>
        <h1 class="page-title">{t(RetentionMsg::Title)}</h1>
        <p class="muted">{t(RetentionMsg::Intro)}</p>
        <FormError error=action_error(run)/>
        <FormError error=action_error(release)/>
        <Loader resource=page page=true let:p>
            <Rules d=p.days run/>
            <Card title=RetentionMsg::Runs testid="retention-runs">
                <DataTable cols=vec![Col::new(RetentionMsg::When), Col::new(RetentionMsg::Kind), Col::new(RetentionMsg::By), Col::new(RetentionMsg::Counts)]
                    rows=p.runs.clone() row=run_row empty=RetentionMsg::NoRuns testid="retention-runs-table"/>
            </Card>
            <Holds holds=p.holds.clone() place release/>
        </Loader>
    }
}

#[component]
fn Rules(d: RetentionDays, run: ServerAction<RunRetention>) -> impl IntoView {
    let lang = use_lang();
    let row = move |r: RetentionRule| {
        let n = d.of(r);
        let action = match r.action() {
            RetentionAction::Delete => RetentionMsg::Delete,
            RetentionAction::Anonymise => RetentionMsg::Anonymise,
        };
        view! {
            <tr data-testid="retention-rule" data-rule=r.code()>
                <td>{t(rule_label(r))}</td>
                <td>{move || days(lang.get(), n)}</td>
                <td>{t(action)}</td>
            </tr>
        }
    };
    view! {
        <Card title=RetentionMsg::Rules testid="retention-rules">
            <DataTable cols=vec![Col::new(RetentionMsg::Rule), Col::new(RetentionMsg::Period), Col::new(RetentionMsg::Action)]
                rows=RetentionRule::ALL.to_vec() row/>
            <div class="form-actions">
                <ItemButton action=run value="true".to_string() name="dry" label=RetentionMsg::DryRun class="btn btn-secondary" testid="retention-dry-run"/>
                <ItemButton action=run value="false".to_string() name="dry" label=RetentionMsg::RunNow class="btn btn-primary" testid="retention-run"/>
            </div>
        </Card>
    }
}

fn run_row(r: RetentionRun) -> impl IntoView {
    let kind = if r.dry_run {
        RetentionMsg::DryRun
    } else {
        RetentionMsg::RealRun
    };
    let by = if r.by == "schedule" {
        None
    } else {
        Some(r.by.clone())
    };
    let lang = use_lang();
    let counts = r
        .counts
        .iter()
        .filter(|c| c.rows > 0 || c.held > 0)
        .map(|c| {
            let (rule, rows, held) = (c.rule, c.rows, c.held);
            view! {
                <li data-testid="retention-count" data-rule=rule.code()>
                    {move || rule_label(rule).text(lang.get())} ": " <strong>{rows}</strong>
                    {(held > 0).then(|| view! { " (" {held} " " {t(RetentionMsg::Held)} ")" })}
                </li>
            }
        })
        .collect_view();
    view! {
        <tr data-testid="retention-run-row" data-dry=r.dry_run.to_string()>
            <td>{r.started_at.china_display()}</td>
            <td>{t(kind)} {r.error.map(|_| view! { " · " <span class="error" data-testid="retention-failed">{t(RetentionMsg::Failed)}</span> })}</td>
            <td>{match by { Some(b) => view! { <span>{b}</span> }.into_any(), None => view! { <span>{t(RetentionMsg::Scheduled)}</span> }.into_any() }}</td>
            <td><ul class="plain">{counts}</ul></td>
        </tr>
    }
}

#[component]
fn Holds(
    holds: Vec<LegalHold>,
    place: ServerAction<PlaceLegalHold>,
    release: ServerAction<ReleaseLegalHold>,
) -> impl IntoView {
    let error = action_error(place);
    let row = move |h: LegalHold| {
        let open = h.released_at.is_none();
        view! {
            <tr data-testid="legal-hold" data-open=open.to_string()>
                <td>{h.enterprise}</td>
                <td>{h.reason}</td>
                <td>{h.placed_at.china_display()}</td>
                <td>{match h.released_at {
                    Some(at) => view! { <span>{at.china_display()}</span> }.into_any(),
                    None => view! { <ItemButton action=release value=h.id.clone() label=RetentionMsg::Release class="btn btn-secondary" testid="release-hold"/> }.into_any(),
                }}</td>
            </tr>
        }
    };
    view! {
        <Card title=RetentionMsg::Holds testid="legal-holds">
            <p class="muted">{t(RetentionMsg::HoldsIntro)}</p>
            <ActionForm action=place attr:class="form" attr:novalidate=true>
                <FormError error/>
                <Field label=RetentionMsg::CreditCode name="credit_code" error maxlength=18/>
                <Field label=RetentionMsg::Reason name="reason" error multiline=true maxlength=HOLD_REASON_MAX/>
                <div class="form-actions"><Submit label=RetentionMsg::Place pending=place.pending().into()/></div>
            </ActionForm>
            <DataTable cols=vec![Col::new(RetentionMsg::Enterprise), Col::new(RetentionMsg::Reason), Col::new(RetentionMsg::PlacedAt), Col::new(RetentionMsg::ReleasedAt)]
                rows=holds row empty=RetentionMsg::NoHolds testid="legal-holds-table"/>
        </Card>
    }
}
