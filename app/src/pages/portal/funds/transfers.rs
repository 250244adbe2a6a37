//! 转账 `/portal/funds/transfers` (admin): the enterprise's own bank account, a transfer
//! request (held until finance decides) and the list of transfers.

use super::FundsTabs;
use crate::api::funds::{load_transfers_page, RequestTransfer, SetWithdrawalAccount};
use crate::components::{
    action_error, successes, Col, DataTable, Field, FormError, Loader, StatusBadge, Submit,
};
use crate::i18n::{t, FundMsg};
use crate::model::funds::{TransferView, WithdrawalAccount};
use crate::model::Fen;
use leptos::prelude::*;

fn transfer_row(x: TransferView) -> impl IntoView {
    view! {
        <tr data-testid="transfer-row">
            <td>{x.requested_at.china_display()}</td>
            <td class="num">{x.amount.to_string()}</td>
            <td class="mono">{x.account_masked}</td>
            <td><StatusBadge status=x.status testid="transfer-status"/></td>
            <td>{x.reason}</td>
            <td>{x.decided_at.map(|d| d.china_display())}</td>
        </tr>
    }
}

#[component]
pub fn TransfersPage() -> impl IntoView {
    let account = ServerAction::<SetWithdrawalAccount>::new();
    let request = ServerAction::<RequestTransfer>::new();
    let (saved, requested) = (successes(account), successes(request));
    let page = Resource::new(
        move || (saved.get(), requested.get()),
        |_| load_transfers_page(),
    );
    view! {
        <FundsTabs title=FundMsg::TabTransfers/>
        <Loader resource=page let:p>
            <div class="grid-2">
                <AccountCard account=p.account.clone() action=account/>
                <RequestCard available=p.available has_account=p.account.is_some() form_key=p.form_key.clone() action=request/>
            </div>
            <section class="card">
                <h2>{t(FundMsg::TabTransfers)}</h2>
                <DataTable cols=vec![Col::new(FundMsg::Requested), Col::num(FundMsg::Amount), Col::new(FundMsg::AccountNo), Col::new(FundMsg::Status), Col::new(FundMsg::Reason), Col::new(FundMsg::Decided)]
                    rows=p.transfers row=transfer_row empty=FundMsg::NoTransfers testid="transfers"/>
            </section>
        </Loader>
    }
}

/// The enterprise's own bank account: shown (masked) and set.
#[component]
fn AccountCard(
    account: Option<WithdrawalAccount>,
    action: ServerAction<SetWithdrawalAccount>,
) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="card" data-testid="withdrawal-account">
            <h2>{t(FundMsg::WithdrawalAccount)}</h2>
            {account.map(|a| view! {
                <dl class="facts">
                    <div><dt>{t(FundMsg::AccountName)}</dt><dd>{a.account_name}</dd></div>
                    <div><dt>{t(FundMsg::BankName)}</dt><dd>{a.bank_name}</dd></div>
                    <div><dt>{t(FundMsg::AccountNo)}</dt><dd class="mono">{a.account_masked}</dd></div>
                </dl>
            })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error/>
                <Field label=FundMsg::AccountName name="account_name" error maxlength=100/>
                <Field label=FundMsg::BankName name="bank_name" error maxlength=100/>
                <Field label=FundMsg::AccountNo name="account_no" error maxlength=40/>
                // Money leaves to this account: the admin's password again (issue 14).
                <Field label=crate::i18n::AccMsg::CurrentPassword name="password" kind="password" error autocomplete="current-password"/>
                <div class="form-actions"><Submit label=FundMsg::SaveAccount pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}

/// A transfer request: held until finance decides.
#[component]
fn RequestCard(
    available: Fen,
    has_account: bool,
    form_key: String,
    action: ServerAction<RequestTransfer>,
) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="card" data-testid="request-transfer">
            <h2>{t(FundMsg::RequestTransfer)}</h2>
            <p class="muted">{t(FundMsg::TransferIntro)}</p>
            <p>{t(FundMsg::Available)} ": " <strong>{available.to_string()}</strong></p>
            {(!has_account).then(|| view! { <p class="notice notice-info">{t(FundMsg::NoAccount)}</p> })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error/>
                <input type="hidden" name="key" value=form_key/>
                <Field label=FundMsg::AmountYuan name="amount" error/>
                <div class="form-actions"><Submit label=FundMsg::RequestTransfer pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}
