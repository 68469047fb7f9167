//! Customers and contacts (SPEC CUST-1..6): the standard fields' registry, the record's
//! rules, the sales stages and kinds of ownership, the normal forms duplicate checks
//! compare, the query builder and the import's mapping and row checks. Pure: values in,
//! checked values out.

pub mod contact;
pub mod fields;
pub mod import;
pub mod keys;
pub mod query;
pub mod sharing;

pub use contact::ContactInput;
pub use fields::{CUSTOMER_FIELDS, CustomerInput};
pub use keys::{email_key, name_key, phone_key, split_list, website_domain};
pub use sharing::{STAGES, Sharing};
