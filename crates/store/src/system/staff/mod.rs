//! Staff (SPEC AUTH-2): the people who sign in, their passwords, and the [`Actor`] the
//! policy sees for each of them.

use serde_json::json;
use sqlx::any::AnyRow;
use wharf_core::org::{StaffInput, StaffStatus, TreeNode, subtree};
use wharf_core::permission::parse_permissions;
use wharf_core::{Actor, DataScope, DomainError, Permission, password};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, like_pattern, opt_int, opt_text, text};
use crate::{Ctx, Result, Store, StoreError};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub number: String,
    pub name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub position_id: Option<i64>,
    pub position_zh: Option<String>,
    pub position_en: Option<String>,
    pub role_id: i64,
    pub role_zh: String,
    pub role_en: String,
    pub office_phone: String,
    pub mobile: String,
    pub email: String,
    pub status: String,
    pub locale: String,
    pub is_builtin: bool,
    pub has_password: bool,
    pub must_change_password: bool,
    pub created_at: i64,
}

const STAFF_SELECT: &str = "SELECT u.id, u.username, u.number, u.name, u.department_id, d.name AS department_name, \
     u.position_id, p.name_zh AS position_zh, p.name_en AS position_en, u.role_id, r.name_zh AS role_zh, \
     r.name_en AS role_en, u.office_phone, u.mobile, u.email, u.status, u.locale, u.is_builtin, \
     CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, u.must_change_password, u.created_at \
     FROM users u JOIN roles r ON r.id = u.role_id \
     LEFT JOIN departments d ON d.id = u.department_id \
     LEFT JOIN dict_items p ON p.id = u.position_id";

fn staff_from(r: &AnyRow) -> sqlx::Result<Staff> {
    Ok(Staff {
        id: int(r, "id")?,
        username: text(r, "username")?,
        number: text(r, "number")?,
        name: text(r, "name")?,
        department_id: opt_int(r, "department_id")?,
        department_name: opt_text(r, "department_name")?,
        position_id: opt_int(r, "position_id")?,
        position_zh: opt_text(r, "position_zh")?,
        position_en: opt_text(r, "position_en")?,
        role_id: int(r, "role_id")?,
        role_zh: text(r, "role_zh")?,
        role_en: text(r, "role_en")?,
        office_phone: text(r, "office_phone")?,
        mobile: text(r, "mobile")?,
        email: text(r, "email")?,
        status: text(r, "status")?,
        locale: text(r, "locale")?,
        is_builtin: flag(r, "is_builtin")?,
        has_password: flag(r, "has_password")?,
        must_change_password: flag(r, "must_change_password")?,
        created_at: int(r, "created_at")?,
    })
}

#[derive(Debug, Clone, Default)]
pub struct StaffFilter {
    pub q: String,
    pub department_id: Option<i64>,
    pub status: String,
}

/// What the login form needs to know about a username.
pub struct LoginUser {
    pub id: i64,
    pub password_hash: Option<String>,
    pub active: bool,
}

