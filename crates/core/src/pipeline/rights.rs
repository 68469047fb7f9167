//! Per-stage rights of a role (PIPE-8, seed 003's 修改信息 and 占有与释放 tables): which
//! fields a customer in a stage of each role may have edited, and whether one may claim,
//! promote and demote there. Admins change them on the roles page; these are the defaults.

use super::StageRole;
use crate::DomainError;

/// Fields anyone working a customer may always change, whatever the stage: they are the
/// work itself (the stage goes through the move rules; revisit date, tags, follow).
pub const WORKING_FIELDS: [&str; 4] = ["stage", "next_revisit_at", "tags", "follow"];

/// Seed 003, 储备客户 修改: 电话、手机、传真、行业、网址、地址、客户分类、客户来源、公司简介
/// (the contacts are their own records; Wharf keeps mail addresses on the customer too,
/// the company's own custom fields, [`CUSTOM_FIELDS`], are open where editing is, and
/// 地址 is Wharf's address, city and country).
const RESERVE_FIELDS: [&str; 12] = [
    "phones",
    "email",
    CUSTOM_FIELDS,
    "fax",
    "industry_id",
    "website",
    "address",
    "city",
    "country_id",
    "type_id",
    "source_id",
    "profile",
];

/// Seed 003, 目标客户 修改: 城市、行业、电话、手机、传真、网址 (contact, title and IM
/// are on the contact records).
const TARGET_FIELDS: [&str; 7] = [
    "city",
    "industry_id",
    "phones",
    "email",
    "fax",
    "website",
    CUSTOM_FIELDS,
];

/// In a list of keys: every custom field (`cf<id>`).
pub const CUSTOM_FIELDS: &str = "cf*";

fn is_custom(field: &str) -> bool {
    field
        .strip_prefix("cf")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `key` may stand in a stored list: a registry key, a custom field or all of them.
pub fn is_known_key(key: &str) -> bool {
    key == CUSTOM_FIELDS || is_custom(key) || crate::customers::CUSTOMER_FIELDS.get(key).is_some()
}

/// Which customer fields may be changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditRight {
    All,
    /// Only these registry keys (custom fields as `cf<id>`), besides [`WORKING_FIELDS`].
    Fields(Vec<String>),
}

impl EditRight {
    pub fn allows(&self, field: &str) -> bool {
        WORKING_FIELDS.contains(&field)
            || match self {
                EditRight::All => true,
                EditRight::Fields(keys) => keys
                    .iter()
                    .any(|k| k == field || (k == CUSTOM_FIELDS && is_custom(field))),
            }
    }

    /// Stored form: `*` for all, else the keys joined by commas (empty: none).
    pub fn to_text(&self) -> String {
        match self {
            EditRight::All => "*".into(),
            EditRight::Fields(keys) => keys.join(","),
        }
    }

    pub fn from_text(text: &str) -> EditRight {
        if text.trim() == "*" {
            return EditRight::All;
        }
        EditRight::Fields(
            text.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(String::from)
                .collect(),
        )
    }
}

/// What a role may do with customers in a stage of one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRights {
    pub edit: EditRight,
    pub may_claim: bool,
    pub may_promote: bool,
    pub may_demote: bool,
    /// The most customers one person of the role may hold (own, alone or with others) in
    /// stages of this role; `None` is no limit. Claiming one more, or moving one more in,
    /// is refused; the customers already held count.
    pub hold_quota: Option<i64>,
}

impl StageRights {
    /// The defaults for a role (by its preset code, if it has one) in a stage role: the
    /// seed's tables for the roles that work customers day to day (salesperson,
    /// service); managers and custom roles may do everything until an admin says
    /// otherwise.
    pub fn preset(role_code: Option<&str>, stage: StageRole) -> StageRights {
        let front_line = matches!(role_code, Some("salesperson" | "service"));
        let edit = if !front_line {
            EditRight::All
        } else {
            let keys: &[&str] = match stage {
                StageRole::Reserve => &RESERVE_FIELDS,
                StageRole::Target => &TARGET_FIELDS,
                _ => &[],
            };
            EditRight::Fields(keys.iter().map(|k| k.to_string()).collect())
        };
        StageRights {
            edit,
            may_claim: true,
            may_promote: true,
            may_demote: true,
            hold_quota: None,
        }
    }

