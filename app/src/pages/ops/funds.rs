//! The console's 资金 area (finance): bank credits and statement import with the
//! to-be-matched queue (`/ops/funds`), transfer approvals (`/ops/funds/transfers`) and the
//! payout channel (`/ops/funds/payouts`).

use crate::api::finance::{
    list_credits, list_held_credits, list_transfer_requests, payout_status, AssignCredit,
    DecideCredit, DecideTransfer, RecordCredit, SimulateReturn,
};
use crate::components::{
    action_error, successes, AreaHeader, Card, Col, DataTable, DecideButtons, Field, FileUpload,
    FormError, ItemButton, Label, Loader, PayoutState, RowErrors, StatusBadge, Submit, Tab,
};
use crate::error::AppError;
use crate::i18n::{channel_label, reason_label, t, use_lang, FundMsg, Msg, Translate};
use crate::model::funds::{
    BankCreditView, ImportSummary, Reason, SimPayoutStatus, SimPayoutView, TransferStatus,
    TransferView,
};
use crate::model::statement::CreditOutcome;

/// An outcome of recording a credit, in words.
fn credit_text(o: &CreditOutcome, lang: crate::i18n::Lang) -> String {
    match o {
        CreditOutcome::Preview {
            enterprise: Some(e),
            amount,
            credited,
        } => text::credit_preview_owner(lang, e, amount, credited),
        CreditOutcome::Preview {
            enterprise: None,
            credited,
            ..
        } => text::credit_preview_nobody(lang, credited),
        CreditOutcome::Credited {
            enterprise,
            credited,
        } => text::credit_done(lang, enterprise, credited),
        CreditOutcome::Unmatched { credited } => text::credit_queued(lang, credited),
        CreditOutcome::Held { credited, limit } => text::credit_held(lang, credited, limit),
        CreditOutcome::AlreadyRecorded => FundMsg::CreditAlready.text(lang).to_string(),
    }
}
use crate::i18n::text;
use leptos::prelude::*;

/// The page's title, the area's heading and its tabs.
#[component]
fn FinanceTabs(#[prop(into)] title: Label) -> impl IntoView {
    view! {
        <AreaHeader title area=Msg::AreaFunds>
            <Tab path="/ops/funds" label=FundMsg::OpsCredits exact=true/>
            <Tab path="/ops/funds/transfers" label=FundMsg::OpsTransfers/>
            <Tab path="/ops/funds/payouts" label=FundMsg::OpsPayouts/>
        </AreaHeader>
    }
}

#[component]
pub fn OpsFundsPage() -> impl IntoView {
    let record = ServerAction::<RecordCredit>::new();
    let assign = ServerAction::<AssignCredit>::new();
    let decide = ServerAction::<DecideCredit>::new();
    let imported = RwSignal::new(None::<ImportSummary>);
    let (recorded, assigned, decided) = (successes(record), successes(assign), successes(decide));
    let reload = move || {
        (
            recorded.get(),
            assigned.get(),
            decided.get(),
            imported.get().is_some(),
        )
    };
    let queue = Resource::new(reload, |_| list_credits(true));
    let held = Resource::new(reload, |_| list_held_credits());
    let recent = Resource::new(reload, |_| list_credits(false));
    view! {
        <FinanceTabs title=FundMsg::OpsCredits/>
        <HeldCredits held decide/>
        <UnmatchedQueue queue assign/>
        <div class="grid-2">
            <RecordCreditCard record/>
            <ImportStatementCard imported/>
        </div>
        <RecentCredits recent/>
    }
}

/// One credit typed in: checked first (whose account it is), then confirmed.
#[component]
fn RecordCreditCard(record: ServerAction<RecordCredit>) -> impl IntoView {
    let lang = use_lang();
    let record_error = action_error(record);
    // The last answer, cleared as soon as the form is edited (a preview of other values must
    // not be confirmed); the form empties once a credit is recorded.
    let outcome = RwSignal::new(None::<CreditOutcome>);
    let record_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(o)) = record.value().get() {
            if !matches!(o, CreditOutcome::Preview { .. }) {
                if let Some(f) = record_form.get_untracked() {
                    f.reset();
                }
            }
            outcome.set(Some(o));
        }
    });
    let previewed = move || matches!(outcome.get(), Some(CreditOutcome::Preview { .. }));
    view! {
        <section class="card" data-testid="record-credit">
            <h2>{t(FundMsg::RecordCredit)}</h2>
            <div aria-live="polite">
                {move || outcome.get().map(|o| {
                    let class = if matches!(o, CreditOutcome::Preview { .. }) { "notice notice-info" } else { "notice notice-success" };
                    view! { <p class=class role="status" data-testid="credit-outcome">{credit_text(&o, lang.get())}</p> }
                })}
            </div>
            <ActionForm action=record node_ref=record_form attr:class="form" attr:novalidate=true
                on:input=move |_| outcome.set(None)>
                <FormError error=record_error/>
                <Field label=FundMsg::BankRef name="bank_ref" error=record_error maxlength=64/>
                <Field label=FundMsg::ValueDate name="value_date" kind="date" error=record_error/>
                <Field label=FundMsg::PayerName name="payer_name" error=record_error maxlength=100/>
                <Field label=FundMsg::PayerAccount name="payer_account" error=record_error/>
                <Field label=FundMsg::ReceivingAccountNo name="receiving_account_no" error=record_error/>
                <Field label=FundMsg::AmountYuan name="amount" error=record_error/>
                <Field label=FundMsg::BankFee name="bank_fee" error=record_error required=false/>
                <div class="form-actions">
                    <Submit label=FundMsg::CheckCredit class="btn btn-secondary" pending=record.pending().into()/>
                    {move || previewed().then(|| view! {
                        <button type="submit" name="confirm" value="yes" class="btn btn-primary"
                            disabled=move || record.pending().get() data-testid="confirm-credit">{t(FundMsg::ConfirmCredit)}</button>
                    })}
                </div>
            </ActionForm>
        </section>
    }
}

