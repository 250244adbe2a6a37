//! Funds (P1.1.5, P6.1): channels, order statuses, the fee rule, masking and the views the
//! portal and the console show. Money is integer fen; times are UTC.

use crate::model::{Fen, UtcMillis};
use serde::{Deserialize, Serialize};

// Transfers (withdrawals) live in their own module; their types are funds' types too.
pub use super::transfers::{TransferStatus, TransferView, TransfersPage, WithdrawalAccount};

/// How a worker is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Bank,
    Alipay,
    Wechat,
}
super::codes!(Channel { Bank => "bank", Alipay => "alipay", Wechat => "wechat" });

impl Channel {
    /// Also accepts the Chinese names used in spreadsheets.
    pub fn parse(input: &str) -> Option<Channel> {
        match input.trim().to_lowercase().as_str() {
            "bank" | "bank_card" | "银行卡" | "银行" => Some(Channel::Bank),
            "alipay" | "支付宝" => Some(Channel::Alipay),
            "wechat" | "weixin" | "微信" => Some(Channel::Wechat),
            _ => None,
        }
    }
}

/// A payment order's life cycle. Every change is a ledger operation: reserve at accept, post
/// at paid, void at failed or cancelled, reverse at returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// In an uploaded batch that nobody has confirmed yet (no money reserved).
    AwaitingConfirmation,
    /// Funds reserved; waiting for the payout worker.
    Accepted,
    /// Handed to the payout channel.
    Paying,
    Paid,
    Failed,
    /// Not enough available balance: retry or cancel.
    Suspended,
    Cancelled,
    /// Paid, then sent back by the payee's bank or wallet.
    Returned,
}
super::codes!(OrderStatus {
    AwaitingConfirmation => "awaiting_confirmation",
    Accepted => "accepted",
    Paying => "paying",
    Paid => "paid",
    Failed => "failed",
    Suspended => "suspended",
    Cancelled => "cancelled",
    Returned => "returned",
});

impl OrderStatus {
    pub fn can_retry_or_cancel(self) -> bool {
        self == OrderStatus::Suspended
    }
}

/// Why an order is in its status; shown beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    None,
    AwaitingConfirmation,
    FundsReserved,
    SentToChannel,
    Paid,
    InsufficientBalance,
    CancelledByEnterprise,
    BatchCancelled,
    AccountInvalid,
    AccountFrozen,
    NameMismatch,
    ReturnedByBank,
    ChannelError,
    /// The payee has not signed the worker service agreement (issue 18): the order waits,
    /// suspended, until they sign.
    PayeeNotSigned,
}
impl OrderStatus {
    /// Being paid: the status will change without the user doing anything.
    pub fn in_flight(self) -> bool {
        matches!(self, OrderStatus::Accepted | OrderStatus::Paying)
    }
}

impl Reason {
    /// Whether the reason says more than the status it goes with ("Paid · Paid" does not).
    pub fn tells_more(self) -> bool {
        !matches!(self, Reason::None | Reason::Paid)
    }
}

super::codes!(Reason {
    None => "none",
    AwaitingConfirmation => "awaiting_confirmation",
    FundsReserved => "funds_reserved",
    SentToChannel => "sent_to_channel",
    Paid => "paid",
    InsufficientBalance => "insufficient_balance",
    CancelledByEnterprise => "cancelled_by_enterprise",
    BatchCancelled => "batch_cancelled",
    AccountInvalid => "account_invalid",
    AccountFrozen => "account_frozen",
    NameMismatch => "name_mismatch",
    ReturnedByBank => "returned_by_bank",
    ChannelError => "channel_error",
    PayeeNotSigned => "payee_not_signed",
});

/// The platform's charges: a service fee on top of the amount, and tax withheld from it.
/// Both are rates in basis points (1/100 of a percent) from configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRule {
    pub service_fee_bp: u32,
    pub tax_bp: u32,
    /// The smallest service fee of an order when there is a fee at all (issue 14): without it
    /// an order of ¥0.08 rounds its fee to nothing, and splitting payments into such orders
    /// would avoid the fee. Configuration (`--min-service-fee-fen`, default 1 fen).
    pub min_fee: Fen,
}

