//! Payment-order input (P1.1.5): the form, a batch CSV file and a bank statement are parsed
//! here, by the same code in the browser and on the server. Bad input never reaches a
//! service: each problem is a [`FieldError`] (or a [`RowError`] with its line number).

use crate::model::account::{Email, Mobile};
use crate::model::csv;
use crate::model::error::{FieldError, Rule};
use crate::model::form::{check, parse_text};
use crate::model::funds::{mask_card, mask_handle, mask_id_number, Channel};
use crate::model::Fen;
use serde::{Deserialize, Serialize};

pub use super::statement::{parse_statement, BankCreditForm, BankCreditInput};

/// The enterprise's own order id: the idempotency key. 1 to 64 characters of letters,
/// digits, `-`, `_` and `.`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderId(String);

impl OrderId {
    pub const MAX: u32 = 64;
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Rule::Required);
        }
        if s.len() > Self::MAX as usize {
            return Err(Rule::TooLong { max: Self::MAX });
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return Err(Rule::Format);
        }
        Ok(OrderId(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mainland resident ID-card number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2
/// check character (`0`-`9` or `X`).
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct IdNumber(String);

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdNumber({})", mask_id_number(&self.0))
    }
}

impl IdNumber {
    pub fn parse(input: &str) -> Result<Self, Rule> {
        let s = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(Rule::Required);
        }
        let b = s.as_bytes();
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
            return Err(Rule::Format);
        }
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = b[..17]
            .iter()
            .zip(W)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        let expected = b"10X98765432"[(sum % 11) as usize];
        if b[17] != expected {
            return Err(Rule::CheckCharacter);
        }
        Ok(IdNumber(s))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }
}

/// Where the money goes: a bank card number, an Alipay account (mobile or e-mail) or a
/// WeChat openid.
#[derive(Clone, PartialEq, Eq)]
pub struct PayeeAccount(String);

impl std::fmt::Debug for PayeeAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PayeeAccount(****)")
    }
}

impl PayeeAccount {
    pub fn parse(channel: Channel, input: &str) -> Result<Self, Rule> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Rule::Required);
        }
        match channel {
            Channel::Bank => {
                let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
                if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(Rule::Format);
                }
                Ok(PayeeAccount(digits))
            }
            Channel::Alipay => {
                if s.contains('@') {
                    Email::parse(s).map(|e| PayeeAccount(e.as_str().to_string()))
                } else {
                    Mobile::parse(s).map(|m| PayeeAccount(m.as_str().to_string()))
                }
            }
            Channel::Wechat => {
                let ok = (6..=64).contains(&s.len())
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
                if ok {
                    Ok(PayeeAccount(s.to_string()))
                } else {
                    Err(Rule::Format)
                }
            }
        }
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The masked form shown in every list.
    pub fn masked(&self, channel: Channel) -> String {
        match channel {
            Channel::Bank => mask_card(&self.0),
            _ => mask_handle(&self.0),
        }
    }
}

/// The form as typed (also one CSV row): every field a string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderForm {
    pub order_id: String,
    pub payee_name: String,
    pub id_number: String,
    pub channel: String,
    pub account: String,
    pub mobile: String,
    pub amount: String,
    pub remark: String,
    pub project: String,
}

/// A parsed order request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderInput {
    pub order_id: OrderId,
    pub payee_name: String,
    pub id_number: IdNumber,
    pub channel: Channel,
    pub account: PayeeAccount,
    pub mobile: Mobile,
    pub amount: Fen,
    pub remark: String,
    pub project: String,
}

impl OrderInput {
    pub const NAME_MAX: u32 = 30;
    pub const REMARK_MAX: u32 = 100;
    pub const PROJECT_MAX: u32 = 64;

