//! VAT invoices (issue 17; P1.1.4): the pure rules the portal, the console and the server share —
//! the kinds and media of an invoice, the tax arithmetic, splitting an amount over the
//! per-invoice limit, invoice numbers, the invoiceable amount, and an application's life cycle.
//! Money is integer fen; nothing here touches the database.
//!
//! Life cycle of an application:
//!
//! ```text
//! submitted ──start──▶ issuing ──issue──▶ issued ──mail (paper)──▶ mailed
//!     │  └──cancel (applicant)──▶ cancelled     │                    │
//!     └──────reject──────┬──reject── (issuing)  └──reverse (红字)────┴──▶ reversed
//!                        ▼
//!                    rejected
//! ```

mod profile;
mod views;

pub use profile::*;
pub use views::*;

use super::money::Fen;
use serde::{Deserialize, Serialize};

/// 专票 or 普票.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    /// 增值税专用发票: lets a general taxpayer deduct input VAT; needs every profile field.
    Special,
    /// 增值税普通发票.
    Ordinary,
}

super::codes!(InvoiceKind { Special => "special", Ordinary => "ordinary" });

/// Electronic (数电, fully digital) or paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    Electronic,
    Paper,
}

super::codes!(Medium { Electronic => "electronic", Paper => "paper" });

/// The buyer's taxpayer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxpayerType {
    /// 一般纳税人.
    General,
    /// 小规模纳税人.
    SmallScale,
}

super::codes!(TaxpayerType { General => "general", SmallScale => "small_scale" });

/// A VAT rate the platform issues at, in whole percent (13, 9, 6, 5, 3, 1 or 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaxRate(u8);

impl TaxRate {
    /// The rates of China's VAT (including the 1 % and 0 % of small-scale and exempt sales).
    pub const ALLOWED: [u8; 7] = [13, 9, 6, 5, 3, 1, 0];

    /// Parses `6`, `6%` or `6 %`; only the allowed rates.
    pub fn parse(input: &str) -> Option<TaxRate> {
        let digits = input.trim().trim_end_matches(['%', '％']).trim();
        let n: u8 = digits.parse().ok()?;
        Self::ALLOWED.contains(&n).then_some(TaxRate(n))
    }

    pub fn percent(self) -> u8 {
        self.0
    }
}

/// A total split into its price (金额, without tax) and its tax (税额).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceAndTax {
    pub price: Fen,
    pub tax: Fen,
}

/// The price and tax of a tax-inclusive `total` at `rate`: price = total ÷ (1 + rate), rounded
/// to the nearest fen, half away from zero (so a red-letter invoice's negative total mirrors
/// its blue one exactly; at the allowed rates an exact half never occurs), and tax = total −
/// price, so that price + tax is always the total.
pub fn price_and_tax(total: Fen, rate: TaxRate) -> PriceAndTax {
    let divisor = 100 + i128::from(rate.0);
    let scaled = i128::from(total.0) * 100;
    // Half away from zero: (|x| * 2 + d) / (2d), with the sign put back.
    let magnitude = (scaled.abs() * 2 + divisor) / (2 * divisor);
    let price = if scaled < 0 { -magnitude } else { magnitude };
    let price = price as i64;
    PriceAndTax {
        price: Fen(price),
        tax: Fen(total.0 - price),
    }
}

/// An amount above the per-invoice `limit` split into invoices: as many at the limit as fit,
/// then the rest (never a zero invoice). Empty for an amount that is not positive.
pub fn split(amount: Fen, limit: Fen) -> Vec<Fen> {
    if amount.0 <= 0 || limit.0 <= 0 {
        return Vec::new();
    }
    let full = amount.0 / limit.0;
    let rest = amount.0 % limit.0;
    let mut parts = vec![limit; full as usize];
    if rest > 0 {
        parts.push(Fen(rest));
    }
    parts
}

