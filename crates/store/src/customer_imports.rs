//! Customer imports (SPEC CUST-6): the uploaded file with its mapping, settings and the
//! user's corrections, saved mapping templates, and the run — every customer, owner,
//! contact and duplicate key of the batch in one transaction, so a failure leaves nothing
//! half-imported. Imports belong to the user who uploaded them.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use wharf_core::customer::{ContactInput, CustomerInput, Sharing, name_key};
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, text};
use crate::{Ctx, Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerImport {
    pub id: i64,
    pub filename: String,
    #[serde(skip)]
    pub data: Vec<u8>,
    /// The field each column feeds ("" = ignored).
    pub mapping: Vec<String>,
    /// `me`, `pool` or a user id.
    pub owner: String,
    pub stage: String,
    /// Rows whose company exists already add their contact to it (instead of an error).
    pub allow_existing: bool,
    /// Corrections: data row number → field → value.
    pub fixes: HashMap<usize, HashMap<String, String>>,
    pub state: String,
    pub report: String,
    pub created_at: i64,
}

/// One customer of a batch: new, or an existing one its contacts join.
#[derive(Debug, Clone)]
pub struct ImportGroup {
    pub customer: CustomerInput,
    pub contacts: Vec<ContactInput>,
    pub existing: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ImportReport {
    pub customers: usize,
    pub contacts: usize,
    pub joined_existing: usize,
}

fn import(r: &sqlx::any::AnyRow) -> sqlx::Result<CustomerImport> {
    Ok(CustomerImport {
        id: int(r, "id")?,
        filename: text(r, "filename")?,
        data: r.try_get_unchecked::<Vec<u8>, _>("data")?,
        mapping: serde_json::from_str(&text(r, "mapping")?).unwrap_or_default(),
        owner: text(r, "owner")?,
        stage: text(r, "stage")?,
        allow_existing: flag(r, "allow_existing")?,
        fixes: serde_json::from_str(&text(r, "fixes")?).unwrap_or_default(),
        state: text(r, "state")?,
        report: text(r, "report")?,
        created_at: int(r, "created_at")?,
    })
}

use sqlx::Row;

/// Customers written per group of statements. Kept small on purpose: SQLite looks a
/// `$N` parameter's name up by walking the statement's parameters (sqlx binds by name),
/// so a statement with n parameters costs n² — 5,000 parameters made the import slower
/// than one row per statement (seen with perf: 66% in `sqlite3_bind_parameter_name`).
const CHUNK: usize = 24;
/// Rows per multi-row statement for contacts and keys (about 600 parameters).
const CONTACT_ROWS: usize = 40;
const KEY_ROWS: usize = 150;

/// Inserts customers with one statement and returns their ids in the same order (found
/// again by their unique name keys).
async fn insert_customers(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    inputs: &[CustomerInput],
    sharing: Sharing,
    by: i64,
    t: i64,
) -> Result<Vec<i64>> {
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    const PER_ROW: usize = 25;
    let values = (0..inputs.len())
        .map(|i| {
            let b = 4 + PER_ROW * i;
            let cells: Vec<String> = (0..PER_ROW).map(|k| format!("${}", b + k)).collect();
            format!("($1, $2, $3, $3, {})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO customers (sharing, created_by, created_at, updated_at, party_kind, name, name_key, short_name, keywords, \
         type_id, status_id, source_id, industry_id, country_id, stage, city, address, website, phones, fax, email, \
         main_products, profile, scale, rating, follow, next_revisit_at, tags, search_text) VALUES {values}"
    )))
    .bind(sharing.code())
    .bind(by)
    .bind(t);
    let keys: Vec<String> = inputs.iter().map(|c| name_key(&c.name)).collect();
    for (c, key) in inputs.iter().zip(&keys) {
        q = q
            .bind(c.party_kind.clone())
            .bind(c.name.clone())
            .bind(key.clone())
            .bind(c.short_name.clone())
            .bind(c.keywords.clone())
            .bind(c.type_id)
            .bind(c.status_id)
            .bind(c.source_id)
            .bind(c.industry_id)
            .bind(c.country_id)
            .bind(c.stage.clone())
            .bind(c.city.clone())
            .bind(c.address.clone())
            .bind(c.website.clone())
            .bind(c.phones.clone())
            .bind(c.fax.clone())
            .bind(c.email.clone())
            .bind(c.main_products.clone())
            .bind(c.profile.clone())
            .bind(c.scale.clone())
            .bind(c.rating)
            .bind(i64::from(c.follow))
            .bind(c.next_revisit_at)
            .bind(c.tags.clone())
            .bind(crate::customers::search_text(c));
    }
    q.execute(&mut **tx).await?;
    let list = crate::rows::placeholders(1, keys.len());
    let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(format!(
        "SELECT id, name_key FROM customers WHERE name_key IN ({list})"
    )));
    for k in &keys {
        q = q.bind(k.clone());
    }
    let found: HashMap<String, i64> = q
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|(id, k)| (k, id))
        .collect();
    keys.iter()
        .map(|k| {
            found
                .get(k)
                .copied()
                .ok_or_else(|| crate::StoreError::Db(sqlx::Error::RowNotFound))
        })
        .collect()
}

