//! Money is integer fen (分), everywhere. Users type yuan with at most two decimals; the
//! browser and the server parse it with this same code.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen. Signed, so ledger postings can be negative.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// For typed rows: `#[sqlx(try_from = "i64")] amount: Fen`.
impl From<i64> for Fen {
    fn from(fen: i64) -> Self {
        Fen(fen)
    }
}

/// Why a typed amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    Format,
    TooManyDecimals,
    TooLarge,
}

/// The largest amount accepted from a user: 100 billion yuan. Far below `i64::MAX` fen, so
/// sums of many amounts cannot overflow.
pub const MAX_INPUT_FEN: i64 = 10_000_000_000_000;

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// [`Fen::parse_yuan`] for an amount that must be more than zero (a payment, a credit, a
    /// transfer), with the rule a form shows under the field.
    pub fn parse_positive_yuan(input: &str) -> Result<Fen, crate::model::error::Rule> {
        match Fen::parse_yuan(input) {
            Ok(a) if a.0 > 0 => Ok(a),
            _ => Err(crate::model::error::Rule::Amount),
        }
    }

    /// Parses yuan as typed by a user: `1234`, `1,234.5`, `¥1234.56`. Negative amounts and
    /// more than two decimals are refused, never rounded.
    pub fn parse_yuan(input: &str) -> Result<Fen, AmountError> {
        let s: String = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .collect();
        if s.is_empty() {
            return Err(AmountError::Empty);
        }
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s.as_str(), ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(AmountError::Format);
        }
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) || !all_digits(frac_part) {
            return Err(AmountError::Format);
        }
        if frac_part.len() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        if int_part.len() > 12 {
            return Err(AmountError::TooLarge);
        }
        let yuan: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| AmountError::Format)?
        };
        let mut frac: i64 = if frac_part.is_empty() {
            0
        } else {
            frac_part.parse().map_err(|_| AmountError::Format)?
        };
        if frac_part.len() == 1 {
            frac *= 10;
        }
        let fen = yuan * 100 + frac;
        if fen > MAX_INPUT_FEN {
            return Err(AmountError::TooLarge);
        }
        Ok(Fen(fen))
    }

    /// `1234.56` without grouping or symbol, as used in CSV files and on the wire.
    pub fn to_yuan_plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }
}

/// `¥1,234.56`, as shown in tables (right-aligned by the style sheet).
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, ch) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}¥{grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yuan_into_fen_exactly() {
        assert_eq!(Fen::parse_yuan("0"), Ok(Fen(0)));
        assert_eq!(Fen::parse_positive_yuan("0.01"), Ok(Fen(1)));
        for not_positive in ["0", "0.00", "-1", "abc", "1.001"] {
            assert_eq!(
                Fen::parse_positive_yuan(not_positive),
                Err(crate::model::error::Rule::Amount)
            );
        }
        assert_eq!(Fen::parse_yuan("12"), Ok(Fen(1200)));
        assert_eq!(Fen::parse_yuan("12.3"), Ok(Fen(1230)));
        assert_eq!(Fen::parse_yuan("12.34"), Ok(Fen(1234)));
        assert_eq!(Fen::parse_yuan("0.01"), Ok(Fen(1)));
        assert_eq!(Fen::parse_yuan(".5"), Ok(Fen(50)));
        assert_eq!(Fen::parse_yuan(" ¥1,234,567.89 "), Ok(Fen(123_456_789)));
        assert_eq!(Fen::parse_yuan("￥1，000"), Ok(Fen(100_000)));
    }

    #[test]
    fn refuses_what_it_cannot_represent() {
        assert_eq!(Fen::parse_yuan(""), Err(AmountError::Empty));
        assert_eq!(Fen::parse_yuan("   "), Err(AmountError::Empty));
        assert_eq!(Fen::parse_yuan("."), Err(AmountError::Format));
        assert_eq!(Fen::parse_yuan("-1"), Err(AmountError::Format));
        assert_eq!(Fen::parse_yuan("1e3"), Err(AmountError::Format));
        assert_eq!(Fen::parse_yuan("1.2.3"), Err(AmountError::Format));
        assert_eq!(Fen::parse_yuan("1.234"), Err(AmountError::TooManyDecimals));
        assert_eq!(
            Fen::parse_yuan("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            Fen::parse_yuan("100000000000.01"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(Fen::parse_yuan("100000000000"), Ok(Fen(MAX_INPUT_FEN)));
    }

    #[test]
    fn displays_grouped_with_two_decimals() {
        assert_eq!(Fen(0).to_string(), "¥0.00");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(123_456).to_string(), "¥1,234.56");
        assert_eq!(Fen(100_000_000).to_string(), "¥1,000,000.00");
        assert_eq!(Fen(-123_456).to_string(), "-¥1,234.56");
        assert_eq!(Fen(-5).to_yuan_plain(), "-0.05");
        assert_eq!(Fen(i64::MIN).to_yuan_plain(), "-92233720368547758.08");
    }
}