    pub fn parse(f: &OrderForm) -> Result<OrderInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let order_id = check(&mut errs, "order_id", OrderId::parse(&f.order_id));
        let payee_name = check(
            &mut errs,
            "payee_name",
            parse_text(&f.payee_name, Self::NAME_MAX),
        );
        let id_number = check(&mut errs, "id_number", IdNumber::parse(&f.id_number));
        let channel = check(
            &mut errs,
            "channel",
            Channel::parse(&f.channel).ok_or(if f.channel.trim().is_empty() {
                Rule::Required
            } else {
                Rule::Format
            }),
        );
        let account =
            channel.and_then(|c| check(&mut errs, "account", PayeeAccount::parse(c, &f.account)));
        let mobile = check(&mut errs, "mobile", Mobile::parse(&f.mobile));
        let amount = check(&mut errs, "amount", Fen::parse_positive_yuan(&f.amount));
        let remark = check(
            &mut errs,
            "remark",
            optional_text(&f.remark, Self::REMARK_MAX),
        );
        let project = check(
            &mut errs,
            "project",
            optional_text(&f.project, Self::PROJECT_MAX),
        );
        match (
            order_id, payee_name, id_number, channel, account, mobile, amount, remark, project,
        ) {
            (
                Some(order_id),
                Some(payee_name),
                Some(id_number),
                Some(channel),
                Some(account),
                Some(mobile),
                Some(amount),
                Some(remark),
                Some(project),
            ) if errs.is_empty() => Ok(OrderInput {
                order_id,
                payee_name,
                id_number,
                channel,
                account,
                mobile,
                amount,
                remark,
                project,
            }),
            _ => Err(errs),
        }
    }

    /// The body that the idempotency check compares: the same `order_id` with any other
    /// value here is a conflict.
    pub fn canonical(&self) -> String {
        [
            self.order_id.as_str(),
            &self.payee_name,
            self.id_number.expose(),
            self.channel.code(),
            self.account.expose(),
            self.mobile.as_str(),
            &self.amount.0.to_string(),
            &self.remark,
            &self.project,
        ]
        .join("\u{1f}")
    }
}

fn optional_text(input: &str, max: u32) -> Result<String, Rule> {
    if input.trim().is_empty() {
        Ok(String::new())
    } else {
        parse_text(input, max)
    }
}

/// A problem on one line of an uploaded file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line in the file; 0 for the file as a whole.
    pub line: u32,
    pub field: String,
    pub rule: Rule,
}

/// Limits of one uploaded batch.
pub const BATCH_MAX_BYTES: usize = 2 * 1024 * 1024;
pub const BATCH_MAX_ROWS: usize = 5_000;

const ORDER_COLUMNS: &[(&str, &[&str], bool)] = &[
    ("order_id", &["order_id", "商户订单号", "订单号"], true),
    (
        "payee_name",
        &["payee_name", "name", "姓名", "收款人"],
        true,
    ),
    ("id_number", &["id_number", "身份证号", "身份证号码"], true),
    ("channel", &["channel", "渠道", "付款渠道"], true),
    ("account", &["account", "收款账号", "账号"], true),
    ("mobile", &["mobile", "手机号", "手机"], true),
    ("amount", &["amount", "金额", "金额(元)"], true),
    ("remark", &["remark", "备注"], false),
    ("project", &["project", "项目"], false),
];

/// The batch template a user downloads: the header line, with the column names in the
/// user's language (both are accepted on upload). The plain file is UTF-8; the Excel variant
/// starts with a byte-order mark and ends lines with CRLF, so that Excel opens it with the
/// Chinese intact and saves it back as UTF-8.
pub fn batch_template(lang: crate::model::Lang, excel: bool) -> String {
    let names: Vec<&str> = ORDER_COLUMNS
        .iter()
        .map(|(code, aliases, _)| match lang {
            crate::model::Lang::ZhCn => aliases
                .iter()
                .copied()
                .find(|a| !a.is_ascii())
                .unwrap_or(code),
            crate::model::Lang::En => code,
        })
        .collect();
    let line = names.join(",");
    if excel {
        format!("\u{feff}{line}\r\n")
    } else {
        format!("{line}\n")
    }
}

pub(crate) fn file_error(rule: Rule) -> Vec<RowError> {
    vec![RowError {
        line: 0,
        field: "file".into(),
        rule,
    }]
}

