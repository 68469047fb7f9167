//! Search (FIND-1): the box in every page's header leads here. One page over mail and
//! customers, the query language of `wharf_core::search_query` and the same filters as
//! form fields; `/api/v1/search` answers the same parameters in JSON.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::Value;
use serde::Deserialize;
use serde_json::json;
use wharf_core::search_query::{Named, QueryError, Scope, SearchQuery, parse_day};
use wharf_core::zone::Zone;
use wharf_search::{Error as SearchError, MAX_OFFSET, Results, SearchOptions, Sort};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::search::views::{CustomerHit, Filled, MailHit, SearchPage, Section};
use crate::i18n::t_with;
use crate::render::{SelectOption, page, pick, when};

const PER_PAGE: usize = 20;
const API_MAX: usize = 100;

/// The box and the filter form; every field optional.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Params {
    #[serde(default)]
    pub(super) q: String,
    #[serde(default, rename = "in")]
    scope: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    has: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    before: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    customer: String,
    #[serde(default, rename = "type")]
    mail_type: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    trash: String,
    /// Result offsets of the two sections (pages) and, for the API, the page size.
    #[serde(default)]
    mail_offset: Option<usize>,
    #[serde(default)]
    customer_offset: Option<usize>,
    #[serde(default)]
    limit: Option<usize>,
    /// `1`: the last word is still being typed (the header box's suggestions).
    #[serde(default)]
    prefix: String,
    /// The export's file: `mbox` (the default) or `zip` (`search/export.rs`).
    #[serde(default)]
    pub(super) format: String,
}