impl Store {
    pub async fn list_staff(&self, actor: &Actor, f: &StaffFilter) -> Result<Vec<Staff>> {
        actor.require(Permission::SystemAdmin)?;
        let q = if f.q.trim().is_empty() {
            String::new()
        } else {
            like_pattern(f.q.trim())
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{STAFF_SELECT} WHERE ($1 = '' OR LOWER(u.name) LIKE $1 ESCAPE '\\' OR LOWER(u.username) LIKE $1 ESCAPE '\\' \
               OR LOWER(u.number) LIKE $1 ESCAPE '\\' OR LOWER(u.email) LIKE $1 ESCAPE '\\' OR u.mobile LIKE $1 ESCAPE '\\') \
             AND ($2 = 0 OR u.department_id = $2) AND ($3 = '' OR u.status = $3) \
             ORDER BY u.status, u.number, u.name"
        )))
        .bind(&q)
        .bind(f.department_id.unwrap_or(0))
        .bind(f.status.trim())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(staff_from).collect::<sqlx::Result<_>>()?)
    }

    /// One staff member: admins see anyone, everybody sees themselves.
    pub async fn get_staff(&self, actor: &Actor, id: i64) -> Result<Staff> {
        if id != actor.user_id {
            actor.require(Permission::SystemAdmin)?;
        }
        self.staff_by_id(id)
            .await?
            .ok_or(StoreError::Domain(DomainError::NotFound))
    }

    pub(crate) async fn staff_by_id(&self, id: i64) -> Result<Option<Staff>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{STAFF_SELECT} WHERE u.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(staff_from).transpose()?)
    }

    async fn check_staff_refs(&self, input: &StaffInput) -> Result<()> {
        let mut e = wharf_core::validate::FieldErrors::default();
        if let Some(d) = input.department_id
            && !self.exists("departments", d).await?
        {
            e.add("department_id", "invalid_choice");
        }
        if let Some(p) = input.position_id {
            let ok: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM dict_items WHERE id = $1 AND kind = 'position'",
            )
            .bind(p)
            .fetch_one(&self.pool)
            .await?;
            if ok == 0 {
                e.add("position_id", "invalid_choice");
            }
        }
        if let Some(r) = input.role_id
            && !self.exists("roles", r).await?
        {
            e.add("role_id", "invalid_choice");
        }
        Ok(e.into_result()?)
    }

    pub(crate) async fn exists(&self, table: &'static str, id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn create_staff(&self, ctx: Ctx<'_>, input: StaffInput) -> Result<i64> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let mut input = input;
        if input.password.as_deref().unwrap_or("").is_empty() {
            input.password = Some(String::new()); // validated as too short: a password is required
        }
        let input = input.validate()?;
        self.check_staff_refs(&input).await?;
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1")
            .bind(&input.username)
            .fetch_one(&self.pool)
            .await?;
        if taken > 0 {
            return Err(DomainError::field("username", "duplicate_username").into());
        }
        let hash =
            crate::auth::hashing::hash(input.password.as_deref().unwrap_or_default()).await?;
        let t = now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, must_change_password, number, name, department_id, position_id, \
               role_id, office_phone, mobile, email, status, created_at, updated_at) \
             VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(&input.username)
        .bind(hash)
        .bind(&input.number)
        .bind(&input.name)
        .bind(input.department_id)
        .bind(input.position_id)
        .bind(input.role_id)
        .bind(&input.office_phone)
        .bind(&input.mobile)
        .bind(&input.email)
        .bind(&input.status)
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| duplicate_username(e.into()))?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "staff.create",
                entity: "staff",
                entity_id: Some(id),
                summary: &format!("{} ({})", input.name, input.username),
                details: staff_details(&input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_staff(&self, ctx: Ctx<'_>, id: i64, input: StaffInput) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let current = self.staff_by_id(id).await?.ok_or(DomainError::NotFound)?;
        let mut input = StaffInput {
            password: None,
            ..input
        };
        if current.is_builtin {
            // The built-in admin keeps its name, role and status so nobody locks the
            // company out of its own system.
            input.username = current.username.clone();
            input.role_id = Some(current.role_id);
            input.status = StaffStatus::Active.code().into();
        }
        let input = input.validate()?;
        if id == ctx.actor.user_id && input.status == StaffStatus::Left.code() {
            return Err(DomainError::field("status", "cannot_deactivate_self").into());
        }
        self.check_staff_refs(&input).await?;
        let taken: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1 AND id <> $2")
                .bind(&input.username)
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        if taken > 0 {
            return Err(DomainError::field("username", "duplicate_username").into());
        }
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE users SET username = $1, number = $2, name = $3, department_id = $4, position_id = $5, role_id = $6, \
               office_phone = $7, mobile = $8, email = $9, status = $10, updated_at = $11 WHERE id = $12",
        )
        .bind(&input.username)
        .bind(&input.number)
        .bind(&input.name)
        .bind(input.department_id)
        .bind(input.position_id)
        .bind(input.role_id)
        .bind(&input.office_phone)
        .bind(&input.mobile)
        .bind(&input.email)
        .bind(&input.status)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| duplicate_username(e.into()))?;
        if input.status == StaffStatus::Left.code() {
            // Someone who has left is signed out everywhere and their tokens stop working.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "staff.update",
                entity: "staff",
                entity_id: Some(id),
                summary: &format!("{} ({})", input.name, input.username),
                details: staff_details(&input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An admin sets a new password for someone; they must change it at next sign-in and
    /// their open sessions end.
    pub async fn admin_reset_password(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        new_password: &str,
    ) -> Result<()> {
        ctx.actor.require(Permission::SystemAdmin)?;
        let staff = self.staff_by_id(id).await?.ok_or(DomainError::NotFound)?;
        if let Some(code) = password::weakness(new_password) {
            return Err(DomainError::field("password", code).into());
        }
        let mut tx = self.begin().await?;
        let revoked = set_password(&mut tx, id, new_password, true, true).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "staff.reset_password",
                entity: "staff",
                entity_id: Some(id),
                summary: &staff.username,
                details: json!({ "tokens_revoked": revoked }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The command-line reset (`wharf admin reset-password USER`), for a locked-out admin.
    pub async fn cli_reset_password(&self, username: &str, new_password: &str) -> Result<()> {
        if let Some(code) = password::weakness(new_password) {
            return Err(DomainError::field("password", code).into());
        }
        let username = username.trim().to_lowercase();
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(&username)
            .fetch_optional(&self.pool)
            .await?;
        let id = id.ok_or(DomainError::NotFound)?;
        let mut tx = self.begin().await?;
        let revoked = set_password(&mut tx, id, new_password, false, true).await?;
        sqlx::query("DELETE FROM login_attempts WHERE username = $1")
            .bind(&username)
            .execute(&mut *tx)
            .await?;
        audit::write(
            &mut tx,
            None,
            "cli",
            "",
            Entry {
                action: "staff.reset_password",
                entity: "staff",
                entity_id: Some(id),
                summary: &username,
                details: json!({"via": "command line", "tokens_revoked": revoked}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the actor's own password after checking the current one. Every session
    /// of theirs ends (the caller signs this browser in again) and, unless they asked to
    /// keep them, so do their API tokens.
    pub async fn change_own_password(
        &self,
        ctx: Ctx<'_>,
        current: &str,
        new_password: &str,
        keep_tokens: bool,
    ) -> Result<()> {
        let hash: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(ctx.actor.user_id)
                .fetch_one(&self.pool)
                .await?;
        let mut e = wharf_core::validate::FieldErrors::default();
        let current_ok = match hash.as_deref() {
            Some(h) => crate::auth::hashing::verify(current, h).await,
            None => false,
        };
        if !current_ok {
            e.add("current_password", "wrong_password");
        }
        if let Some(code) = password::weakness(new_password) {
            e.add("new_password", code);
        } else if new_password == current {
            e.add("new_password", "password_unchanged");
        }
        e.into_result()?;
        let mut tx = self.begin().await?;
        let revoked = set_password(
            &mut tx,
            ctx.actor.user_id,
            new_password,
            false,
            !keep_tokens,
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "staff.change_password",
                entity: "staff",
                entity_id: Some(ctx.actor.user_id),
                summary: &ctx.actor.username,
                details: json!({ "tokens_revoked": revoked }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// True while the built-in admin has never been given a password (first start).
    pub async fn needs_setup(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE is_builtin = 1 AND password_hash IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Sets the built-in admin's first password. Succeeds only once: afterwards the
    /// admin changes it like anyone else.
    pub async fn complete_setup(&self, new_password: &str, ip: &str) -> Result<i64> {
        if let Some(code) = password::weakness(new_password) {
            return Err(DomainError::field("password", code).into());
        }
        let hash = crate::auth::hashing::hash(new_password).await?;
        let mut tx = self.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET password_hash = $1, must_change_password = 0, updated_at = $2 \
             WHERE is_builtin = 1 AND password_hash IS NULL RETURNING id",
        )
        .bind(hash)
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or(DomainError::refused("setup_already_done", 0))?;
        audit::write(
            &mut tx,
            Some(id),
            "admin",
            ip,
            Entry {
                action: "setup.admin_password",
                entity: "staff",
                entity_id: Some(id),
                summary: "admin",
                details: serde_json::Value::Null,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn find_login(&self, username: &str) -> Result<Option<LoginUser>> {
        let row = sqlx::query("SELECT id, password_hash, status FROM users WHERE username = $1")
            .bind(username.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| -> sqlx::Result<LoginUser> {
                Ok(LoginUser {
                    id: int(&r, "id")?,
                    password_hash: opt_text(&r, "password_hash")?,
                    active: text(&r, "status")? == StaffStatus::Active.code(),
                })
            })
            .transpose()?)
    }

    /// Builds the policy's view of a user, or `None` if they do not exist or have left.
    pub async fn load_actor(&self, user_id: i64) -> Result<Option<Actor>> {
        let row = sqlx::query(
            "SELECT u.username, u.department_id, u.status, r.permissions, r.scope \
             FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        if text(&r, "status")? != StaffStatus::Active.code() {
            return Ok(None);
        }
        let department_id = opt_int(&r, "department_id")?;
        let scope = DataScope::from_code(&text(&r, "scope")?).unwrap_or(DataScope::Own);
        let department_tree = match (scope, department_id) {
            (DataScope::DepartmentTree, Some(d)) => subtree(&self.department_nodes().await?, d),
            (_, Some(d)) => vec![d],
            (_, None) => Vec::new(),
        };
        Ok(Some(Actor {
            user_id,
            username: text(&r, "username")?,
            department_id,
            permissions: parse_permissions(&text(&r, "permissions")?)
                .into_iter()
                .collect(),
            scope,
            department_tree,
        }))
    }

    pub(crate) async fn department_nodes(&self) -> Result<Vec<TreeNode>> {
        let rows = sqlx::query("SELECT id, parent_id FROM departments")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(TreeNode {
                    id: int(r, "id")?,
                    parent_id: opt_int(r, "parent_id")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }

    /// The user's language choice ("" = follow the browser).
    pub async fn set_locale(&self, ctx: Ctx<'_>, locale: &str) -> Result<()> {
        sqlx::query("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
            .bind(locale)
            .bind(now())
            .bind(ctx.actor.user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Sets a password and ends every session of the user; with `revoke_tokens` their live
/// API tokens too (how many is returned, for the audit log).
async fn set_password(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    new_password: &str,
    must_change: bool,
    revoke_tokens: bool,
) -> Result<u64> {
    let hash = crate::auth::hashing::hash(new_password).await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
        .bind(hash)
        .bind(i64::from(must_change))
        .bind(now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if !revoke_tokens {
        return Ok(0);
    }
    Ok(sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

fn duplicate_username(e: StoreError) -> StoreError {
    if e.is_unique_violation() {
        DomainError::field("username", "duplicate_username").into()
    } else {
        e
    }
}

fn staff_details(i: &StaffInput) -> serde_json::Value {
    json!({
        "username": i.username, "number": i.number, "name": i.name,
        "department_id": i.department_id, "position_id": i.position_id, "role_id": i.role_id,
        "office_phone": i.office_phone, "mobile": i.mobile, "email": i.email, "status": i.status,
    })
}

impl Store {
    /// (display name, language, must change password) for the page header.
    pub async fn staff_brief(&self, id: i64) -> Result<Option<(String, String, bool)>> {
        let row = sqlx::query("SELECT name, locale, must_change_password FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| -> sqlx::Result<_> {
                Ok((
                    text(&r, "name")?,
                    text(&r, "locale")?,
                    flag(&r, "must_change_password")?,
                ))
            })
            .transpose()?)
    }
}
