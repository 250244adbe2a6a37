//! Versioned policy documents: the privacy policy and the business-account terms (P0.1-P0.4).
//!
//! The content format is plain text, one block per paragraph (blank line between blocks):
//! `## ` starts a section heading, `!! ` marks an important clause (P0.4), which renders in
//! bold and is listed again on the acceptance step. Anything else is an ordinary paragraph.

use crate::model::Lang;
use crate::model::UtcMillis;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// 隐私政策 (P0.1).
    Privacy,
    /// 企业账户使用规则 (P0.3).
    Terms,
}

super::codes!(PolicyKind { Privacy => "privacy", Terms => "terms" });

impl PolicyKind {
    /// The public page: `/privacy` or `/terms`.
    pub fn path(self) -> &'static str {
        match self {
            PolicyKind::Privacy => "/privacy",
            PolicyKind::Terms => "/terms",
        }
    }
}

/// One version of a policy document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub id: String,
    pub kind: PolicyKind,
    /// The version label, e.g. `1.0`.
    pub version: String,
    pub published_at: UtcMillis,
    pub effective_at: UtcMillis,
    pub content_zh: String,
    pub content_en: String,
    /// SHA-256 of the content, hex: what exactly was accepted.
    pub content_hash: String,
    /// A material change is announced ahead and accepted again (P9).
    pub material: bool,
    /// What changed from the version before (empty for the first versions).
    pub summary_zh: String,
    pub summary_en: String,
    /// The last change to the record (a draft's last edit; the publish time once published).
    pub updated_at: UtcMillis,
}

impl PolicyVersion {
    pub fn content(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.content_zh,
            Lang::En => &self.content_en,
        }
    }
    pub fn summary(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.summary_zh,
            Lang::En => &self.summary_en,
        }
    }
    /// The version's stable public address (P0.1).
    pub fn href(&self) -> String {
        format!("{}/versions/{}", self.kind.path(), self.version)
    }
}

/// A version in a list of versions (no content).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersionSummary {
    pub version: String,
    pub published_at: UtcMillis,
    pub effective_at: UtcMillis,
    pub current: bool,
    pub material: bool,
}

/// A policy page: the version shown and every published version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPageData {
    pub shown: PolicyVersion,
    /// The version before the shown one, to compare against.
    pub previous: Option<PolicyVersion>,
    /// The shown version was withdrawn before it took effect (its address keeps working).
    pub withdrawn: bool,
    pub versions: Vec<PolicyVersionSummary>,
}

/// The versions a registration accepts, with their important clauses (P0.2, P0.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySet {
    pub privacy: PolicyVersion,
    pub terms: PolicyVersion,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block<'a> {
    Heading(&'a str),
    Paragraph { text: &'a str, important: bool },
}

/// Splits content into blocks.
pub fn blocks(content: &str) -> Vec<Block<'_>> {
    content
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| {
            if let Some(h) = b.strip_prefix("## ") {
                Block::Heading(h.trim())
            } else if let Some(p) = b.strip_prefix("!! ") {
                Block::Paragraph {
                    text: p.trim(),
                    important: true,
                }
            } else {
                Block::Paragraph {
                    text: b,
                    important: false,
                }
            }
        })
        .collect()
}

/// The important clauses, in order (P0.4).
pub fn important_clauses(content: &str) -> Vec<&str> {
    blocks(content)
        .into_iter()
        .filter_map(|b| match b {
            Block::Paragraph {
                text,
                important: true,
            } => Some(text),
            _ => None,
        })
        .collect()
}

/// P0.4: important clauses are marked in the content and can be listed.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p0_4_blocks_and_important_clauses() {
        let doc = "## 一、总则\n\n普通段落。\n\n!! 重要条款一。\n\n\n!! 重要条款二。\n";
        assert_eq!(
            blocks(doc),
            vec![
                Block::Heading("一、总则"),
                Block::Paragraph {
                    text: "普通段落。",
                    important: false
                },
                Block::Paragraph {
                    text: "重要条款一。",
                    important: true
                },
                Block::Paragraph {
                    text: "重要条款二。",
                    important: true
                },
            ]
        );
        assert_eq!(important_clauses(doc), vec!["重要条款一。", "重要条款二。"]);
    }
}
