//! Customers → import from xlsx or CSV (SPEC CUST-6): upload, map the columns (guessed
//! from the header; saved templates), choose the batch's owner and stage and whether rows
//! may join existing customers; a preview with every row's errors, corrected in place;
//! then the run — a job on the job table with its progress in the job's row, all rows in
//! one transaction — and its report. Reading the file is `check`, the run's job `job`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use wharf_core::custom_field::CustomField;
use wharf_core::customers::import::{guess_mapping, targets};
use wharf_core::customers::{CUSTOMER_FIELDS, STAGES};
use wharf_sheets::ReadError;
use wharf_store::customers::import::{CustomerImport, ImportReport};

use super::check::{self as import_check, Checker, SHOWN_ERRORS, read_error_text};
use super::job::{IMPORT_JOB, ImportJob};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::customer_import::views::{
    ErrorRow, FixCell, ImportPage, MappedColumn, RecentImport,
};
use crate::form::FormData;
use crate::render::{SelectOption, page};

/// What a column can feed: the standard targets, then the custom fields (`cf<id>`).
struct Targets(Vec<CustomField>);

impl Targets {
    async fn load(state: &AppState, req: &Req) -> Result<Targets, AppError> {
        Ok(Targets(state.store.custom_fields(req.actor()?).await?))
    }

    fn all(&self) -> Vec<String> {
        targets()
            .map(str::to_string)
            .chain(self.0.iter().map(CustomField::key))
            .collect()
    }

    fn valid(&self, target: &str) -> bool {
        targets().any(|t| t == target) || self.custom(target).is_some()
    }

    fn custom(&self, target: &str) -> Option<&CustomField> {
        let id = wharf_core::custom_field::parse_key(target)?;
        self.0.iter().find(|f| f.id == id)
    }

    fn label(&self, req: &Req, target: &str) -> String {
        match self.custom(target) {
            Some(f) => f.label.clone(),
            None => match CUSTOMER_FIELDS.by_import_target(target) {
                // The registry's label for the target (or for the field).
                Some(f) => req.t(f.import.and_then(|i| i.label).unwrap_or(f.label)),
                None => req.t(&format!("import.target.{target}")),
            },
        }
    }
}

pub async fn start(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    upload_page(&state, &req, None).await
}

async fn upload_page(
    state: &AppState,
    req: &Req,
    error: Option<String>,
) -> Result<Response, AppError> {
    let zone = req.zone()?;
    let recent: Vec<RecentImport> = state
        .store
        .list_imports(req.actor()?)
        .await?
        .into_iter()
        .map(|(id, name, st, at)| RecentImport {
            href: format!("/customers/import/{id}"),
            name,
            state: req.t(&format!("import.state.{st}")),
            when: crate::render::when(at, zone),
        })
        .collect();
    Ok(page(
        req,
        "customers/import.html",
        "customers",
        &req.t("import.title"),
        ImportPage::Upload { error, recent },
    ))
}

pub async fn upload(
    State(state): State<AppState>,
    req: Req,
    mut mp: Multipart,
) -> Result<Response, AppError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await.map_err(|_| AppError::BadRequest)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
            if !bytes.is_empty() {
                file = Some((name, bytes.to_vec()));
            }
        }
    }
    let Some((name, bytes)) = file else {
        let mut res = upload_page(&state, &req, Some(req.t("import.no_file"))).await?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    };
    let bytes = Arc::new(bytes);
    let rows = match import_check::count_rows(name.clone(), bytes.clone()).await? {
        Ok(rows) if rows >= 2 => rows,
        Ok(_) => {
            let mut res = upload_page(&state, &req, Some(req.t("import.empty_file"))).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
        Err(e) => return unreadable(&state, &req, &e).await,
    };
    let id = state
        .store
        .create_import(req.actor()?, &name, &bytes, rows - 1)
        .await?;
    Ok(Redirect::to(&format!("/customers/import/{id}/mapping")).into_response())
}

#[derive(Deserialize, Default)]
pub struct MappingParams {
    /// A saved template to apply.
    #[serde(default)]
    template: String,
}

