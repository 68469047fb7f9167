//! Function permissions and data scopes (SPEC AUTH-3), and the preset roles.

use serde::Serialize;

/// A function permission a role can grant. The string codes are stored in the database
/// and used as catalog keys (`perm.<code>`): never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Organisation, roles, base data, company settings, the audit log.
    SystemAdmin,
    /// Set up and manage mail accounts.
    Mailboxes,
    Customers,
    /// Manage the product catalog (everyone signed in views it).
    Products,
    Reports,
    ApproveMail,
    MassMail,
    Export,
    DeleteMail,
    PermanentDelete,
    ViewOthersMail,
    PublishAnnouncements,
    /// Add, change and delete the dated exchange rates (issue 18).
    ExchangeRates,
    /// Manage the company's sales kit: reference sales scripts and competitors (PIPE-3).
    SalesKit,
}

impl Permission {
    pub const ALL: [Permission; 14] = [
        Permission::SystemAdmin,
        Permission::Mailboxes,
        Permission::Customers,
        Permission::Products,
        Permission::Reports,
        Permission::ApproveMail,
        Permission::MassMail,
        Permission::Export,
        Permission::DeleteMail,
        Permission::PermanentDelete,
        Permission::ViewOthersMail,
        Permission::PublishAnnouncements,
        Permission::ExchangeRates,
        Permission::SalesKit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Permission::SystemAdmin => "system_admin",
            Permission::Mailboxes => "mailboxes",
            Permission::Customers => "customers",
            Permission::Products => "products",
            Permission::Reports => "reports",
            Permission::ApproveMail => "approve_mail",
            Permission::MassMail => "mass_mail",
            Permission::Export => "export",
            Permission::DeleteMail => "delete_mail",
            Permission::PermanentDelete => "permanent_delete",
            Permission::ViewOthersMail => "view_others_mail",
            Permission::PublishAnnouncements => "publish_announcements",
            Permission::ExchangeRates => "exchange_rates",
            Permission::SalesKit => "sales_kit",
        }
    }

    pub fn from_code(code: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Whose owned records (customers, mail, …) a role may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataScope {
    Own,
    DepartmentTree,
    All,
}

impl DataScope {
    pub const ALL: [DataScope; 3] = [DataScope::Own, DataScope::DepartmentTree, DataScope::All];

    pub fn code(self) -> &'static str {
        match self {
            DataScope::Own => "own",
            DataScope::DepartmentTree => "department_tree",
            DataScope::All => "all",
        }
    }

    pub fn from_code(code: &str) -> Option<DataScope> {
        DataScope::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A role shipped with Wharf (SPEC AUTH-3). Admins may edit them like any other role.
pub struct PresetRole {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub permissions: &'static [Permission],
    pub scope: DataScope,
}

use Permission as P;

pub const PRESET_ROLES: [PresetRole; 5] = [
    PresetRole {
        code: "general_manager",
        name_zh: "总经理",
        name_en: "General manager",
        permissions: &Permission::ALL,
        scope: DataScope::All,
    },
    PresetRole {
        code: "department_manager",
        name_zh: "部门主管",
        name_en: "Department manager",
        permissions: &[
            P::Customers,
            P::Products,
            P::Reports,
            P::ApproveMail,
            P::MassMail,
            P::Export,
            P::DeleteMail,
            P::ViewOthersMail,
            P::PublishAnnouncements,
            P::SalesKit,
        ],
        scope: DataScope::DepartmentTree,
    },
    PresetRole {
        code: "operator",
        name_zh: "操作员",
        name_en: "Operator",
        permissions: &[
            P::SystemAdmin,
            P::Mailboxes,
            P::Products,
            P::PublishAnnouncements,
            P::ExchangeRates,
        ],
        scope: DataScope::Own,
    },
    PresetRole {
        code: "salesperson",
        name_zh: "业务员",
        name_en: "Salesperson",
        permissions: &[P::Customers, P::DeleteMail],
        scope: DataScope::Own,
    },
    PresetRole {
        code: "service",
        name_zh: "客服",
        name_en: "Service",
        permissions: &[P::Customers],
        scope: DataScope::Own,
    },
];

/// The role the built-in `admin` account holds.
pub const ADMIN_ROLE_CODE: &str = "general_manager";

/// Parses a stored comma-separated permission list; unknown codes are ignored so that a
/// newer database read by an older binary cannot grant more than it names.
pub fn parse_permissions(stored: &str) -> Vec<Permission> {
    stored
        .split(',')
        .filter_map(|c| Permission::from_code(c.trim()))
        .collect()
}

pub fn format_permissions(perms: &[Permission]) -> String {
    let mut codes: Vec<&str> = perms.iter().map(|p| p.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::from_code(p.code()), Some(p));
        }
        for s in DataScope::ALL {
            assert_eq!(DataScope::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn stored_lists() {
        let stored = format_permissions(&[P::Reports, P::Customers, P::Reports]);
        assert_eq!(stored, "customers,reports");
        assert_eq!(
            parse_permissions("customers,nonsense,reports"),
            vec![P::Customers, P::Reports]
        );
    }

    #[test]
    fn only_the_general_manager_and_operator_administer() {
        let admins: Vec<&str> = PRESET_ROLES
            .iter()
            .filter(|r| r.permissions.contains(&P::SystemAdmin))
            .map(|r| r.code)
            .collect();
        assert_eq!(admins, ["general_manager", "operator"]);
    }
}
