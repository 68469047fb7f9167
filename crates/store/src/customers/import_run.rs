//! Running a customer import (SPEC CUST-6): every customer, owner, contact and duplicate
//! key of the batch in one transaction, so a failure leaves nothing half-imported. The
//! batch arrives in chunks ([`ImportWriter::write`]), so an import of any size holds
//! only a chunk in memory (issue 14); a company met again in a later chunk gets the
//! contacts of its later rows.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use wharf_core::custom_field::CustomField;
use wharf_core::customers::{ContactInput, CustomerInput, Sharing, name_key, split_list};
use wharf_core::{DomainError, Permission};

use super::import::{ImportGroup, ImportReport};
use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

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
    let mut q = sqlx::query(sqlx::AssertSqlSafe(super::columns::insert_sql(
        inputs.len(),
    )))
    .bind(sharing.code())
    .bind(by)
    .bind(t);
    let keys: Vec<String> = inputs.iter().map(|c| name_key(&c.name)).collect();
    for c in inputs {
        q = super::columns::bind_fields(q, c);
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
    let ids: Vec<i64> = keys
        .iter()
        .map(|k| {
            found
                .get(k)
                .copied()
                .ok_or_else(|| crate::StoreError::Db(sqlx::Error::RowNotFound))
        })
        .collect::<Result<_>>()?;
    crate::pipeline::fit_new_customers(tx, &ids).await?;
    Ok(ids)
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

/// An import being written: its transaction is open until [`ImportWriter::finish`];
/// dropped unfinished, nothing is kept.
pub struct ImportWriter<'a> {
    store: &'a Store,
    ctx: Ctx<'a>,
    import_id: i64,
    owners: Vec<i64>,
    stage: String,
    tx: sqlx::Transaction<'static, sqlx::Any>,
    defs: Vec<CustomField>,
    t: i64,
    report: ImportReport,
    /// Name key → id of the customers this run created.
    written: HashMap<String, i64>,
    /// Existing customers joined (checked editable once each).
    joined: HashSet<i64>,
    progress: Arc<AtomicUsize>,
}

impl Store {
    /// Starts an import's transaction. `progress` counts the rows written.
    pub async fn start_import<'a>(
        &'a self,
        ctx: Ctx<'a>,
        import_id: i64,
        owners: &[i64],
        stage: &str,
        progress: Arc<AtomicUsize>,
    ) -> Result<ImportWriter<'a>> {
        ctx.actor.require(Permission::Customers)?;
        self.check_new_owners(ctx.actor, owners).await?;
        let defs = self.custom_field_defs().await?;
        let tx = self.begin().await?;
        Ok(ImportWriter {
            store: self,
            ctx,
            import_id,
            owners: owners.to_vec(),
            stage: stage.to_string(),
            tx,
            defs,
            t: now(),
            report: ImportReport::default(),
            written: HashMap::new(),
            joined: HashSet::new(),
            progress,
        })
    }

    /// Runs a checked batch held in memory: all of it in one transaction, or nothing
    /// (the benchmark's seeding; the web import streams through [`Store::start_import`]).
    pub async fn run_import(
        &self,
        ctx: Ctx<'_>,
        import_id: i64,
        groups: &[ImportGroup],
        owners: &[i64],
        stage: &str,
        progress: Arc<AtomicUsize>,
    ) -> Result<ImportReport> {
        let mut w = self
            .start_import(ctx, import_id, owners, stage, progress)
            .await?;
        for chunk in groups.chunks(CHUNK) {
            w.write(chunk.to_vec(), chunk.len()).await?;
        }
        w.finish().await
    }
}

