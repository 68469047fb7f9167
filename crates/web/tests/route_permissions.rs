//! The permission each export, import and delete route declares, checked against a
//! table of what the route does (CUST-6, MAIL-7): a route that exports needs `export`, one
//! that deletes mail for good needs `permanent_delete`, and so on. Adding such a route
//! means adding it here, so a declared-wrong permission is caught in review and by this
//! test instead of by a salesperson downloading every customer. Every other route, page
//! or API, declares the permission of its area (`AREAS`).

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
    // The letterhead's logo is shown to everyone who makes quotes.
    ("GET", "/quotes/settings/logo", Access::Needs(Customers)),
    // Deletes.
    (
        "POST",
        "/customers/queries/{id}/delete",
        Access::Needs(Customers),
    ),
    ("POST", "/customers/{id}/delete", Access::Needs(Customers)),
    // Pipelines (issue 18): a stage (its customers moved) and an empty pipeline.
    (
        "POST",
        "/system/pipelines/stages/{id}/delete",
        Access::Needs(SystemAdmin),
    ),
    (
        "POST",
        "/system/pipelines/{id}/delete",
        Access::Needs(SystemAdmin),
    ),
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
    // A customer's mail as mbox or zip (ACC-7); the customer and each message are
    // read through the policy as well.
    ("GET", "/customers/{id}/mail/export", Access::Needs(Export)),
    // Contact records (issue 18): the list as xlsx; a record's delete (its author or a
    // manager over them, checked by the store).
    ("GET", "/records/export", Access::Needs(Export)),
    ("POST", "/records/{id}/delete", Access::Needs(Customers)),
    ("DELETE", "/api/v1/records/{id}", Access::Needs(Customers)),
    // Opportunities (issue 18): the list as xlsx.
    ("GET", "/opportunities/export", Access::Needs(Export)),
    // Exchange rates (issue 18): deleting one needs `exchange_rates`.
    (
        "POST",
        "/system/exchange-rates/{id}/delete",
        Access::Needs(ExchangeRates),
    ),
    (
        "DELETE",
        "/api/v1/exchange-rates/{id}",
        Access::Needs(ExchangeRates),
    ),
    // Products (PIPE-7): the export needs `export`; the import (its check, run and
    // template) and a file's delete need `products`, which manages the catalog.
    ("GET", "/products/export", Access::Needs(Export)),
    ("GET", "/products/import", Access::Needs(Products)),
    ("POST", "/products/import", Access::Needs(Products)),
    ("POST", "/products/import/run", Access::Needs(Products)),
    ("GET", "/products/import/template", Access::Needs(Products)),
    (
        "POST",
        "/products/files/{id}/delete",
        Access::Needs(Products),
    ),
    // A search's mail as mbox or zip (ACC-7); each message is read through the policy.
    ("GET", "/search/export", Access::Needs(Export)),
    // The sales kit (PIPE-3): a script's delete (its writer's, or a reference one with
    // `sales_kit`, checked by the store); a competitor's needs `sales_kit`.
    (
        "POST",
        "/sales/scripts/{id}/delete",
        Access::Needs(Customers),
    ),
    ("DELETE", "/api/v1/scripts/{id}", Access::Needs(Customers)),
    (
        "POST",
        "/sales/competitors/{id}/delete",
        Access::Needs(SalesKit),
    ),
    (
        "DELETE",
        "/api/v1/competitors/{id}",
        Access::Needs(SalesKit),
    ),
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

/// Which requests of an area a rule covers.
#[derive(Clone, Copy)]
enum Requests {
    All,
    /// GET only: reading.
    Reads,
    /// Every other method: changing.
    Writes,
}

