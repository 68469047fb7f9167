//! The workbench (PIPE-2, 销售主线's main screen), the Sales area's landing page: per
//! stage, the customers to revisit today / tomorrow / overdue and those contacted
//! today / this week / this month, each count a link to the customer list filtered to
//! exactly those; Mine, or for a manager the team in scope and each person in it.

pub mod api;
pub mod counts;
pub mod page;
pub mod routes;
pub mod views;

pub use routes::routes;
