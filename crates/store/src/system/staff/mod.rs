//! Staff (SPEC AUTH-2): the people who sign in, their passwords, and the [`Actor`] the
//! policy sees for each of them.

use sqlx::any::AnyRow;
use wharf_core::{Actor, DomainError, Permission};

use crate::rows::{flag, int, like_pattern, opt_int, opt_text, text};
use crate::{Result, Store, StoreError};

mod actor;
mod edit;
mod passwords;

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

    pub(crate) async fn exists(&self, table: &'static str, id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }
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
