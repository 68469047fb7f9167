//! Who the caller is: first start, sign-in and sign-out, the language switch, the profile
//! with password change and API tokens (SPEC AUTH-1, AUTH-5).

pub mod api;
pub mod profile;
pub mod routes;
pub mod sign_in;

pub use routes::routes;
