//! The page data of `templates/customers/import.html`: one variant per step of an import,
//! with the rows each step draws.

use serde::Serialize;

use crate::render::SelectOption;

/// An import of the last few, on the upload step.
#[derive(Serialize)]
pub struct RecentImport {
    pub href: String,
    pub name: String,
    pub state: String,
    pub when: String,
}

/// One column of the uploaded sheet and the field it goes to.
#[derive(Serialize)]
pub struct MappedColumn {
    pub index: usize,
    pub header: String,
    pub samples: String,
    pub options: Vec<SelectOption>,
}

/// A refused cell, with an input to correct it (`fix_<line>_<field>`).
#[derive(Serialize)]
pub struct FixCell {
    pub field: String,
    pub label: String,
    pub value: String,
    pub name: String,
    pub error: String,
}

/// A row of the sheet with refused cells.
#[derive(Serialize)]
pub struct ErrorRow {
    /// The line as a spreadsheet numbers it (the header is line 1).
    pub line: usize,
    pub row: usize,
    pub cells: Vec<FixCell>,
    pub original: String,
}

/// `customers/import.html`: one step of an import; the template draws the step named by
/// `step`.
#[derive(Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ImportPage {
    Upload {
        error: Option<String>,
        recent: Vec<RecentImport>,
    },
    Mapping {
        id: i64,
        filename: String,
        rows: i64,
        columns: Vec<MappedColumn>,
        owners: Vec<SelectOption>,
        stages: Vec<SelectOption>,
        allow_existing: bool,
        /// Saved mappings by name.
        templates: Vec<String>,
    },
    Preview {
        id: i64,
        filename: String,
        rows: usize,
        error_count: usize,
        errors: Vec<ErrorRow>,
        /// How many of the errors are shown.
        shown: usize,
        new_customers: usize,
        contacts: usize,
        joined: usize,
        /// Why the last run failed.
        failed: Option<String>,
        /// "column → field" for each mapped column.
        mapped: Vec<String>,
        stage: String,
    },
    Running {
        id: i64,
        done: usize,
        total: usize,
    },
    Interrupted {
        id: i64,
    },
    Done {
        id: i64,
        customers: usize,
        contacts: usize,
        joined: usize,
        filename: String,
    },
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    fn option(value: &str, on: bool) -> SelectOption {
        SelectOption {
            value: value.into(),
            label: value.into(),
            on,
        }
    }

    #[test]
    pub(crate) fn every_import_step_renders() {
        let steps = [
            ImportPage::Upload {
                error: Some("e".into()),
                recent: vec![RecentImport {
                    href: "/i/1".into(),
                    name: "a.xlsx".into(),
                    state: "done".into(),
                    when: "w".into(),
                }],
            },
            ImportPage::Mapping {
                id: 1,
                filename: "a.xlsx".into(),
                rows: 3,
                columns: vec![MappedColumn {
                    index: 0,
                    header: "Name".into(),
                    samples: "Acme".into(),
                    options: vec![option("name", true)],
                }],
                owners: vec![option("me", true)],
                stages: vec![option("lead", true)],
                allow_existing: true,
                templates: vec!["t".into()],
            },
            ImportPage::Preview {
                id: 1,
                filename: "a.xlsx".into(),
                rows: 3,
                error_count: 2,
                errors: vec![ErrorRow {
                    line: 2,
                    row: 1,
                    cells: vec![FixCell {
                        field: "email".into(),
                        label: "Email".into(),
                        value: "x".into(),
                        name: "fix_1_email".into(),
                        error: "bad".into(),
                    }],
                    original: "x".into(),
                }],
                shown: 1,
                new_customers: 1,
                contacts: 1,
                joined: 0,
                failed: Some("f".into()),
                mapped: vec!["Name → Name".into()],
                stage: "Lead".into(),
            },
            ImportPage::Preview {
                id: 1,
                filename: "a.xlsx".into(),
                rows: 3,
                error_count: 0,
                errors: Vec::new(),
                shown: 0,
                new_customers: 1,
                contacts: 1,
                joined: 0,
                failed: None,
                mapped: Vec::new(),
                stage: "Lead".into(),
            },
            ImportPage::Running {
                id: 1,
                done: 1,
                total: 3,
            },
            ImportPage::Interrupted { id: 1 },
            ImportPage::Done {
                id: 1,
                customers: 1,
                contacts: 1,
                joined: 0,
                filename: "a.xlsx".into(),
            },
        ];
        for (step, id) in steps.into_iter().zip([
            "upload-form",
            "mapping-form",
            "fixes-form",
            "run-form",
            "progress",
            "interrupted",
            "report",
        ]) {
            let html = render_with("customers/import.html", step);
            assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
        }
    }
}
