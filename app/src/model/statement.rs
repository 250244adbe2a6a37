//! A bank statement's incoming credits (top-ups, P1.1.5), typed by finance or imported from
//! the bank's CSV export. Parsed by the same table reader as payment batches.

use super::orders::{parse_rows, OrderId, RowError};
use crate::model::error::{FieldError, Rule};
use crate::model::form::{check, parse_text};
use crate::model::Fen;
use serde::{Deserialize, Serialize};

/// One incoming credit on the platform's bank account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankCreditInput {
    pub bank_ref: String,
    pub value_date: String,
    pub payer_name: String,
    pub payer_account: String,
    /// The receiving account number the payer used: it names the enterprise.
    pub receiving_account_no: String,
    pub amount: Fen,
    pub bank_fee: Fen,
}

/// What recording one credit did, or would do: finance first sees whose receiving account it
/// is, then confirms (the answer is a value the page words in the user's language).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditOutcome {
    /// Nothing recorded yet: the owner of the receiving account (`None`: nobody's, the credit
    /// would wait to be matched) and the amounts.
    Preview {
        enterprise: Option<String>,
        amount: Fen,
        credited: Fen,
    },
    /// Booked to the enterprise's available balance.
    Credited { enterprise: String, credited: Fen },
    /// Recorded; waits in the to-be-matched queue.
    Unmatched { credited: Fen },
    /// Recorded above the threshold; booked once a second finance operator approves it.
    Held { credited: Fen, limit: Fen },
    /// The bank reference was recorded before with the same details: nothing changed.
    AlreadyRecorded,
}

/// The form for one credit, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankCreditForm {
    pub bank_ref: String,
    pub value_date: String,
    pub payer_name: String,
    pub payer_account: String,
    pub receiving_account_no: String,
    pub amount: String,
    pub bank_fee: String,
}

fn digits_only(input: &str, min: usize, max: usize) -> Result<String, Rule> {
    let d: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if d.is_empty() {
        return Err(Rule::Required);
    }
    if !(min..=max).contains(&d.len()) || !d.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Rule::Format);
    }
    Ok(d)
}

impl BankCreditInput {
    pub fn parse(f: &BankCreditForm) -> Result<BankCreditInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let bank_ref = check(
            &mut errs,
            "bank_ref",
            OrderId::parse(&f.bank_ref).map(|r| r.as_str().to_string()),
        );
        let value_date = check(
            &mut errs,
            "value_date",
            crate::model::UtcMillis::china_day_start(&f.value_date)
                .map(|_| f.value_date.trim().to_string())
                .ok_or(if f.value_date.trim().is_empty() {
                    Rule::Required
                } else {
                    Rule::Format
                }),
        );
        let payer_name = check(&mut errs, "payer_name", parse_text(&f.payer_name, 100));
        let payer_account = check(
            &mut errs,
            "payer_account",
            digits_only(&f.payer_account, 8, 30),
        );
        let receiving = check(
            &mut errs,
            "receiving_account_no",
            digits_only(&f.receiving_account_no, 8, 30),
        );
        let amount = check(&mut errs, "amount", Fen::parse_positive_yuan(&f.amount));
        let fee = check(
            &mut errs,
            "bank_fee",
            if f.bank_fee.trim().is_empty() {
                Ok(Fen::ZERO)
            } else {
                Fen::parse_yuan(&f.bank_fee).map_err(|_| Rule::Amount)
            },
        );
        if let (Some(a), Some(fee)) = (amount, fee) {
            if fee.0 >= a.0 {
                errs.push(FieldError::new("bank_fee", Rule::OutOfRange));
            }
        }
        match (
            bank_ref,
            value_date,
            payer_name,
            payer_account,
            receiving,
            amount,
            fee,
        ) {
            (
                Some(bank_ref),
                Some(value_date),
                Some(payer_name),
                Some(payer_account),
                Some(receiving_account_no),
                Some(amount),
                Some(bank_fee),
            ) if errs.is_empty() => Ok(BankCreditInput {
                bank_ref,
                value_date,
                payer_name,
                payer_account,
                receiving_account_no,
                amount,
                bank_fee,
            }),
            _ => Err(errs),
        }
    }
}

const STATEMENT_COLUMNS: &[(&str, &[&str], bool)] = &[
    ("bank_ref", &["bank_ref", "流水号", "交易流水号"], true),
    (
        "value_date",
        &["value_date", "date", "交易日期", "日期"],
        true,
    ),
    ("payer_name", &["payer_name", "付款户名", "付款人"], true),
    ("payer_account", &["payer_account", "付款账号"], true),
    (
        "receiving_account_no",
        &["receiving_account_no", "receiving_account", "收款账号"],
        true,
    ),
    ("amount", &["amount", "金额", "贷方金额"], true),
    ("bank_fee", &["bank_fee", "fee", "手续费"], false),
];

/// Parses a bank statement export: all lines or none.
pub fn parse_statement(bytes: &[u8]) -> Result<Vec<(u32, BankCreditInput)>, Vec<RowError>> {
    parse_rows(
        bytes,
        STATEMENT_COLUMNS,
        |cell| {
            BankCreditInput::parse(&BankCreditForm {
                bank_ref: cell(0),
                value_date: cell(1),
                payer_name: cell(2),
                payer_account: cell(3),
                receiving_account_no: cell(4),
                amount: cell(5),
                bank_fee: cell(6),
            })
        },
        |c| c.bank_ref.clone(),
        "bank_ref",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_parse_and_refuse_repeated_references() {
        let file = "流水号,交易日期,付款户名,付款账号,收款账号,金额\nB1,2026-11-29,某公司,6225881234567890,9558800000000001,\"1,000.00\"\nB1,2026-11-29,某公司,6225881234567890,9558800000000001,5\n";
        let errs = parse_statement(file.as_bytes()).unwrap_err();
        assert_eq!((errs[0].line, errs[0].rule), (3, Rule::Duplicate));
        let ok = parse_statement(
            file.lines()
                .take(2)
                .collect::<Vec<_>>()
                .join("\n")
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(ok[0].1.amount, Fen(100_000));
    }
}
