//! The customer's standard fields (SPEC CUST-1): the registry every consumer derives
//! from (validation, the store's binds and history, the query builder, the import, the
//! list's columns, the export, the form and the customer's page). A new standard field
//! is one entry here, a migration per dialect and its label in both catalogs.

use super::keys::name_key;
use crate::DomainError;
use crate::fields::{Column, FieldDef, Join, Kind, QueryKind, validate_fields};
use crate::validate::FieldErrors;

const CHOICE_KIND: Kind = Kind::Choice {
    codes: &["customer", "supplier"],
    label_prefix: "customer.kind.",
};

crate::record! {
    /// A customer as entered (CUST-1). Base-data references are item ids.
    #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
    pub struct CustomerInput in CUSTOMER_FIELDS, labels "field." {
        name: String = FieldDef::text(200)
            .required()
            .aliases(
                &["name", "company", "companyname", "customer", "customername", "organization", "organisation"],
                &["客户名称", "公司名称", "单位名称", "名称", "公司", "客户", "单位"],
            )
            .import_label("import.target.name")
            .column(Column::optional("name").always().sortable())
            .searchable()
            .not_on_page(),
        short_name: String = FieldDef::text(100)
            .aliases(&["shortname", "abbreviation"], &["简称"])
            .import_label("import.target.short_name")
            .searchable(),
        keywords: String = FieldDef::new(Kind::TextList)
            .with_max_len(200)
            .aliases(&["keywords", "keyword"], &["关键字", "关键词"])
            .import_label("import.target.keywords")
            .searchable()
            .indexed(),
        /// `customer` or `supplier`.
        party_kind: String = FieldDef::new(CHOICE_KIND).not_imported().not_queried(),
        stage: String = FieldDef::new(Kind::Stage)
            .not_imported()
            .query(QueryKind::Text)
            .column(Column::optional("stage").shown_by_default().sortable()),
        type_id: Option<i64> = FieldDef::new(Kind::DictRef("customer_type"))
            .import_target("type")
            .aliases(&["type", "customertype"], &["客户类型", "类型"])
            .import_label("import.target.type")
            .column(Column::optional("type")),
        status_id: Option<i64> = FieldDef::new(Kind::DictRef("customer_status"))
            .import_target("status")
            .import_label("import.target.status")
            .column(Column::optional("status")),
        source_id: Option<i64> = FieldDef::new(Kind::DictRef("customer_source"))
            .import_target("source")
            .aliases(&["source", "customersource"], &["客户来源", "来源"])
            .import_label("import.target.source")
            .column(Column::optional("source")),
        industry_id: Option<i64> = FieldDef::new(Kind::DictRef("industry"))
            .import_target("industry")
            .aliases(&["industry", "sector"], &["行业"])
            .import_label("import.target.industry")
            .column(Column::optional("industry")),
        country_id: Option<i64> = FieldDef::new(Kind::DictRef("country"))
            .import_target("country")
            .aliases(&["country", "countryregion", "nation"], &["国家", "国家地区", "国家或地区"])
            .import_label("import.target.country")
            .column(Column::optional("country").shown_by_default()),
        city: String = FieldDef::text(100)
            .aliases(&["city"], &["城市"])
            .import_label("import.target.city")
            .column(Column::optional("city").sortable())
            .searchable()
            .indexed(),
        address: String = FieldDef::text(300)
            .aliases(&["address", "street"], &["地址"])
            .import_label("import.target.address")
            .import_join(Join::Words)
            .no_column()
            .indexed(),
        website: String = FieldDef::new(Kind::Url)
            .aliases(&["website", "web", "url", "site", "homepage"], &["网址", "网站", "主页"])
            .import_label("import.target.website"),
        /// Several numbers, separated by commas, semicolons or new lines.
        phones: String = FieldDef::new(Kind::PhoneList)
            .with_max_len(300)
            .aliases(&["phone", "phonenumber", "telephone", "tel", "companyphone"], &["电话", "公司电话"])
            .import_label("import.target.phones"),
        fax: String = FieldDef::text(60)
            .aliases(&["fax"], &["传真"])
            .import_label("import.target.fax")
            .not_queried()
            .no_column(),
        email: String = FieldDef::new(Kind::EmailList)
            .with_max_len(300)
            .aliases(&["companyemail"], &["公司邮箱"])
            .import_label("import.target.email"),
        main_products: String = FieldDef::long_text(1000)
            .aliases(&["products", "mainproducts"], &["主营产品", "产品"])
            .import_label("import.target.main_products")
            .indexed(),
        profile: String = FieldDef::long_text(10_000)
            .aliases(&["description", "profile", "about"], &["简介", "公司简介"])
            .import_label("import.target.profile")
            .no_column()
            .indexed()
            .not_exported(),
        scale: String = FieldDef::text(100)
            .aliases(&["size", "scale", "employees"], &["规模"])
            .import_label("import.target.scale"),
        /// 0 (none) to 5 stars.
        rating: i64 = FieldDef::new(Kind::Rating { max: 5 }).not_imported(),
        /// Unix seconds (the day's start in the company's time zone).
        next_revisit_at: Option<i64> = FieldDef::new(Kind::Date)
            .aliases(&["nextrevisit", "revisit"], &["下次回访", "回访日期"])
            .import_label("import.target.next_revisit_at")
            .column(Column::optional("revisit").shown_by_default().sortable()),
        tags: String = FieldDef::new(Kind::TextList)
            .with_max_len(500)
            .aliases(&["tags", "tag"], &["标签"])
            .import_label("import.target.tags")
            .searchable()
            .indexed(),
        follow: bool = FieldDef::new(Kind::Flag)
            .not_imported()
            .not_queried()
            .no_column()
            .not_exported()
            .not_on_page(),
    }
    extra {
        /// Admin-defined fields as (field id, value), checked by the store against the
        /// definitions ([`crate::custom_field::check_values`]). In JSON, an object by
        /// field key: `{"cf3": "Gold"}`.
        #[serde(serialize_with = "custom_as_object", rename = "custom_fields")]
        custom: Vec<(i64, String)>,
    }
}

