//! The permission each export, import and delete route declares, checked against a
//! table of what the route does (CUST-6, MAIL-7): a route that exports needs `export`, one
//! that deletes mail for good needs `permanent_delete`, and so on. Adding such a route
//! means adding it here, so a declared-wrong permission is caught in review and by this
//! test instead of by a salesperson downloading every customer.

use axum::http::Method;
use wharf_core::Permission::{self, *};
use wharf_core::policy::Access;
use wharf_web::route_table;

/// What the route does → the access it must declare.
const TABLE: &[(&str, &str, Access)] = &[
    // Exports: the customer list as a file (the bulk route exports the ticked rows among
    // other actions; its store operation checks `export`, see the permission test).
    ("GET", "/customers/export", Access::Needs(Export)),
    ("GET", "/api/v1/customers/export", Access::Needs(Export)),
    // Imports of customers.
    ("GET", "/customers/import", Access::Needs(Customers)),
    ("POST", "/customers/import", Access::Needs(Customers)),
    ("GET", "/customers/import/{id}", Access::Needs(Customers)),
    (
        "GET",
        "/customers/import/{id}/mapping",
        Access::Needs(Customers),
    ),
    (
        "POST",
        "/customers/import/{id}/mapping",
        Access::Needs(Customers),
    ),
    (
        "POST",
        "/customers/import/{id}/fixes",
        Access::Needs(Customers),
    ),
    (
        "POST",
        "/customers/import/{id}/run",
        Access::Needs(Customers),
    ),
    // Deletes.
    (
        "POST",
        "/customers/queries/{id}/delete",
        Access::Needs(Customers),
    ),
    ("POST", "/customers/{id}/delete", Access::Needs(Customers)),
    ("POST", "/documents/{id}/delete", Access::Needs(Customers)),
    ("POST", "/contacts/{id}/delete", Access::Needs(Customers)),
    (
        "POST",
        "/system/departments/{id}/delete",
        Access::Needs(SystemAdmin),
    ),
    (
        "POST",
        "/system/roles/{id}/delete",
        Access::Needs(SystemAdmin),
    ),
    (
        "POST",
        "/system/dict/{kind}/{id}/delete",
        Access::Needs(SystemAdmin),
    ),
    (
        "POST",
        "/system/customer-fields/{id}/delete",
        Access::Needs(SystemAdmin),
    ),
    (
        "POST",
        "/announcements/{id}/delete",
        Access::Needs(PublishAnnouncements),
    ),
    ("POST", "/mail/drafts/{id}/delete", Access::SignedIn),
    ("POST", "/mail/folders/{id}/delete", Access::SignedIn),
    ("POST", "/mail/m/{id}/trash", Access::Needs(DeleteMail)),
    ("POST", "/mail/m/{id}/purge", Access::Needs(PermanentDelete)),
    (
        "DELETE",
        "/api/v1/departments/{id}",
        Access::Needs(SystemAdmin),
    ),
    ("DELETE", "/api/v1/roles/{id}", Access::Needs(SystemAdmin)),
    (
        "DELETE",
        "/api/v1/dict/{kind}/{id}",
        Access::Needs(SystemAdmin),
    ),
    (
        "DELETE",
        "/api/v1/customer-fields/{id}",
        Access::Needs(SystemAdmin),
    ),
    ("DELETE", "/api/v1/customers/{id}", Access::Needs(Customers)),
    ("DELETE", "/api/v1/contacts/{id}", Access::Needs(Customers)),
    (
        "DELETE",
        "/api/v1/announcements/{id}",
        Access::Needs(PublishAnnouncements),
    ),
    // Bulk actions on ticked customers, export and delete among them: each action's
    // store operation checks its own permission (`export` for the export).
    ("POST", "/customers/bulk", Access::Needs(Customers)),
];

/// Routes that export, import or delete, by their path or method.
fn is_sensitive(method: &Method, path: &str) -> bool {
    *method == Method::DELETE
        || ["export", "import", "delete", "purge", "trash", "bulk"]
            .iter()
            .any(|w| path.split('/').any(|seg| seg == *w))
}

#[test]
fn every_export_import_and_delete_route_is_in_the_table() {
    let routes = route_table();
    let missing: Vec<String> = routes
        .iter()
        .filter(|r| is_sensitive(&r.method, r.path))
        .filter(|r| {
            !TABLE
                .iter()
                .any(|(m, p, _)| *m == r.method.as_str() && *p == r.path)
        })
        .map(|r| format!("{} {} ({:?})", r.method, r.path, r.access))
        .collect();
    assert!(missing.is_empty(), "add to the table: {missing:#?}");
}

#[test]
fn each_declares_the_permission_of_what_it_does() {
    let routes = route_table();
    for (method, path, want) in TABLE {
        let route = routes
            .iter()
            .find(|r| r.method.as_str() == *method && r.path == *path)
            .unwrap_or_else(|| panic!("{method} {path} is not a route any more"));
        assert_eq!(route.access, *want, "{method} {path}");
    }
}

#[test]
fn exports_need_the_export_permission() {
    let exports: Vec<_> = route_table()
        .into_iter()
        .filter(|r| r.path.split('/').any(|s| s == "export"))
        .collect();
    assert!(exports.len() >= 2);
    for r in exports {
        assert_eq!(
            r.access,
            Access::Needs(Permission::Export),
            "{} {}",
            r.method,
            r.path
        );
    }
}
