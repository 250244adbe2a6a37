//! The electronic receipt (电子回单) of a paid order: the same facts on the printable page and
//! in the downloaded file, in the reader's language. It names the payer and the issuing
//! platform, masks the payee's numbers, and carries a verification code the platform checks
//! (console → Funds → Payout channel → Check a receipt).

use crate::model::funds::OrderView;
use crate::model::Bilingual;
use serde::{Deserialize, Serialize};

/// A paid order's receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub order: OrderView,
    /// The paying enterprise.
    pub payer: String,
    /// The platform's operator, who issues the receipt (configuration).
    pub issuer: Bilingual,
    /// The verification code (see [`format_code`]).
    pub code: String,
}

/// What the platform finds when it checks a receipt's code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptCheck {
    /// The code belongs to this order: the receipt's facts as the platform holds them.
    Genuine(Box<Receipt>),
    /// No paid order has this reference and code.
    Unknown,
}

/// 80 bits as four groups of five base-32 characters (no 0/1/I/O confusion in Crockford's
/// alphabet): `7K3QD-…`.
pub fn format_code(bytes: &[u8; 10]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(*b);
    }
    let chars: Vec<u8> = (0..16)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize])
        .collect();
    chars
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed: upper case, without spaces or dashes, and the letters people mistake for
/// digits read as those digits (O → 0, I and L → 1), as Crockford's base 32 does.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_and_typed_back() {
        let code = format_code(&[0xff; 10]);
        assert_eq!(code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        let code = format_code(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(code.len(), 19);
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")),
            code.replace('-', "")
        );
        assert_eq!(normalise_code("o1-il"), "0111");
    }
}