fn custom_as_object<S: serde::Serializer>(
    values: &[(i64, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(values.len()))?;
    for (id, value) in values {
        map.serialize_entry(&format!("cf{id}"), value)?;
    }
    map.end()
}

impl CustomerInput {
    /// The registry's checks of every field, then the customer's own: a name must have
    /// letters or digits to compare duplicates by.
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        validate_fields(&mut self, &mut e);
        if !self.name.is_empty() && name_key(&self.name).is_empty() {
            e.add("name", "invalid_name");
        }
        e.into_result()?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::Sharing;

    #[test]
    fn customer_rules() {
        let ok = CustomerInput {
            name: "  Acme Valves Ltd ".into(),
            website: "www.acme.com".into(),
            phones: "+1 555 0100 200, 0574-8765-4321".into(),
            email: "sales@acme.com".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.name, "Acme Valves Ltd");
        assert_eq!(ok.stage, "reserve");
        assert_eq!(ok.party_kind, "customer");
        let bad = CustomerInput {
            name: "".into(),
            // Any key of a pipeline's stage passes here (the store checks it is one).
            stage: "s".repeat(61),
            website: "nonsense".into(),
            phones: "12".into(),
            email: "x@".into(),
            rating: 9,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let DomainError::Invalid(e) = bad else {
            panic!("invalid")
        };
        for (f, c) in [
            ("name", "required"),
            ("stage", "too_long"),
            ("website", "invalid_website"),
            ("phones", "invalid_phone"),
            ("email", "invalid_email"),
            ("rating", "out_of_range"),
        ] {
            assert_eq!(e.get(f), Some(c), "{f}");
        }
        assert_eq!(Sharing::for_owners(0), Sharing::Shared);
        assert_eq!(Sharing::for_owners(2), Sharing::Collaborative);
    }
}

/// The registry's promise: every entry is a whole field — its type fits its kind, and
/// each consumer it opts into sees it.
#[cfg(test)]
mod registry_tests {
    use super::*;
    use crate::customers::{import, query};
    use crate::fields::{FieldValue, Record, Storage};

    #[test]
    fn types_fit_kinds_and_values_round_trip() {
        let mut c = CustomerInput::default();
        let values = c.values();
        assert_eq!(values.len(), CUSTOMER_FIELDS.fields.len());
        for (def, value) in values {
            assert_eq!(value.storage(), def.kind.storage(), "{}", def.key);
            let other = match value {
                FieldValue::Text(_) => FieldValue::Text("x".into()),
                FieldValue::Int(_) => FieldValue::Int(3),
                FieldValue::OptInt(_) => FieldValue::OptInt(Some(3)),
                FieldValue::Flag(_) => FieldValue::Flag(true),
            };
            assert!(c.set(def.key, other.clone()), "{}", def.key);
            assert_eq!(c.value(def.key), Some(other), "{}", def.key);
            let wrong = if def.kind.storage() == Storage::OptInt {
                FieldValue::Flag(true)
            } else {
                FieldValue::OptInt(None)
            };
            assert!(!c.set(def.key, wrong), "{} takes another storage", def.key);
            assert_eq!(def.label, format!("field.{}", def.key));
            if def.indexed || def.searchable {
                assert_eq!(def.kind.storage(), Storage::Text, "{}", def.key);
            }
        }
        assert!(!c.set("nope", FieldValue::Text("x".into())));
        assert_eq!(c.value("nope"), None);
    }

    #[test]
    fn names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for f in CUSTOMER_FIELDS.fields {
            assert!(seen.insert(("key", f.key)), "{}", f.key);
            if let Some(t) = f.import_target_name() {
                assert!(seen.insert(("target", t)), "{t}");
            }
            if let Some(c) = f.column_code() {
                assert!(seen.insert(("column", c)), "{c}");
            }
            for a in f
                .import
                .iter()
                .flat_map(|i| i.aliases.en.iter().chain(i.aliases.zh))
            {
                assert!(seen.insert(("alias", a)), "alias {a} twice");
            }
        }
    }

    #[test]
    fn each_consumer_sees_its_fields() {
        let query: Vec<&str> = query::fields().map(|(f, _)| f).collect();
        let targets: Vec<&str> = import::targets().collect();
        for f in CUSTOMER_FIELDS.fields {
            assert_eq!(f.query.is_some(), query.contains(&f.key), "{}", f.key);
            if let Some(t) = f.import_target_name() {
                assert!(targets.contains(&t), "{t}");
                let words = f
                    .import
                    .iter()
                    .flat_map(|i| i.aliases.en.iter().chain(i.aliases.zh));
                for word in words {
                    let header = [word.to_string()];
                    assert_eq!(import::guess_mapping(&header, &[]), [t], "{word}");
                }
            }
        }
        // A plain field added with defaults is in every list.
        let plain = FieldDef::text(100);
        assert!(plain.import.is_some() && plain.query.is_some() && plain.column.is_some());
        assert!(plain.export && plain.in_form && plain.on_page);
    }
}
