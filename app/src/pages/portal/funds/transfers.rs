//! 转账 `/portal/funds/transfers` (admin): the enterprise's own bank account, a transfer
//! request (held until finance decides) and the list of transfers.

use super::FundsTabs;
use crate::api::funds::{load_transfers_page, RequestTransfer, SetWithdrawalAccount};
use crate::components::{action_error, successes, Field, FormError, Loader, Submit};
use crate::i18n::{t, transfer_label, FundMsg};
use crate::model::funds::TransferStatus;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TransfersPage() -> impl IntoView {
    let account = ServerAction::<SetWithdrawalAccount>::new();
    let request = ServerAction::<RequestTransfer>::new();
    let (saved, requested) = (successes(account), successes(request));
    let page = Resource::new(
        move || (saved.get(), requested.get()),
        |_| load_transfers_page(),
    );
    let account_error = action_error(account);
    let request_error = action_error(request);
    view! {
            <Title text=t(FundMsg::TabTransfers)/>
            <FundsTabs/>
            <Loader resource=page let:p>
    <div class="grid-2">
                            <section class="card" data-testid="withdrawal-account">
                                <h2>{t(FundMsg::WithdrawalAccount)}</h2>
                                {p.account.clone().map(|a| view! {
                                    <dl class="facts">
                                        <div><dt>{t(FundMsg::AccountName)}</dt><dd>{a.account_name}</dd></div>
                                        <div><dt>{t(FundMsg::BankName)}</dt><dd>{a.bank_name}</dd></div>
                                        <div><dt>{t(FundMsg::AccountNo)}</dt><dd class="mono">{a.account_masked}</dd></div>
                                    </dl>
                                })}
                                <ActionForm action=account attr:class="form" attr:novalidate=true>
                                    <FormError error=account_error/>
                                    <Field label=FundMsg::AccountName name="account_name" error=account_error maxlength=100/>
                                    <Field label=FundMsg::BankName name="bank_name" error=account_error maxlength=100/>
                                    <Field label=FundMsg::AccountNo name="account_no" error=account_error maxlength=40/>
                                    <div class="form-actions"><Submit label=FundMsg::SaveAccount pending=account.pending().into()/></div>
                                </ActionForm>
                            </section>
                            <section class="card" data-testid="request-transfer">
                                <h2>{t(FundMsg::RequestTransfer)}</h2>
                                <p class="muted">{t(FundMsg::TransferIntro)}</p>
                                <p>{t(FundMsg::Available)} ": " <strong>{p.available.to_string()}</strong></p>
                                {p.account.is_none().then(|| view! { <p class="notice notice-info">{t(FundMsg::NoAccount)}</p> })}
                                <ActionForm action=request attr:class="form" attr:novalidate=true>
                                    <FormError error=request_error/>
                                    <input type="hidden" name="key" value=p.form_key.clone()/>
                                    <Field label=FundMsg::AmountYuan name="amount" error=request_error/>
                                    <div class="form-actions"><Submit label=FundMsg::RequestTransfer pending=request.pending().into()/></div>
                                </ActionForm>
                            </section>
                        </div>
                        <section class="card">
                            <h2>{t(FundMsg::TabTransfers)}</h2>
                            {if p.transfers.is_empty() {
                                view! { <p class="muted">{t(FundMsg::NoTransfers)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" tabindex="0" data-testid="transfers">
                                        <table>
                                            <thead><tr>
                                                <th>{t(FundMsg::Requested)}</th><th class="num">{t(FundMsg::Amount)}</th><th>{t(FundMsg::AccountNo)}</th>
                                                <th>{t(FundMsg::Status)}</th><th>{t(FundMsg::Reason)}</th><th>{t(FundMsg::Decided)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {p.transfers.into_iter().map(|x| view! {
                                                    <tr data-testid="transfer-row">
                                                        <td>{x.requested_at.china_display()}</td>
                                                        <td class="num">{x.amount.to_string()}</td>
                                                        <td class="mono">{x.account_masked}</td>
                                                        <td><span class=match x.status {
                                                            TransferStatus::Requested => "badge badge-pending",
                                                            TransferStatus::Approved => "badge badge-done",
                                                            TransferStatus::Rejected => "badge badge-failed",
                                                        } data-testid="transfer-status">{t(transfer_label(x.status))}</span></td>
                                                        <td>{x.reason}</td>
                                                        <td>{x.decided_at.map(|d| d.china_display())}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        </section>
    </Loader>
        }
}
