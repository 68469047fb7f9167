//! A product as typed (form, API, import row) and its checks (PIPE-7).

use rust_decimal::Decimal;

use super::tiers::{PriceTier, TierInput, check_tiers};
use crate::DomainError;
use crate::money::parse_quantity;
use crate::validate::FieldErrors;

/// A product as typed; texts are checked by [`ProductInput::validate`].
#[derive(Debug, Clone, Default)]
pub struct ProductInput {
    /// A `product_type` dictionary item; its existence is the store's to check.
    pub type_id: Option<i64>,
    pub name_en: String,
    pub name_zh: String,
    pub model: String,
    pub spec: String,
    pub unit: String,
    pub hs_code: String,
    pub moq: String,
    pub lead_time_days: String,
    pub description: String,
    pub active: bool,
    pub tiers: Vec<TierInput>,
}

/// A checked product, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductEntry {
    pub type_id: Option<i64>,
    pub name_en: String,
    pub name_zh: String,
    pub model: String,
    pub spec: String,
    pub unit: String,
    pub hs_code: String,
    pub moq: Option<Decimal>,
    pub lead_time_days: Option<i64>,
    pub description: String,
    pub active: bool,
    pub tiers: Vec<PriceTier>,
}

impl ProductEntry {
    /// The lower-cased model, the key that makes a model unique (`None` without one).
    pub fn model_key(&self) -> Option<String> {
        model_key(&self.model)
    }

    /// The lower-cased words a search matches: names, model, spec, HS code.
    pub fn search_text(&self) -> String {
        [
            &self.name_en,
            &self.name_zh,
            &self.model,
            &self.spec,
            &self.hs_code,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

pub fn model_key(model: &str) -> Option<String> {
    let m = model.trim();
    (!m.is_empty()).then(|| m.to_lowercase())
}

/// A customs code: 6 to 10 digits, dots allowed between them (8481.80.40).
fn is_hs_code(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (6..=10).contains(&digits)
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !s.starts_with('.')
        && !s.ends_with('.')
        && !s.contains("..")
}

impl ProductInput {
    /// Every bad field at once.
    pub fn validate(&self) -> Result<ProductEntry, DomainError> {
        let mut e = FieldErrors::default();
        let name_en = e.text("name_en", &self.name_en, false, 200);
        let name_zh = e.text("name_zh", &self.name_zh, false, 200);
        if name_en.is_empty() && name_zh.is_empty() && e.get("name_en").is_none() {
            e.add("name_en", "product_name_required");
        }
        let model = e.text("model", &self.model, false, 100);
        let spec = e.text_block("spec", &self.spec, false, 2000);
        let unit = e.text("unit", &self.unit, false, 20);
        let hs_code = e.text("hs_code", &self.hs_code, false, 20);
        if !hs_code.is_empty() && !is_hs_code(&hs_code) {
            e.add("hs_code", "invalid_hs_code");
        }
        let moq = match self.moq.trim() {
            "" => None,
            text => match parse_quantity(text) {
                Ok(q) => Some(q.normalize()),
                Err(err) => {
                    e.add("moq", err.code());
                    None
                }
            },
        };
        let lead_time_days = match self.lead_time_days.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) if (0..=3650).contains(&n) => Some(n),
                Ok(_) => {
                    e.add("lead_time_days", "out_of_range");
                    None
                }
                Err(_) => {
                    e.add("lead_time_days", "not_a_number");
                    None
                }
            },
        };
        let description = e.text_block("description", &self.description, false, 5000);
        let tiers = check_tiers(&self.tiers, &mut e);
        e.into_result()?;
        Ok(ProductEntry {
            type_id: self.type_id,
            name_en,
            name_zh,
            model,
            spec,
            unit,
            hs_code,
            moq,
            lead_time_days,
            description,
            active: self.active,
            tiers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ProductInput {
        ProductInput {
            name_en: "Ball valve".into(),
            name_zh: "球阀".into(),
            model: "BV-200".into(),
            unit: "pcs".into(),
            hs_code: "8481.80".into(),
            moq: "100".into(),
            lead_time_days: "30".into(),
            active: true,
            tiers: vec![TierInput {
                currency: "USD".into(),
                min_qty: "1".into(),
                unit_price: "12.50".into(),
            }],
            ..Default::default()
        }
    }

    fn codes(i: ProductInput) -> Vec<(String, &'static str)> {
        match i.validate() {
            Err(DomainError::Invalid(e)) => {
                e.0.into_iter()
                    .map(|f| (f.field.to_string(), f.code))
                    .collect()
            }
            other => panic!("expected errors: {other:?}"),
        }
    }

    #[test]
    fn a_good_product_is_taken() {
        let p = valid().validate().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.model_key().as_deref(), Some("bv-200"));
        assert_eq!(p.moq.map(|q| q.to_string()).as_deref(), Some("100"));
        assert_eq!(p.search_text(), "ball valve 球阀 bv-200 8481.80");
    }

    #[test]
    fn one_name_is_needed_in_either_language() {
        let mut i = valid();
        i.name_en = String::new();
        assert!(i.validate().is_ok());
        i.name_zh = "  ".into();
        assert_eq!(codes(i), [("name_en".to_string(), "product_name_required")]);
    }

    #[test]
    fn bad_fields_are_each_named() {
        let mut i = valid();
        i.hs_code = "84A1".into();
        i.moq = "-5".into();
        i.lead_time_days = "forever".into();
        i.tiers[0].unit_price = "-1".into();
        assert_eq!(
            codes(i),
            [
                ("hs_code".to_string(), "invalid_hs_code"),
                ("moq".to_string(), "money_negative"),
                ("lead_time_days".to_string(), "not_a_number"),
                ("tier0_unit_price".to_string(), "money_negative"),
            ]
        );
    }

    #[test]
    fn hs_codes_are_six_to_ten_digits() {
        for good in ["848180", "8481.80", "8481.80.40", "8481804000"] {
            assert!(is_hs_code(good), "{good}");
        }
        for bad in ["8481", "84818040001", "8481..80", ".848180", "8481-80"] {
            assert!(!is_hs_code(bad), "{bad}");
        }
    }
}
