//! Promote (上转) and demote (下放): which moves the rules allow and what a move does
//! (seed 003, 上传与下放 and the stage chapters).

use super::{Flag, StageRights, StageRole};
use crate::DomainError;

/// A stage as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRef {
    pub pipeline_id: i64,
    pub key: String,
    pub role: StageRole,
    /// Order in its pipeline, lowest first.
    pub position: i64,
}

/// Up or down the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Promote,
    Demote,
}

impl Move {
    pub fn code(self) -> &'static str {
        match self {
            Move::Promote => "promote",
            Move::Demote => "demote",
        }
    }
}

/// What the store does besides setting the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoveEffect {
    pub direction: Move,
    /// Demoted into a reserve stage: the customer goes to the shared pool (操作人为共享).
    pub release: bool,
    /// The flag it gets in the new stage.
    pub flag: Flag,
}

/// Checks a move from `from` to `to` against the rules and the actor's rights in the
/// stage it leaves; any higher stage is a promote (a target may go straight to won), any
/// lower one a demote.
pub fn plan_move(
    from: &StageRef,
    to: &StageRef,
    rights: &StageRights,
) -> Result<MoveEffect, DomainError> {
    if from.pipeline_id != to.pipeline_id {
        return Err(DomainError::refused("stage_other_pipeline", 0));
    }
    if from.key == to.key {
        return Err(DomainError::refused("stage_unchanged", 0));
    }
    let direction = if to.position > from.position {
        Move::Promote
    } else {
        Move::Demote
    };
    let allowed = match direction {
        Move::Promote => rights.may_promote,
        Move::Demote => rights.may_demote,
    };
    if !allowed {
        return Err(DomainError::refused(
            match direction {
                Move::Promote => "stage_promote_denied",
                Move::Demote => "stage_demote_denied",
            },
            0,
        ));
    }
    Ok(MoveEffect {
        direction,
        release: direction == Move::Demote && to.role == StageRole::Reserve,
        flag: to.role.first_flag(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::EditRight;

    fn stage(key: &str, role: StageRole, position: i64) -> StageRef {
        StageRef {
            pipeline_id: 1,
            key: key.into(),
            role,
            position,
        }
    }

    fn all_rights() -> StageRights {
        StageRights {
            edit: EditRight::All,
            may_claim: true,
            may_promote: true,
            may_demote: true,
            hold_quota: None,
        }
    }

    fn code(e: DomainError) -> &'static str {
        match e {
            DomainError::Refused { code, .. } => code,
            _ => "other",
        }
    }

    #[test]
    fn target_may_go_straight_to_won() {
        let m = plan_move(
            &stage("target", StageRole::Target, 2),
            &stage("won", StageRole::Won, 5),
            &all_rights(),
        )
        .unwrap();
        assert_eq!(m.direction, Move::Promote);
        assert!(!m.release);
        assert_eq!(m.flag, Flag::Tracking);
    }

    #[test]
    fn demoting_to_reserve_releases() {
        let m = plan_move(
            &stage("prospect", StageRole::Prospect, 3),
            &stage("reserve", StageRole::Reserve, 1),
            &all_rights(),
        )
        .unwrap();
        assert_eq!(m.direction, Move::Demote);
        assert!(m.release);
        assert_eq!(m.flag, Flag::NotContacted);
    }

    #[test]
    fn demoting_to_target_keeps_the_owners() {
        let m = plan_move(
            &stage("won", StageRole::Won, 5),
            &stage("target", StageRole::Target, 2),
            &all_rights(),
        )
        .unwrap();
        assert!(!m.release);
    }

    #[test]
    fn the_same_stage_is_refused() {
        let s = stage("target", StageRole::Target, 2);
        assert_eq!(
            code(plan_move(&s, &s, &all_rights()).unwrap_err()),
            "stage_unchanged"
        );
    }

    #[test]
    fn another_pipelines_stage_is_refused() {
        let mut other = stage("lead", StageRole::Target, 3);
        other.pipeline_id = 2;
        let e = plan_move(
            &stage("target", StageRole::Target, 2),
            &other,
            &all_rights(),
        );
        assert_eq!(code(e.unwrap_err()), "stage_other_pipeline");
    }

    #[test]
    fn rights_decide_each_direction() {
        let no_promote = StageRights {
            may_promote: false,
            ..all_rights()
        };
        let up = plan_move(
            &stage("target", StageRole::Target, 2),
            &stage("prospect", StageRole::Prospect, 3),
            &no_promote,
        );
        assert_eq!(code(up.unwrap_err()), "stage_promote_denied");
        let no_demote = StageRights {
            may_demote: false,
            ..all_rights()
        };
        let down = plan_move(
            &stage("prospect", StageRole::Prospect, 3),
            &stage("target", StageRole::Target, 2),
            &no_demote,
        );
        assert_eq!(code(down.unwrap_err()), "stage_demote_denied");
    }
}
