//! Customers and their contacts: the list, a customer's page, the form, ownership, bulk
//! actions, export and print, groups, documents, saved queries, the JSON API
//! (SPEC CUST-1..5, LINK-6, BASE-5). The store decides who sees and edits what.

pub mod api;
pub mod bulk;
pub mod columns;
pub mod contact_api;
pub mod contact_form;
pub mod contact_list;
pub mod delete;
pub mod documents;
pub mod duplicates;
pub mod export;
pub mod form;
pub mod groups;
pub mod labels;
pub mod list;
pub mod list_query;
pub mod ownership;
pub mod print;
pub mod routes;
pub mod saved_queries;
pub mod show;
pub mod transfer_requests;
pub mod views;

pub use routes::routes;