/// Why an invoice number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// A fully digital (数电) invoice's number is 20 digits.
    NotTwentyDigits,
    /// A paper invoice's number is 8 digits (or 20 on a 数电 paper invoice).
    NotPaperNumber,
}

/// An invoice number as typed by finance: digits only (spaces ignored), 20 for electronic
/// (数电) invoices; 8 or 20 for paper ones.
pub fn parse_number(input: &str, medium: Medium) -> Result<String, NumberError> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    match medium {
        Medium::Electronic if all_digits && digits.len() == 20 => Ok(digits),
        Medium::Electronic => Err(NumberError::NotTwentyDigits),
        Medium::Paper if all_digits && matches!(digits.len(), 8 | 20) => Ok(digits),
        Medium::Paper => Err(NumberError::NotPaperNumber),
    }
}

/// The largest invoice file finance may upload.
pub const MAX_INVOICE_FILE_BYTES: usize = 10 << 20;

/// The file of an issued invoice, read from its content, never its name: a PDF, an OFD (the
/// national standard GB/T 33190, a ZIP package whose entry point is `OFD.xml`), or the XML of
/// a 数电 invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceFile {
    Pdf,
    Ofd,
    Xml,
}

super::codes!(InvoiceFile { Pdf => "pdf", Ofd => "ofd", Xml => "xml" });

impl InvoiceFile {
    /// The type of `bytes`, if it is a whole file of an accepted type: a PDF from its header
    /// to its `%%EOF`; an OFD package (a ZIP with its end record) naming `OFD.xml`; an XML
    /// document in UTF-8 with its declaration and no document type (no entities to expand).
    pub fn sniff(bytes: &[u8]) -> Option<InvoiceFile> {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        if bytes.starts_with(b"%PDF-") {
            return contains(tail, b"%%EOF").then_some(InvoiceFile::Pdf);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            let end = &bytes[bytes.len().saturating_sub(65_557)..];
            return (contains(end, b"PK\x05\x06") && contains(bytes, b"OFD.xml"))
                .then_some(InvoiceFile::Ofd);
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let text = text.trim_start_matches('\u{feff}').trim();
        (text.starts_with("<?xml")
            && text.ends_with('>')
            && !text.contains("<!DOCTYPE")
            && !text.contains("<!ENTITY"))
        .then_some(InvoiceFile::Xml)
    }

    pub fn mime(self) -> &'static str {
        match self {
            InvoiceFile::Pdf => "application/pdf",
            InvoiceFile::Ofd => "application/ofd",
            InvoiceFile::Xml => "application/xml",
        }
    }

    pub fn extension(self) -> &'static str {
        self.code()
    }

    /// The name a downloaded or e-mailed invoice file carries: `invoice-<number>.<type>`.
    pub fn file_name(self, number: &str) -> String {
        format!("invoice-{number}.{}", self.extension())
    }
}

/// What the ledger says an enterprise paid, for the invoiceable amount (P1.1.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paid {
    /// The amounts of its paid payment orders.
    pub orders: Fen,
    /// Their service fees.
    pub fees: Fen,
    /// The amounts and fees of orders returned after they were paid.
    pub returned: Fen,
}

/// The invoiceable total, derived from the ledger and never stored by hand: the paid amount of
/// payment orders plus their service fees, minus returned orders (never below zero).
pub fn invoiceable_total(paid: Paid) -> Fen {
    Fen((paid.orders.0 + paid.fees.0 - paid.returned.0).max(0))
}

/// Where an enterprise's invoicing stands. The figures always reconcile with the invoiceable
/// total: invoiced + being invoiced + not yet invoiced − over-invoiced = total (the property the
/// tests check after any sequence of steps). Over-invoiced is non-zero only when orders were
/// returned after their invoice was issued: finance then reverses that invoice (红字).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// The invoiceable total derived from the ledger ([`invoiceable_total`]).
    pub total: Fen,
    /// Issued (or mailed) and not reversed.
    pub invoiced: Fen,
    /// Applied for, not yet issued (submitted or issuing).
    pub being_invoiced: Fen,
    /// What may still be applied for.
    pub not_yet_invoiced: Fen,
    /// Invoiced or applied for beyond the total (returns after invoicing).
    pub over_invoiced: Fen,
}

