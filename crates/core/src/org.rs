//! Organisation rules (SPEC AUTH-2, AUTH-3): the department tree, staff and roles input.

use crate::validate::{FieldErrors, normalize_username};
use crate::{DataScope, DomainError, Permission};

/// Staff status; a member who has left cannot sign in, but their records stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffStatus {
    Active,
    Left,
}

impl StaffStatus {
    pub fn code(self) -> &'static str {
        match self {
            StaffStatus::Active => "active",
            StaffStatus::Left => "left",
        }
    }

    pub fn from_code(code: &str) -> Option<StaffStatus> {
        match code {
            "active" => Some(StaffStatus::Active),
            "left" => Some(StaffStatus::Left),
            _ => None,
        }
    }
}

/// A department as the tree functions see it.
#[derive(Debug, Clone, Copy)]
pub struct TreeNode {
    pub id: i64,
    pub parent_id: Option<i64>,
}

/// `root` and every department below it.
pub fn subtree(nodes: &[TreeNode], root: i64) -> Vec<i64> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        for n in nodes {
            if n.parent_id == Some(parent) && !out.contains(&n.id) {
                out.push(n.id);
            }
        }
        i += 1;
    }
    out
}

/// Would making `new_parent` the parent of `id` put `id` below itself?
pub fn would_cycle(nodes: &[TreeNode], id: i64, new_parent: Option<i64>) -> bool {
    match new_parent {
        None => false,
        Some(p) => subtree(nodes, id).contains(&p),
    }
}

/// Orders departments for display: parents first, children indented below them.
/// Returns (id, depth) pairs.
pub fn tree_order(nodes: &[TreeNode]) -> Vec<(i64, usize)> {
    fn visit(nodes: &[TreeNode], parent: Option<i64>, depth: usize, out: &mut Vec<(i64, usize)>) {
        for n in nodes.iter().filter(|n| n.parent_id == parent) {
            if out.iter().any(|(id, _)| *id == n.id) {
                continue;
            }
            out.push((n.id, depth));
            visit(nodes, Some(n.id), depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(nodes.len());
    visit(nodes, None, 0, &mut out);
    // Anything unreachable (a parent that no longer exists) is shown at the top level.
    for n in nodes {
        if !out.iter().any(|(id, _)| *id == n.id) {
            out.push((n.id, 0));
        }
    }
    out
}

#[derive(Debug, Clone, Default)]
pub struct DepartmentInput {
    pub short_name: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub head_user_id: Option<i64>,
    pub description: String,
}

impl DepartmentInput {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.name = e.text("name", &self.name, true, 100);
        self.short_name = e.text("short_name", &self.short_name, false, 30);
        self.description = e.text_block("description", &self.description, false, 2000);
        e.into_result().map(|_| self)
    }
}

#[derive(Debug, Clone, Default)]
pub struct StaffInput {
    pub username: String,
    pub number: String,
    pub name: String,
    pub department_id: Option<i64>,
    pub position_id: Option<i64>,
    pub role_id: Option<i64>,
    pub office_phone: String,
    pub mobile: String,
    pub email: String,
    pub status: String,
    /// Only on create: the first password, which the new user should change.
    pub password: Option<String>,
}

impl StaffInput {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.username = normalize_username(&mut e, &self.username);
        self.number = e.text("number", &self.number, false, 30);
        self.name = e.text("name", &self.name, true, 60);
        self.office_phone = e.text("office_phone", &self.office_phone, false, 40);
        self.mobile = e.text("mobile", &self.mobile, false, 40);
        self.email = e.email("email", &self.email);
        if self.role_id.is_none() {
            e.add("role_id", "required");
        }
        if StaffStatus::from_code(&self.status).is_none() {
            e.add("status", "invalid_choice");
        }
        if let Some(pw) = &self.password
            && let Some(code) = crate::password::weakness(pw)
        {
            e.add("password", code);
        }
        e.into_result().map(|_| self)
    }
}

#[derive(Debug, Clone)]
pub struct RoleInput {
    pub name_zh: String,
    pub name_en: String,
    pub description: String,
    pub permissions: Vec<Permission>,
    pub scope: DataScope,
    /// How many customers a holder may claim from the public pool a day (SPEC CUST-3).
    pub daily_claim_quota: i64,
}

impl RoleInput {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.name_zh = e.text("name_zh", &self.name_zh, false, 60);
        self.name_en = e.text("name_en", &self.name_en, false, 60);
        if self.name_zh.is_empty() && self.name_en.is_empty() {
            e.add("name_zh", "one_name_required");
        }
        self.description = e.text_block("description", &self.description, false, 500);
        if !(0..=10_000).contains(&self.daily_claim_quota) {
            e.add("daily_claim_quota", "out_of_range");
        }
        self.permissions.sort();
        self.permissions.dedup();
        e.into_result().map(|_| self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes() -> Vec<TreeNode> {
        // 1 ─┬─ 2 ── 4
        //    └─ 3
        // 5
        vec![
            TreeNode {
                id: 1,
                parent_id: None,
            },
            TreeNode {
                id: 2,
                parent_id: Some(1),
            },
            TreeNode {
                id: 3,
                parent_id: Some(1),
            },
            TreeNode {
                id: 4,
                parent_id: Some(2),
            },
            TreeNode {
                id: 5,
                parent_id: None,
            },
        ]
    }

    #[test]
    fn subtrees() {
        let mut s = subtree(&nodes(), 1);
        s.sort();
        assert_eq!(s, [1, 2, 3, 4]);
        assert_eq!(subtree(&nodes(), 4), [4]);
    }

    #[test]
    fn cycles_are_detected() {
        assert!(would_cycle(&nodes(), 1, Some(4)));
        assert!(would_cycle(&nodes(), 2, Some(2)));
        assert!(!would_cycle(&nodes(), 4, Some(3)));
        assert!(!would_cycle(&nodes(), 4, None));
    }

    #[test]
    fn display_order() {
        assert_eq!(
            tree_order(&nodes()),
            [(1, 0), (2, 1), (4, 2), (3, 1), (5, 0)]
        );
    }

    #[test]
    fn staff_validation() {
        let input = StaffInput {
            username: "Wang".into(),
            name: "王芳".into(),
            role_id: Some(1),
            status: "active".into(),
            email: "bad".into(),
            password: Some("short".into()),
            ..Default::default()
        };
        let Err(DomainError::Invalid(e)) = input.validate() else {
            panic!("expected errors")
        };
        assert_eq!(e.get("email"), Some("invalid_email"));
        assert_eq!(e.get("password"), Some("password_too_short"));
        assert_eq!(e.get("username"), None);
    }
}
