//! The data map (issue 16 §1; P1.4, P4.2, P5.3): every table, and in it every column that holds
//! information about a person or an enterprise, with what it is (personal, sensitive personal,
//! or the enterprise's), its category, why it is kept (the purposes model, hence its legal
//! basis), how long (the table's retention rule), whether a copy of one's data includes it, and
//! what erasure does to it. Every other column is listed as technical (ids, codes, times,
//! counts, hashes of secrets), so that the map is complete: `server/tests/api/data_map.rs`
//! reads the live schema of both engines and fails on a column the map does not name, or a
//! name the schema does not have.
//!
//! The registry is [`tables`] (`people.rs`: people's tables; `records.rs`: enterprises' and the
//! platform's). Model side, so the privacy centre can render it.

mod invoices;
mod people;
mod records;
mod sharing;
mod support;
mod tasks;

/// A mapped column (the registries' shorthand).
const fn f(
    column: &'static str,
    holds: Holds,
    category: Category,
    export: bool,
    erasure: Erasure,
) -> Field {
    Field {
        column,
        holds,
        category,
        export,
        erasure,
    }
}

/// Codes: deleted by housekeeping a day after they expired (it runs every ten minutes).
const EXPIRES: Retention = Retention::UntilExpiry { hours_after: 25 };
/// Accounting records: the accounting archives' period.
const BOOKS: Retention = Retention::Legal(Hold::AccountingArchives);

/// Every table of the map.
pub fn tables() -> impl Iterator<Item = &'static TableMap> {
    people::PEOPLE
        .iter()
        .chain(records::RECORDS.iter())
        .chain(invoices::INVOICES.iter())
        .chain(tasks::TASKS.iter())
        .chain(support::SUPPORT.iter())
        .chain(sharing::SHARING.iter())
}

/// How many days a support conversation is kept after its ticket closed: the map's rule for
/// transcripts, which the ticket forms announce and the retention job applies (P1.1.7).
pub fn transcript_days() -> u32 {
    match table("support_messages").map(|t| t.retention) {
        Some(Retention::AfterClosing(days)) => days,
        _ => support::TRANSCRIPT_DAYS,
    }
}

use super::purpose::{LegalBasis, Purpose};
use serde::Serialize;

/// Whose rows a table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A login person (or someone registering, invited, or paid).
    Person,
    /// An enterprise (its people's details may be in it too).
    Enterprise,
    /// A platform operator.
    Operator,
    /// The platform's own records (policies, announcements, jobs).
    Platform,
}

/// What a mapped column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holds {
    /// Personal information (PIPL Art. 4).
    Personal,
    /// Sensitive personal information (PIPL Art. 28: financial accounts, ID numbers, …).
    Sensitive,
    /// Information about an enterprise (business details, funds).
    Enterprise,
}

/// The category a mapped column belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Names.
    Identity,
    /// Mobile numbers, e-mail addresses, postal addresses.
    Contact,
    /// Password hashes, second-factor secrets.
    Credentials,
    /// IP addresses, browsers and devices.
    Device,
    /// Logins, sessions and actions taken.
    Activity,
    /// Bank card and account numbers, payout accounts.
    FinancialAccount,
    /// Identity-card numbers.
    IdNumber,
    /// Amounts, balances, orders and transfers.
    Transaction,
    /// The enterprise's registration and business details.
    Business,
    /// Messages sent and received.
    Communication,
    /// Consent and policy decisions.
    Consent,
    /// WeChat's openid, unionid, nickname and avatar.
    ThirdPartyAccount,
    /// Uploaded files.
    Files,
}

/// How erasure treats a column once its subject's data is to go (deletion, closure, expiry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", content = "how", rename_all = "snake_case")]
pub enum Erasure {
    /// The row (or the value) is deleted.
    Delete,
    /// The value is replaced so that it no longer identifies anyone.
    Anonymise(Method),
    /// Kept, under a legal hold, for the hold's period; then deleted or anonymised.
    Keep(Hold),
}

/// How a value is anonymised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Emptied (or set to null).
    Blank,
    /// Replaced by a fixed placeholder ("已注销用户").
    Placeholder,
    /// Shortened to what no longer identifies (an IP address to its /24).
    Truncate,
}

/// Why a record is kept beyond its subject's wish: the law that says so. The periods are
/// configuration ([`crate::model::retention::RetentionDays`]); the defaults are documented there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    /// Accounting vouchers, books and reports (会计档案管理办法, 2015, Art. 14 and its table:
    /// vouchers and books 30 years).
    AccountingArchives,
    /// Network logs (网络安全法 Art. 21(3): at least six months).
    NetworkLogs,
    /// The audit trail of privileged actions, kept as long as accounting archives: it proves
    /// who changed the books.
    AuditTrail,
}

/// How long a table's rows are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", content = "value", rename_all = "snake_case")]
pub enum Retention {
    /// Until it expires or is used, then deleted by housekeeping within this many hours.
    UntilExpiry { hours_after: u32 },
    /// As long as the account (person or enterprise) exists.
    WhileAccount,
    /// This many days after it was made.
    Days(u32),
    /// This many days after the record (a support ticket) was closed.
    AfterClosing(u32),
    /// A legal hold's period (see [`Hold`]).
    Legal(Hold),
    /// The platform's own record, kept as published (policies, announcements).
    Published,
}

/// One mapped column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    pub column: &'static str,
    pub holds: Holds,
    pub category: Category,
    /// Whether a copy of one's data includes it (P6.1).
    pub export: bool,
    pub erasure: Erasure,
}

