//! The task library (任务库, issue 18 §1, P1.1.6): the pure rules the portal, the console and
//! the server share — a task's fields and how they are parsed, its pay, the forbidden terms that
//! flag it for a reviewer's attention, and its life cycle. Nothing here touches the database.
//!
//! ```text
//! draft ──submit──▶ in review ──approve──▶ open ──close (enterprise, or the end date)──▶ closed
//!   ▲                 │   │
//!   └──(edit)── changes requested ◀──ask for changes
//!                     └──reject──▶ rejected
//! ```
//!
//! A draft may be incomplete (only its title is needed); submitting needs every field.

use super::error::{FieldError, Rule};
use super::form::{check, parse_multiline, parse_text};
use super::money::{Fen, MAX_INPUT_FEN};
use super::UtcMillis;
use serde::{Deserialize, Serialize};

pub mod completion;

/// Where a task stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Draft,
    InReview,
    ChangesRequested,
    /// Approved: workers may be engaged and completions recorded.
    Open,
    Closed,
    Rejected,
}

super::codes!(TaskStatus {
    Draft => "draft",
    InReview => "in_review",
    ChangesRequested => "changes_requested",
    Open => "open",
    Closed => "closed",
    Rejected => "rejected",
});

/// What moves a task on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskStep {
    Submit,
    Approve,
    Reject,
    AskChanges,
    Close,
}

impl TaskStatus {
    /// The status after `step`, if `step` applies.
    pub fn after(self, step: TaskStep) -> Option<TaskStatus> {
        use TaskStatus as S;
        use TaskStep as A;
        match (self, step) {
            (S::Draft | S::ChangesRequested, A::Submit) => Some(S::InReview),
            (S::InReview, A::Approve) => Some(S::Open),
            (S::InReview, A::Reject) => Some(S::Rejected),
            (S::InReview, A::AskChanges) => Some(S::ChangesRequested),
            (S::Open, A::Close) => Some(S::Closed),
            _ => None,
        }
    }

    /// Work done on it may be recorded (open, or closed: work done before it closed).
    pub fn accepts_completions(self) -> bool {
        matches!(self, TaskStatus::Open | TaskStatus::Closed)
    }

    /// The enterprise may change it (a draft, or one sent back for changes).
    pub fn editable(self) -> bool {
        matches!(self, TaskStatus::Draft | TaskStatus::ChangesRequested)
    }
}

/// A reviewer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskDecision {
    Approve,
    Reject,
    AskChanges,
}

super::codes!(TaskDecision {
    Approve => "approve",
    Reject => "reject",
    AskChanges => "ask_changes",
});

impl TaskDecision {
    pub fn step(self) -> TaskStep {
        match self {
            TaskDecision::Approve => TaskStep::Approve,
            TaskDecision::Reject => TaskStep::Reject,
            TaskDecision::AskChanges => TaskStep::AskChanges,
        }
    }
    /// A rejection or a request for changes says why (the publisher is told).
    pub fn needs_note(self) -> bool {
        self != TaskDecision::Approve
    }
}

/// How the work is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayKind {
    /// A price per unit of work (per delivery, per item), for an expected number of units.
    PerUnit,
    /// A fixed budget for the whole task.
    Fixed,
}

super::codes!(PayKind { PerUnit => "per_unit", Fixed => "fixed" });

/// Limits of the form.
pub const TITLE_MAX: u32 = 60;
pub const DESCRIPTION_MAX: u32 = 2000;
pub const CITY_MAX: u32 = 20;
pub const NOTE_MAX: u32 = 500;
pub const MAX_WORKERS: i64 = 10_000;
pub const MAX_UNITS: i64 = 1_000_000;