/// A bank statement file: every line recorded (or queued), re-imports recognised.
#[component]
fn ImportStatementCard(imported: RwSignal<Option<ImportSummary>>) -> impl IntoView {
    let lang = use_lang();
    let import_error = RwSignal::new(None);
    let on_import =
        Callback::new(move |body: String| imported.set(serde_json::from_str(&body).ok()));
    view! {
        <section class="card" data-testid="import-statement">
            <h2>{t(FundMsg::ImportStatement)}</h2>
            <FileUpload action="/api/import_statement" name="statement".to_string() accept=".csv,text/csv"
                label=FundMsg::File hint=FundMsg::ImportHint on_done=on_import error=import_error max_bytes=crate::model::orders::BATCH_MAX_BYTES/>
            <RowErrors error=import_error/>
            {move || imported.get().map(|s| view! {
                <p class="notice notice-success" role="status" data-testid="import-result">
                    {text::import_done(lang.get(), s.credited, s.unmatched, s.held, s.already_recorded)}
                </p>
            })}
        </section>
    }
}

/// Credits above the threshold, each waiting for a second finance operator (issue 14).
#[component]
fn HeldCredits(
    held: Resource<Result<Vec<BankCreditView>, AppError>>,
    decide: ServerAction<DecideCredit>,
) -> impl IntoView {
    let lang = use_lang();
    let row = move |c: BankCreditView| {
        view! {
            <tr data-testid="held-credit">
                <td class="mono">{c.bank_ref}</td><td>{c.enterprise_name.unwrap_or_default()}</td>
                <td class="num">{c.amount.to_string()}</td>
                <td>{move || text::recorded_by(lang.get(), &c.recorded_by)}</td>
                <td><DecideButtons action=decide id=c.id approve=FundMsg::SecondApprove testid="approve-credit"/></td>
            </tr>
        }
    };
    view! {
        <Card title=FundMsg::HeldCredits testid="held-credits">
            <p class="muted">{t(FundMsg::HeldIntro)}</p>
            <FormError error=action_error(decide)/>
            <Loader resource=held let:list>
                <DataTable cols=vec![Col::new(FundMsg::BankRef), Col::new(FundMsg::Enterprise), Col::num(FundMsg::Amount), Col::new(FundMsg::Record), Col::new(Msg::Actions)]
                    rows=list row/>
            </Loader>
        </Card>
    }
}

/// Credits whose receiving account named no enterprise, each assigned by hand.
#[component]
fn UnmatchedQueue(
    queue: Resource<Result<Vec<BankCreditView>, AppError>>,
    assign: ServerAction<AssignCredit>,
) -> impl IntoView {
    let lang = use_lang();
    let row = move |c: BankCreditView| {
        view! {
            <tr>
                <td class="mono">{c.bank_ref}</td><td>{c.payer_name}</td><td class="mono">{c.receiving_account_no}</td>
                <td class="num">{c.credited.to_string()}</td>
                <td>
                    <ItemButton action=assign value=c.id label=FundMsg::Assign class="btn btn-secondary">
                        <input name="enterprise" required=true aria-label=t(FundMsg::Enterprise)/>
                    </ItemButton>
                </td>
            </tr>
        }
    };
    view! {
        <Card title=FundMsg::Unmatched testid="unmatched">
            <p class="muted">{t(FundMsg::UnmatchedIntro)}</p>
            <FormError error=action_error(assign)/>
            <p class="error" data-field-error="enterprise">
                {move || action_error(assign).get().and_then(|e| e.field_message("enterprise", lang.get()))}
            </p>
            <Loader resource=queue let:list>
                <DataTable cols=vec![Col::new(FundMsg::BankRef), Col::new(FundMsg::PayerName), Col::new(FundMsg::ReceivingAccountNo), Col::num(FundMsg::Amount), Col::new(FundMsg::Enterprise)]
                    rows=list row/>
            </Loader>
        </Card>
    }
}

