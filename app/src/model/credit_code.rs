//! The unified social credit code (统一社会信用代码, GB 32100-2015), shared by the browser and
//! the server so that a mistyped code is caught before it is submitted (P1.1.1).

use crate::model::error::Rule;
use serde::{Deserialize, Serialize};

/// The 31 characters of the code, in value order (no I, O, S, V, Z).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1..17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character (position 18) for the first 17 characters.
pub fn check_char(first17: &[u8]) -> Option<u8> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize])
}

/// An 18-character code made of the code's alphabet. Whether its check character is right is
/// a separate question ([`CreditCode::check_ok`]): a few early codes fail it and may be
/// accepted only by an operator, explicitly and with a recorded reason.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CreditCode(String);

impl CreditCode {
    /// Normalises (trims, removes inner spaces, upper-cases) and checks the shape only.
    pub fn parse_shape(input: &str) -> Result<CreditCode, Rule> {
        let code: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if code.is_empty() {
            return Err(Rule::Required);
        }
        if code.len() != 18 || !code.bytes().all(|b| value(b).is_some()) {
            return Err(Rule::Format);
        }
        Ok(CreditCode(code))
    }

    /// Shape and check character: what an applicant's code must pass.
    pub fn parse(input: &str) -> Result<CreditCode, Rule> {
        let code = Self::parse_shape(input)?;
        if code.check_ok() {
            Ok(code)
        } else {
            Err(Rule::CheckCharacter)
        }
    }

    pub fn check_ok(&self) -> bool {
        let b = self.0.as_bytes();
        check_char(&b[..17]) == Some(b[17])
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CreditCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// P1.1.1: the GB 32100-2015 check character, with valid and invalid vectors.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_1_1_valid_codes_pass() {
        for code in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91440300708461136T",
            " 9135 0100m000100y43 ",
        ] {
            assert!(CreditCode::parse(code).is_ok(), "{code} should be valid");
        }
        assert_eq!(
            CreditCode::parse("91350100m000100y43").unwrap().as_str(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn p1_1_1_wrong_check_character_is_refused() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(Rule::CheckCharacter)
        );
        // One changed digit in the body.
        assert_eq!(
            CreditCode::parse("91350100M000200Y43"),
            Err(Rule::CheckCharacter)
        );
        // Shape is fine, so an operator could still accept it explicitly.
        assert!(!CreditCode::parse_shape("91350100M000100Y44")
            .unwrap()
            .check_ok());
    }

    #[test]
    fn p1_1_1_bad_shapes_are_format_errors() {
        assert_eq!(CreditCode::parse(""), Err(Rule::Required));
        assert_eq!(CreditCode::parse("9135010"), Err(Rule::Format));
        assert_eq!(CreditCode::parse("91350100M000100Y433"), Err(Rule::Format));
        // I, O, S, V, Z are not in the alphabet.
        assert_eq!(CreditCode::parse("91350100M0001O0Y43"), Err(Rule::Format));
        assert_eq!(CreditCode::parse("9135010０M000100Y43"), Err(Rule::Format));
    }

    #[test]
    fn check_char_maps_31_to_0() {
        // Every generated code verifies.
        for body in [
            "00000000000000000",
            "91350100M000100Y4",
            "Y0000000000000000",
        ] {
            let c = check_char(body.as_bytes()).unwrap();
            let code = format!("{body}{}", c as char);
            assert!(CreditCode::parse(&code).is_ok(), "{code}");
        }
        assert_eq!(check_char(b"00000000000000000"), Some(b'0'));
    }
}