pub async fn mapping(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(p): Query<MappingParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let mut i = state.store.get_import(actor, id).await?;
    // The header and a few sample rows: the rest of the file is not read.
    let table = match import_check::head(i.filename.clone(), std::mem::take(&mut i.data), 4).await?
    {
        Ok(t) => t,
        Err(e) => return unreadable(&state, &req, &e).await,
    };
    let header = table.first().cloned().unwrap_or_default();
    let templates = state.store.import_templates(actor).await?;
    let targets = Targets::load(&state, &req).await?;
    let mut mapping = if i.mapping.len() == header.len() {
        i.mapping.clone()
    } else {
        guess_mapping(&header, &targets.0)
    };
    if let Some((_, t)) = templates.iter().find(|(n, _)| *n == p.template) {
        mapping = header
            .iter()
            .map(|h| t.get(h).cloned().unwrap_or_default())
            .collect();
    }
    let columns: Vec<MappedColumn> = header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let samples: Vec<String> = table
                .iter()
                .skip(1)
                .take(3)
                .filter_map(|r| r.get(c).cloned())
                .filter(|v| !v.is_empty())
                .collect();
            let selected = mapping.get(c).cloned().unwrap_or_default();
            let mut options = vec![SelectOption {
                value: String::new(),
                label: req.t("import.ignore"),
                on: selected.is_empty(),
            }];
            options.extend(targets.all().iter().map(|t| SelectOption {
                value: t.to_string(),
                label: targets.label(&req, t),
                on: selected == *t,
            }));
            MappedColumn {
                index: c,
                header: h.clone(),
                samples: samples.join(" · "),
                options,
            }
        })
        .collect();
    let me = actor.user_id;
    let option = |value: String, label: String| SelectOption {
        on: i.owner == value,
        value,
        label,
    };
    let mut owners = vec![
        option("me".into(), req.t("customer.owner.me")),
        option("pool".into(), req.t("customer.pool")),
    ];
    owners.extend(
        state
            .store
            .active_staff(actor)
            .await?
            .into_iter()
            .filter(|(u, _)| *u != me)
            .map(|(u, n)| option(u.to_string(), n)),
    );
    let names = crate::features::pipeline::stage_bar::stage_names(&state, &req).await?;
    let stages: Vec<SelectOption> = STAGES
        .iter()
        .map(|s| SelectOption {
            value: s.to_string(),
            label: names
                .iter()
                .find(|(k, _)| k == s)
                .map_or_else(|| req.t(&format!("customer.stage.{s}")), |(_, l)| l.clone()),
            on: i.stage == *s,
        })
        .collect();
    Ok(page(
        &req,
        "customers/import.html",
        "customers",
        &req.t("import.title"),
        ImportPage::Mapping {
            id,
            filename: i.filename.clone(),
            rows: i.row_count,
            columns,
            owners,
            stages,
            allow_existing: i.allow_existing,
            templates: templates.iter().map(|(n, _)| n.clone()).collect(),
        },
    ))
}

pub async fn save_mapping(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let mut i = state.store.get_import(actor, id).await?;
    let header =
        match import_check::head(i.filename.clone(), std::mem::take(&mut i.data), 1).await? {
            Ok(t) => t.into_iter().next().unwrap_or_default(),
            Err(e) => return unreadable(&state, &req, &e).await,
        };
    let targets = Targets::load(&state, &req).await?;
    let mapping: Vec<String> = (0..header.len())
        .map(|c| {
            let v = form.get(&format!("col{c}"));
            if targets.valid(&v) { v } else { String::new() }
        })
        .collect();
    let owner = form.get("owner");
    let template = form.get("template_name");
    if !template.trim().is_empty() {
        let named: HashMap<String, String> = header
            .iter()
            .cloned()
            .zip(mapping.iter().cloned())
            .filter(|(_, t)| !t.is_empty())
            .collect();
        state
            .store
            .save_import_template(actor, &template, &named)
            .await?;
    }
    state
        .store
        .save_import_settings(
            actor,
            id,
            &mapping,
            if owner.is_empty() { "me" } else { &owner },
            &form.get("stage"),
            form.flag("allow_existing"),
        )
        .await?;
    Ok(Redirect::to(&format!("/customers/import/{id}")).into_response())
}

