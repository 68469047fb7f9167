//! Customers on SQLite and PostgreSQL: who sees what (own, collaborative, pool, a
//! manager's department), duplicates refused and found across owners, claiming within
//! the daily quota, release and transfer with the owner log, the field history, contacts —
//! a module per concern under `customers/`, sharing the helpers below.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::{ContactInput, CustomerInput};
use wharf_core::org::DepartmentInput;
use wharf_core::{Actor, DomainError};
use wharf_store::customers::{CustomerQuery, DuplicateProbe, Quick};
use wharf_store::testing::{admin, ctx};
use wharf_store::{Store, StoreError, testing};

async fn staff(store: &Store, admin: &Actor, username: &str, role: &str, dept: i64) -> Actor {
    testing::staff(store, admin, username, role, Some(dept)).await
}

fn named(name: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        ..Default::default()
    }
}

fn names(page: &wharf_store::Page<wharf_store::customers::Customer>) -> Vec<String> {
    let mut v: Vec<String> = page.items.iter().map(|c| c.name.clone()).collect();
    v.sort();
    v
}

fn query(quick: Quick) -> CustomerQuery {
    CustomerQuery {
        quick,
        per_page: 100,
        ..Default::default()
    }
}

fn code(e: StoreError) -> String {
    match e {
        StoreError::Domain(DomainError::Invalid(f)) => f.0[0].code.to_string(),
        StoreError::Domain(DomainError::Refused { code, .. }) => code.to_string(),
        StoreError::Domain(d) => d.code().to_string(),
        other => panic!("{other:?}"),
    }
}

#[path = "customers/access.rs"]
mod access;
#[path = "customers/custom_fields.rs"]
mod custom_fields;
#[path = "customers/duplicate_block.rs"]
mod duplicate_block;
#[path = "customers/duplicates.rs"]
mod duplicates;
#[path = "customers/first_contact.rs"]
mod first_contact;
#[path = "customers/import.rs"]
mod import;
#[path = "customers/ownership.rs"]
mod ownership;
#[path = "customers/query.rs"]
mod query;
#[path = "customers/transfer_requests.rs"]
mod transfer_requests;
