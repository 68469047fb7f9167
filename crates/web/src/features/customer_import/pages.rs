//! Customers → import from xlsx or CSV (SPEC CUST-6): upload, map the columns (guessed
//! from the header; saved templates), choose the batch's owner and stage and whether rows
//! may join existing customers; a preview with every row's errors, corrected in place;
//! then the run — in the background with progress, all rows in one transaction — and its
//! report. Reading the file is `import_check`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use wharf_core::custom_field::CustomField;
use wharf_core::customer::STAGES;
use wharf_core::customer_import::{Lookup, TARGETS, guess_mapping};
use wharf_core::dict::DictKind;
use wharf_sheets::ReadError;
use wharf_store::customer_imports::{CustomerImport, ImportReport};

use super::check::{self as import_check, Checker, SHOWN_ERRORS, read_error_text};
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
        TARGETS
            .iter()
            .map(|t| t.to_string())
            .chain(self.0.iter().map(CustomField::key))
            .collect()
    }

    fn valid(&self, target: &str) -> bool {
        TARGETS.contains(&target) || self.custom(target).is_some()
    }

    fn custom(&self, target: &str) -> Option<&CustomField> {
        let id = wharf_core::custom_field::parse_key(target)?;
        self.0.iter().find(|f| f.id == id)
    }

    fn label(&self, req: &Req, target: &str) -> String {
        match self.custom(target) {
            Some(f) => f.label.clone(),
            None => req.t(&format!("import.target.{target}")),
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
    let offset = state
        .store
        .company_settings(req.actor()?)
        .await
        .map(|s| s.utc_offset_minutes)
        .unwrap_or(480);
    let recent: Vec<RecentImport> = state
        .store
        .list_imports(req.actor()?)
        .await?
        .into_iter()
        .map(|(id, name, st, at)| RecentImport {
            href: format!("/customers/import/{id}"),
            name,
            state: req.t(&format!("import.state.{st}")),
            when: crate::render::when(at, offset),
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
    let stages: Vec<SelectOption> = STAGES
        .iter()
        .map(|s| SelectOption {
            value: s.to_string(),
            label: req.t(&format!("customer.stage.{s}")),
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

async fn lookup(state: &AppState, req: &Req) -> Result<Lookup, AppError> {
    let mut out: Lookup = HashMap::new();
    for (target, kind) in [
        ("type", DictKind::CustomerType),
        ("status", DictKind::CustomerStatus),
        ("source", DictKind::CustomerSource),
        ("industry", DictKind::Industry),
        ("country", DictKind::Country),
    ] {
        let mut names = HashMap::new();
        for item in state.store.list_dict(req.actor()?, kind).await? {
            for n in [&item.name_zh, &item.name_en, &item.code] {
                if !n.is_empty() {
                    names.insert(n.to_lowercase(), item.id);
                }
            }
        }
        out.insert(target, names);
    }
    Ok(out)
}

/// The row checker for an import, with the base data, custom fields, time zone and
/// existing customers it compares against.
async fn checker(state: &AppState, req: &Req, i: &CustomerImport) -> Result<Checker, AppError> {
    let lookup = lookup(state, req).await?;
    let targets = Targets::load(state, req).await?;
    let offset = state
        .store
        .company_settings(req.actor()?)
        .await
        .map(|s| s.utc_offset_minutes)
        .unwrap_or(480);
    let existing = state.store.customer_name_keys(req.actor()?).await?;
    Ok(Checker::new(lookup, targets.0, offset, existing, i))
}

/// A stored file that no longer reads (stored before the limits, say): the upload page
/// with the reason.
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
    let running = state.imports.lock().ok().and_then(|m| {
        m.get(&id)
            .map(|(done, total)| (done.load(Ordering::Relaxed), *total))
    });
    let Some(i) = i else {
        return Ok(page(
            &req,
            "customers/import.html",
            "customers",
            &req.t("import.title"),
            match running {
                Some((done, total)) => ImportPage::Running { id, done, total },
                // Not running here any more: the process ended mid-way; the transaction
                // was rolled back, so nothing was imported.
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
                            wharf_core::customer_import::value_of(row, &i.mapping, field)
                        });
                    FixCell {
                        field: field.to_string(),
                        label: targets.label(&req, field),
                        value,
                        name: format!("fix_{}_{}", c.line, field),
                        error: req.t(&format!("error.{code}")),
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
            stage: req.t(&format!("customer.stage.{}", i.stage)),
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

/// Starts the import in the background (the page then shows its progress). Refused
/// while any row has an error.
pub async fn run(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = req.actor()?.clone();
    let i = state.store.get_import(&actor, id).await?;
    // "running" with no task here: the server stopped mid-way and the transaction was
    // rolled back, so it may run again.
    let running_here = state
        .imports
        .lock()
        .map(|m| m.contains_key(&id))
        .unwrap_or(true);
    let interrupted = i.state == "running" && !running_here;
    if !(matches!(i.state.as_str(), "mapped" | "failed") || interrupted) {
        return Ok(Redirect::to(&format!("/customers/import/{id}")).into_response());
    }
    let mut i = i;
    let data = std::mem::take(&mut i.data);
    let p = match import_check::summarize(
        checker(&state, &req, &i).await?,
        i.filename.clone(),
        data.clone(),
    )
    .await?
    {
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
    let check = checker(&state, &req, &i).await?;
    let progress = Arc::new(AtomicUsize::new(0));
    if let Ok(mut m) = state.imports.lock() {
        m.insert(id, (progress.clone(), p.rows));
    }
    state.store.set_import_state(id, "running", "").await?;
    let ip = req.ip.clone();
    let store = state.store.clone();
    let registry = state.imports.clone();
    let failed_text = req.t("import.failed");
    // Issue 16 moves this onto the job table; the run itself is `import_check::run`.
    tokio::spawn(async move {
        let ctx = wharf_store::Ctx {
            actor: &actor,
            ip: &ip,
        };
        let result = import_check::run(store.clone(), ctx, i, check, &owners, progress).await;
        if let Err(e) = result {
            tracing::warn!(import = id, "customer import failed: {e}");
            let _ = store
                .set_import_state(id, "failed", &failed_text.replace("{reason}", &e))
                .await;
        }
        if let Ok(mut m) = registry.lock() {
            m.remove(&id);
        }
    });
    Ok(Redirect::to(&format!("/customers/import/{id}")).into_response())
}
