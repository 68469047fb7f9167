//! A customer and a contact as the store returns them.

use std::ops::Deref;

use wharf_core::customers::CustomerInput;

/// One customer's record: its fields as entered (the registry's and the custom ones)
/// and what the store keeps about it. Reads as its fields (`c.name`) through `Deref`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Customer {
    pub id: i64,
    #[serde(flatten)]
    pub fields: CustomerInput,
    pub sharing: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// (user id, name), by name.
    pub owners: Vec<(i64, String)>,
}

impl Deref for Customer {
    type Target = CustomerInput;

    fn deref(&self) -> &CustomerInput {
        &self.fields
    }
}

impl Customer {
    /// The record's fields as an input (to edit it, or to compare for the history).
    pub fn to_input(&self) -> CustomerInput {
        self.fields.clone()
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Contact {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub gender: String,
    pub title: String,
    pub emails: String,
    pub phones: String,
    pub whatsapp: String,
    pub wechat: String,
    pub skype: String,
    pub qq: String,
    pub linkedin: String,
    pub birthday: String,
    pub notes: String,
    pub is_primary: bool,
}

/// A customer with what its page shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub contacts: Vec<Contact>,
    /// The actor may edit, delete and transfer it.
    pub may_edit: bool,
}
