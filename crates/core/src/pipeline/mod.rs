//! The sales path (SPEC PIPE-1, PIPE-8, seed 003): the five stage roles, their flags,
//! the rules of promote (上转) and demote (下放), and the per-stage rights of a role.
//!
//! A company's pipelines and stages are data (the store holds them); every stage behaves
//! as one of seed 003's five [`StageRole`]s, which decides its flags, its rights and what a
//! move into it does. Values in, values out: no I/O.

mod flags;
mod moves;
mod rights;
mod seed_tables;

pub use flags::Flag;
pub use moves::{Move, MoveEffect, StageRef, plan_move};
pub use rights::{CUSTOM_FIELDS, EditRight, StageRights, WORKING_FIELDS, is_known_key};

/// Which of seed 003's five kinds of stage a stage behaves as, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageRole {
    /// 储备: the warehouse of collected customers; moving here shares the customer.
    Reserve,
    /// 目标: picked out for a first contact (客户开发).
    Target,
    /// 潜在: showed interest, followed up by plan.
    Prospect,
    /// 商机: quoted or close to deciding.
    Opportunity,
    /// 成交: has bought.
    Won,
}

impl StageRole {
    pub const ALL: [StageRole; 5] = [
        StageRole::Reserve,
        StageRole::Target,
        StageRole::Prospect,
        StageRole::Opportunity,
        StageRole::Won,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StageRole::Reserve => "reserve",
            StageRole::Target => "target",
            StageRole::Prospect => "prospect",
            StageRole::Opportunity => "opportunity",
            StageRole::Won => "won",
        }
    }

    pub fn from_code(code: &str) -> Option<StageRole> {
        StageRole::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The flags a customer in a stage of this role carries (seed 003, 其他操作).
    pub fn flags(self) -> [Flag; 2] {
        match self {
            StageRole::Reserve | StageRole::Target => [Flag::NotContacted, Flag::Contacted],
            _ => [Flag::Tracking, Flag::Paused],
        }
    }

    /// The flag a customer gets on entering a stage of this role.
    pub fn first_flag(self) -> Flag {
        self.flags()[0]
    }

    /// Whether `flag` belongs to this role's pair.
    pub fn has_flag(self, flag: Flag) -> bool {
        self.flags().contains(&flag)
    }
}

/// A stage of the default pipeline as seeded (seed 003's five): key, role, English and
/// Chinese labels, probability in percent.
pub const DEFAULT_STAGES: [(&str, StageRole, &str, &str, i64); 5] = [
    ("reserve", StageRole::Reserve, "Reserve", "储备客户", 0),
    ("target", StageRole::Target, "Target", "目标客户", 10),
    ("prospect", StageRole::Prospect, "Prospect", "潜在客户", 30),
    (
        "opportunity",
        StageRole::Opportunity,
        "Opportunity",
        "商机客户",
        60,
    ),
    ("won", StageRole::Won, "Won", "成交客户", 100),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_lowest_first() {
        assert!(StageRole::Reserve < StageRole::Target);
        assert!(StageRole::Opportunity < StageRole::Won);
    }

    #[test]
    fn codes_round_trip() {
        for r in StageRole::ALL {
            assert_eq!(StageRole::from_code(r.code()), Some(r));
        }
        assert_eq!(StageRole::from_code("archive"), None);
    }

    #[test]
    fn reserve_and_target_carry_contact_flags() {
        assert_eq!(StageRole::Reserve.first_flag(), Flag::NotContacted);
        assert!(StageRole::Target.has_flag(Flag::Contacted));
        assert!(!StageRole::Target.has_flag(Flag::Paused));
    }

    #[test]
    fn later_stages_carry_tracking_flags() {
        for r in [StageRole::Prospect, StageRole::Opportunity, StageRole::Won] {
            assert_eq!(r.first_flag(), Flag::Tracking);
            assert!(r.has_flag(Flag::Paused));
            assert!(!r.has_flag(Flag::Contacted));
        }
    }

    #[test]
    fn default_stages_match_the_registry_codes() {
        let keys: Vec<&str> = DEFAULT_STAGES.iter().map(|s| s.0).collect();
        assert_eq!(keys, crate::customers::STAGES);
    }
}