/// One table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TableMap {
    pub table: &'static str,
    pub subject: Subject,
    /// Why the rows are kept (its legal basis: [`Purpose::basis`]).
    pub purpose: Purpose,
    pub retention: Retention,
    /// The columns that hold information about a person or an enterprise.
    pub fields: &'static [Field],
    /// The other columns: ids, codes, times, counts, keyed hashes and hashes of secrets.
    pub technical: &'static [&'static str],
}

impl TableMap {
    pub fn basis(&self) -> LegalBasis {
        self.purpose.basis()
    }

    /// Every column the map names for this table.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields
            .iter()
            .map(|f| f.column)
            .chain(self.technical.iter().copied())
    }
}

/// The map of `table`, if the registry has it.
pub fn table(name: &str) -> Option<&'static TableMap> {
    tables().find(|t| t.table == name)
}

/// Whether the map names `column` of `table` (as a field or as technical).
pub fn knows(table: &str, column: &str) -> bool {
    self::table(table).is_some_and(|t| t.columns().any(|c| c == column))
}

/// One line of "what we hold about you" (P1.4, P6.1): a category, why, how long, and what
/// deletion does, gathered from the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Held {
    pub category: Category,
    /// Whether any of it is sensitive personal information.
    pub sensitive: bool,
    pub purpose: Purpose,
    pub retention: Retention,
    pub erasure: Erasure,
}

/// What the platform holds about a `subject` (a login person, or an enterprise), one line per
/// category, purpose, retention and erasure, in the map's order.
pub fn held(subject: Subject) -> Vec<Held> {
    let mut out: Vec<Held> = Vec::new();
    for t in tables().filter(|t| t.subject == subject) {
        for f in t.fields {
            let line = Held {
                category: f.category,
                sensitive: f.holds == Holds::Sensitive,
                purpose: t.purpose,
                retention: t.retention,
                erasure: f.erasure,
            };
            match out.iter_mut().find(|h| {
                (h.category, h.purpose, h.retention, h.erasure)
                    == (line.category, line.purpose, line.retention, line.erasure)
            }) {
                Some(h) => h.sensitive |= line.sensitive,
                None => out.push(line),
            }
        }
    }
    out.sort_by_key(|h| (h.category as u8, h.purpose as u8));
    out
}

/// What stays of a login person once their deletion is carried out (P6.3): each category the
/// map keeps under a legal hold in a person's tables and in the audit trail, with its hold, in
/// the map's order. The answer to a deletion request lists these.
pub fn kept_after_deletion() -> Vec<(Category, Hold)> {
    let mut out: Vec<(Category, Hold)> = Vec::new();
    let person_or_trail = |t: &&TableMap| {
        t.subject == Subject::Person || t.retention == Retention::Legal(Hold::AuditTrail)
    };
    for t in tables().filter(person_or_trail) {
        for f in t.fields {
            if let (Erasure::Keep(hold), Holds::Personal | Holds::Sensitive) = (f.erasure, f.holds)
            {
                if !out.contains(&(f.category, hold)) {
                    out.push((f.category, hold));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn p1_4_the_registry_names_each_table_and_column_once() {
        let mut seen = HashSet::new();
        for t in tables() {
            assert!(seen.insert(t.table), "{} twice", t.table);
            let mut columns = HashSet::new();
            for c in t.columns() {
                assert!(columns.insert(c), "{}.{c} twice", t.table);
            }
        }
        assert!(knows("users", "mobile_enc") && !knows("users", "nope"));
    }

    #[test]
    fn p1_4_what_we_hold_is_generated_from_the_map() {
        let person = held(Subject::Person);
        // A login person's contact details, kept while the account exists, deleted with it.
        assert!(person.iter().any(|h| h.category == Category::Contact
            && h.retention == Retention::WhileAccount
            && h.erasure == Erasure::Delete));
        // Login history is a network log (a legal hold).
        assert!(person.iter().any(|h| h.category == Category::Activity
            && h.retention == Retention::Legal(Hold::NetworkLogs)));
        // An enterprise's payees' ID numbers are sensitive and kept with the books.
        let enterprise = held(Subject::Enterprise);
        assert!(enterprise.iter().any(|h| h.category == Category::IdNumber
            && h.sensitive
            && h.erasure == Erasure::Keep(Hold::AccountingArchives)));
        // No line twice.
        for (i, a) in person.iter().enumerate() {
            for b in &person[i + 1..] {
                assert!(
                    (a.category, a.purpose, a.retention, a.erasure)
                        != (b.category, b.purpose, b.retention, b.erasure)
                );
            }
        }
    }

    #[test]
    fn p6_3_what_stays_after_a_deletion_is_the_held_logs_and_the_audit_trail() {
        assert_eq!(
            kept_after_deletion(),
            [
                (Category::Device, Hold::NetworkLogs),
                (Category::Activity, Hold::NetworkLogs),
                (Category::Device, Hold::AuditTrail),
            ]
        );
    }

    #[test]
    fn p4_2_sensitive_fields_are_never_kept_without_a_hold_beyond_their_subject() {
        // A sensitive value is either deleted/anonymised with its subject, or kept only under
        // a named legal hold (never silently).
        for t in tables() {
            for f in t.fields.iter().filter(|f| f.holds == Holds::Sensitive) {
                match f.erasure {
                    Erasure::Delete | Erasure::Anonymise(_) => {}
                    Erasure::Keep(hold) => assert_eq!(
                        t.retention,
                        Retention::Legal(hold),
                        "{}.{} is kept under {hold:?}: the table's retention must say so",
                        t.table,
                        f.column
                    ),
                }
            }
        }
    }
}
