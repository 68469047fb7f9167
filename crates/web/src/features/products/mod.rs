//! The product catalog (PIPE-7): list with search and filters, the form, the product
//! page with its price tiers, pictures and documents, xlsx import and export, the
//! JSON API and the picker that opportunity and quote lines call.

mod api;
mod export;
mod files;
mod form;
mod import;
mod list;
mod pick;
mod routes;
mod show;
mod views;

pub use routes::routes;

#[cfg(test)]
pub(crate) mod tests {
    /// Every product page with its typed data (called from `features::samples`).
    pub(crate) fn the_pages_render() {
        super::list::tests::renders();
        super::form::tests::renders();
        super::show::tests::renders();
        super::import::tests::renders();
    }

    #[test]
    fn every_column_header_imports_as_its_column_in_both_languages() {
        use wharf_core::products::import::{COLUMNS, map_header};
        for locale in [crate::i18n::Locale::En, crate::i18n::Locale::ZhCn] {
            let header: Vec<String> = COLUMNS
                .iter()
                .map(|c| crate::i18n::t(locale, &format!("products.col.{}", c.key)))
                .collect();
            let keys: Vec<Option<&str>> = COLUMNS.iter().map(|c| Some(c.key)).collect();
            assert_eq!(map_header(&header), keys, "{locale:?}");
        }
    }
}
