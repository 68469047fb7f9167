//! Search against the real store on SQLite and PostgreSQL: queries with known answers and
//! the scope of what each user finds (`queries`), the index on disk over restarts, first
//! builds and the change log (`index_lifecycle`), on the shared `world`.
#![allow(clippy::unwrap_used)]

mod index_lifecycle;
mod queries;
mod world;
