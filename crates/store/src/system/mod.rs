//! The organisation and its base data, kept by system administrators: staff,
//! departments, roles, the data dictionary and announcements. Company settings are
//! [`crate::settings`]; the audit log, which every write uses, is [`crate::audit`].

pub mod announcements;
pub mod departments;
pub mod dict;
pub mod roles;
pub mod staff;