/// What an area of the application is → the access its routes declare, unless the
/// table above names the route (an export inside the customers area needs `export`).
/// Areas not named here need only a signed-in user: mail, the home page, search and
/// one's profile, where the store's policy decides per account, message or customer.
const AREAS: &[(&str, Requests, Access)] = &[
    ("/system", Requests::All, Access::Needs(SystemAdmin)),
    ("/customers", Requests::All, Access::Needs(Customers)),
    ("/contacts", Requests::All, Access::Needs(Customers)),
    ("/documents", Requests::All, Access::Needs(Customers)),
    (
        "/mail/m/{id}/customer",
        Requests::All,
        Access::Needs(Customers),
    ),
    (
        "/announcements",
        Requests::All,
        Access::Needs(PublishAnnouncements),
    ),
    // Mail accounts: their users read them and start a sync; mailbox administrators
    // set them up.
    ("/mail/accounts", Requests::Writes, Access::Needs(Mailboxes)),
    (
        "/mail/accounts/new",
        Requests::All,
        Access::Needs(Mailboxes),
    ),
    (
        "/mail/accounts/{id}/edit",
        Requests::All,
        Access::Needs(Mailboxes),
    ),
    ("/mail/accounts/{id}/sync", Requests::All, Access::SignedIn),
    // Contact records and the workbench (the Sales area) follow the customers.
    ("/records", Requests::All, Access::Needs(Customers)),
    ("/sales", Requests::All, Access::Needs(Customers)),
    // Exchange rates: changed by holders of `exchange_rates`, read by everyone signed in
    // through the API (quotes and boards convert with them).
    (
        "/system/exchange-rates",
        Requests::All,
        Access::Needs(ExchangeRates),
    ),
    (
        "/api/v1/exchange-rates",
        Requests::Writes,
        Access::Needs(ExchangeRates),
    ),
    // The catalog: everyone signed in reads it (and uses the picker); changing it, its
    // form pages included, needs `products`.
    ("/products", Requests::Writes, Access::Needs(Products)),
    ("/products/new", Requests::All, Access::Needs(Products)),
    (
        "/products/{id}/edit",
        Requests::All,
        Access::Needs(Products),
    ),
    (
        "/api/v1/products",
        Requests::Writes,
        Access::Needs(Products),
    ),
    // Quotes follow the customers; their settings are the administrator's.
    ("/quotes", Requests::All, Access::Needs(Customers)),
    (
        "/quotes/settings",
        Requests::All,
        Access::Needs(SystemAdmin),
    ),
    ("/api/v1/quotes", Requests::All, Access::Needs(Customers)),
    // Orders follow the customers: each is its customer's.
    ("/orders", Requests::All, Access::Needs(Customers)),
    ("/api/v1/orders", Requests::All, Access::Needs(Customers)),
    // The tracking screen and the sales kit (PIPE-3) follow the customers; competitors
    // are changed, their form pages included, with `sales_kit`.
    ("/track", Requests::All, Access::Needs(Customers)),
    (
        "/sales/competitors",
        Requests::Writes,
        Access::Needs(SalesKit),
    ),
    (
        "/sales/competitors/new",
        Requests::All,
        Access::Needs(SalesKit),
    ),
    (
        "/sales/competitors/{id}/edit",
        Requests::All,
        Access::Needs(SalesKit),
    ),
    ("/api/v1/scripts", Requests::All, Access::Needs(Customers)),
    (
        "/api/v1/competitors",
        Requests::Reads,
        Access::Needs(Customers),
    ),
    (
        "/api/v1/competitors",
        Requests::Writes,
        Access::Needs(SalesKit),
    ),
    // The JSON API: the same areas.
    ("/api/v1/records", Requests::All, Access::Needs(Customers)),
    ("/api/v1/workbench", Requests::All, Access::Needs(Customers)),
    // Opportunities (the Sales area) follow the customers: each is its customer's.
    ("/opportunities", Requests::All, Access::Needs(Customers)),
    (
        "/api/v1/opportunities",
        Requests::All,
        Access::Needs(Customers),
    ),
    ("/api/v1/customers", Requests::All, Access::Needs(Customers)),
    ("/api/v1/contacts", Requests::All, Access::Needs(Customers)),
    ("/api/v1/staff", Requests::All, Access::Needs(SystemAdmin)),
    ("/api/v1/audit", Requests::All, Access::Needs(SystemAdmin)),
    (
        "/api/v1/departments",
        Requests::Writes,
        Access::Needs(SystemAdmin),
    ),
    (
        "/api/v1/roles",
        Requests::Writes,
        Access::Needs(SystemAdmin),
    ),
    ("/api/v1/dict", Requests::Writes, Access::Needs(SystemAdmin)),
    (
        "/api/v1/settings",
        Requests::Writes,
        Access::Needs(SystemAdmin),
    ),
    (
        "/api/v1/customer-fields",
        Requests::Reads,
        Access::Needs(Customers),
    ),
    (
        "/api/v1/customer-fields",
        Requests::Writes,
        Access::Needs(SystemAdmin),
    ),
    // The sales path: its stage lists and pipelines need customers.
    ("/sales/stages", Requests::All, Access::Needs(Customers)),
    (
        "/api/v1/pipelines",
        Requests::Reads,
        Access::Needs(Customers),
    ),
    (
        "/api/v1/announcements",
        Requests::Writes,
        Access::Needs(PublishAnnouncements),
    ),
    (
        "/api/v1/mail/accounts",
        Requests::Writes,
        Access::Needs(Mailboxes),
    ),
    (
        "/api/v1/mail/accounts/{id}/sync",
        Requests::All,
        Access::SignedIn,
    ),
];

/// The access a route must declare: its row in the table, else its most specific area,
/// else (public pages aside) a signed-in user.
fn expected_access(method: &Method, path: &str) -> Option<Access> {
    if let Some((.., want)) = TABLE
        .iter()
        .find(|(m, p, _)| *m == method.as_str() && *p == path)
    {
        return Some(*want);
    }
    AREAS
        .iter()
        .filter(|(prefix, requests, _)| {
            (path == *prefix || path.starts_with(&format!("{prefix}/")))
                && match requests {
                    Requests::All => true,
                    Requests::Reads => *method == Method::GET,
                    Requests::Writes => *method != Method::GET,
                }
        })
        .max_by_key(|(prefix, ..)| prefix.len())
        .map(|(.., want)| *want)
}

#[test]
fn every_route_declares_the_permission_of_its_area() {
    let wrong: Vec<String> = route_table()
        .iter()
        .filter_map(|r| {
            let want = expected_access(&r.method, r.path);
            let ok = match want {
                Some(want) => r.access == want,
                // Outside the areas nothing is asked beyond signing in.
                None => matches!(r.access, Access::SignedIn | Access::Public),
            };
            (!ok).then(|| {
                format!(
                    "{} {}: declares {:?}, expected {want:?}",
                    r.method, r.path, r.access
                )
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}