/// The task form as posted (every field a string; `remote` is `on` when ticked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskForm {
    pub title: String,
    pub description: String,
    pub category: String,
    pub remote: Option<String>,
    pub city: String,
    pub pay_kind: String,
    pub unit_price: String,
    pub units: String,
    pub budget: String,
    pub workers: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A parsed task. In a draft the fields after the title may be empty (`""`, `None`, zero).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskInput {
    pub title: String,
    pub description: String,
    pub category: String,
    pub remote: bool,
    pub city: String,
    pub pay_kind: Option<PayKind>,
    /// Per unit only.
    pub unit_price: Fen,
    /// Per unit only: the units expected.
    pub units: i64,
    /// Fixed: as typed; per unit: unit price × units.
    pub budget: Fen,
    pub workers: i64,
    /// China calendar days, `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
}

/// Parses a whole number in `1..=max`.
fn parse_count(input: &str, max: i64) -> Result<i64, Rule> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Rule::Required);
    }
    let n: i64 = s.parse().map_err(|_| Rule::Format)?;
    if !(1..=max).contains(&n) {
        return Err(Rule::OutOfRange);
    }
    Ok(n)
}

/// A China calendar day as typed (`2026-12-01`).
fn parse_day(input: &str) -> Result<String, Rule> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Rule::Required);
    }
    UtcMillis::china_day_start(s)
        .map(UtcMillis::china_date)
        .ok_or(Rule::Format)
}