/// Reads an uploaded table: the size limit, UTF-8, the header (every required column named),
/// then each row built by `build` from its cells. A value of `key` that repeats an earlier
/// row's is an error on `key_field`. All rows, or every problem with its line.
pub(crate) fn parse_rows<T, K: std::hash::Hash + Eq>(
    bytes: &[u8],
    columns: &[(&str, &[&str], bool)],
    build: impl Fn(&dyn Fn(usize) -> String) -> Result<T, Vec<FieldError>>,
    key: impl Fn(&T) -> K,
    key_field: &str,
) -> Result<Vec<(u32, T)>, Vec<RowError>> {
    if bytes.len() > BATCH_MAX_BYTES {
        return Err(file_error(Rule::FileTooLarge {
            max_mb: (BATCH_MAX_BYTES / 1024 / 1024) as u32,
        }));
    }
    let records = csv::read(bytes).map_err(|e| match e {
        csv::CsvError::UnclosedQuote { line } | csv::CsvError::Encoding { line } => {
            vec![RowError {
                line,
                field: "file".into(),
                rule: e.rule(),
            }]
        }
    })?;
    let Some((header, rows)) = records.split_first() else {
        return Err(file_error(Rule::Required));
    };
    let cols = csv::columns(&header.fields, columns).map_err(|missing| {
        vec![RowError {
            line: header.line,
            field: missing.into(),
            rule: Rule::MissingColumn,
        }]
    })?;
    if rows.is_empty() {
        return Err(file_error(Rule::Required));
    }
    if rows.len() > BATCH_MAX_ROWS {
        return Err(file_error(Rule::TooMany {
            max: BATCH_MAX_ROWS as u32,
        }));
    }
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for rec in rows {
        let cell = |i: usize| -> String {
            cols[i]
                .and_then(|c| rec.fields.get(c))
                .cloned()
                .unwrap_or_default()
        };
        match build(&cell) {
            Ok(row) => {
                if !seen.insert(key(&row)) {
                    errors.push(RowError {
                        line: rec.line,
                        field: key_field.into(),
                        rule: Rule::Duplicate,
                    });
                }
                out.push((rec.line, row));
            }
            Err(errs) => errors.extend(errs.into_iter().map(|e| RowError {
                line: rec.line,
                field: e.field,
                rule: e.rule,
            })),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Parses a whole batch file. Either every row is good, or every problem is listed with its
/// line, and nothing is created.
pub fn parse_batch(bytes: &[u8]) -> Result<Vec<(u32, OrderInput)>, Vec<RowError>> {
    parse_rows(
        bytes,
        ORDER_COLUMNS,
        |cell| {
            OrderInput::parse(&OrderForm {
                order_id: cell(0),
                payee_name: cell(1),
                id_number: cell(2),
                channel: cell(3),
                account: cell(4),
                mobile: cell(5),
                amount: cell(6),
                remark: cell(7),
                project: cell(8),
            })
        },
        |o| o.order_id.clone(),
        "order_id",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const ID: &str = "11010519491231002X";

    fn row(order_id: &str, amount: &str) -> String {
        format!("{order_id},张三,{ID},bank,6222021234561234,13800000001,{amount},劳务费,P1\n")
    }

    #[test]
    fn id_numbers_need_their_check_character() {
        assert!(IdNumber::parse(ID).is_ok());
        assert!(IdNumber::parse("11010519491231002x").is_ok());
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(Rule::CheckCharacter)
        );
        assert_eq!(IdNumber::parse("1101051949"), Err(Rule::Format));
        assert_eq!(
            format!("{:?}", IdNumber::parse(ID).unwrap()),
            "IdNumber(110***********002X)"
        );
    }

    #[test]
    fn accounts_follow_their_channel() {
        assert!(PayeeAccount::parse(Channel::Bank, "6222 0212 3456 1234").is_ok());
        assert_eq!(
            PayeeAccount::parse(Channel::Bank, "zhang@x.cn"),
            Err(Rule::Format)
        );
        assert!(PayeeAccount::parse(Channel::Alipay, "zhang@example.com").is_ok());
        assert!(PayeeAccount::parse(Channel::Alipay, "13800000001").is_ok());
        assert!(PayeeAccount::parse(Channel::Wechat, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o").is_ok());
        assert_eq!(
            PayeeAccount::parse(Channel::Wechat, "o<script>"),
            Err(Rule::Format)
        );
    }

    /// Issue 12: zh-CN Excel saves "CSV (逗号分隔)" as GB18030 without a BOM; such a batch
    /// uploads as it is.
    #[test]
    fn a_batch_saved_by_zh_cn_excel_uploads() {
        let text = format!(
            "{}{}",
            batch_template(crate::model::Lang::ZhCn, false),
            row("G-1", "8.80")
        );
        let (bytes, _, lossy) = encoding_rs::GB18030.encode(&text);
        assert!(!lossy && std::str::from_utf8(&bytes).is_err());
        let orders = parse_batch(&bytes).unwrap();
        assert_eq!(orders[0].1.payee_name.as_str(), "张三");
        assert_eq!(orders[0].1.amount, Fen(880));
    }

    #[test]
    fn both_templates_in_both_languages_upload_as_they_are() {
        for lang in crate::model::Lang::ALL {
            for excel in [false, true] {
                let mut file = batch_template(lang, excel);
                file.push_str(&row("T-1", "12.5"));
                let orders = parse_batch(file.as_bytes())
                    .unwrap_or_else(|e| panic!("{lang:?} {excel}: {e:?}"));
                assert_eq!(orders.len(), 1);
                assert_eq!(orders[0].1.amount, Fen(1250));
            }
        }
        assert!(batch_template(crate::model::Lang::ZhCn, true).starts_with("\u{feff}商户订单号,"));
        assert!(batch_template(crate::model::Lang::En, false).starts_with("order_id,payee_name,"));
    }

    #[test]
    fn a_good_batch_parses_with_chinese_headers_and_bom() {
        let file = format!(
            "\u{feff}商户订单号,姓名,身份证号,渠道,收款账号,手机号,金额,备注,项目\n{}{}",
            row("A-1", "100"),
            row("A-2", "0.5")
        );
        let orders = parse_batch(file.as_bytes()).unwrap();
        assert_eq!(orders.len(), 2);
        assert_eq!(orders[1].1.amount, Fen(50));
        assert_eq!(orders[1].0, 3);
    }

    /// The bad-input cases of the ledger issue: each bad row is reported with its line.
    #[test]
    fn p1_1_5_bad_batch_rows_are_reported_with_their_line() {
        let head = batch_template(crate::model::Lang::En, false);
        let file = format!(
            "{head}{}{}{}{}{}",
            row("A-1", "-5"),
            row("A-2", "0"),
            row("A-3", "1.234"),
            row("A-4", "10"),
            row("A-4", "10")
        );
        let errs = parse_batch(file.as_bytes()).unwrap_err();
        assert_eq!(
            errs.iter()
                .map(|e| (e.line, e.field.as_str(), e.rule))
                .collect::<Vec<_>>(),
            vec![
                (2, "amount", Rule::Amount),
                (3, "amount", Rule::Amount),
                (4, "amount", Rule::Amount),
                (6, "order_id", Rule::Duplicate)
            ]
        );
        // A missing column is named, on the header line.
        let errs =
            parse_batch(b"order_id,payee_name,id_number,channel,account,amount\nA,B,C,D,E,1\n")
                .unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].field.as_str(), errs[0].rule),
            (1, "mobile", Rule::MissingColumn)
        );
        // A file that is neither UTF-8 nor GB18030 is refused at its line.
        let errs = parse_batch(b"order_id\n\xFF\n").unwrap_err();
        assert_eq!((errs[0].line, errs[0].rule), (2, Rule::Encoding));
        // A 10 MB file is refused before it is read.
        let errs = parse_batch(&vec![b'a'; 10 * 1024 * 1024]).unwrap_err();
        assert_eq!(errs[0].rule, Rule::FileTooLarge { max_mb: 2 });
        // A header alone is not a batch.
        assert_eq!(
            parse_batch(head.as_bytes()).unwrap_err()[0].rule,
            Rule::Required
        );
    }

    #[test]
    fn the_idempotency_body_covers_every_field() {
        let f = OrderForm {
            order_id: "A-1".into(),
            payee_name: "张三".into(),
            id_number: ID.into(),
            channel: "alipay".into(),
            account: "zhang@example.com".into(),
            mobile: "13800000001".into(),
            amount: "10".into(),
            remark: String::new(),
            project: String::new(),
        };
        let a = OrderInput::parse(&f).unwrap();
        let b = OrderInput::parse(&OrderForm {
            amount: "10.01".into(),
            ..f.clone()
        })
        .unwrap();
        let c = OrderInput::parse(&OrderForm {
            amount: "10.00".into(),
            ..f
        })
        .unwrap();
        assert_ne!(a.canonical(), b.canonical());
        assert_eq!(a.canonical(), c.canonical());
    }
}