impl Params {
    fn has_filters(&self) -> bool {
        [
            &self.from,
            &self.to,
            &self.subject,
            &self.has,
            &self.after,
            &self.before,
            &self.account,
            &self.owner,
            &self.customer,
            &self.mail_type,
            &self.tag,
            &self.trash,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
            || !matches!(self.scope.as_str(), "" | "all")
            || self.sort == "newest"
    }

    pub(super) fn is_blank(&self) -> bool {
        self.q.trim().is_empty() && !self.has_filters()
    }

    /// The box's text and the form's fields, as one query.
    fn query(&self) -> Result<SearchQuery, QueryError> {
        let mut q = SearchQuery::parse(&self.q)?;
        let text = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
        // The form sends ids; an API caller may send a name as well.
        let named = |v: &str| {
            let v = v.trim();
            (!v.is_empty()).then(|| match v.parse::<i64>() {
                Ok(n) => Named::Id(n),
                Err(_) => Named::Name(v.to_string()),
            })
        };
        q.from.extend(text(&self.from));
        q.to.extend(text(&self.to));
        q.subject.extend(text(&self.subject));
        if !self.has.is_empty() {
            q.has_attachment = true;
        }
        if let Some(v) = text(&self.after) {
            q.after = Some(parse_day(&v)?);
        }
        if let Some(v) = text(&self.before) {
            q.before = Some(parse_day(&v)?);
        }
        if let Some(a) = named(&self.account) {
            q.account = Some(a);
        }
        if let Some(o) = named(&self.owner) {
            q.owner = Some(o);
        }
        // A name, as typed (many companies are called by a number); `#12` is an id.
        if let Some(c) = text(&self.customer) {
            q.customer = Some(match c.strip_prefix('#').and_then(|n| n.parse().ok()) {
                Some(n) => Named::Id(n),
                None => Named::Name(c),
            });
        }
        if let Some(t) = named(&self.mail_type) {
            q.mail_type = Some(t);
        }
        if let Some(t) = named(&self.tag) {
            q.tag = Some(t);
        }
        if let Some(scope) = Scope::from_code(self.scope.trim())
            && scope != Scope::All
        {
            q.scope = scope;
        }
        Ok(q)
    }

    fn options(&self, time_zone: Zone, limit: usize) -> SearchOptions {
        SearchOptions {
            time_zone,
            mail_offset: self.mail_offset.unwrap_or(0).min(MAX_OFFSET),
            customer_offset: self.customer_offset.unwrap_or(0).min(MAX_OFFSET),
            limit,
            sort: if self.sort == "newest" {
                Sort::Newest
            } else {
                Sort::Relevance
            },
            include_trash: !self.trash.is_empty(),
            prefix_last: self.prefix == "1",
        }
    }

    /// This search's mail only, from `offset` (the export pages through it).
    pub(super) fn mail_only_from(&self, offset: usize) -> Params {
        let mut p = self.clone();
        p.scope = "mail".into();
        p.mail_offset = Some(offset);
        p.prefix.clear();
        p
    }

    /// This search's URL with other offsets.
    pub(super) fn href(&self, mail_offset: usize, customer_offset: usize) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", self.q.clone())];
        for (k, v) in [
            ("in", &self.scope),
            ("from", &self.from),
            ("to", &self.to),
            ("subject", &self.subject),
            ("has", &self.has),
            ("after", &self.after),
            ("before", &self.before),
            ("account", &self.account),
            ("owner", &self.owner),
            ("customer", &self.customer),
            ("type", &self.mail_type),
            ("tag", &self.tag),
            ("sort", &self.sort),
            ("trash", &self.trash),
        ] {
            if !v.is_empty() {
                pairs.push((k, v.clone()));
            }
        }
        if mail_offset > 0 {
            pairs.push(("mail_offset", mail_offset.to_string()));
        }
        if customer_offset > 0 {
            pairs.push(("customer_offset", customer_offset.to_string()));
        }
        format!(
            "/search?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

/// A query that cannot be read or names something unknown: (code, the text at fault).
pub(super) enum Problem {
    Query(QueryError),
    Unknown(&'static str, String),
}

impl Problem {
    pub(super) fn code(&self) -> &'static str {
        match self {
            Problem::Query(e) => e.code,
            Problem::Unknown("owner", _) => "search_unknown_owner",
            Problem::Unknown("account", _) => "search_unknown_account",
            Problem::Unknown("customer", _) => "search_unknown_customer",
            Problem::Unknown("tag", _) => "search_unknown_tag",
            Problem::Unknown(_, _) => "search_unknown_type",
        }
    }

    pub(super) fn value(&self) -> &str {
        match self {
            Problem::Query(e) => &e.value,
            Problem::Unknown(_, v) => v,
        }
    }
}

/// Where a mail hit opens: its folder's view (Trash, "Handed to me", its role's).
fn mail_href(hit: &wharf_store::search_feed::MailHit) -> String {
    let view = if hit.handed_only {
        "handed"
    } else if hit.deleted {
        "trash"
    } else if hit.folder_role.is_empty() {
        "inbox"
    } else {
        hit.folder_role.as_str()
    };
    format!("/mail?view={view}&m={}", hit.id)
}

pub(super) async fn run(
    state: &AppState,
    req: &Req,
    p: &Params,
    limit: usize,
) -> Result<Result<Results, Problem>, AppError> {
    let actor = req.actor()?;
    let query = match p.query() {
        Ok(q) => q,
        Err(e) => return Ok(Err(Problem::Query(e))),
    };
    match state
        .search
        .search(
            &state.store,
            actor,
            &query,
            &p.options(req.zone()?.clone(), limit),
        )
        .await
    {
        Ok(r) => Ok(Ok(r)),
        Err(SearchError::Unknown { filter, value }) => Ok(Err(Problem::Unknown(filter, value))),
        Err(SearchError::Store(e)) => Err(e.into()),
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            Err(AppError::Internal(e.to_string()))
        }
    }
}

pub async fn search_page(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let (results, problem) = if p.is_blank() {
        (None, None)
    } else {
        match run(&state, &req, &p, PER_PAGE).await? {
            Ok(r) => (Some(r), None),
            Err(problem) => (
                None,
                Some(t_with(
                    req.locale,
                    &format!("error.{}", problem.code()),
                    &[("value", problem.value())],
                )),
            ),
        }
    };
    let mail_offset = p.mail_offset.unwrap_or(0).min(MAX_OFFSET);
    let customer_offset = p.customer_offset.unwrap_or(0).min(MAX_OFFSET);
    let (mail, customers) = match &results {
        Some(r) => {
            let mail: Vec<MailHit> = r
                .mail
                .items
                .iter()
                .map(|m| {
                    let who = if m.hit.from_name.is_empty() {
                        m.hit.from_addr.clone()
                    } else {
                        format!("{} <{}>", m.hit.from_name, m.hit.from_addr)
                    };
                    MailHit {
                        id: m.hit.id,
                        href: mail_href(&m.hit),
                        subject_html: Value::from_safe_string(if m.subject_html.is_empty() {
                            req.t("mail.no_subject")
                        } else {
                            m.subject_html.clone()
                        }),
                        snippet_html: Value::from_safe_string(m.snippet_html.clone()),
                        who,
                        out: m.hit.direction == "out",
                        account: m.hit.account.clone(),
                        when: when(m.hit.received_at, zone),
                        attach: m.hit.has_attachments,
                        deleted: m.hit.deleted,
                    }
                })
                .collect();
            let customers: Vec<CustomerHit> = r
                .customers
                .items
                .iter()
                .map(|c| CustomerHit {
                    id: c.hit.id,
                    href: format!("/customers/{}", c.hit.id),
                    name_html: Value::from_safe_string(c.name_html.clone()),
                    snippet_html: Value::from_safe_string(c.snippet_html.clone()),
                    stage: req.t(&format!("customer.stage.{}", c.hit.stage)),
                    owners: if c.hit.shared {
                        req.t("customer.pool")
                    } else {
                        c.hit.owners.join(", ")
                    },
                })
                .collect();
            // The links move one section's page and keep the other's.
            fn section<T>(
                searched: bool,
                total: usize,
                items: Vec<T>,
                offset: usize,
                link: impl Fn(usize) -> String,
            ) -> Section<T> {
                let next = offset.saturating_add(PER_PAGE);
                Section {
                    searched,
                    total,
                    items,
                    from: offset.saturating_add(1),
                    prev: (offset > 0).then(|| link(offset.saturating_sub(PER_PAGE))),
                    next: (next < total && next <= MAX_OFFSET).then(|| link(next)),
                }
            }
            (
                Some(section(
                    r.mail.searched,
                    r.mail.total,
                    mail,
                    mail_offset,
                    |o| p.href(o, customer_offset),
                )),
                Some(section(
                    r.customers.searched,
                    r.customers.total,
                    customers,
                    customer_offset,
                    |o| p.href(mail_offset, o),
                )),
            )
        }
        None => (None, None),
    };

    // The filter form's choices: readable accounts, their owners, mail types.
    let accounts = state.store.list_accounts(actor).await?;
    let mut owners: Vec<(i64, String)> = accounts
        .iter()
        .filter_map(|a| a.owner_id.map(|id| (id, a.owner_name.clone())))
        .collect();
    owners.push((actor.user_id, req.display_name.clone()));
    owners.sort_by(|a, b| a.1.cmp(&b.1));
    owners.dedup_by_key(|o| o.0);
    let types = state
        .store
        .list_dict(actor, wharf_core::dict::DictKind::MailType)
        .await?;
    let tags = state.store.mail_tags(actor).await?;
    let choice = |id: i64, label: String, current: &str| SelectOption {
        value: id.to_string(),
        label,
        on: current == id.to_string(),
    };
    Ok(page(
        &req,
        "search/results.html",
        "",
        &req.t("search.title"),
        SearchPage {
            search_q: p.q.clone(),
            p: Filled {
                q: p.q.clone(),
                scope: p.scope.clone(),
                from: p.from.clone(),
                to: p.to.clone(),
                subject: p.subject.clone(),
                has: !p.has.is_empty(),
                after: p.after.clone(),
                before: p.before.clone(),
                customer: p.customer.clone(),
                sort: p.sort.clone(),
                trash: !p.trash.is_empty(),
            },
            filters_open: p.has_filters(),
            accounts: accounts
                .iter()
                .map(|a| choice(a.id, a.address.clone(), &p.account))
                .collect(),
            owners: owners
                .into_iter()
                .map(|(id, name)| choice(id, name, &p.owner))
                .collect(),
            types: types
                .iter()
                .map(|t| choice(t.id, pick(req.locale, &t.name_zh, &t.name_en), &p.mail_type))
                .collect(),
            tags: tags
                .iter()
                .map(|t| choice(t.id, format!("# {}", t.name), &p.tag))
                .collect(),
            problem,
            searched: results.is_some(),
            incomplete: results.as_ref().is_some_and(|r| !r.complete),
            export_href: (actor.has(wharf_core::Permission::Export)
                && results.as_ref().is_some_and(|r| r.mail.total > 0))
            .then(|| p.href(0, 0).replacen("/search?", "/search/export?", 1)),
            mail,
            customers,
        },
    ))
}

/// `GET /api/v1/search`: the same parameters; `limit` up to 100 per section. A query
/// that cannot be read answers 422 with the reason in the caller's language.
pub async fn api_search(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    let limit = p.limit.unwrap_or(PER_PAGE).clamp(1, API_MAX);
    if p.is_blank() {
        return Ok(invalid(&req, "search_empty", ""));
    }
    match run(&state, &req, &p, limit).await? {
        Ok(r) => {
            // Each item with the page it opens.
            let mut mail = serde_json::to_value(&r.mail).unwrap_or_default();
            let zone = req.zone()?;
            for (item, m) in items_of(&mut mail).zip(&r.mail.items) {
                item["href"] = json!(mail_href(&m.hit));
                // The time as every page shows it (company zone, 24-hour), so a script
                // never formats it in the browser's zone and clock.
                item["when"] = json!(when(m.hit.received_at, zone));
            }
            let mut customers = serde_json::to_value(&r.customers).unwrap_or_default();
            for (item, c) in items_of(&mut customers).zip(&r.customers.items) {
                item["href"] = json!(format!("/customers/{}", c.hit.id));
            }
            Ok(Json(json!({
                "mail": mail,
                "customers": customers,
                "complete": r.complete,
            }))
            .into_response())
        }
        Err(problem) => Ok(invalid(&req, problem.code(), problem.value())),
    }
}

fn items_of(section: &mut serde_json::Value) -> impl Iterator<Item = &mut serde_json::Value> {
    section["items"]
        .as_array_mut()
        .into_iter()
        .flat_map(|items| items.iter_mut())
}

/// The API's error shape (`{"error": {code, message, fields}}`) with the value named.
fn invalid(req: &Req, code: &'static str, value: &str) -> Response {
    let message = t_with(req.locale, &format!("error.{code}"), &[("value", value)]);
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"error": {
            "code": code,
            "message": message,
            "fields": [{"field": "q", "code": code, "message": message}],
        }})),
    )
        .into_response()
}
