//! Who is signing in and acting: a username's login record, and the [`Actor`] the policy
//! sees for a user, with the department tree under their scope.

use wharf_core::org::{StaffStatus, TreeNode, subtree};
use wharf_core::permission::parse_permissions;
use wharf_core::{Actor, DataScope};

use crate::rows::{int, opt_int, opt_text, text};
use crate::{Result, Store};

use super::LoginUser;

impl Store {
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
}