/// `Ok(None)` for an empty field of a draft; otherwise `parse`'s result.
fn optional<T>(
    draft: bool,
    input: &str,
    parse: impl FnOnce(&str) -> Result<T, Rule>,
) -> Result<Option<T>, Rule> {
    if draft && input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

impl TaskInput {
    /// Parses the form. `categories` is the configured list; `today` the China day (a task to
    /// submit may not end before it). With `draft`, only the title is needed, and the fields
    /// given must still be valid.
    pub fn parse(
        f: &TaskForm,
        categories: &[String],
        today: &str,
        draft: bool,
    ) -> Result<TaskInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let title = check(&mut errs, "title", parse_text(&f.title, TITLE_MAX));
        let description = check(
            &mut errs,
            "description",
            optional(draft, &f.description, |s| {
                parse_multiline(s, DESCRIPTION_MAX)
            }),
        );
        let category = check(
            &mut errs,
            "category",
            optional(draft, &f.category, |s| {
                let s = s.trim();
                if s.is_empty() {
                    Err(Rule::Required)
                } else if categories.iter().any(|c| c == s) {
                    Ok(s.to_string())
                } else {
                    Err(Rule::Format)
                }
            }),
        );
        let remote = f.remote.as_deref() == Some("on");
        let city = if remote {
            Some(None)
        } else {
            check(
                &mut errs,
                "city",
                optional(draft, &f.city, |s| parse_text(s, CITY_MAX)),
            )
        };
        let pay_kind = check(
            &mut errs,
            "pay_kind",
            optional(draft, &f.pay_kind, |s| {
                PayKind::from_code(s.trim()).ok_or(Rule::Required)
            }),
        );
        let (mut unit_price, mut units, mut budget) = (Some(None), Some(None), Some(None));
        match pay_kind.flatten() {
            Some(PayKind::PerUnit) => {
                unit_price = check(
                    &mut errs,
                    "unit_price",
                    optional(draft, &f.unit_price, Fen::parse_positive_yuan),
                );
                units = check(
                    &mut errs,
                    "units",
                    optional(draft, &f.units, |s| parse_count(s, MAX_UNITS)),
                );
            }
            Some(PayKind::Fixed) => {
                budget = check(
                    &mut errs,
                    "budget",
                    optional(draft, &f.budget, Fen::parse_positive_yuan),
                );
            }
            None => {}
        }
        let workers = check(
            &mut errs,
            "workers",
            optional(draft, &f.workers, |s| parse_count(s, MAX_WORKERS)),
        );
        let starts_on = check(
            &mut errs,
            "starts_on",
            optional(draft, &f.starts_on, parse_day),
        );
        let ends_on = check(
            &mut errs,
            "ends_on",
            optional(draft, &f.ends_on, |s| {
                let day = parse_day(s)?;
                if !draft && day.as_str() < today {
                    return Err(Rule::OutOfRange);
                }
                Ok(day)
            }),
        );
        if let (Some(Some(start)), Some(Some(end))) = (&starts_on, &ends_on) {
            if end < start {
                errs.push(FieldError::new("ends_on", Rule::OutOfRange));
            }
        }
        // Per unit: the budget is the price of the units expected, within the input limit.
        let per_unit_budget = match (unit_price.flatten(), units.flatten()) {
            (Some(p), Some(n)) => match p.0.checked_mul(n).filter(|b| *b <= MAX_INPUT_FEN) {
                Some(b) => Some(Fen(b)),
                None => {
                    errs.push(FieldError::new("units", Rule::OutOfRange));
                    None
                }
            },
            _ => None,
        };
        if !errs.is_empty() {
            return Err(errs);
        }
        let kind = pay_kind.flatten();
        Ok(TaskInput {
            title: title.unwrap_or_default(),
            description: description.flatten().unwrap_or_default(),
            category: category.flatten().unwrap_or_default(),
            remote,
            city: city.flatten().unwrap_or_default(),
            pay_kind: kind,
            unit_price: unit_price.flatten().unwrap_or(Fen::ZERO),
            units: units.flatten().unwrap_or(0),
            budget: match kind {
                Some(PayKind::PerUnit) => per_unit_budget.unwrap_or(Fen::ZERO),
                _ => budget.flatten().unwrap_or(Fen::ZERO),
            },
            workers: workers.flatten().unwrap_or(0),
            starts_on: starts_on.flatten().unwrap_or_default(),
            ends_on: ends_on.flatten().unwrap_or_default(),
        })
    }

    /// The form that gives this input back (to edit a stored task).
    pub fn form(&self) -> TaskForm {
        let yuan = |f: Fen| {
            if f.0 > 0 {
                f.to_yuan_plain()
            } else {
                String::new()
            }
        };
        let count = |n: i64| if n > 0 { n.to_string() } else { String::new() };
        TaskForm {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            remote: self.remote.then(|| "on".to_string()),
            city: self.city.clone(),
            pay_kind: self
                .pay_kind
                .map(|k| k.code().to_string())
                .unwrap_or_default(),
            unit_price: yuan(self.unit_price),
            units: count(self.units),
            budget: match self.pay_kind {
                Some(PayKind::Fixed) => yuan(self.budget),
                _ => String::new(),
            },
            workers: count(self.workers),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
        }
    }

    /// The configured forbidden terms found in the title or description (case-insensitive): the
    /// task is flagged for the reviewer's attention, never decided by them.
    pub fn flags(&self, terms: &[String]) -> Vec<String> {
        let text = format!("{}\n{}", self.title, self.description).to_lowercase();
        terms
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty() && text.contains(&t.to_lowercase()))
            .map(str::to_string)
            .collect()
    }
}

/// A task as the portal and the console show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: String,
    pub enterprise_name: String,
    pub task: TaskInput,
    pub status: TaskStatus,
    /// Forbidden terms found when it was submitted.
    pub flags: Vec<String>,
    /// The reviewer's reason for a rejection or a request for changes.
    pub review_note: String,
    /// Who wrote it (a login person's name).
    pub publisher: String,
    pub updated_at: UtcMillis,
    pub submitted_at: Option<UtcMillis>,
    pub decided_at: Option<UtcMillis>,
    pub closed_at: Option<UtcMillis>,
}

/// The enterprise's task library: its tasks, newest first, the categories to choose from and
/// a fresh form key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TasksPage {
    pub tasks: Vec<TaskView>,
    pub categories: Vec<String>,
    pub key: String,
}

/// One task and the categories, for its page, with its completion records and money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPage {
    pub task: TaskView,
    pub categories: Vec<String>,
    pub completions: Vec<completion::CompletionView>,
    pub money: completion::TaskMoney,
}

#[cfg(test)]
mod tests;