impl Standing {
    /// The standing from the invoiceable total and what is invoiced or being invoiced.
    pub fn of(total: Fen, invoiced: Fen, being_invoiced: Fen) -> Standing {
        let left = total.0 - invoiced.0 - being_invoiced.0;
        Standing {
            total,
            invoiced,
            being_invoiced,
            not_yet_invoiced: Fen(left.max(0)),
            over_invoiced: Fen((-left).max(0)),
        }
    }

    /// Whether the figures add up to the total (always, by construction; the reconciliation
    /// tests check it against a standing computed from the database).
    pub fn reconciles(&self) -> bool {
        self.invoiced.0 + self.being_invoiced.0 + self.not_yet_invoiced.0 - self.over_invoiced.0
            == self.total.0
    }
}

/// Where an application stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Submitted,
    Issuing,
    Issued,
    Rejected,
    Mailed,
    Reversed,
    Cancelled,
}

super::codes!(InvoiceStatus {
    Submitted => "submitted",
    Issuing => "issuing",
    Issued => "issued",
    Rejected => "rejected",
    Mailed => "mailed",
    Reversed => "reversed",
    Cancelled => "cancelled",
});

/// A step on an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStep {
    /// Finance takes it up.
    Start,
    Issue,
    Reject,
    /// A paper invoice goes out by courier.
    Mail,
    /// A red-letter invoice voids it.
    Reverse,
    /// The applicant withdraws it while it waits.
    Cancel,
}

impl InvoiceStatus {
    /// The status after `step`, if the step applies (`medium`: only paper is mailed).
    pub fn after(self, step: InvoiceStep, medium: Medium) -> Option<InvoiceStatus> {
        use InvoiceStatus as S;
        use InvoiceStep as A;
        match (self, step) {
            (S::Submitted, A::Start) => Some(S::Issuing),
            (S::Submitted | S::Issuing, A::Issue) => Some(S::Issued),
            (S::Submitted | S::Issuing, A::Reject) => Some(S::Rejected),
            (S::Submitted, A::Cancel) => Some(S::Cancelled),
            (S::Issued, A::Mail) if medium == Medium::Paper => Some(S::Mailed),
            (S::Issued | S::Mailed, A::Reverse) => Some(S::Reversed),
            _ => None,
        }
    }

    /// Counts as invoiced (issued, mailed).
    pub fn invoiced(self) -> bool {
        matches!(self, InvoiceStatus::Issued | InvoiceStatus::Mailed)
    }