/// Inserts contacts with one statement per [`CONTACT_ROWS`] and returns their ids in the same order
/// (new ids ascend in insertion order within the transaction).
async fn insert_contacts(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    contacts: &[(i64, ContactInput)],
    t: i64,
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(contacts.len());
    for rows in contacts.chunks(CONTACT_ROWS) {
        let before: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM contacts")
            .fetch_one(&mut **tx)
            .await?;
        const PER_ROW: usize = 14;
        let values = (0..rows.len())
            .map(|i| {
                let b = 2 + PER_ROW * i;
                let cells: Vec<String> = (0..PER_ROW).map(|k| format!("${}", b + k)).collect();
                format!("({}, $1, $1)", cells.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO contacts (customer_id, name, gender, title, emails, phones, whatsapp, wechat, skype, qq, linkedin, \
             birthday, notes, is_primary, created_at, updated_at) VALUES {values}"
        )))
        .bind(t);
        for (customer_id, k) in rows {
            q = q
                .bind(*customer_id)
                .bind(k.name.clone())
                .bind(k.gender.clone())
                .bind(k.title.clone())
                .bind(k.emails.clone())
                .bind(k.phones.clone())
                .bind(k.whatsapp.clone())
                .bind(k.wechat.clone())
                .bind(k.skype.clone())
                .bind(k.qq.clone())
                .bind(k.linkedin.clone())
                .bind(k.birthday.clone())
                .bind(k.notes.clone())
                .bind(i64::from(k.is_primary));
        }
        q.execute(&mut **tx).await?;
        let new: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM contacts WHERE id > $1 AND created_at = $2 ORDER BY id",
        )
        .bind(before.unwrap_or(0))
        .bind(t)
        .fetch_all(&mut **tx)
        .await?;
        if new.len() != rows.len() {
            return Err(crate::StoreError::Db(sqlx::Error::RowNotFound));
        }
        ids.extend(new);
    }
    Ok(ids)
}

