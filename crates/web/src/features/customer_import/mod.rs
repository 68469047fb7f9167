//! The customer import: upload an xlsx or CSV, check and map its columns, correct rows,
//! run it and read the report (SPEC CUST-6).

pub mod check;
pub mod job;
pub mod pages;
pub mod routes;
pub mod taken;
pub mod views;

pub use routes::routes;