/// What one order costs and pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charges {
    /// What the enterprise pays the worker (before tax).
    pub amount: Fen,
    /// The platform's service fee, paid by the enterprise on top.
    pub fee: Fen,
    /// Tax withheld from the amount on the worker's behalf.
    pub tax: Fen,
    /// What reaches the worker: amount − tax.
    pub received: Fen,
    /// What leaves the enterprise's balance: amount + fee.
    pub gross: Fen,
}

impl FeeRule {
    pub const MAX_BP: u32 = 10_000;

    /// Rounds `amount × bp / 10 000` half up to the fen (四舍五入), in integer arithmetic.
    pub fn portion(amount: Fen, bp: u32) -> Fen {
        let v = (i128::from(amount.0) * i128::from(bp) + 5_000).div_euclid(10_000);
        Fen(i64::try_from(v).unwrap_or(i64::MAX))
    }

    /// The one rule for every order: fee and tax are each rounded half up on the amount; the
    /// fee is at least `min_fee` when the rate is not zero.
    pub fn charges(self, amount: Fen) -> Charges {
        let mut fee = Self::portion(amount, self.service_fee_bp.min(Self::MAX_BP));
        if self.service_fee_bp > 0 && amount.0 > 0 {
            fee = Fen(fee.0.max(self.min_fee.0));
        }
        let tax = Self::portion(amount, self.tax_bp.min(Self::MAX_BP));
        Charges {
            amount,
            fee,
            tax,
            received: Fen(amount.0 - tax.0),
            gross: Fen(amount.0 + fee.0),
        }
    }
}

/// `6222 **** **** 1234`: first and last four digits of a card; an account number the same.
/// A corporate bank account number as typed: spaces and dashes ignored, then 8 to 30 digits
/// (no Luhn check: corporate accounts do not carry one).
pub fn parse_corporate_account(input: &str) -> Result<String, crate::model::error::Rule> {
    use crate::model::error::Rule;
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        Err(Rule::Required)
    } else if (8..=30).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(Rule::Format)
    }
}

pub fn mask_card(digits: &str) -> String {
    let d: Vec<char> = digits.chars().filter(char::is_ascii_digit).collect();
    if d.len() < 8 {
        return "****".into();
    }
    let head: String = d[..4].iter().collect();
    let tail: String = d[d.len() - 4..].iter().collect();
    format!("{head} **** **** {tail}")
}

/// `110***********123X`: an ID-card number with its first three and last four kept.
pub fn mask_id_number(id: &str) -> String {
    let c: Vec<char> = id.chars().collect();
    if c.len() < 8 {
        return "****".into();
    }
    let head: String = c[..3].iter().collect();
    let tail: String = c[c.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(c.len() - 7))
}

/// Masks any other account: keeps the first two and last two characters of what comes
/// before an `@`, and the domain.
pub fn mask_handle(handle: &str) -> String {
    let (user, domain) = match handle.split_once('@') {
        Some((u, d)) => (u, Some(d)),
        None => (handle, None),
    };
    let c: Vec<char> = user.chars().collect();
    let shown = if c.len() <= 4 {
        format!(
            "{}***",
            c.first().map(|c| c.to_string()).unwrap_or_default()
        )
    } else {
        let head: String = c[..2].iter().collect();
        let tail: String = c[c.len() - 2..].iter().collect();
        format!("{head}****{tail}")
    };
    match domain {
        Some(d) => format!("{shown}@{d}"),
        None => shown,
    }
}

/// The enterprise's dedicated receiving account for top-ups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivingAccount {
    pub account_name: String,
    pub account_no: String,
    pub bank_name: String,
}

/// One day's closing total balance, for the 90-day chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayBalance {
    pub day_start: UtcMillis,
    pub total: Fen,
}

/// 资金管理 home.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundsOverview {
    pub available: Fen,
    pub reserved: Fen,
    pub pending_withdrawal: Fen,
    pub total: Fen,
    /// Payments and fees this China-time month, less refunds.
    pub month_spend: Fen,
    pub receiving: Option<ReceivingAccount>,
    pub series: Vec<DayBalance>,
    pub fee_rule: FeeRule,
}

/// One top-up as the enterprise sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopupView {
    pub id: String,
    pub amount: Fen,
    pub credited: Fen,
    pub payer_name: String,
    pub payer_account: String,
    pub bank_ref: String,
    pub value_date: String,
    pub at: UtcMillis,
    pub status: CreditStatus,
}