impl Store {
    pub async fn create_import(&self, actor: &Actor, filename: &str, data: &[u8]) -> Result<i64> {
        actor.require(Permission::Customers)?;
        let filename = &wharf_core::validate::clean_line(filename)
            .map_err(|code| DomainError::field("file", code))?;
        let t = now();
        Ok(sqlx::query_scalar(
            "INSERT INTO customer_imports (user_id, filename, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(actor.user_id)
        .bind(filename)
        .bind(data.to_vec())
        .bind(t)
        .fetch_one(&self.pool)
        .await?)
    }

    /// One of the actor's own imports.
    pub async fn get_import(&self, actor: &Actor, id: i64) -> Result<CustomerImport> {
        actor.require(Permission::Customers)?;
        let r = sqlx::query("SELECT * FROM customer_imports WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(actor.user_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(import(&r)?)
    }

    /// An import's state and report, without loading its file.
    pub async fn import_state(&self, actor: &Actor, id: i64) -> Result<(String, String)> {
        actor.require(Permission::Customers)?;
        Ok(sqlx::query_as::<_, (String, String)>(
            "SELECT state, report FROM customer_imports WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(actor.user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?)
    }

    /// The actor's imports, newest first (without their files).
    pub async fn list_imports(&self, actor: &Actor) -> Result<Vec<(i64, String, String, i64)>> {
        actor.require(Permission::Customers)?;
        Ok(sqlx::query_as::<_, (i64, String, String, i64)>(
            "SELECT id, filename, state, created_at FROM customer_imports WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 20",
        )
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn save_import_settings(
        &self,
        actor: &Actor,
        id: i64,
        mapping: &[String],
        owner: &str,
        stage: &str,
        allow_existing: bool,
    ) -> Result<()> {
        let i = self.get_import(actor, id).await?;
        if matches!(i.state.as_str(), "running" | "done") {
            return Err(DomainError::refused("import_finished", 0).into());
        }
        if !wharf_core::customer::STAGES.contains(&stage) {
            return Err(DomainError::field("stage", "required").into());
        }
        if !mapping.iter().any(|m| m == "name") {
            return Err(DomainError::field("mapping", "name_not_mapped").into());
        }
        sqlx::query(
            "UPDATE customer_imports SET mapping = $1, owner = $2, stage = $3, allow_existing = $4, state = 'mapped', updated_at = $5 WHERE id = $6",
        )
        .bind(serde_json::to_string(mapping).unwrap_or_default())
        .bind(owner)
        .bind(stage)
        .bind(i64::from(allow_existing))
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn save_import_fixes(
        &self,
        actor: &Actor,
        id: i64,
        fixes: &HashMap<usize, HashMap<String, String>>,
    ) -> Result<()> {
        self.get_import(actor, id).await?;
        sqlx::query("UPDATE customer_imports SET fixes = $1, updated_at = $2 WHERE id = $3")
            .bind(serde_json::to_string(fixes).unwrap_or_default())
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_import_state(&self, id: i64, state: &str, report: &str) -> Result<()> {
        sqlx::query(
            "UPDATE customer_imports SET state = $1, report = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(state)
        .bind(report)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Saved mappings: (name, header → field).
    pub async fn import_templates(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(String, HashMap<String, String>)>> {
        actor.require(Permission::Customers)?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, mapping FROM customer_import_templates WHERE user_id = $1 ORDER BY name",
        )
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(n, m)| (n, serde_json::from_str(&m).unwrap_or_default()))
            .collect())
    }

    /// Saves (or replaces) a named mapping template.
    pub async fn save_import_template(
        &self,
        actor: &Actor,
        name: &str,
        mapping: &HashMap<String, String>,
    ) -> Result<()> {
        actor.require(Permission::Customers)?;
        let name = &wharf_core::validate::name("template_name", name, 100)?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM customer_import_templates WHERE user_id = $1 AND name = $2")
            .bind(actor.user_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO customer_import_templates (user_id, name, mapping, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(actor.user_id)
        .bind(name)
        .bind(serde_json::to_string(mapping).unwrap_or_default())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every customer's name key with its id (to find a batch's existing companies).
    pub async fn customer_name_keys(&self, actor: &Actor) -> Result<HashMap<String, i64>> {
        actor.require(Permission::Customers)?;
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT name_key, id FROM customers")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Runs a checked batch: all of it in one transaction, or nothing. `progress` counts
    /// the groups written. Existing customers that contacts join must be editable by the
    /// actor.
    pub async fn run_import(
        &self,
        ctx: Ctx<'_>,
        import_id: i64,
        groups: &[ImportGroup],
        owners: &[i64],
        stage: &str,
        progress: Arc<AtomicUsize>,
    ) -> Result<ImportReport> {
        ctx.actor.require(Permission::Customers)?;
        self.check_new_owners(ctx.actor, owners).await?;
        for g in groups.iter().filter(|g| g.existing.is_some()) {
            if let Some(id) = g.existing
                && !self.get_customer(ctx.actor, id).await?.may_edit
            {
                return Err(DomainError::Denied.into());
            }
        }
        let t = now();
        let sharing = Sharing::for_owners(owners.len());
        let by = ctx.actor.user_id;
        let mut report = ImportReport::default();
        let defs = self.custom_field_defs().await?;
        let mut tx = self.begin().await?;
        // Chunks of customers, each written with a few multi-row statements (an import
        // of 100,000 rows would otherwise be ~600,000 statements).
        for chunk in groups.chunks(CHUNK) {
            let mut inputs = Vec::new();
            for g in chunk.iter().filter(|g| g.existing.is_none()) {
                let mut input = g.customer.clone();
                input.stage = stage.to_string();
                let mut input = input.validate()?;
                input.custom = wharf_core::custom_field::check_values(&defs, &input.custom, None)?;
                inputs.push(input);
            }
            let new_ids = insert_customers(&mut tx, &inputs, sharing, by, t).await?;
            report.customers += new_ids.len();
            let custom: Vec<(i64, &[(i64, String)])> = new_ids
                .iter()
                .zip(&inputs)
                .map(|(id, input)| (*id, input.custom.as_slice()))
                .collect();
            crate::custom_fields::insert_custom_values(&mut tx, &custom, &defs).await?;
            let mut ids = Vec::with_capacity(chunk.len());
            let mut fresh = new_ids.iter();
            for g in chunk {
                match g.existing {
                    Some(id) => {
                        report.joined_existing += 1;
                        ids.push(id);
                    }
                    None => ids.push(
                        *fresh
                            .next()
                            .ok_or_else(|| crate::StoreError::Db(sqlx::Error::RowNotFound))?,
                    ),
                }
            }
            let owner_list = owners
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let owner_rows: Vec<(i64, i64)> = new_ids
                .iter()
                .flat_map(|c| owners.iter().map(move |u| (*c, *u)))
                .collect();
            for rows in owner_rows.chunks(KEY_ROWS) {
                let values = (0..rows.len())
                    .map(|i| format!("(${}, ${}, $1)", 2 + 2 * i, 3 + 2 * i))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO customer_owners (customer_id, user_id, since) VALUES {values}"
                )))
                .bind(t);
                for (c, u) in rows {
                    q = q.bind(*c).bind(*u);
                }
                q.execute(&mut *tx).await?;
            }
            if !new_ids.is_empty() {
                let values = (0..new_ids.len())
                    .map(|i| format!("(${}, $1, $2, 'import', '', $3)", 4 + i))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO customer_owner_log (customer_id, at, user_id, action, before_owners, after_owners) VALUES {values}"
                )))
                .bind(t)
                .bind(by)
                .bind(&owner_list);
                for c in &new_ids {
                    q = q.bind(*c);
                }
                q.execute(&mut *tx).await?;
            }
            // Contacts: the first of a new customer is its primary.
            let mut contacts = Vec::new();
            for (g, customer_id) in chunk.iter().zip(&ids) {
                for (i, k) in g.contacts.iter().enumerate() {
                    let mut k = k.clone().validate()?;
                    k.is_primary = g.existing.is_none() && i == 0;
                    contacts.push((*customer_id, k));
                }
            }
            let contact_ids = insert_contacts(&mut tx, &contacts, t).await?;
            report.contacts += contact_ids.len();
            // Duplicate keys of the new customers and of every new contact.
            let mut keys: Vec<(i64, Option<i64>, &'static str, String)> = Vec::new();
            for (input, id) in inputs.iter().zip(&new_ids) {
                for (kind, value) in
                    crate::customers::keys_of(&input.email, &input.phones, &input.website)
                {
                    keys.push((*id, None, kind, value));
                }
            }
            for ((customer_id, k), contact_id) in contacts.iter().zip(&contact_ids) {
                for (kind, value) in crate::customers::keys_of(&k.emails, &k.phones, "") {
                    keys.push((*customer_id, Some(*contact_id), kind, value));
                }
            }
            for rows in keys.chunks(KEY_ROWS) {
                let values = (0..rows.len())
                    .map(|i| {
                        format!(
                            "(${}, ${}, ${}, ${})",
                            1 + 4 * i,
                            2 + 4 * i,
                            3 + 4 * i,
                            4 + 4 * i
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO customer_keys (customer_id, contact_id, kind, value) VALUES {values}"
                )));
                for (c, k, kind, value) in rows {
                    q = q.bind(*c).bind(*k).bind(*kind).bind(value.clone());
                }
                q.execute(&mut *tx).await?;
            }
            progress.fetch_add(chunk.len(), Ordering::Relaxed);
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.import",
                entity: "customer_import",
                entity_id: Some(import_id),
                summary: "",
                details: json!({ "customers": report.customers, "contacts": report.contacts, "joined": report.joined_existing }),
            },
        )
        .await?;
        sqlx::query("UPDATE customer_imports SET state = 'done', report = $1, updated_at = $2 WHERE id = $3")
            .bind(serde_json::to_string(&report).unwrap_or_default())
            .bind(now())
            .bind(import_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(report)
    }
}
