//! A record type with a registry: the [`Record`] trait (a field's value by key) and the
//! [`crate::record!`] macro that declares the struct and its registry from one list, so
//! that a new field is one line.

use super::def::{FieldDef, Registry};
use super::value::FieldValue;

/// A struct whose standard fields are listed in a [`Registry`].
pub trait Record {
    fn registry() -> &'static Registry;
    /// A standard field's value; `None` for a key not in the registry.
    fn value(&self, key: &str) -> Option<FieldValue>;
    /// Sets a standard field; `false` for an unknown key or a value of another storage.
    fn set(&mut self, key: &str, value: FieldValue) -> bool;

    /// Every standard field with its value, in the registry's order.
    fn values(&self) -> Vec<(&'static FieldDef, FieldValue)> {
        Self::registry()
            .fields
            .iter()
            .filter_map(|f| self.value(f.key).map(|v| (f, v)))
            .collect()
    }
}

/// Declares a record struct and its registry together: each standard field is
/// `name: Type = FieldDef…,` (its key is the field's name, its label
/// `<labels><name>`); `extra { … }` holds fields outside the registry.
///
/// ```
/// wharf_core::record! {
///     #[derive(Debug, Default)]
///     pub struct Product in PRODUCT_FIELDS, labels "product.field." {
///         name: String = wharf_core::fields::FieldDef::text(100).required(),
///     }
///     extra {}
/// }
/// use wharf_core::fields::Record;
/// assert_eq!(Product::registry().fields[0].label, "product.field.name");
/// ```
#[macro_export]
macro_rules! record {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident in $registry:ident, labels $prefix:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $def:expr, )*
        }
        extra { $( $(#[$emeta:meta])* $efield:ident : $ety:ty, )* }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            $( $(#[$emeta])* pub $efield: $ety, )*
        }

        /// The standard fields, in the order forms, pages and exports show them.
        $vis static $registry: $crate::fields::Registry = $crate::fields::Registry {
            fields: &[ $( ($def).named(stringify!($field), concat!($prefix, stringify!($field))), )* ],
        };

        impl $crate::fields::Record for $name {
            fn registry() -> &'static $crate::fields::Registry {
                &$registry
            }

            fn value(&self, key: &str) -> Option<$crate::fields::FieldValue> {
                match key {
                    $( stringify!($field) => Some($crate::fields::FieldType::to_value(&self.$field)), )*
                    _ => None,
                }
            }

            fn set(&mut self, key: &str, value: $crate::fields::FieldValue) -> bool {
                match key {
                    $( stringify!($field) => match <$ty as $crate::fields::FieldType>::from_value(value) {
                        Some(v) => {
                            self.$field = v;
                            true
                        }
                        None => false,
                    }, )*
                    _ => false,
                }
            }
        }
    };
}