impl ImportWriter<'_> {
    /// Writes checked groups (one per company of these `rows` rows). A group of a company
    /// this run wrote before adds its contacts to it; existing customers that contacts
    /// join must be editable by the actor.
    pub async fn write(&mut self, groups: Vec<ImportGroup>, rows: usize) -> Result<()> {
        let mut groups = groups;
        for g in &mut groups {
            if g.existing.is_none()
                && let Some(id) = self.written.get(&name_key(&g.customer.name))
            {
                g.existing = Some(*id);
            } else if let Some(id) = g.existing
                && self.joined.insert(id)
            {
                if !self.store.get_customer(self.ctx.actor, id).await?.may_edit {
                    return Err(DomainError::Denied.into());
                }
                self.report.joined_existing += 1;
            }
        }
        // A contact joining an existing customer is matched by e-mail first: a person
        // already there (or written earlier in this run) is not added a second time.
        for g in &mut groups {
            let Some(id) = g.existing else { continue };
            let rows: Vec<String> =
                sqlx::query_scalar("SELECT emails FROM contacts WHERE customer_id = $1")
                    .bind(id)
                    .fetch_all(&mut *self.tx)
                    .await?;
            let mut known: std::collections::HashSet<String> = rows
                .iter()
                .flat_map(|e| split_list(e).map(str::to_lowercase))
                .collect();
            let before = g.contacts.len();
            g.contacts.retain(|k| {
                let emails: Vec<String> = split_list(&k.emails).map(str::to_lowercase).collect();
                let new = emails.iter().all(|e| !known.contains(e));
                known.extend(emails);
                new
            });
            self.report.matched_contacts += before - g.contacts.len();
        }
        // A row whose e-mail, domain, phone or website is a colleague's customer's is
        // refused like a save (LINK-6), with one batched lookup for the whole chunk. The
        // preview has shown such rows as errors already; this is the last word.
        let joined: Vec<(String, String)> = groups
            .iter()
            .map(|g| {
                let mut emails = g.customer.email.clone();
                let mut phones = g.customer.phones.clone();
                for k in &g.contacts {
                    emails.push_str(", ");
                    emails.push_str(&k.emails);
                    phones.push_str(", ");
                    phones.push_str(&k.phones);
                }
                (emails, phones)
            })
            .collect();
        let probes: Vec<super::duplicate_block::TakenProbe<'_>> = groups
            .iter()
            .zip(&joined)
            .map(|(g, (emails, phones))| super::duplicate_block::TakenProbe {
                emails,
                phones,
                website: if g.existing.is_none() {
                    g.customer.website.as_str()
                } else {
                    ""
                },
                exclude: g.existing,
            })
            .collect();
        self.store.refuse_taken_all(self.ctx.actor, &probes).await?;
        for chunk in groups.chunks(CHUNK) {
            self.write_chunk(chunk).await?;
        }
        self.progress.fetch_add(rows, Ordering::Relaxed);
        Ok(())
    }

    /// Six multi-row statements per [`CHUNK`] customers (an import of 100,000 rows would
    /// otherwise be ~600,000 statements).
    async fn write_chunk(&mut self, chunk: &[ImportGroup]) -> Result<()> {
        let (t, by) = (self.t, self.ctx.actor.user_id);
        let owners = &self.owners;
        let tx = &mut self.tx;
        let sharing = Sharing::for_owners(owners.len());
        let mut inputs = Vec::new();
        for g in chunk.iter().filter(|g| g.existing.is_none()) {
            let mut input = g.customer.clone();
            input.stage = self.stage.clone();
            let mut input = input.validate()?;
            input.custom = wharf_core::custom_field::check_values(&self.defs, &input.custom, None)?;
            inputs.push(input);
        }
        let new_ids = insert_customers(tx, &inputs, sharing, by, t).await?;
        self.report.customers += new_ids.len();
        for (id, input) in new_ids.iter().zip(&inputs) {
            self.written.insert(name_key(&input.name), *id);
        }
        let custom: Vec<(i64, &[(i64, String)])> = new_ids
            .iter()
            .zip(&inputs)
            .map(|(id, input)| (*id, input.custom.as_slice()))
            .collect();
        crate::custom_fields::insert_custom_values(tx, &custom, &self.defs).await?;
        let mut ids = Vec::with_capacity(chunk.len());
        let mut fresh = new_ids.iter();
        for g in chunk {
            match g.existing {
                Some(id) => ids.push(id),
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
            q.execute(&mut **tx).await?;
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
            q.execute(&mut **tx).await?;
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
        let contact_ids = insert_contacts(tx, &contacts, t).await?;
        self.report.contacts += contact_ids.len();
        // Duplicate keys of the new customers and of every new contact.
        let mut keys: Vec<(i64, Option<i64>, &'static str, String)> = Vec::new();
        for (input, id) in inputs.iter().zip(&new_ids) {
            for (kind, value) in super::keys_of(&input.email, &input.phones, &input.website) {
                keys.push((*id, None, kind, value));
            }
        }
        for ((customer_id, k), contact_id) in contacts.iter().zip(&contact_ids) {
            for (kind, value) in super::keys_of(&k.emails, &k.phones, "") {
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
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Audits the run, marks the import done and commits.
    pub async fn finish(mut self) -> Result<ImportReport> {
        let report = self.report.clone();
        audit::record(
            &mut self.tx,
            self.ctx,
            Entry {
                action: "customer.import",
                entity: "customer_import",
                entity_id: Some(self.import_id),
                summary: "",
                details: json!({ "customers": report.customers, "contacts": report.contacts, "joined": report.joined_existing }),
            },
        )
        .await?;
        sqlx::query("UPDATE customer_imports SET state = 'done', report = $1, updated_at = $2 WHERE id = $3")
            .bind(serde_json::to_string(&report).unwrap_or_default())
            .bind(now())
            .bind(self.import_id)
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(report)
    }
}
