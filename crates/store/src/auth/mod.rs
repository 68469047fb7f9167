//! Signing in and staying signed in: password hashing, the login rate limits, browser
//! sessions and personal API tokens. The people themselves are [`crate::system::staff`].

pub mod hashing;
pub mod login_guard;
pub mod sessions;
pub mod tokens;
