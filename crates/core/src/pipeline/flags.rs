//! A customer's per-stage flag (seed 003, 其他操作): contacted / not contacted in reserve
//! and target, tracking / paused from prospect on. Opportunity records will carry their
//! own selling / paused / ended beside this one.

/// The flag of a customer in its stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// 未联系
    NotContacted,
    /// 已联系
    Contacted,
    /// 正在跟踪
    Tracking,
    /// 暂停跟踪
    Paused,
}

impl Flag {
    pub const ALL: [Flag; 4] = [
        Flag::NotContacted,
        Flag::Contacted,
        Flag::Tracking,
        Flag::Paused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Flag::NotContacted => "not_contacted",
            Flag::Contacted => "contacted",
            Flag::Tracking => "tracking",
            Flag::Paused => "paused",
        }
    }

    pub fn from_code(code: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for f in Flag::ALL {
            assert_eq!(Flag::from_code(f.code()), Some(f));
        }
        assert_eq!(Flag::from_code("selling"), None);
    }
}
