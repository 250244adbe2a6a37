//! Form-field helpers every domain uses: parse a text field, collect field errors.

use crate::model::error::{FieldError, Rule};

/// Trims and checks a one-line text field: required, at most `max` characters, no control
/// characters.
pub fn parse_text(input: &str, max: u32) -> Result<String, Rule> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Rule::Required);
    }
    if s.chars().count() > max as usize {
        return Err(Rule::TooLong { max });
    }
    if s.chars().any(char::is_control) {
        return Err(Rule::Format);
    }
    Ok(s.to_string())
}

/// Like [`parse_text`] but allows line breaks (addresses, descriptions).
pub fn parse_multiline(input: &str, max: u32) -> Result<String, Rule> {
    let s = input.trim().replace("\r\n", "\n");
    if s.is_empty() {
        return Err(Rule::Required);
    }
    if s.chars().count() > max as usize {
        return Err(Rule::TooLong { max });
    }
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Rule::Format);
    }
    Ok(s)
}

/// Collects field errors: `check(&mut errs, "field", parse(...))` keeps the parsed value.
pub fn check<T>(errs: &mut Vec<FieldError>, field: &str, r: Result<T, Rule>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(rule) => {
            errs.push(FieldError::new(field, rule));
            None
        }
    }
}
