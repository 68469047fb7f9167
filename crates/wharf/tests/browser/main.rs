//! The main user journeys in headless Chromium against the real `wharf serve` binary, a
//! module per journey; `driver` starts the server and the browser and holds the page
//! helpers. The mail journeys need the loopback Dovecot / Postfix of `scripts/test`.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

mod customer_import;
mod customers;
mod driver;
mod first_day;
mod hostile_mail;
mod mail_account;
mod mail_client;
mod mail_handling;
mod mail_to_customer;
mod sales_path;
mod search;
mod strict_csp;
