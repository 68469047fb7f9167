//! An opportunity's status (seed 003: 正在销售 / 暂停销售 / 结束销售) and the outcome of
//! an ended one, with the rules that change them.

use crate::DomainError;

/// 销售标记.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 正在销售: on the board, counted in the pipeline value.
    Selling,
    /// 暂停销售: kept, off the value; set when the customer's tracking is paused.
    Paused,
    /// 结束销售: won or lost.
    Ended,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Selling, Status::Paused, Status::Ended];

    pub fn code(self) -> &'static str {
        match self {
            Status::Selling => "selling",
            Status::Paused => "paused",
            Status::Ended => "ended",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status an opportunity gets when its customer's tracking is paused (seed 003:
    /// "当一个商机客户的跟踪状态设为暂停跟踪时,其相关的商机状态也会被设成暂停销售");
    /// an ended one stays ended.
    pub fn on_customer_paused(self) -> Status {
        match self {
            Status::Ended => Status::Ended,
            _ => Status::Paused,
        }
    }
}

/// How an ended opportunity ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Won,
    Lost,
}

impl Outcome {
    pub const ALL: [Outcome; 2] = [Outcome::Won, Outcome::Lost];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Won => "won",
            Outcome::Lost => "lost",
        }
    }

    pub fn from_code(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Checks a status with its outcome and reason: ended needs an outcome, lost a reason;
/// a selling or paused one has neither (what was typed is dropped).
pub fn check_status(
    status: &str,
    outcome: &str,
    reason: &str,
) -> Result<(Status, Option<Outcome>, String), DomainError> {
    let mut e = crate::validate::FieldErrors::default();
    let reason = e.text("lost_reason", reason, false, 500);
    let Some(status) = Status::from_code(status.trim()) else {
        return Err(DomainError::field("status", "invalid_choice"));
    };
    e.into_result()?;
    if status != Status::Ended {
        return Ok((status, None, String::new()));
    }
    match Outcome::from_code(outcome.trim()) {
        None => Err(DomainError::field("outcome", "required")),
        Some(Outcome::Lost) if reason.is_empty() => {
            Err(DomainError::field("lost_reason", "required"))
        }
        Some(Outcome::Won) => Ok((status, Some(Outcome::Won), String::new())),
        Some(o) => Ok((status, Some(o), reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: DomainError) -> (String, &'static str) {
        match e {
            DomainError::Invalid(f) => (f.0[0].field.to_string(), f.0[0].code),
            _ => (String::new(), "other"),
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::from_code(o.code()), Some(o));
        }
        assert_eq!(Status::from_code("won"), None);
    }

    #[test]
    fn pausing_the_customer_pauses_all_but_ended() {
        assert_eq!(Status::Selling.on_customer_paused(), Status::Paused);
        assert_eq!(Status::Paused.on_customer_paused(), Status::Paused);
        assert_eq!(Status::Ended.on_customer_paused(), Status::Ended);
    }

    #[test]
    fn ended_needs_an_outcome_and_lost_a_reason() {
        assert_eq!(
            field(check_status("ended", "", "").unwrap_err()),
            ("outcome".into(), "required")
        );
        assert_eq!(
            field(check_status("ended", "lost", " ").unwrap_err()),
            ("lost_reason".into(), "required")
        );
        let (s, o, r) = check_status("ended", "lost", "Price too high").unwrap();
        assert_eq!(
            (s, o, r.as_str()),
            (Status::Ended, Some(Outcome::Lost), "Price too high")
        );
        let (_, o, r) = check_status("ended", "won", "ignored").unwrap();
        assert_eq!((o, r.as_str()), (Some(Outcome::Won), ""));
    }

    #[test]
    fn selling_drops_outcome_and_reason() {
        let (s, o, r) = check_status("selling", "lost", "x").unwrap();
        assert_eq!((s, o, r.as_str()), (Status::Selling, None, ""));
        assert_eq!(
            field(check_status("won", "", "").unwrap_err()),
            ("status".into(), "invalid_choice")
        );
    }
}