fn recent_credit_row(c: BankCreditView) -> impl IntoView {
    view! {
        <tr>
            <td>{c.value_date}</td><td class="mono">{c.bank_ref}</td><td>{c.enterprise_name.unwrap_or_default()}</td>
            <td class="num">{c.credited.to_string()}</td>
            <td><StatusBadge status=c.status/></td>
        </tr>
    }
}

#[component]
fn RecentCredits(recent: Resource<Result<Vec<BankCreditView>, AppError>>) -> impl IntoView {
    view! {
        <Card title=FundMsg::RecentCredits testid="recent-credits">
            <Loader resource=recent let:list>
                <DataTable cols=vec![Col::new(FundMsg::ValueDate), Col::new(FundMsg::BankRef), Col::new(FundMsg::Enterprise), Col::num(FundMsg::Credited), Col::new(FundMsg::Status)]
                    rows=list row=recent_credit_row/>
                    </Loader>
                    </Card>
    }
}

#[component]
pub fn OpsTransfersPage() -> impl IntoView {
    let decide = ServerAction::<DecideTransfer>::new();
    let lang = use_lang();
    let decided = successes(decide);
    let list = Resource::new(move || decided.get(), |_| list_transfer_requests(false));
    let row = move |x: TransferView| {
        let approve = if x.status == TransferStatus::Checked {
            FundMsg::SecondApprove
        } else {
            FundMsg::Approve
        };
        let checked_by = x.checked_by.clone();
        view! {
            <tr data-testid="transfer-request">
                <td>{x.enterprise_name}</td><td class="num">{x.amount.to_string()}</td>
                <td>{x.bank_name} " " <span class="mono">{x.account_masked}</span></td>
                <td>{x.requested_at.china_display()}</td>
                <td>
                    <StatusBadge status=x.status/>
                    {checked_by.map(|name| view! { <span class="muted" data-testid="checked-by">" · " {move || text::checked_by(lang.get(), &name)}</span> })}
                </td>
                <td>{x.status.waiting().then(|| view! {
                    <DecideButtons action=decide id=x.id approve testid="approve-transfer"/>
                })}</td>
            </tr>
        }
    };
    view! {
        <FinanceTabs title=FundMsg::OpsTransfers/>
        <Card testid="transfer-requests">
        <p class="muted">{t(FundMsg::FourEyesIntro)}</p>
        <FormError error=action_error(decide)/>
        <Loader resource=list let:list>
                <DataTable cols=vec![Col::new(FundMsg::Enterprise), Col::num(FundMsg::Amount), Col::new(FundMsg::AccountNo), Col::new(FundMsg::Requested), Col::new(FundMsg::Status), Col::new(Msg::Actions)]
                    rows=list row/>
            </Loader>
        </Card>
    }
}

#[component]
pub fn OpsPayoutsPage() -> impl IntoView {
    let lang = use_lang();
    let ret = ServerAction::<SimulateReturn>::new();
    let returned = successes(ret);
    let list = Resource::new(move || returned.get(), |_| payout_status());
    let row = move |p: SimPayoutView| {
        let state = PayoutState {
            status: p.status,
            returned: p.returned,
        };
        let reason = Some(p.reason).filter(|r| *r != Reason::None);
        view! {
            <tr data-testid="payout-row">
                <td>{p.submitted_at.china_display()}</td><td>{t(channel_label(p.channel))}</td>
                <td class="mono">{p.account_hint}</td><td class="num">{p.amount.to_string()}</td>
                <td>
                    <StatusBadge status=state/>
                    {reason.map(|r| view! { " · " {move || reason_label(r).text(lang.get())} })}
                </td>
                <td>{(p.status == SimPayoutStatus::Paid && !p.returned).then(|| view! {
                    <ItemButton action=ret name="key" value=p.payout_key label=FundMsg::SimReturn/>
                })}</td>
            </tr>
        }
    };
    view! {
        <FinanceTabs title=FundMsg::OpsPayouts/>
        <Card testid="payouts">
        <p class="muted">{t(FundMsg::PayoutsIntro)}</p>
            <FormError error=action_error(ret)/>
            <Loader resource=list let:list>
                <DataTable cols=vec![Col::new(FundMsg::Submitted), Col::new(FundMsg::Channel), Col::new(FundMsg::Account), Col::num(FundMsg::Received), Col::new(FundMsg::Status), Col::new(Msg::Actions)]
                    rows=list row/>
            </Loader>
        </Card>
        <super::receipts::ReceiptCheckCard/>
    }
}
