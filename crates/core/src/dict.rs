//! The data dictionary (SPEC BASE-1): the kinds of base data and the item rules.

use crate::DomainError;
use crate::validate::FieldErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictKind {
    CustomerType,
    CustomerStatus,
    CustomerSource,
    Industry,
    Country,
    MailType,
    ProductType,
    Position,
    FollowupStage,
}

impl DictKind {
    pub const ALL: [DictKind; 9] = [
        DictKind::CustomerType,
        DictKind::CustomerStatus,
        DictKind::CustomerSource,
        DictKind::Industry,
        DictKind::Country,
        DictKind::MailType,
        DictKind::ProductType,
        DictKind::Position,
        DictKind::FollowupStage,
    ];

    /// Stored in the database and used in URLs and catalog keys (`dict.kind.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            DictKind::CustomerType => "customer_type",
            DictKind::CustomerStatus => "customer_status",
            DictKind::CustomerSource => "customer_source",
            DictKind::Industry => "industry",
            DictKind::Country => "country",
            DictKind::MailType => "mail_type",
            DictKind::ProductType => "product_type",
            DictKind::Position => "position",
            DictKind::FollowupStage => "followup_stage",
        }
    }

    pub fn from_code(code: &str) -> Option<DictKind> {
        DictKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, Default)]
pub struct DictItemInput {
    /// A short stable code (ISO 3166 alpha-2 for countries); optional for other kinds.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub sort_order: i64,
}

impl DictItemInput {
    pub fn validate(mut self, kind: DictKind) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.code = e.text("code", &self.code, kind == DictKind::Country, 40);
        self.name_zh = e.text("name_zh", &self.name_zh, false, 100);
        self.name_en = e.text("name_en", &self.name_en, false, 100);
        if self.name_zh.is_empty() && self.name_en.is_empty() {
            e.add("name_zh", "one_name_required");
        }
        if !(-1_000_000..=1_000_000).contains(&self.sort_order) {
            e.add("sort_order", "out_of_range");
        }
        e.into_result().map(|_| self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_is_enough() {
        let item = DictItemInput {
            name_en: "Trade show".into(),
            ..Default::default()
        };
        assert!(item.validate(DictKind::CustomerSource).is_ok());
        let empty = DictItemInput::default();
        assert!(empty.validate(DictKind::CustomerSource).is_err());
        let country = DictItemInput {
            name_zh: "德国".into(),
            ..Default::default()
        };
        assert!(
            country.validate(DictKind::Country).is_err(),
            "countries need a code"
        );
    }
}