/// The row checker for an import (see [`import_check::checker_for`]).
async fn checker(state: &AppState, req: &Req, i: &CustomerImport) -> Result<Checker, AppError> {
    Ok(import_check::checker_for(&state.store, req.actor()?, i).await?)
}

/// A stored file that no longer reads (stored before the limits, say): the upload page
/// with the reason.
/// The import's job, if it was ever queued.
async fn import_job(state: &AppState, id: i64) -> Result<Option<wharf_jobs::Job>, AppError> {
    Ok(state.store.find_job(IMPORT_JOB, &id.to_string()).await?)
}

async fn unreadable(state: &AppState, req: &Req, e: &ReadError) -> Result<Response, AppError> {
    let mut res = upload_page(state, req, Some(read_error_text(req, e))).await?;
    *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    // While it runs, the page reloads every second: no need to read the file then.
    let (current, _) = state.store.import_state(actor, id).await?;
    let i = if current == "running" {
        None
    } else {
        Some(state.store.get_import(actor, id).await?)
    };
    if current == "new" {
        return Ok(Redirect::to(&format!("/customers/import/{id}/mapping")).into_response());
    }
    // Its job's row says how far it is, on whichever node it runs.
    let running = import_job(&state, id)
        .await?
        .filter(|j| !j.is_finished())
        .map(|j| {
            let (done, total) = match state.jobs.live_progress(j.id) {
                // Run here on SQLite, whose one writer the import holds: the runner knows.
                Some((done, total)) => (done, total),
                None => (
                    u64::try_from(j.progress_done).unwrap_or(0),
                    u64::try_from(j.progress_total).unwrap_or(0),
                ),
            };
            (
                usize::try_from(done).unwrap_or(usize::MAX),
                usize::try_from(total).unwrap_or(usize::MAX),
            )
        });
    let Some(i) = i else {
        return Ok(page(
            &req,
            "customers/import.html",
            "customers",
            &req.t("import.title"),
            match running {
                Some((done, total)) => ImportPage::Running { id, done, total },
                // No job runs it any more (it failed or was cancelled mid-way); the
                // transaction was rolled back, so nothing was imported.
                None => ImportPage::Interrupted { id },
            },
        ));
    };
    if i.state == "done" {
        let r: ImportReport = serde_json::from_str(&i.report).unwrap_or_default();
        return Ok(page(
            &req,
            "customers/import.html",
            "customers",
            &req.t("import.title"),
            ImportPage::Done {
                id,
                customers: r.customers,
                contacts: r.contacts,
                joined: r.joined_existing,
                filename: i.filename.clone(),
            },
        ));
    }
    let mut i = i;
    let check = checker(&state, &req, &i).await?;
    let p = match import_check::summarize(check, i.filename.clone(), std::mem::take(&mut i.data))
        .await?
    {
        Ok(p) => p,
        Err(e) => return unreadable(&state, &req, &e).await,
    };
    let targets = Targets::load(&state, &req).await?;
    let may_edit_dicts = req.actor()?.has(wharf_core::Permission::SystemAdmin);
    let errors: Vec<ErrorRow> = p
        .errors
        .iter()
        .map(|(c, row)| {
            let fixes = i.fixes.get(&c.line);
            let cells: Vec<FixCell> = c
                .errors
                .iter()
                .map(|(field, code)| {
                    let value = fixes
                        .and_then(|f| f.get(field.as_ref()))
                        .cloned()
                        .unwrap_or_else(|| {
                            wharf_core::customers::import::value_of(row, &i.mapping, field)
                        });
                    let error = match p.taken.get(&c.line) {
                        Some((matched, owners)) if *code == "customer_of_another" => {
                            crate::i18n::t_with(
                                req.locale,
                                "error.customer_of_another",
                                &[
                                    ("field", &req.t(&format!("customer.match.{matched}"))),
                                    ("owners", &crate::i18n::people(req.locale, owners)),
                                ],
                            )
                        }
                        // Only who may open the data dictionary is sent there.
                        _ if *code == "unknown_item" && !may_edit_dicts => {
                            req.t("error.unknown_item_ask_admin")
                        }
                        _ => req.t(&format!("error.{code}")),
                    };
                    FixCell {
                        field: field.to_string(),
                        label: targets.label(&req, field),
                        value,
                        name: format!("fix_{}_{}", c.line, field),
                        error,
                    }
                })
                .collect();
            ErrorRow {
                line: c.line + 1,
                row: c.line,
                cells,
                original: row.join(" | "),
            }
        })
        .collect();
    let (contacts, new_customers, joined, header) =
        (p.contacts, p.new_customers, p.joined, &p.header);
    Ok(page(
        &req,
        "customers/import.html",
        "customers",
        &req.t("import.title"),
        ImportPage::Preview {
            id,
            filename: i.filename.clone(),
            rows: p.rows,
            error_count: p.error_count,
            errors,
            shown: SHOWN_ERRORS.min(p.error_count),
            new_customers,
            contacts,
            joined,
            failed: (i.state == "failed").then(|| i.report.clone()),
            mapped: header
                .iter()
                .zip(i.mapping.iter())
                .filter(|(_, t)| !t.is_empty())
                .map(|(h, t)| format!("{h} → {}", targets.label(&req, t)))
                .collect(),
            stage: crate::features::pipeline::stage_bar::stage_names(&state, &req)
                .await?
                .into_iter()
                .find(|(k, _)| *k == i.stage)
                .map_or_else(|| req.t(&format!("customer.stage.{}", i.stage)), |(_, l)| l),
        },
    ))
}

