//! Completion records (issue 18 §1, P1.1.6): the work a worker did on a task, the amount it is
//! worth, and the enterprise's explicit acceptance; accepted work is paid as a payment batch.
//! Also the worker's details as typed (the register de-duplicates them by ID number).
//!
//! ```text
//! recorded ──accept──▶ accepted ──pay (a batch)──▶ paid through its payment order
//!    └──withdraw──▶ withdrawn
//! ```
//!
//! A task's money: its budget bounds what is recorded (withdrawn records do not count); per
//! unit, the amount is the units done × the unit price, never typed.

use super::super::error::{FieldError, Rule};
use super::super::form::{check, parse_text};
use super::super::funds::{Channel, OrderStatus};
use super::super::money::{Fen, MAX_INPUT_FEN};
use super::super::worker::{WorkerForm, WorkerInput};
use super::super::UtcMillis;
use super::{PayKind, TaskInput, MAX_UNITS};
use serde::{Deserialize, Serialize};

/// Limits of the form.
pub const MILESTONE_MAX: u32 = 100;

/// Where a completion record stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionStatus {
    /// Written down, not yet accepted.
    Recorded,
    /// The enterprise accepted the work: it may be paid.
    Accepted,
    /// Taken back before acceptance (a mistake); it no longer counts.
    Withdrawn,
}

super::super::codes!(CompletionStatus {
    Recorded => "recorded",
    Accepted => "accepted",
    Withdrawn => "withdrawn",
});

/// The completion form as posted: the worker, then the work.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionForm {
    pub worker: WorkerForm,
    /// Per unit: the units done.
    pub quantity: String,
    /// Fixed: the milestone reached (per unit: an optional note).
    pub milestone: String,
    /// Fixed: the amount, in yuan.
    pub amount: String,
}

/// A parsed completion record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionInput {
    pub worker: WorkerInput,
    /// Units done (per unit); 0 for a fixed-budget task.
    pub quantity: i64,
    pub milestone: String,
    pub amount: Fen,
}

impl CompletionInput {
    /// Parses the form for `task` (its pay kind decides which fields apply).
    pub fn parse(f: &CompletionForm, task: &TaskInput) -> Result<CompletionInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let worker = WorkerInput::parse(&f.worker, &mut errs);
        let (quantity, milestone, amount) = match task.pay_kind {
            Some(PayKind::PerUnit) => {
                let q = check(&mut errs, "quantity", parse_quantity(&f.quantity));
                let note = check(&mut errs, "milestone", optional_text(&f.milestone));
                let amount = q.and_then(|q| {
                    let a = task
                        .unit_price
                        .0
                        .checked_mul(q)
                        .filter(|a| *a <= MAX_INPUT_FEN);
                    if a.is_none() {
                        errs.push(FieldError::new("quantity", Rule::OutOfRange));
                    }
                    a.map(Fen)
                });
                (q, note, amount)
            }
            _ => {
                let m = check(
                    &mut errs,
                    "milestone",
                    parse_text(&f.milestone, MILESTONE_MAX),
                );
                let a = if f.amount.trim().is_empty() {
                    Err(Rule::Required)
                } else {
                    Fen::parse_positive_yuan(&f.amount)
                };
                let a = check(&mut errs, "amount", a);
                (Some(0), m, a)
            }
        };
        match (worker, quantity, milestone, amount) {
            (Some(worker), Some(quantity), Some(milestone), Some(amount)) if errs.is_empty() => {
                Ok(CompletionInput {
                    worker,
                    quantity,
                    milestone,
                    amount,
                })
            }
            _ => Err(errs),
        }
    }
}

fn parse_quantity(input: &str) -> Result<i64, Rule> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Rule::Required);
    }
    let n: i64 = s.parse().map_err(|_| Rule::Format)?;
    if !(1..=MAX_UNITS).contains(&n) {
        return Err(Rule::OutOfRange);
    }
    Ok(n)
}

fn optional_text(input: &str) -> Result<String, Rule> {
    if input.trim().is_empty() {
        Ok(String::new())
    } else {
        parse_text(input, MILESTONE_MAX)
    }
}

/// Whether `amount` more fits the task's budget, given what its records (not withdrawn)
/// already come to; per unit, `quantity` more must also fit the units expected.
pub fn fits_budget(task: &TaskInput, used: &TaskMoney, amount: Fen, quantity: i64) -> bool {
    let money = used
        .recorded
        .checked_add(amount)
        .is_some_and(|total| total <= task.budget);
    let units = task.pay_kind != Some(PayKind::PerUnit) || used.units + quantity <= task.units;
    money && units
}

/// A task's money, from its records and payment orders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskMoney {
    /// Recorded and accepted work (withdrawn records excluded).
    pub recorded: Fen,
    /// Units in those records (per unit).
    pub units: i64,
    /// Accepted work.
    pub accepted: Fen,
    /// Paid to workers: the amounts of the task's paid orders.
    pub paid: Fen,
    /// The same payments as the ledger has them (amount + fee of each paid order, net of
    /// reversals), and what the orders say it should be: the two agree.
    pub ledger_gross: Fen,
    pub orders_gross: Fen,
}

impl TaskMoney {
    /// The task's payments agree with the ledger.
    pub fn reconciled(&self) -> bool {
        self.ledger_gross == self.orders_gross
    }
}

/// A completion record as the task page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionView {
    pub id: String,
    pub worker_id: String,
    pub worker_name: String,
    pub id_masked: String,
    pub channel: Channel,
    pub account_masked: String,
    pub quantity: i64,
    pub milestone: String,
    pub amount: Fen,
    pub status: CompletionStatus,
    pub recorded_at: UtcMillis,
    pub accepted_at: Option<UtcMillis>,
    /// Who accepted it (a login person's name).
    pub accepted_by: String,
    /// The latest payment order for it: its id and status.
    pub order: Option<(String, OrderStatus)>,
}

impl CompletionView {
    /// Accepted and not paid or being paid: a new payment may be made for it.
    pub fn payable(&self) -> bool {
        self.status == CompletionStatus::Accepted
            && self.order.as_ref().is_none_or(|(_, s)| order_is_dead(*s))
    }
}

/// An order that will never pay (its completion may be paid again).
pub fn order_is_dead(s: OrderStatus) -> bool {
    matches!(
        s,
        OrderStatus::Cancelled | OrderStatus::Failed | OrderStatus::Returned
    )
}
