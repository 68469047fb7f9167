//! The system pages for admins (departments, staff, roles, dictionaries, custom fields,
//! settings, audit), with their JSON API (SPEC AUTH-2, AUTH-3, BASE-1, BASE-2, BASE-4).

pub mod admin_form;
pub mod api_audit;
pub mod api_custom_fields;
pub mod api_departments;
pub mod api_dicts;
pub mod api_roles;
pub mod api_settings;
pub mod api_staff;
pub mod audit;
pub mod custom_fields;
pub mod departments;
pub mod dicts;
pub mod roles;
pub mod routes;
pub mod settings;
pub mod staff;

pub use routes::routes;
