//! 核验回单: finance checks that a receipt shown to it was issued by the platform and says
//! what the platform recorded (the verification code binds the receipt's facts).

use crate::api::finance::VerifyReceipt;
use crate::components::{action_error, FormError, Submit};
use crate::i18n::receipt::lines;
use crate::i18n::{t, use_lang, FundMsg};
use crate::model::receipt::ReceiptCheck;
use leptos::prelude::*;

#[component]
pub fn ReceiptCheckCard() -> impl IntoView {
    let lang = use_lang();
    let check = ServerAction::<VerifyReceipt>::new();
    let error = action_error(check);
    view! {
        <section class="card" data-testid="receipt-check">
            <h2>{t(FundMsg::CheckReceipt)}</h2>
            <p class="muted">{t(FundMsg::CheckReceiptIntro)}</p>
            <ActionForm action=check attr:class="form compact">
                <FormError error/>
                <div class="field">
                    <label for="f-reference">{t(FundMsg::PlatformRef)}</label>
                    <input id="f-reference" name="reference" required=true maxlength="40" autocomplete="off" spellcheck="false"/>
                </div>
                <div class="field">
                    <label for="f-code">{t(FundMsg::ReceiptCode)}</label>
                    <input id="f-code" name="code" required=true maxlength="24" autocomplete="off" spellcheck="false"/>
                </div>
                <div class="form-actions"><Submit label=FundMsg::CheckReceiptButton pending=check.pending().into()/></div>
            </ActionForm>
            <div aria-live="polite">
                {move || check.value().get().and_then(Result::ok).map(|r| match r {
                    ReceiptCheck::Genuine(rc) => view! {
                        <div class="notice notice-success" role="status" data-testid="receipt-genuine">
                            <p>{t(FundMsg::ReceiptGenuine)}</p>
                            <dl class="facts">
                                {move || lines(&rc, lang.get()).into_iter().map(|(label, v)| view! {
                                    <div><dt>{label}</dt><dd>{v}</dd></div>
                                }).collect_view()}
                            </dl>
                        </div>
                    }.into_any(),
                    ReceiptCheck::Unknown => view! {
                        <p class="notice notice-error" role="status" data-testid="receipt-unknown">{t(FundMsg::ReceiptUnknown)}</p>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}