/// Whether a bank credit has been applied to an enterprise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditStatus {
    /// Above the second-approval threshold: nothing is booked until a second finance operator,
    /// not the one who recorded it, approves (issue 14, four eyes).
    Held,
    /// Its receiving account named no enterprise: finance applies it by hand.
    Unmatched,
    Credited,
    /// The second finance operator refused it (nothing was booked; its bank reference may be
    /// recorded again, correctly).
    Rejected,
}

super::codes!(CreditStatus { Held => "held", Unmatched => "unmatched", Credited => "credited", Rejected => "rejected" });

/// The payout simulator's state of one payout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SimPayoutStatus {
    Pending,
    Paid,
    Failed,
}

super::codes!(SimPayoutStatus { Pending => "pending", Paid => "paid", Failed => "failed" });

/// A payment order in lists and on its page; numbers are masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub order_id: String,
    pub batch_id: Option<String>,
    pub payee_name: String,
    pub id_masked: String,
    pub channel: Channel,
    pub account_masked: String,
    pub mobile_masked: String,
    pub charges: Charges,
    pub remark: String,
    pub project: String,
    /// Paid for a task's completion record (issue 18): the task and the record.
    pub task_id: Option<String>,
    pub completion_id: Option<String>,
    pub status: OrderStatus,
    pub reason: Reason,
    pub channel_ref: Option<String>,
    pub created_at: UtcMillis,
    pub updated_at: UtcMillis,
    pub paid_at: Option<UtcMillis>,
}

/// The full numbers of one order, shown to authorised roles and audited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSecrets {
    pub id_number: String,
    pub account: String,
    pub mobile: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub orders: Vec<OrderView>,
    pub next_cursor: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    AwaitingConfirmation,
    Confirmed,
    Cancelled,
}
super::codes!(BatchStatus {
    AwaitingConfirmation => "awaiting_confirmation",
    Confirmed => "confirmed",
    Cancelled => "cancelled",
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchView {
    pub id: String,
    pub file_name: String,
    pub status: BatchStatus,
    pub order_count: i64,
    pub total_amount: Fen,
    pub total_fee: Fen,
    pub created_at: UtcMillis,
}

/// The result of creating one order: the order, and whether this call created it or found
/// the original (an idempotent retry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderOutcome {
    pub order: OrderView,
    pub replayed: bool,
}

/// What a fund-flow line is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Topup,
    Reserve,
    Release,
    Payment,
    Fee,
    Refund,
    Withdraw,
    Transfer,
    Correction,
}
super::codes!(Category {
    Topup => "topup",
    Reserve => "reserve",
    Release => "release",
    Payment => "payment",
    Fee => "fee",
    Refund => "refund",
    Withdraw => "withdraw",
    Transfer => "transfer",
    Correction => "correction",
});

/// The enterprise account a fund-flow line changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntAccount {
    Available,
    Reserved,
    WithdrawPending,
}
super::codes!(EntAccount {
    Available => "available",
    Reserved => "reserved",
    WithdrawPending => "withdraw_pending",
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowLine {
    pub seq: i64,
    pub at: UtcMillis,
    pub account: EntAccount,
    pub category: Category,
    pub amount: Fen,
    pub balance_after: Fen,
    pub reference: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowPage {
    pub lines: Vec<FlowLine>,
    pub next_cursor: Option<i64>,
}

/// A monthly bill. `opening + topups − payments − fees + refunds − transfers = closing`,
/// over the enterprise's total balance (available + reserved + pending withdrawal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bill {
    pub month: String,
    pub opening: Fen,
    pub topups: Fen,
    pub payments: Fen,
    pub fees: Fen,
    pub refunds: Fen,
    pub transfers: Fen,
    pub closing: Fen,
    pub generated_at: UtcMillis,
}

impl Bill {
    /// The bill's own arithmetic holds.
    pub fn reconciles(&self) -> bool {
        self.opening.0 + self.topups.0 - self.payments.0 - self.fees.0 + self.refunds.0
            - self.transfers.0
            == self.closing.0
    }
}

/// A bank credit as finance sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankCreditView {
    pub id: String,
    pub bank_ref: String,
    pub amount: Fen,
    pub credited: Fen,
    pub payer_name: String,
    pub payer_account: String,
    pub receiving_account_no: String,
    pub value_date: String,
    pub status: CreditStatus,
    pub enterprise_name: Option<String>,
    pub at: UtcMillis,
    /// Who recorded it (the maker; a held credit needs someone else).
    pub recorded_by: String,
    /// Why it was rejected.
    pub reason: String,
}

/// The result of importing a statement.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub credited: u32,
    pub unmatched: u32,
    /// Lines whose bank reference was already recorded (a re-import).
    pub already_recorded: u32,
    /// Lines above the second-approval threshold, held until a second operator approves.
    pub held: u32,
}