    /// Counts as being invoiced: it holds part of the invoiceable amount until it is decided.
    pub fn being_invoiced(self) -> bool {
        matches!(self, InvoiceStatus::Submitted | InvoiceStatus::Issuing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(n: u8) -> TaxRate {
        TaxRate::parse(&n.to_string()).unwrap()
    }

    #[test]
    fn p1_1_4_rates_are_the_vat_rates() {
        assert_eq!(TaxRate::parse("6%"), Some(TaxRate(6)));
        assert_eq!(TaxRate::parse(" 13 ％"), Some(TaxRate(13)));
        assert_eq!(TaxRate::parse("0"), Some(TaxRate(0)));
        for bad in ["7", "", "6.5", "-1", "abc", "100"] {
            assert_eq!(TaxRate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn p1_1_4_price_and_tax_at_6_3_1_and_0_percent() {
        // ¥106.00 at 6 %: ¥100.00 + ¥6.00.
        let pt = price_and_tax(Fen(10_600), rate(6));
        assert_eq!((pt.price, pt.tax), (Fen(10_000), Fen(600)));
        // ¥100.00 at 6 %: 100 / 1.06 = 94.3396… → ¥94.34, tax ¥5.66.
        let pt = price_and_tax(Fen(10_000), rate(6));
        assert_eq!((pt.price, pt.tax), (Fen(9_434), Fen(566)));
        // ¥100.00 at 3 %: 97.0873… → ¥97.09, tax ¥2.91.
        let pt = price_and_tax(Fen(10_000), rate(3));
        assert_eq!((pt.price, pt.tax), (Fen(9_709), Fen(291)));
        // ¥100.00 at 1 %: 99.0099… → ¥99.01, tax ¥0.99.
        let pt = price_and_tax(Fen(10_000), rate(1));
        assert_eq!((pt.price, pt.tax), (Fen(9_901), Fen(99)));
        // 0 %: no tax.
        let pt = price_and_tax(Fen(12_345), rate(0));
        assert_eq!((pt.price, pt.tax), (Fen(12_345), Fen(0)));
        // ¥0.53 at 6 %: exactly ¥0.50 + ¥0.03.
        assert_eq!(price_and_tax(Fen(53), rate(6)).price, Fen(50));
        // 1 fen at 6 %: 0.943… → 1 fen of price, no tax.
        assert_eq!(price_and_tax(Fen(1), rate(6)).price, Fen(1));
    }

    #[test]
    fn p1_1_4_price_plus_tax_is_the_total_and_a_red_letter_mirrors_the_blue() {
        for &r in &TaxRate::ALLOWED {
            for total in (1..5_000).chain([99_999_999, 100_000_000, 123_456_789]) {
                let blue = price_and_tax(Fen(total), TaxRate(r));
                assert_eq!(blue.price.0 + blue.tax.0, total);
                // The price is the nearest fen to total / (1 + r).
                let exact = total as f64 * 100.0 / (100.0 + f64::from(r));
                assert!(
                    (blue.price.0 as f64 - exact).abs() <= 0.5 + 1e-9,
                    "{total} at {r}"
                );
                let red = price_and_tax(Fen(-total), TaxRate(r));
                assert_eq!((red.price.0, red.tax.0), (-blue.price.0, -blue.tax.0));
            }
        }
    }

    #[test]
    fn p1_1_4_splitting_over_the_per_invoice_limit() {
        let limit = Fen(10_000_000);
        assert_eq!(split(Fen(5_000_000), limit), [Fen(5_000_000)]);
        assert_eq!(split(Fen(10_000_000), limit), [limit]);
        assert_eq!(
            split(Fen(25_000_001), limit),
            [limit, limit, Fen(5_000_001)]
        );
        assert!(split(Fen(0), limit).is_empty());
        assert!(split(Fen(-5), limit).is_empty());
        for amount in [1, 99, 10_000_000, 10_000_001, 987_654_321] {
            let parts = split(Fen(amount), limit);
            assert_eq!(parts.iter().map(|p| p.0).sum::<i64>(), amount);
            assert!(parts.iter().all(|p| p.0 > 0 && p.0 <= limit.0));
        }
    }

    #[test]
    fn p1_1_4_invoice_files_are_typed_by_content() {
        let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec();
        assert_eq!(InvoiceFile::sniff(&pdf), Some(InvoiceFile::Pdf));
        // Cut short: no end.
        assert_eq!(InvoiceFile::sniff(&pdf[..20]), None);
        let mut ofd = b"PK\x03\x04\x14\x00OFD.xml<ofd:OFD/>".to_vec();
        ofd.extend_from_slice(b"PK\x01\x02OFD.xmlPK\x05\x06\x00\x00");
        assert_eq!(InvoiceFile::sniff(&ofd), Some(InvoiceFile::Ofd));
        // Any other ZIP (a Word file, say) is not an OFD.
        assert_eq!(
            InvoiceFile::sniff(b"PK\x03\x04word/document.xmlPK\x05\x06"),
            None
        );
        let xml =
            "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EInvoice><Header/></EInvoice>\n";
        assert_eq!(InvoiceFile::sniff(xml.as_bytes()), Some(InvoiceFile::Xml));
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>";
        assert_eq!(InvoiceFile::sniff(bomb.as_bytes()), None);
        // A picture renamed .pdf, or text that is not XML.
        assert_eq!(InvoiceFile::sniff(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(InvoiceFile::sniff(b"hello"), None);
        assert_eq!(InvoiceFile::sniff(b""), None);
    }

    #[test]
    fn p1_1_4_invoice_numbers() {
        let n = "2435 2000 0000 1234 5678";
        assert_eq!(
            parse_number(n, Medium::Electronic).as_deref(),
            Ok("24352000000012345678")
        );
        assert_eq!(
            parse_number("12345678", Medium::Electronic),
            Err(NumberError::NotTwentyDigits)
        );
        assert_eq!(
            parse_number("12345678", Medium::Paper).as_deref(),
            Ok("12345678")
        );
        assert_eq!(
            parse_number("1234567A", Medium::Paper),
            Err(NumberError::NotPaperNumber)
        );
        assert_eq!(
            parse_number("", Medium::Paper),
            Err(NumberError::NotPaperNumber)
        );
    }

    #[test]
    fn p1_1_4_the_invoiceable_amount_and_the_standing_add_up() {
        let paid = Paid {
            orders: Fen(100_000),
            fees: Fen(6_000),
            returned: Fen(10_600),
        };
        let total = invoiceable_total(paid);
        assert_eq!(total, Fen(95_400));
        let s = Standing::of(total, Fen(50_000), Fen(10_000));
        assert_eq!(
            s.invoiced.0 + s.being_invoiced.0 + s.not_yet_invoiced.0,
            total.0
        );
        assert!(s.reconciles() && s.over_invoiced == Fen(0));
        // Returns after invoicing: over-invoiced until a red-letter invoice reverses it.
        let over = Standing::of(Fen(40_000), Fen(50_000), Fen(0));
        assert_eq!(
            (over.not_yet_invoiced, over.over_invoiced),
            (Fen(0), Fen(10_000))
        );
        assert!(over.reconciles());
        // More returned than paid never makes it negative.
        let none = invoiceable_total(Paid {
            returned: Fen(1),
            ..Paid::default()
        });
        assert_eq!(none, Fen(0));
    }

    #[test]
    fn p1_1_4_every_transition_and_every_refused_one() {
        use InvoiceStatus as S;
        use InvoiceStep as A;
        let steps = [
            A::Start,
            A::Issue,
            A::Reject,
            A::Mail,
            A::Reverse,
            A::Cancel,
        ];
        let allowed = [
            (S::Submitted, A::Start, S::Issuing),
            (S::Submitted, A::Issue, S::Issued),
            (S::Submitted, A::Reject, S::Rejected),
            (S::Submitted, A::Cancel, S::Cancelled),
            (S::Issuing, A::Issue, S::Issued),
            (S::Issuing, A::Reject, S::Rejected),
            (S::Issued, A::Mail, S::Mailed),
            (S::Issued, A::Reverse, S::Reversed),
            (S::Mailed, A::Reverse, S::Reversed),
        ];
        for &from in S::ALL {
            for step in steps {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == step)
                    .map(|(_, _, to)| *to);
                assert_eq!(
                    from.after(step, Medium::Paper),
                    expected,
                    "{from:?} {step:?}"
                );
            }
        }
        // An electronic invoice is not mailed.
        assert_eq!(S::Issued.after(A::Mail, Medium::Electronic), None);
        assert!(S::Issued.invoiced() && S::Mailed.invoiced() && !S::Reversed.invoiced());
        assert!(S::Submitted.being_invoiced() && !S::Rejected.being_invoiced());
    }
}
