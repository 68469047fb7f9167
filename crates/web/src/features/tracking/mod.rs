//! The tracking screen (PIPE-3): one screen to work a customer list — the customer's
//! card, contacts, one history of records and mail with the add form, sales scripts,
//! products, documents and competitors at hand; the stage, release and deal actions;
//! and Next / Previous through the same list (its filter and order, by keyset).

mod actions;
mod page;
mod routes;
pub(crate) mod views;

pub use routes::routes;

#[cfg(test)]
pub(crate) mod tests {
    /// The tracking screen with its typed data (called from `features::samples`).
    pub(crate) fn the_pages_render() {
        super::views::tests::renders();
    }
}