/// The payout simulator's record of one payout, shown in the console in development.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimPayoutView {
    pub payout_key: String,
    pub channel: Channel,
    pub amount: Fen,
    pub account_hint: String,
    pub status: SimPayoutStatus,
    pub reason: Reason,
    pub submitted_at: UtcMillis,
    pub returned: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P1.1.5: one rule for fee and tax, integer fen, half up.
    #[test]
    fn p1_1_5_fee_and_tax_round_half_up_in_fen() {
        let rule = FeeRule {
            service_fee_bp: 600,
            tax_bp: 150,
            min_fee: Fen(0),
        };
        let c = rule.charges(Fen(10_000));
        assert_eq!(
            (c.fee, c.tax, c.received, c.gross),
            (Fen(600), Fen(150), Fen(9_850), Fen(10_600))
        );
        // 0.25 fen rounds down, 0.5 fen rounds up.
        assert_eq!(FeeRule::portion(Fen(1), 2_500), Fen(0));
        assert_eq!(FeeRule::portion(Fen(1), 5_000), Fen(1));
        assert_eq!(FeeRule::portion(Fen(12_345), 600), Fen(741)); // 740.7
        assert_eq!(FeeRule::portion(Fen(12_341), 600), Fen(740)); // 740.46
        let c = rule.charges(Fen(1));
        assert_eq!(c.gross.0, c.amount.0 + c.fee.0);
        assert_eq!(c.received.0 + c.tax.0, c.amount.0);
        // The largest accepted amount does not overflow.
        let big = rule.charges(Fen(crate::model::money::MAX_INPUT_FEN));
        assert_eq!(big.fee.0, crate::model::money::MAX_INPUT_FEN / 100 * 6);
    }

    /// Issue 14: a tiny order still pays the configured minimum fee; a platform without a fee
    /// charges none, and larger orders pay their rate.
    #[test]
    fn p1_1_5_tiny_orders_pay_the_minimum_fee() {
        let rule = FeeRule {
            service_fee_bp: 600,
            tax_bp: 100,
            min_fee: Fen(1),
        };
        assert_eq!(rule.charges(Fen(8)).fee, Fen(1));
        assert_eq!(rule.charges(Fen(8)).gross, Fen(9));
        assert_eq!(rule.charges(Fen(10_000)).fee, Fen(600));
        let free = FeeRule {
            service_fee_bp: 0,
            ..rule
        };
        assert_eq!(free.charges(Fen(8)).fee, Fen(0));
    }

    #[test]
    fn masks_numbers_in_lists() {
        assert_eq!(mask_card("6222021234561234"), "6222 **** **** 1234");
        assert_eq!(mask_card("123"), "****");
        assert_eq!(mask_id_number("11010519491231002X"), "110***********002X");
        assert_eq!(mask_handle("zhangsan@example.com"), "zh****an@example.com");
        assert_eq!(mask_handle("oAbCdEfGh123"), "oA****23");
        assert_eq!(mask_handle("abc"), "a***");
    }

    #[test]
    fn bills_reconcile_by_their_own_arithmetic() {
        let bill = Bill {
            month: "2026-11".into(),
            opening: Fen(1_000),
            topups: Fen(500),
            payments: Fen(300),
            fees: Fen(18),
            refunds: Fen(100),
            transfers: Fen(82),
            closing: Fen(1_200),
            generated_at: UtcMillis(0),
        };
        assert!(bill.reconciles());
        assert!(!Bill {
            closing: Fen(1_201),
            ..bill
        }
        .reconciles());
    }
}
