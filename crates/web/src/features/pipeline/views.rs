//! Typed page data of the sales path's pages and parts.

use serde::Serialize;

/// One stage on the bar: where the customer is, and where it may go.
#[derive(Serialize, Debug, Clone)]
pub struct StageStep {
    pub key: String,
    pub label: String,
    pub probability: i64,
    /// The customer's stage.
    pub on: bool,
    /// Below the current stage (a demote), else above (a promote).
    pub lower: bool,
}

#[derive(Serialize, Debug, Clone)]
pub struct FlagChoice {
    pub code: &'static str,
    pub label: String,
    pub on: bool,
}

#[derive(Serialize, Debug, Clone)]
pub struct StageLogRow {
    pub when: String,
    pub user: String,
    pub text: String,
    pub reason: String,
}

/// The stage bar of a customer's page.
#[derive(Serialize, Debug, Clone)]
pub struct StageBar {
    pub customer_id: i64,
    pub stage_label: String,
    pub flag_label: String,
    pub steps: Vec<StageStep>,
    pub flags: Vec<FlagChoice>,
    pub may_edit: bool,
    /// The stages the customer may move to.
    pub moves: Vec<StageStep>,
    /// The stages of the other customer pipelines (a move into another pipeline).
    pub elsewhere: Vec<StageStep>,
    pub log: Vec<StageLogRow>,
    /// The list of this stage with the same flag (the per-stage list).
    pub list_href: String,
}

/// A stage row on the pipelines page.
#[derive(Serialize, Debug, Clone)]
pub struct StageRow {
    pub id: i64,
    pub key: String,
    pub role: String,
    pub label_en: String,
    pub label_zh: String,
    pub probability: i64,
    pub rotting_days: String,
    pub customers: i64,
    pub list_href: String,
    /// Set up here (a customer pipeline's stage): may move up / down, be deleted.
    pub editable: bool,
    pub first: bool,
    pub last: bool,
    pub deletable: bool,
    /// The stages of the same pipeline its customers may go to when it is deleted.
    pub targets: Vec<PathLink>,
}

#[derive(Serialize, Debug, Clone)]
pub struct PipelineView {
    pub id: i64,
    pub name: String,
    pub stages: Vec<StageRow>,
    /// A customer pipeline (stages added here); not the opportunities'.
    pub editable: bool,
    /// May be deleted: not the default, no customer in it.
    pub deletable: bool,
}

#[derive(Serialize, Debug)]
pub struct PipelinesPage {
    pub subnav: Vec<crate::render::Tab>,
    pub pipelines: Vec<PipelineView>,
    /// The five stage roles a new stage may behave as.
    pub stage_roles: Vec<PathLink>,
    /// Each role with a link to its rights per stage.
    pub roles: Vec<PathLink>,
}

/// One stage role's rights on a role's page.
#[derive(Serialize, Debug, Clone)]
pub struct RightsRow {
    pub stage: &'static str,
    pub label: String,
    /// `all`, `none` or `fields`.
    pub edit_mode: &'static str,
    pub fields: Vec<FieldChoice>,
    pub may_claim: bool,
    pub may_promote: bool,
    pub may_demote: bool,
    /// The most customers one person may hold in such stages; empty: no limit.
    pub hold_quota: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct FieldChoice {
    pub key: String,
    pub label: String,
    pub on: bool,
}

#[derive(Serialize, Debug)]
pub struct RightsPage {
    pub subnav: Vec<crate::render::Tab>,
    pub role_id: i64,
    pub role_name: String,
    pub rows: Vec<RightsRow>,
}

/// A tab or choice of the list's sales-path part.
#[derive(Serialize, Debug, Clone, Default)]
pub struct PathLink {
    pub code: String,
    pub label: String,
    pub href: String,
    pub on: bool,
}

/// The list's sales-path part: empty when no stage is chosen.
#[derive(Serialize, Debug, Clone, Default)]
pub struct ListPath {
    pub flags: Vec<PathLink>,
    pub likes: Vec<PathLink>,
    /// The filters in force, carried by the search form.
    pub flag: String,
    pub like: String,
}

/// A count that links to its list.
#[derive(Serialize, Debug, Clone)]
pub struct CountLink {
    pub label: String,
    pub count: i64,
    pub href: String,
}

/// One stage on the stage lists page: all, then each flag, for mine and for shared.
#[derive(Serialize, Debug, Clone)]
pub struct StageListRow {
    pub key: String,
    pub label: String,
    pub mine: Vec<CountLink>,
    pub shared: Vec<CountLink>,
    /// Offer the reserve filters (like the team's winners).
    pub reserve_filters: bool,
}

#[derive(Serialize, Debug)]
pub struct StageListsPage {
    pub rows: Vec<StageListRow>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    /// A bar with every part filled, for the customer page's render test too.
    pub(crate) fn sample_bar() -> StageBar {
        StageBar {
            customer_id: 9,
            elsewhere: vec![StageStep {
                key: "p2_1".into(),
                label: "Distributors · Listed".into(),
                probability: 20,
                on: false,
                lower: false,
            }],
            stage_label: "Target".into(),
            flag_label: "Contacted".into(),
            steps: vec![
                StageStep {
                    key: "reserve".into(),
                    label: "Reserve".into(),
                    probability: 0,
                    on: false,
                    lower: true,
                },
                StageStep {
                    key: "target".into(),
                    label: "Target".into(),
                    probability: 10,
                    on: true,
                    lower: false,
                },
                StageStep {
                    key: "won".into(),
                    label: "Won".into(),
                    probability: 100,
                    on: false,
                    lower: false,
                },
            ],
            flags: vec![FlagChoice {
                code: "contacted",
                label: "Contacted".into(),
                on: true,
            }],
            may_edit: true,
            moves: vec![StageStep {
                key: "won".into(),
                label: "Won".into(),
                probability: 100,
                on: false,
                lower: false,
            }],
            log: vec![StageLogRow {
                when: "w".into(),
                user: "Li".into(),
                text: "stage Reserve → Target".into(),
                reason: "called".into(),
            }],
            list_href: "/customers?stage=target".into(),
        }
    }