    /// Refuses one more customer when `held` already reach the quota (the error names it).
    pub fn check_hold(&self, held: i64) -> Result<(), DomainError> {
        match self.hold_quota {
            Some(q) if held >= q => Err(DomainError::refused("stage_hold_quota", q)),
            _ => Ok(()),
        }
    }

    /// Checks a quota as entered: none, or 0 to 100,000.
    pub fn check_quota(quota: Option<i64>) -> Result<(), DomainError> {
        match quota {
            Some(q) if !(0..=100_000).contains(&q) => {
                Err(DomainError::field("hold_quota", "out_of_range"))
            }
            _ => Ok(()),
        }
    }

    /// Refuses the changed fields this right does not allow, each as a field error (the
    /// form marks them).
    pub fn check_changes(&self, changed: &[String]) -> Result<(), DomainError> {
        let mut e = crate::validate::FieldErrors::default();
        for f in changed.iter().filter(|f| !self.edit.allows(f)) {
            e.add_owned(f.clone(), "stage_field_locked");
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesperson_edits_the_seeds_reserve_fields() {
        let r = StageRights::preset(Some("salesperson"), StageRole::Reserve);
        assert!(r.edit.allows("phones"));
        assert!(r.edit.allows("profile"));
        assert!(!r.edit.allows("name"));
        assert!(!r.edit.allows("keywords"));
    }

    #[test]
    fn custom_fields_open_where_the_stage_edits() {
        let r = StageRights::preset(Some("salesperson"), StageRole::Reserve);
        assert!(r.edit.allows("cf12"));
        assert!(!r.edit.allows("cf"));
        let r = StageRights::preset(Some("salesperson"), StageRole::Won);
        assert!(!r.edit.allows("cf12"));
    }

    #[test]
    fn known_keys() {
        assert!(is_known_key("city"));
        assert!(is_known_key("cf*"));
        assert!(is_known_key("cf3"));
        assert!(!is_known_key("password"));
    }

    #[test]
    fn salesperson_edits_the_seeds_target_fields() {
        let r = StageRights::preset(Some("salesperson"), StageRole::Target);
        assert!(r.edit.allows("city"));
        assert!(!r.edit.allows("address"));
    }

    #[test]
    fn nothing_but_the_work_from_prospect_on() {
        for s in [StageRole::Prospect, StageRole::Opportunity, StageRole::Won] {
            let r = StageRights::preset(Some("salesperson"), s);
            assert!(!r.edit.allows("phones"));
            assert!(r.edit.allows("next_revisit_at"));
            assert!(r.edit.allows("stage"));
        }
    }

    #[test]
    fn managers_and_custom_roles_edit_everything() {
        for code in [Some("department_manager"), None] {
            let r = StageRights::preset(code, StageRole::Won);
            assert_eq!(r.edit, EditRight::All);
        }
    }

    #[test]
    fn stored_text_round_trips() {
        for e in [
            EditRight::All,
            EditRight::Fields(vec![]),
            EditRight::Fields(vec!["city".into(), "fax".into()]),
        ] {
            assert_eq!(EditRight::from_text(&e.to_text()), e);
        }
    }

    #[test]
    fn the_hold_quota_counts_what_is_held() {
        let mut r = StageRights::preset(Some("salesperson"), StageRole::Target);
        assert!(r.check_hold(10_000).is_ok());
        r.hold_quota = Some(2);
        assert!(r.check_hold(1).is_ok());
        assert!(matches!(
            r.check_hold(2),
            Err(DomainError::Refused {
                code: "stage_hold_quota",
                count: 2
            })
        ));
        assert!(StageRights::check_quota(Some(-1)).is_err());
        assert!(StageRights::check_quota(None).is_ok());
    }

    #[test]
    fn a_locked_field_is_refused() {
        let r = StageRights::preset(Some("salesperson"), StageRole::Prospect);
        assert!(r.check_changes(&["tags".into()]).is_ok());
        match r.check_changes(&["tags".into(), "name".into()]) {
            Err(DomainError::Invalid(e)) => assert_eq!(e.get("name"), Some("stage_field_locked")),
            other => panic!("{other:?}"),
        }
    }
}
