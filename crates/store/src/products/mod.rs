//! The product catalog (PIPE-7): products with their price tiers, pictures and
//! documents, the list and the picker. Everyone signed in reads the catalog; holders of
//! `products` change it, audited.

mod files;
mod import;
mod pick;
mod read;
mod write;

pub use files::ProductFile;
pub use pick::Pick;
pub use read::{Product, ProductFilter};