    #[test]
    pub(crate) fn the_pages_render_their_data() {
        let tab = crate::render::Tab {
            href: "/system/pipelines".into(),
            label: "Pipelines".into(),
            on: true,
        };
        let html = render_with(
            "pipeline/pipelines.html",
            PipelinesPage {
                subnav: vec![tab.clone()],
                pipelines: vec![PipelineView {
                    id: 1,
                    name: "Sales".into(),
                    stages: vec![StageRow {
                        id: 2,
                        key: "target".into(),
                        role: "Target".into(),
                        label_en: "Target".into(),
                        label_zh: "目标客户".into(),
                        probability: 10,
                        rotting_days: "14".into(),
                        customers: 3,
                        list_href: "/customers?stage=target".into(),
                        editable: true,
                        first: false,
                        last: true,
                        deletable: true,
                        targets: vec![PathLink {
                            code: "1".into(),
                            label: "Reserve".into(),
                            href: String::new(),
                            on: false,
                        }],
                    }],
                    editable: true,
                    deletable: true,
                }],
                stage_roles: vec![PathLink {
                    code: "target".into(),
                    label: "Target".into(),
                    href: String::new(),
                    on: false,
                }],
                roles: vec![PathLink {
                    code: "salesperson".into(),
                    label: "Salesperson".into(),
                    href: "/system/roles/4/stages".into(),
                    on: false,
                }],
            },
        );
        assert!(html.contains(r#"id="sf-2""#), "{html}");
        assert!(
            html.contains(r#"action="/system/pipelines/stages/2/delete""#),
            "{html}"
        );
        assert!(
            html.contains(r#"action="/system/pipelines/1/stages""#),
            "{html}"
        );
        let html = render_with(
            "pipeline/rights.html",
            RightsPage {
                subnav: vec![tab],
                role_id: 4,
                role_name: "Salesperson".into(),
                rows: vec![RightsRow {
                    stage: "reserve",
                    label: "Reserve".into(),
                    edit_mode: "fields",
                    fields: vec![FieldChoice {
                        key: "phones".into(),
                        label: "Phones".into(),
                        on: true,
                    }],
                    may_claim: true,
                    may_promote: true,
                    may_demote: false,
                    hold_quota: "40".into(),
                }],
            },
        );
        assert!(
            html.contains(r#"action="/system/roles/4/stages/reserve""#),
            "{html}"
        );
        assert!(html.contains(r#"value="40""#), "{html}");
        let count = CountLink {
            label: "All".into(),
            count: 3,
            href: "/customers?stage=reserve&quick=pool".into(),
        };
        let html = render_with(
            "pipeline/stage_lists.html",
            StageListsPage {
                rows: vec![StageListRow {
                    key: "reserve".into(),
                    label: "Reserve".into(),
                    mine: vec![count.clone()],
                    shared: vec![count],
                    reserve_filters: true,
                }],
            },
        );
        assert!(html.contains(r#"id="stage-row-reserve""#), "{html}");
    }
}
