//! A quote version's status and its moves: draft → (awaiting approval →) approved → sent →
//! accepted / rejected / expired; approved and later versions are frozen.

use crate::DomainError;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteStatus {
    Draft,
    AwaitingApproval,
    Approved,
    Sent,
    Accepted,
    Rejected,
    Expired,
}

/// What submitting a draft does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// A discount is above the company's threshold: a manager approves first.
    NeedsApproval,
    /// Nothing needs a manager: the version is approved at once.
    Approved,
}

/// What saving changes to a version does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditPlan {
    /// A draft (or one sent back) is changed where it is.
    InPlace,
    /// A frozen version stays as it was; the changes become version n + 1, a draft.
    NewVersion,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 7] = [
        QuoteStatus::Draft,
        QuoteStatus::AwaitingApproval,
        QuoteStatus::Approved,
        QuoteStatus::Sent,
        QuoteStatus::Accepted,
        QuoteStatus::Rejected,
        QuoteStatus::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::AwaitingApproval => "awaiting_approval",
            QuoteStatus::Approved => "approved",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Rejected => "rejected",
            QuoteStatus::Expired => "expired",
        }
    }

    pub fn from_code(code: &str) -> Option<QuoteStatus> {
        QuoteStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Approved or later: what the customer may have seen is never changed.
    pub fn is_frozen(self) -> bool {
        !matches!(self, QuoteStatus::Draft | QuoteStatus::AwaitingApproval)
    }

    /// Saving changes: in place for a draft; a new version for a frozen one. A version
    /// waiting for a manager is not changed under them.
    pub fn plan_edit(self) -> Result<EditPlan, DomainError> {
        match self {
            QuoteStatus::Draft => Ok(EditPlan::InPlace),
            QuoteStatus::AwaitingApproval => {
                Err(DomainError::refused("quote_awaiting_approval", 0))
            }
            _ => Ok(EditPlan::NewVersion),
        }
    }

    /// Submitting a draft, given its largest discount and the company's threshold
    /// (percent; `None` = no approval ever needed).
    pub fn submit(
        self,
        max_discount: Decimal,
        threshold: Option<Decimal>,
    ) -> Result<SubmitOutcome, DomainError> {
        if self != QuoteStatus::Draft {
            return Err(DomainError::refused("quote_not_draft", 0));
        }
        Ok(match threshold {
            Some(limit) if max_discount > limit => SubmitOutcome::NeedsApproval,
            _ => SubmitOutcome::Approved,
        })
    }

    /// A manager's answer to a version waiting for approval: approved, or back to draft.
    pub fn decide(self, approve: bool) -> Result<QuoteStatus, DomainError> {
        if self != QuoteStatus::AwaitingApproval {
            return Err(DomainError::refused("quote_not_awaiting_approval", 0));
        }
        Ok(if approve {
            QuoteStatus::Approved
        } else {
            QuoteStatus::Draft
        })
    }

    /// Sending: an approved version (or one sent before, sent again) becomes sent.
    pub fn send(self) -> Result<QuoteStatus, DomainError> {
        match self {
            QuoteStatus::Approved | QuoteStatus::Sent => Ok(QuoteStatus::Sent),
            QuoteStatus::Draft | QuoteStatus::AwaitingApproval => {
                Err(DomainError::refused("quote_not_approved", 0))
            }
            _ => Err(DomainError::refused("quote_closed", 0)),
        }
    }

    /// The customer's answer, or the validity running out, on a sent version.
    pub fn close(self, to: QuoteStatus) -> Result<QuoteStatus, DomainError> {
        let closing = matches!(
            to,
            QuoteStatus::Accepted | QuoteStatus::Rejected | QuoteStatus::Expired
        );
        if !closing {
            return Err(DomainError::refused("quote_bad_status", 0));
        }
        match self {
            QuoteStatus::Sent | QuoteStatus::Approved => Ok(to),
            _ => Err(DomainError::refused("quote_not_sent", 0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn a_discount_above_the_threshold_needs_a_manager() {
        let draft = QuoteStatus::Draft;
        let limit = Some(pct("10"));
        assert_eq!(
            draft.submit(pct("10.00"), limit).ok(),
            Some(SubmitOutcome::Approved)
        );
        assert_eq!(
            draft.submit(pct("10.01"), limit).ok(),
            Some(SubmitOutcome::NeedsApproval)
        );
        assert_eq!(
            draft.submit(pct("99"), None).ok(),
            Some(SubmitOutcome::Approved)
        );
        assert!(QuoteStatus::Approved.submit(pct("0"), limit).is_err());
    }

    #[test]
    fn frozen_versions_are_edited_as_a_new_version() {
        assert_eq!(QuoteStatus::Draft.plan_edit().ok(), Some(EditPlan::InPlace));
        for frozen in [
            QuoteStatus::Approved,
            QuoteStatus::Sent,
            QuoteStatus::Rejected,
        ] {
            assert!(frozen.is_frozen());
            assert_eq!(frozen.plan_edit().ok(), Some(EditPlan::NewVersion));
        }
        let waiting = QuoteStatus::AwaitingApproval.plan_edit().unwrap_err();
        assert_eq!(waiting.code(), "quote_awaiting_approval");
    }

    #[test]
    fn the_moves_follow_the_order() {
        assert_eq!(
            QuoteStatus::AwaitingApproval.decide(true).ok(),
            Some(QuoteStatus::Approved)
        );
        assert_eq!(
            QuoteStatus::AwaitingApproval.decide(false).ok(),
            Some(QuoteStatus::Draft)
        );
        assert!(QuoteStatus::Draft.decide(true).is_err());
        assert_eq!(QuoteStatus::Approved.send().ok(), Some(QuoteStatus::Sent));
        assert_eq!(
            QuoteStatus::Draft.send().unwrap_err().code(),
            "quote_not_approved"
        );
        assert_eq!(
            QuoteStatus::Sent.close(QuoteStatus::Accepted).ok(),
            Some(QuoteStatus::Accepted)
        );
        assert!(QuoteStatus::Draft.close(QuoteStatus::Accepted).is_err());
        assert!(QuoteStatus::Sent.close(QuoteStatus::Draft).is_err());
        for s in QuoteStatus::ALL {
            assert_eq!(QuoteStatus::from_code(s.code()), Some(s));
        }
    }
}
