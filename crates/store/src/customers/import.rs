//! Customer imports (SPEC CUST-6): the uploaded file with its mapping, settings and the
//! user's corrections and saved mapping templates; the run is `customer_import_run`.
//! Imports belong to the user who uploaded them.

use std::collections::HashMap;

use wharf_core::customers::{ContactInput, CustomerInput};
use wharf_core::{Actor, DomainError, Permission};

use crate::db::now;
use crate::rows::{flag, int, text};
use crate::{Result, Store};

#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerImport {
    pub id: i64,
    pub filename: String,
    /// Data rows (the header not counted), as counted at upload.
    pub row_count: i64,
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
    /// Contacts of a row for an existing customer that were already there (same
    /// e-mail, any case) and so not added again.
    #[serde(default)]
    pub matched_contacts: usize,
}

fn import(r: &sqlx::any::AnyRow) -> sqlx::Result<CustomerImport> {
    Ok(CustomerImport {
        id: int(r, "id")?,
        filename: text(r, "filename")?,
        row_count: int(r, "row_count")?,
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

impl Store {
    /// Keeps an uploaded file (checked by the caller) with its number of data rows.
    pub async fn create_import(
        &self,
        actor: &Actor,
        filename: &str,
        data: &[u8],
        row_count: usize,
    ) -> Result<i64> {
        actor.require(Permission::Customers)?;
        let filename = &wharf_core::validate::clean_line(filename)
            .map_err(|code| DomainError::field("file", code))?;
        let t = now();
        Ok(sqlx::query_scalar(
            "INSERT INTO customer_imports (user_id, filename, data, row_count, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(actor.user_id)
        .bind(filename)
        .bind(data.to_vec())
        .bind(row_count as i64)
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
        if !wharf_core::customers::STAGES.contains(&stage) {
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
}