pub async fn save_fixes(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let i = state.store.get_import(actor, id).await?;
    let targets = Targets::load(&state, &req).await?;
    let mut fixes = i.fixes.clone();
    for (key, value) in &form.0 {
        let Some(rest) = key.strip_prefix("fix_") else {
            continue;
        };
        let Some((line, field)) = rest.split_once('_') else {
            continue;
        };
        let (Ok(line), true) = (line.parse::<usize>(), targets.valid(field)) else {
            continue;
        };
        fixes
            .entry(line)
            .or_default()
            .insert(field.to_string(), value.trim().to_string());
    }
    state.store.save_import_fixes(actor, id, &fixes).await?;
    Ok(Redirect::to(&format!("/customers/import/{id}")).into_response())
}

/// Queues the import's job (the page then shows its progress from the job's row).
/// Refused while any row has an error.
pub async fn run(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = req.actor()?.clone();
    let i = state.store.get_import(&actor, id).await?;
    // "running" with no job left to run it: stopped mid-way and rolled back, so it may
    // run again.
    let job_active = import_job(&state, id)
        .await?
        .is_some_and(|j| !j.is_finished());
    let interrupted = i.state == "running" && !job_active;
    if !(matches!(i.state.as_str(), "mapped" | "failed") || interrupted) {
        return Ok(Redirect::to(&format!("/customers/import/{id}")).into_response());
    }
    let mut i = i;
    let check = checker(&state, &req, &i).await?;
    let data = std::mem::take(&mut i.data);
    let p = match import_check::summarize(check, i.filename.clone(), data.clone()).await? {
        Ok(p) => p,
        Err(e) => return unreadable(&state, &req, &e).await,
    };
    i.data = data;
    if p.error_count > 0 {
        return Err(AppError::Domain(wharf_core::DomainError::refused(
            "import_has_errors",
            p.error_count as i64,
        )));
    }
    let owners: Vec<i64> = match i.owner.as_str() {
        "me" => vec![actor.user_id],
        "pool" => Vec::new(),
        other => vec![other.parse().map_err(|_| AppError::BadRequest)?],
    };
    // Refused here, in the user's language, rather than as a failed run.
    state.store.check_new_owners(&actor, &owners).await?;
    let payload = ImportJob {
        import: id,
        user: actor.user_id,
        ip: req.ip.clone(),
        owners,
        failed_text: req.t("import.failed"),
    };
    let payload = serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.to_string()))?;
    state.store.set_import_state(id, "running", "").await?;
    state
        .store
        .enqueue_job(IMPORT_JOB, &id.to_string(), &payload, wharf_store::now())
        .await?;
    // Started here at once when this node has a slot; any node's runner otherwise.
    state.jobs.start_one();
    Ok(Redirect::to(&format!("/customers/import/{id}")).into_response())
}
