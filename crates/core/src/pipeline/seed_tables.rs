//! Seed 003's stage tables row by row (修改信息, 占有与释放, 上传与下放, 其他操作, and the
//! manager's 上传下放、去掉占有), each row as the seed writes it beside what Wharf does,
//! checked against the presets and the move rules. Where Wharf reads a row its own way
//! the row says so in `wharf_reads`.

#[cfg(test)]
mod tests {
    use crate::pipeline::{Flag, Move, StageRef, StageRights, StageRole, plan_move};

    /// One row of the seed's tables for one stage.
    struct Row {
        stage: StageRole,
        /// 修改信息: the seed's words and the Wharf keys they name (empty: 不修改).
        edit_seed: &'static str,
        edit_keys: &'static [&'static str],
        /// 占有与释放: 可以 / 不可以.
        claim_seed: bool,
        /// 上传与下放: 可以 / 不可以.
        move_seed: bool,
        /// 其他操作: the flags of the stage.
        flags: [Flag; 2],
        /// How Wharf reads the row where it differs from the letter.
        wharf_reads: &'static str,
    }

    const ROWS: [Row; 5] = [
        Row {
            stage: StageRole::Reserve,
            edit_seed: "联系人、电话、手机、传真、行业、网址、地址、客户分类、客户来源、公司简介",
            edit_keys: &[
                "phones",
                "fax",
                "industry_id",
                "website",
                "address",
                "city",
                "country_id",
                "type_id",
                "source_id",
                "profile",
            ],
            claim_seed: false,
            move_seed: false,
            flags: [Flag::NotContacted, Flag::Contacted],
            wharf_reads: "the shared reserve is picked from (筛选, within the role's daily quota of \
                          20 by default): in Wharf that pick is a claim and a promote out of \
                          reserve; there is no stage below reserve to demote to",
        },
        Row {
            stage: StageRole::Target,
            edit_seed: "联系人、职务、城市、行业、电话、手机、传真、QQ、MSN、网址",
            edit_keys: &["city", "industry_id", "phones", "fax", "website"],
            claim_seed: true,
            move_seed: true,
            flags: [Flag::NotContacted, Flag::Contacted],
            wharf_reads: "联系人、职务、QQ、MSN are the contact records' own fields",
        },
        Row {
            stage: StageRole::Prospect,
            edit_seed: "",
            edit_keys: &[],
            claim_seed: true,
            move_seed: true,
            flags: [Flag::Tracking, Flag::Paused],
            wharf_reads: "",
        },
        Row {
            stage: StageRole::Opportunity,
            edit_seed: "",
            edit_keys: &[],
            claim_seed: true,
            move_seed: true,
            flags: [Flag::Tracking, Flag::Paused],
            wharf_reads: "",
        },
        Row {
            stage: StageRole::Won,
            edit_seed: "",
            edit_keys: &[],
            claim_seed: true,
            move_seed: true,
            flags: [Flag::Tracking, Flag::Paused],
            wharf_reads: "",
        },
    ];

    /// Fields the seed lets no stage but 储备 / 目标 edit (the customer's identity).
    const NEVER_IN_LATER_STAGES: [&str; 6] =
        ["name", "phones", "fax", "website", "industry_id", "profile"];

    fn stage(role: StageRole) -> StageRef {
        StageRef {
            pipeline_id: 1,
            key: role.code().into(),
            role,
            position: StageRole::ALL.iter().position(|r| *r == role).unwrap_or(0) as i64 + 1,
        }
    }

    #[test]
    fn the_table_has_a_row_for_each_stage_in_order() {
        let stages: Vec<StageRole> = ROWS.iter().map(|r| r.stage).collect();
        assert_eq!(stages, StageRole::ALL);
        for r in &ROWS {
            assert!(r.claim_seed || !r.wharf_reads.is_empty(), "{:?}", r.stage);
            assert!(r.move_seed || !r.wharf_reads.is_empty(), "{:?}", r.stage);
            assert_eq!(r.edit_seed.is_empty(), r.edit_keys.is_empty());
        }
    }

    #[test]
    fn a_salesperson_edits_what_each_row_names_and_nothing_else() {
        for row in &ROWS {
            let rights = StageRights::preset(Some("salesperson"), row.stage);
            for key in row.edit_keys {
                assert!(rights.edit.allows(key), "{:?} {key}", row.stage);
            }
            // 名称 is in no row: nobody on the front line renames a customer.
            assert!(!rights.edit.allows("name"), "{:?}", row.stage);
            if row.edit_keys.is_empty() {
                for key in NEVER_IN_LATER_STAGES {
                    assert!(!rights.edit.allows(key), "{:?} {key}", row.stage);
                }
            }
        }
    }

    #[test]
    fn claim_and_moves_follow_each_row() {
        for row in &ROWS {
            let rights = StageRights::preset(Some("salesperson"), row.stage);
            // Every row's claim is open: the seed's 可以, and for reserve its 筛选.
            assert!(rights.may_claim, "{:?}", row.stage);
            for to in StageRole::ALL {
                if to == row.stage {
                    continue;
                }
                let m = plan_move(&stage(row.stage), &stage(to), &rights);
                let m = m.unwrap_or_else(|e| panic!("{:?} → {to:?}: {e:?}", row.stage));
                assert_eq!(
                    m.direction,
                    if to > row.stage {
                        Move::Promote
                    } else {
                        Move::Demote
                    }
                );
                // 储备客户: 下放到此类时,操作人为"共享".
                assert_eq!(
                    m.release,
                    to == StageRole::Reserve,
                    "{:?} → {to:?}",
                    row.stage
                );
                assert_eq!(m.flag, to.first_flag());
            }
        }
    }

    #[test]
    fn each_row_has_its_flags() {
        for row in &ROWS {
            assert_eq!(row.stage.flags(), row.flags, "{:?}", row.stage);
            assert_eq!(row.stage.first_flag(), row.flags[0]);
        }
    }

    #[test]
    fn the_manager_moves_and_releases_in_every_stage() {
        // 销售经理: 上传下放、去掉占有 in reserve, target and prospect; 不建议操作 (not
        // advised, not forbidden) from opportunity on.
        for s in StageRole::ALL {
            let r = StageRights::preset(Some("department_manager"), s);
            assert!(r.may_claim && r.may_promote && r.may_demote, "{s:?}");
            assert!(r.edit.allows("name"));
        }
    }

    #[test]
    fn no_preset_limits_holding() {
        for s in StageRole::ALL {
            assert_eq!(StageRights::preset(Some("salesperson"), s).hold_quota, None);
        }
    }
}
