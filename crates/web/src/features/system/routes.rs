//! The routes of the system pages (departments, staff, roles, dictionaries, custom fields,
//! settings, audit), pages and JSON API.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::{Customers, SystemAdmin};
use wharf_core::policy::Access::{Needs, SignedIn};

use super::{
    api_audit, api_custom_fields, api_departments, api_dicts, api_roles, api_settings, api_staff,
    audit, custom_fields, departments, dicts, roles, settings, staff,
};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/system",
            Needs(SystemAdmin),
            "System",
            get(|| async { axum::response::Redirect::to("/system/departments") }),
        )
        .add(
            Method::GET,
            "/system/departments",
            Needs(SystemAdmin),
            "Departments",
            get(departments::departments),
        )
        .add(
            Method::POST,
            "/system/departments",
            Needs(SystemAdmin),
            "Create department",
            post(departments::department_create),
        )
        .add(
            Method::GET,
            "/system/departments/new",
            Needs(SystemAdmin),
            "New department",
            get(departments::department_new),
        )
        .add(
            Method::GET,
            "/system/departments/{id}",
            Needs(SystemAdmin),
            "Edit department",
            get(departments::department_edit),
        )
        .add(
            Method::POST,
            "/system/departments/{id}",
            Needs(SystemAdmin),
            "Update department",
            post(departments::department_update),
        )
        .add(
            Method::POST,
            "/system/departments/{id}/delete",
            Needs(SystemAdmin),
            "Delete department",
            post(departments::department_delete),
        )
        .add(
            Method::GET,
            "/system/staff",
            Needs(SystemAdmin),
            "Staff",
            get(staff::staff_list),
        )
        .add(
            Method::POST,
            "/system/staff",
            Needs(SystemAdmin),
            "Create staff",
            post(staff::staff_create),
        )
        .add(
            Method::GET,
            "/system/staff/new",
            Needs(SystemAdmin),
            "New staff",
            get(staff::staff_new),
        )
        .add(
            Method::GET,
            "/system/staff/{id}",
            Needs(SystemAdmin),
            "Edit staff",
            get(staff::staff_edit),
        )
        .add(
            Method::POST,
            "/system/staff/{id}",
            Needs(SystemAdmin),
            "Update staff",
            post(staff::staff_update),
        )
        .add(
            Method::GET,
            "/system/roles",
            Needs(SystemAdmin),
            "Roles",
            get(roles::roles),
        )
        .add(
            Method::POST,
            "/system/roles",
            Needs(SystemAdmin),
            "Create role",
            post(roles::role_create),
        )
        .add(
            Method::GET,
            "/system/roles/new",
            Needs(SystemAdmin),
            "New role",
            get(roles::role_new),
        )
        .add(
            Method::GET,
            "/system/roles/{id}",
            Needs(SystemAdmin),
            "Edit role",
            get(roles::role_edit),
        )
        .add(
            Method::POST,
            "/system/roles/{id}",
            Needs(SystemAdmin),
            "Update role",
            post(roles::role_update),
        )
        .add(
            Method::POST,
            "/system/roles/{id}/delete",
            Needs(SystemAdmin),
            "Delete role",
            post(roles::role_delete),
        )
        .add(
            Method::GET,
            "/system/dict",
            Needs(SystemAdmin),
            "Data dictionary",
            get(dicts::dict_index),
        )
        .add(
            Method::GET,
            "/system/dict/{kind}",
            Needs(SystemAdmin),
            "Dictionary items",
            get(dicts::dict_list),
        )
        .add(
            Method::POST,
            "/system/dict/{kind}",
            Needs(SystemAdmin),
            "Create dictionary item",
            post(dicts::dict_create),
        )
        .add(
            Method::GET,
            "/system/dict/{kind}/new",
            Needs(SystemAdmin),
            "New dictionary item",
            get(dicts::dict_new),
        )
        .add(
            Method::GET,
            "/system/dict/{kind}/{id}",
            Needs(SystemAdmin),
            "Edit dictionary item",
            get(dicts::dict_edit),
        )
        .add(
            Method::POST,
            "/system/dict/{kind}/{id}",
            Needs(SystemAdmin),
            "Update dictionary item",
            post(dicts::dict_update),
        )
        .add(
            Method::POST,
            "/system/dict/{kind}/{id}/delete",
            Needs(SystemAdmin),
            "Delete dictionary item",
            post(dicts::dict_delete),
        )
        .add(
            Method::GET,
            "/system/customer-fields",
            Needs(SystemAdmin),
            "Customer fields defined by the administrator",
            get(custom_fields::list),
        )
        .add(
            Method::POST,
            "/system/customer-fields",
            Needs(SystemAdmin),
            "Add a customer field",
            post(custom_fields::create),
        )
        .add(
            Method::GET,
            "/system/customer-fields/new",
            Needs(SystemAdmin),
            "New customer field form",
            get(custom_fields::new),
        )
        .add(
            Method::GET,
            "/system/customer-fields/{id}",
            Needs(SystemAdmin),
            "Edit a customer field",
            get(custom_fields::edit),
        )
        .add(
            Method::POST,
            "/system/customer-fields/{id}",
            Needs(SystemAdmin),
            "Change a customer field",
            post(custom_fields::update),
        )
        .add(
            Method::POST,
            "/system/customer-fields/{id}/delete",
            Needs(SystemAdmin),
            "Delete a customer field and its values",
            post(custom_fields::delete),
        )
        .add(
            Method::GET,
            "/system/settings",
            Needs(SystemAdmin),
            "Company settings",
            get(settings::settings_form),
        )
        .add(
            Method::POST,
            "/system/settings",
            Needs(SystemAdmin),
            "Save company settings",
            post(settings::settings_save),
        )
        .add(
            Method::GET,
            "/system/audit",
            Needs(SystemAdmin),
            "Audit log",
            get(audit::audit),
        )
        .add(
            Method::GET,
            "/api/v1/departments",
            SignedIn,
            "List departments",
            get(api_departments::departments),
        )
        .add(
            Method::POST,
            "/api/v1/departments",
            Needs(SystemAdmin),
            "Create a department",
            post(api_departments::department_create),
        )
        .add(
            Method::GET,
            "/api/v1/departments/{id}",
            SignedIn,
            "Get a department",
            get(api_departments::department_get),
        )
        .add(
            Method::PUT,
            "/api/v1/departments/{id}",
            Needs(SystemAdmin),
            "Update a department",
            axum::routing::put(api_departments::department_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/departments/{id}",
            Needs(SystemAdmin),
            "Delete a department",
            axum::routing::delete(api_departments::department_delete),
        )
        .add(
            Method::GET,
            "/api/v1/staff",
            Needs(SystemAdmin),
            "List staff",
            get(api_staff::staff),
        )
        .add(
            Method::POST,
            "/api/v1/staff",
            Needs(SystemAdmin),
            "Create a staff member",
            post(api_staff::staff_create),
        )
        .add(
            Method::GET,
            "/api/v1/staff/{id}",
            Needs(SystemAdmin),
            "Get a staff member",
            get(api_staff::staff_get),
        )
        .add(
            Method::PUT,
            "/api/v1/staff/{id}",
            Needs(SystemAdmin),
            "Update a staff member",
            axum::routing::put(api_staff::staff_update),
        )
        .add(
            Method::POST,
            "/api/v1/staff/{id}/password",
            Needs(SystemAdmin),
            "Reset a staff member's password",
            post(api_staff::staff_reset_password),
        )
        .add(
            Method::POST,
            "/api/v1/roles",
            Needs(SystemAdmin),
            "Create a role",
            post(api_roles::role_create),
        )
        .add(
            Method::GET,
            "/api/v1/roles/{id}",
            SignedIn,
            "Get a role",
            get(api_roles::role_get),
        )
        .add(
            Method::PUT,
            "/api/v1/roles/{id}",
            Needs(SystemAdmin),
            "Update a role",
            axum::routing::put(api_roles::role_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/roles/{id}",
            Needs(SystemAdmin),
            "Delete a role",
            axum::routing::delete(api_roles::role_delete),
        )
        .add(
            Method::GET,
            "/api/v1/dict/{kind}",
            SignedIn,
            "List dictionary items of a kind",
            get(api_dicts::dict_list),
        )
        .add(
            Method::POST,
            "/api/v1/dict/{kind}",
            Needs(SystemAdmin),
            "Create a dictionary item",
            post(api_dicts::dict_create),
        )
        .add(
            Method::PUT,
            "/api/v1/dict/{kind}/{id}",
            Needs(SystemAdmin),
            "Update a dictionary item",
            axum::routing::put(api_dicts::dict_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/dict/{kind}/{id}",
            Needs(SystemAdmin),
            "Delete a dictionary item",
            axum::routing::delete(api_dicts::dict_delete),
        )
        .add(
            Method::GET,
            "/api/v1/settings",
            SignedIn,
            "Company settings",
            get(api_settings::settings_get),
        )
        .add(
            Method::PUT,
            "/api/v1/settings",
            Needs(SystemAdmin),
            "Change company settings",
            axum::routing::put(api_settings::settings_update),
        )
        .add(
            Method::GET,
            "/api/v1/customer-fields",
            Needs(Customers),
            "The customer fields defined by the administrator",
            get(api_custom_fields::custom_fields),
        )
        .add(
            Method::POST,
            "/api/v1/customer-fields",
            Needs(SystemAdmin),
            "Add a customer field (label, kind, choices, required)",
            post(api_custom_fields::custom_field_create),
        )
        .add(
            Method::PUT,
            "/api/v1/customer-fields/{id}",
            Needs(SystemAdmin),
            "Change a customer field",
            axum::routing::put(api_custom_fields::custom_field_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/customer-fields/{id}",
            Needs(SystemAdmin),
            "Delete a customer field and its values",
            axum::routing::delete(api_custom_fields::custom_field_delete),
        )
        .add(
            Method::GET,
            "/api/v1/roles",
            SignedIn,
            "List roles",
            get(api_roles::roles),
        )
        .add(
            Method::GET,
            "/api/v1/audit",
            Needs(SystemAdmin),
            "Latest audit log entries",
            get(api_audit::audit),
        )
}
