//! A competitor (同行) as typed and its checks: name, website, country, products,
//! strengths, weaknesses and notes.

use crate::DomainError;
use crate::validate::FieldErrors;

/// A competitor as typed (form or API).
#[derive(Debug, Clone, Default)]
pub struct CompetitorInput {
    pub name: String,
    pub website: String,
    /// A `country` dictionary item; its existence is the store's to check.
    pub country_id: Option<i64>,
    pub products: String,
    pub strengths: String,
    pub weaknesses: String,
    pub notes: String,
}

/// A checked competitor, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetitorEntry {
    pub name: String,
    pub website: String,
    pub country_id: Option<i64>,
    pub products: String,
    pub strengths: String,
    pub weaknesses: String,
    pub notes: String,
}

/// A website as typed: `example.com` or `https://example.com/…`; spaces, other
/// schemes and hosts without a dot are refused.
fn is_website(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !s.contains(char::is_whitespace)
        && !rest.contains("://")
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

impl CompetitorInput {
    pub fn validate(&self) -> Result<CompetitorEntry, DomainError> {
        let mut e = FieldErrors::default();
        let name = e.text("name", &self.name, true, 200);
        let website = e.text("website", &self.website, false, 300);
        if !website.is_empty() && e.get("website").is_none() && !is_website(&website) {
            e.add("website", "invalid_website");
        }
        let products = e.text_block("products", &self.products, false, 5_000);
        let strengths = e.text_block("strengths", &self.strengths, false, 5_000);
        let weaknesses = e.text_block("weaknesses", &self.weaknesses, false, 5_000);
        let notes = e.text_block("notes", &self.notes, false, 20_000);
        e.into_result()?;
        Ok(CompetitorEntry {
            name,
            website,
            country_id: self.country_id,
            products,
            strengths,
            weaknesses,
            notes,
        })
    }
}

impl CompetitorEntry {
    /// The lower-cased name, which keeps names unique.
    pub fn name_key(&self) -> String {
        self.name.to_lowercase()
    }

    pub fn search_text(&self) -> String {
        super::search_text(&[
            &self.name,
            &self.website,
            &self.products,
            &self.strengths,
            &self.weaknesses,
            &self.notes,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(input: CompetitorInput) -> crate::validate::FieldErrors {
        match input.validate() {
            Err(DomainError::Invalid(e)) => e,
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_competitor_needs_a_name_and_a_real_website() {
        assert_eq!(
            errors(CompetitorInput::default()).get("name"),
            Some("required")
        );
        for bad in [
            "not a site",
            "javascript:alert(1)",
            "ftp://x.cn",
            "localhost",
            ".cn",
        ] {
            let e = errors(CompetitorInput {
                name: "宁波阀门".into(),
                website: bad.into(),
                ..Default::default()
            });
            assert_eq!(e.get("website"), Some("invalid_website"), "{bad}");
        }
        for good in [
            "nbvalve.cn",
            "https://www.nb-valve.com/en",
            "http://阀门.中国",
        ] {
            let ok = CompetitorInput {
                name: "宁波阀门".into(),
                website: good.into(),
                ..Default::default()
            }
            .validate();
            assert!(ok.is_ok(), "{good}");
        }
    }
}
