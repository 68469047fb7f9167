//! Customers → import from xlsx or CSV (SPEC CUST-6): upload, map the columns (guessed
//! from the header; saved templates), choose the batch's owner and stage and whether rows
//! may join existing customers; a preview with every row's errors, corrected in place;
//! then the run — in the background with progress, all rows in one transaction — and its
//! report.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use wharf_core::custom_field::CustomField;
use wharf_core::customer::{STAGES, name_key};
use wharf_core::customer_import::{CheckedRow, Lookup, TARGETS, check_row, guess_mapping};
use wharf_core::dict::DictKind;
use wharf_store::customer_imports::{CustomerImport, ImportGroup, ImportReport};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::page;

/// Error rows shown (and correctable) at once; the counts cover all.
const SHOWN_ERRORS: usize = 100;

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
    let recent: Vec<Value> = state
        .store
        .list_imports(req.actor()?)
        .await?
        .into_iter()
        .map(|(id, name, st, at)| context! { href => format!("/customers/import/{id}"), name => name, state => req.t(&format!("import.state.{st}")), when => crate::render::when(at, offset) })
        .collect();
    Ok(page(
        req,
        "customer_import.html",
        "customers",
        &req.t("import.title"),
        context! { step => "upload", error => error, recent => recent },
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
    let table = wharf_sheets::read_table(&name, &bytes);
    match table {
        Ok(rows) if rows.len() >= 2 => {}
        Ok(_) => {
            let mut res = upload_page(&state, &req, Some(req.t("import.empty_file"))).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
        Err(e) => {
            let mut res = upload_page(
                &state,
                &req,
                Some(
                    req.t("import.unreadable")
                        .replace("{reason}", &e.to_string()),
                ),
            )
            .await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
    }
    let id = state
        .store
        .create_import(req.actor()?, &name, &bytes)
        .await?;
    Ok(Redirect::to(&format!("/customers/import/{id}/mapping")).into_response())
}

fn table_of(i: &CustomerImport) -> Result<Vec<Vec<String>>, AppError> {
    wharf_sheets::read_table(&i.filename, &i.data)
        .map_err(|e| AppError::Internal(format!("stored import {}: {e}", i.id)))
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
    let i = state.store.get_import(actor, id).await?;
    let table = table_of(&i)?;
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
    let columns: Vec<Value> = header
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
            let mut options = vec![context! { value => "", label => req.t("import.ignore"), on => selected.is_empty() }];
            options.extend(targets.all().iter().map(|t| context! { value => t, label => targets.label(&req, t), on => selected == *t }));
            context! { index => c, header => h.clone(), samples => samples.join(" · "), options => options }
        })
        .collect();
    let me = actor.user_id;
    let mut owners = vec![
        context! { value => "me", label => req.t("customer.owner.me"), on => i.owner == "me" },
        context! { value => "pool", label => req.t("customer.pool"), on => i.owner == "pool" },
    ];
    owners.extend(
        state
            .store
            .active_staff(actor)
            .await?
            .into_iter()
            .filter(|(u, _)| *u != me)
            .map(|(u, n)| context! { value => u.to_string(), label => n, on => i.owner == u.to_string() }),
    );
    let stages: Vec<Value> = STAGES
        .iter()
        .map(|s| context! { value => s, label => req.t(&format!("customer.stage.{s}")), on => i.stage == *s })
        .collect();
    Ok(page(
        &req,
        "customer_import.html",
        "customers",
        &req.t("import.title"),
        context! {
            step => "mapping", id => id, filename => i.filename.clone(), rows => table.len() - 1,
            columns => columns, owners => owners, stages => stages, allow_existing => i.allow_existing,
            templates => templates.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
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
    let i = state.store.get_import(actor, id).await?;
    let header = table_of(&i)?.first().cloned().unwrap_or_default();
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

/// The batch as it would be imported: groups (one per company), error rows, counts.
struct Plan {
    rows: usize,
    groups: Vec<ImportGroup>,
    errors: Vec<CheckedRow>,
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

/// `table` is the import's file, read once by the caller.
async fn plan(
    state: &AppState,
    req: &Req,
    i: &CustomerImport,
    table: &[Vec<String>],
) -> Result<Plan, AppError> {
    let lookup = lookup(state, req).await?;
    let targets = Targets::load(state, req).await?;
    let offset = state
        .store
        .company_settings(req.actor()?)
        .await
        .map(|s| s.utc_offset_minutes)
        .unwrap_or(480);
    let existing = state.store.customer_name_keys(req.actor()?).await?;
    let mut groups: Vec<ImportGroup> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut checked: Vec<CheckedRow> = Vec::with_capacity(table.len());
    for (n, row) in table.iter().enumerate().skip(1) {
        let mut c = check_row(n, row, &i.mapping, i.fixes.get(&n), &lookup, &targets.0);
        if let Some(t) = c.customer.next_revisit_at.as_mut() {
            *t -= offset * 60;
        }
        let key = name_key(&c.customer.name);
        if c.errors.is_empty()
            && !key.is_empty()
            && let Some(&existing_id) = existing.get(&key)
        {
            if !i.allow_existing {
                c.errors.push(("name".into(), "duplicate_customer"));
            } else if !by_key.contains_key(&key) {
                by_key.insert(key.clone(), groups.len());
                groups.push(ImportGroup {
                    customer: c.customer.clone(),
                    contacts: Vec::new(),
                    existing: Some(existing_id),
                });
            }
        }
        if c.errors.is_empty() {
            let g = match by_key.get(&key) {
                Some(g) => *g,
                None => {
                    by_key.insert(key.clone(), groups.len());
                    groups.push(ImportGroup {
                        customer: c.customer.clone(),
                        contacts: Vec::new(),
                        existing: None,
                    });
                    groups.len() - 1
                }
            };
            if let Some(k) = &c.contact {
                groups[g].contacts.push(k.clone());
            }
        }
        checked.push(c);
    }
    let errors: Vec<CheckedRow> = checked
        .into_iter()
        .filter(|c| !c.errors.is_empty())
        .collect();
    Ok(Plan {
        rows: table.len() - 1,
        groups,
        errors,
    })
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
            "customer_import.html",
            "customers",
            &req.t("import.title"),
            match running {
                Some((done, total)) => {
                    context! { step => "running", id => id, done => done, total => total }
                }
                // Not running here any more: the process ended mid-way; the transaction
                // was rolled back, so nothing was imported.
                None => context! { step => "interrupted", id => id },
            },
        ));
    };
    if i.state == "done" {
        let r: ImportReport = serde_json::from_str(&i.report).unwrap_or_default();
        return Ok(page(
            &req,
            "customer_import.html",
            "customers",
            &req.t("import.title"),
            context! { step => "done", id => id, customers => r.customers, contacts => r.contacts, joined => r.joined_existing, filename => i.filename.clone() },
        ));
    }
    let table = table_of(&i)?;
    let p = plan(&state, &req, &i, &table).await?;
    let targets = Targets::load(&state, &req).await?;
    let header = table.first().cloned().unwrap_or_default();
    let errors: Vec<Value> = p
        .errors
        .iter()
        .take(SHOWN_ERRORS)
        .map(|c| {
            let row = table.get(c.line).cloned().unwrap_or_default();
            let fixes = i.fixes.get(&c.line);
            let cells: Vec<Value> = c
                .errors
                .iter()
                .map(|(field, code)| {
                    let value = fixes
                        .and_then(|f| f.get(field.as_ref()))
                        .cloned()
                        .unwrap_or_else(|| wharf_core::customer_import::value_of(&row, &i.mapping, field));
                    context! {
                        field => field, label => targets.label(&req, field), value => value,
                        name => format!("fix_{}_{}", c.line, field),
                        error => req.t(&format!("error.{code}")),
                    }
                })
                .collect();
            context! { line => c.line + 1, row => c.line, cells => cells, original => row.join(" | ") }
        })
        .collect();
    let contacts: usize = p.groups.iter().map(|g| g.contacts.len()).sum();
    let new_customers = p.groups.iter().filter(|g| g.existing.is_none()).count();
    let joined = p.groups.len() - new_customers;
    Ok(page(
        &req,
        "customer_import.html",
        "customers",
        &req.t("import.title"),
        context! {
            step => "preview", id => id, filename => i.filename.clone(), rows => p.rows,
            error_count => p.errors.len(), errors => errors, shown => SHOWN_ERRORS.min(p.errors.len()),
            new_customers => new_customers, contacts => contacts, joined => joined,
            failed => (i.state == "failed").then(|| i.report.clone()),
            mapped => header.iter().zip(i.mapping.iter()).filter(|(_, t)| !t.is_empty()).map(|(h, t)| format!("{h} → {}", targets.label(&req, t))).collect::<Vec<_>>(),
            stage => req.t(&format!("customer.stage.{}", i.stage)),
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
    let p = plan(&state, &req, &i, &table_of(&i)?).await?;
    if !p.errors.is_empty() {
        return Err(AppError::Domain(wharf_core::DomainError::refused(
            "import_has_errors",
            p.errors.len() as i64,
        )));
    }
    let owners: Vec<i64> = match i.owner.as_str() {
        "me" => vec![actor.user_id],
        "pool" => Vec::new(),
        other => vec![other.parse().map_err(|_| AppError::BadRequest)?],
    };
    // Refused here, in the user's language, rather than as a failed run.
    state.store.check_new_owners(&actor, &owners).await?;
    let progress = Arc::new(AtomicUsize::new(0));
    if let Ok(mut m) = state.imports.lock() {
        m.insert(id, (progress.clone(), p.groups.len()));
    }
    state.store.set_import_state(id, "running", "").await?;
    let ip = req.ip.clone();
    let store = state.store.clone();
    let registry = state.imports.clone();
    let stage = i.stage.clone();
    let failed_text = req.t("import.failed");
    tokio::spawn(async move {
        let ctx = wharf_store::Ctx {
            actor: &actor,
            ip: &ip,
        };
        let result = store
            .run_import(ctx, id, &p.groups, &owners, &stage, progress)
            .await;
        if let Err(e) = result {
            tracing::warn!(import = id, "customer import failed: {e}");
            let _ = store
                .set_import_state(
                    id,
                    "failed",
                    &failed_text.replace("{reason}", &e.to_string()),
                )
                .await;
        }
        if let Ok(mut m) = registry.lock() {
            m.remove(&id);
        }
    });
    Ok(Redirect::to(&format!("/customers/import/{id}")).into_response())
}
