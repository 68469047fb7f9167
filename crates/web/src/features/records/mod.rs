//! Contact records (跟进记录, issue 18): the add form and the trail on the customer's
//! page (records, mail, documents, owner changes in one history), edit and delete, the
//! records list (Mine / Team, filters, search, xlsx export), the JSON API, reminders
//! (the job kind and the live events) and the home page's due lists.

pub mod api;
pub mod due;
pub mod export;
pub mod form;
pub mod list;
pub mod pages;
pub mod reminders;
pub mod routes;
pub mod timeline;
pub mod views;

pub use routes::routes;
