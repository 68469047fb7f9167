//! Importing customers from a table (SPEC CUST-6): the fields a column can feed (the
//! registry's and the contact's), a first guess of the mapping from the header (English
//! and Chinese names, the registry's aliases), and each row turned
//! into a customer and a contact with row-level errors (missing name, bad e-mail, bad
//! date, unknown base-data value). Rows naming the same company become one customer with
//! several contacts. Pure: rows in, checked rows out.

use std::borrow::Cow;
use std::collections::HashMap;

use super::contact::ContactInput;
use super::fields::{CUSTOMER_FIELDS, CustomerInput};
use super::keys::split_list;
use crate::custom_field::CustomField;
use crate::fields::{FieldDef, FieldValue, Join, Kind, Record};
use crate::validate::is_plausible_email;

/// The contact's fields a column can be mapped to (the customer's come from the
/// registry).
const CONTACT_TARGETS: &[&str] = &[
    "contact_name",
    "contact_gender",
    "contact_title",
    "contact_emails",
    "contact_phones",
    "contact_whatsapp",
    "contact_wechat",
    "contact_skype",
    "contact_qq",
    "contact_linkedin",
    "contact_birthday",
    "contact_notes",
];

/// The fields a column can be mapped to, the customer's then its contact's; several
/// columns may feed one field (their values are joined).
pub fn targets() -> impl Iterator<Item = &'static str> {
    CUSTOMER_FIELDS
        .imported()
        .filter_map(FieldDef::import_target_name)
        .chain(CONTACT_TARGETS.iter().copied())
}

/// Header words that suggest a contact's field (compared lower-case, without spaces, `_`
/// or `-`); the customer's are in the registry.
const CONTACT_GUESSES: &[(&str, &[&str])] = &[
    (
        "contact_name",
        &[
            "firstname",
            "lastname",
            "contact",
            "contactname",
            "fullname",
            "联系人",
            "姓名",
        ],
    ),
    ("contact_gender", &["gender", "sex", "性别"]),
    (
        "contact_title",
        &["title", "jobtitle", "position", "职位", "职务"],
    ),
    (
        "contact_emails",
        &[
            "email",
            "emailwork",
            "emailhome",
            "emailother",
            "mail",
            "e-mail",
            "邮箱",
            "电子邮件",
            "邮件",
        ],
    ),
    (
        "contact_phones",
        &[
            "mobile",
            "cell",
            "phonework",
            "phonehome",
            "phoneother",
            "手机",
            "联系电话",
        ],
    ),
    ("contact_whatsapp", &["whatsapp"]),
    ("contact_wechat", &["wechat", "微信"]),
    ("contact_skype", &["skype"]),
    ("contact_qq", &["qq"]),
    ("contact_linkedin", &["linkedin", "linkedinurl"]),
    ("contact_birthday", &["birthday", "birthdate", "生日"]),
    (
        "contact_notes",
        &["notes", "note", "background", "remark", "remarks", "备注"],
    ),
];

/// A first mapping for a header: the field each column feeds, or "" to ignore it. A
/// column named like a custom field's label feeds that field.
pub fn guess_mapping(header: &[String], custom: &[CustomField]) -> Vec<String> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | '/' | '(' | ')'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    header
        .iter()
        .map(|h| {
            let key = squash(h);
            if let Some(f) = custom.iter().find(|f| squash(&f.label) == key) {
                return f.key();
            }
            let key = key.as_str();
            CUSTOMER_FIELDS
                .imported()
                .find(|f| {
                    f.import
                        .is_some_and(|i| i.aliases.en.contains(&key) || i.aliases.zh.contains(&key))
                })
                .and_then(FieldDef::import_target_name)
                .or_else(|| {
                    CONTACT_GUESSES
                        .iter()
                        .find(|(_, words)| words.contains(&key))
                        .map(|(t, _)| *t)
                })
                .map(str::to_string)
                .unwrap_or_default()
        })
        .collect()
}

/// Base-data items by every name they go by (Chinese, English, code; lower case) for
/// one kind: `type`, `status`, `source`, `industry`, `country`.
pub type Lookup = HashMap<&'static str, HashMap<String, i64>>;

/// One row checked: what it would create, and what is wrong with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckedRow {
    /// The row's number in the file (1 = the first data row).
    pub line: usize,
    pub customer: CustomerInput,
    pub contact: Option<ContactInput>,
    /// (field, error code); the field is a mapping target (`cf<id>` for a custom field).
    pub errors: Vec<(Cow<'static, str>, &'static str)>,
}

/// The row's value for a field from its columns, joined as the field says
/// ([`Join`]): lists (e-mails, phones, tags) with commas, texts made of parts (a
/// contact's first and last name, an address) with spaces; otherwise the first
/// non-empty column wins.
pub fn value_of(row: &[String], mapping: &[String], target: &str) -> String {
    let values: Vec<&str> = mapping
        .iter()
        .enumerate()
        .filter(|(_, t)| t.as_str() == target)
        .filter_map(|(i, _)| row.get(i).map(|v| v.trim()))
        .filter(|v| !v.is_empty())
        .collect();
    let join = match target {
        "contact_emails" | "contact_phones" => Join::List,
        "contact_name" | "contact_notes" => Join::Words,
        _ => CUSTOMER_FIELDS
            .by_import_target(target)
            .and_then(|f| f.import)
            .map_or(Join::First, |i| i.join),
    };
    match join {
        Join::List => values.join(", "),
        Join::Words => values.join(" "),
        Join::First => values.first().map(|v| v.to_string()).unwrap_or_default(),
    }
}

/// Checks one row under a mapping. `fixes` are the user's corrections (field → value)
/// which replace the file's values.
pub fn check_row(
    line: usize,
    row: &[String],
    mapping: &[String],
    fixes: Option<&HashMap<String, String>>,
    lookup: &Lookup,
    custom: &[CustomField],
) -> CheckedRow {
    let get = |target: &str| -> String {
        fixes
            .and_then(|f| f.get(target))
            .cloned()
            .unwrap_or_else(|| value_of(row, mapping, target))
    };
    let mut errors: Vec<(Cow<'static, str>, &'static str)> = Vec::new();
    let mut customer = CustomerInput::default();
    for f in CUSTOMER_FIELDS.imported() {
        let Some(target) = f.import_target_name() else {
            continue;
        };
        let raw = get(target);
        let raw = raw.trim();
        let value = match f.kind {
            Kind::DictRef(_) if raw.is_empty() => FieldValue::OptInt(None),
            Kind::DictRef(_) => {
                let found = lookup
                    .get(target)
                    .and_then(|m| m.get(&raw.to_lowercase()))
                    .copied();
                if found.is_none() {
                    errors.push((Cow::Borrowed(target), "unknown_item"));
                }
                FieldValue::OptInt(found)
            }
            Kind::Date => {
                let day = crate::zone::normal_date(raw);
                if !raw.is_empty() && day.is_none() {
                    errors.push((Cow::Borrowed(target), "invalid_date"));
                }
                FieldValue::OptInt(day.as_deref().and_then(day_seconds))
            }
            Kind::Number { .. } | Kind::Rating { .. } => match crate::custom_field::number(raw) {
                _ if raw.is_empty() => FieldValue::Int(0),
                Some(n) => FieldValue::Int(n.parse::<f64>().map_or(0, |n| n.round() as i64)),
                None => {
                    errors.push((Cow::Borrowed(target), "not_a_number"));
                    FieldValue::Int(0)
                }
            },
            Kind::Flag => FieldValue::Flag(matches!(
                raw.to_lowercase().as_str(),
                "1" | "y" | "yes" | "true" | "是" | "✓"
            )),
            _ => FieldValue::Text(raw.to_string()),
        };
        customer.set(f.key, value);
    }
    if split_list(&get("contact_emails")).any(|e| !is_plausible_email(e)) {
        errors.push((Cow::Borrowed("contact_emails"), "invalid_email"));
    }
    let birthday = get("contact_birthday");
    let birthday_day = crate::zone::normal_date(&birthday);
    if !birthday.is_empty() && birthday_day.is_none() {
        errors.push((Cow::Borrowed("contact_birthday"), "invalid_date"));
    }
    let gender = match get("contact_gender").to_lowercase().as_str() {
        "f" | "female" | "woman" | "女" | "女士" => "female",
        "m" | "male" | "man" | "男" | "先生" => "male",
        _ => "",
    };
    // Custom fields: each normalised; a required one must be there (rows are new
    // customers).
    for f in custom {
        match f.normalize(&get(&f.key())) {
            Ok(v) if v.is_empty() && f.required => errors.push((Cow::Owned(f.key()), "required")),
            Ok(v) if v.is_empty() => {}
            Ok(v) => customer.custom.push((f.id, v)),
            Err(code) => errors.push((Cow::Owned(f.key()), code)),
        }
    }
    let contact_name = get("contact_name");
    let contact = (!contact_name.is_empty()).then(|| ContactInput {
        name: contact_name,
        gender: gender.to_string(),
        title: get("contact_title"),
        emails: get("contact_emails"),
        phones: get("contact_phones"),
        whatsapp: get("contact_whatsapp"),
        wechat: get("contact_wechat"),
        skype: get("contact_skype"),
        qq: get("contact_qq"),
        linkedin: get("contact_linkedin"),
        birthday: birthday_day.unwrap_or_default(),
        notes: get("contact_notes"),
        is_primary: false,
    });
    // The record's own rules (required name, lengths, e-mails, phones, website) on top
    // of the above, each on the target that feeds the field.
    if let Err(crate::DomainError::Invalid(e)) = customer.clone().validate() {
        for f in e.0 {
            let def = CUSTOMER_FIELDS.get(&f.field);
            if def.is_some_and(|d| matches!(d.kind, Kind::DictRef(_))) {
                continue;
            }
            let field = def.and_then(FieldDef::import_target_name).unwrap_or("name");
            if !errors.iter().any(|(t, _)| *t == field) {
                errors.push((Cow::Borrowed(field), f.code));
            }
        }
    }
    if let Some(k) = &contact
        && let Err(crate::DomainError::Invalid(e)) = k.clone().validate()
    {
        for f in e.0 {
            let field = match f.field.as_ref() {
                "name" => "contact_name",
                "emails" => "contact_emails",
                "phones" => "contact_phones",
                "birthday" => "contact_birthday",
                "gender" => "contact_gender",
                "title" => "contact_title",
                _ => "contact_notes",
            };
            if !errors.iter().any(|(t, _)| *t == field) {
                errors.push((Cow::Borrowed(field), f.code));
            }
        }
    }
    CheckedRow {
        line,
        customer,
        contact,
        errors,
    }
}

/// A `YYYY-MM-DD` day's start in UTC, as Unix seconds (the checker moves it into the
/// company's zone).
fn day_seconds(day: &str) -> Option<i64> {
    crate::zone::Day::parse_iso(day).map(|d| crate::zone::Zone::utc().day_start(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn guesses_headers_in_two_languages() {
        let header = row(&[
            "first_name",
            "last_name",
            "company",
            "email_work",
            "phone_work",
            "Title",
            "客户名称",
            "国家",
            "Website",
        ]);
        assert_eq!(
            guess_mapping(&header, &[]),
            row(&[
                "contact_name",
                "contact_name",
                "name",
                "contact_emails",
                "contact_phones",
                "contact_title",
                "name",
                "country",
                "website"
            ])
        );
    }

    #[test]
    fn rows_are_checked() {
        let mapping = row(&[
            "name",
            "contact_name",
            "contact_name",
            "contact_emails",
            "contact_emails",
            "country",
            "next_revisit_at",
            "cf5",
        ]);
        let level = [CustomField {
            id: 5,
            label: "Level".into(),
            kind: "choice".into(),
            choices: vec!["Gold".into(), "Silver".into()],
            required: false,
            position: 0,
        }];
        let mut lookup: Lookup = HashMap::new();
        lookup.insert(
            "country",
            HashMap::from([("germany".to_string(), 7), ("德国".to_string(), 7)]),
        );
        let ok = check_row(
            1,
            &row(&[
                "Acme GmbH",
                "Tom",
                "Baker",
                "tom@acme.de",
                "t@home.de",
                "德国",
                "2026/12/01",
                "gold",
            ]),
            &mapping,
            None,
            &lookup,
            &level,
        );
        assert!(ok.errors.is_empty(), "{:?}", ok.errors);
        assert_eq!(ok.customer.country_id, Some(7));
        let k = ok.contact.unwrap();
        assert_eq!(k.name, "Tom Baker");
        assert_eq!(k.emails, "tom@acme.de, t@home.de");
        assert_eq!(ok.customer.next_revisit_at, Some(1_796_083_200));
        assert_eq!(ok.customer.custom, vec![(5, "Gold".to_string())]);
        let bad = check_row(
            2,
            &row(&[
                "",
                "Ann",
                "",
                "not-mail",
                "",
                "Atlantis",
                "31/02/2026",
                "Bronze",
            ]),
            &mapping,
            None,
            &lookup,
            &level,
        );
        let codes: Vec<(&str, &str)> = bad.errors.iter().map(|(f, c)| (f.as_ref(), *c)).collect();
        for e in [
            ("cf5", "invalid_choice"),
            ("name", "required"),
            ("contact_emails", "invalid_email"),
            ("country", "unknown_item"),
            ("next_revisit_at", "invalid_date"),
        ] {
            assert!(codes.contains(&e), "{e:?} in {codes:?}");
        }
        // A correction in place replaces the file's value.
        let fixes = HashMap::from([
            ("name".to_string(), "Atlantis Trading".to_string()),
            ("country".to_string(), "Germany".to_string()),
            ("contact_emails".to_string(), "ann@atl.example".to_string()),
            ("next_revisit_at".to_string(), "".to_string()),
            ("cf5".to_string(), "SILVER".to_string()),
        ]);
        let fixed = check_row(
            2,
            &row(&["", "Ann", "", "not-mail", "", "Atlantis", "31/02/2026"]),
            &mapping,
            Some(&fixes),
            &lookup,
            &level,
        );
        assert!(fixed.errors.is_empty(), "{:?}", fixed.errors);
        assert_eq!(fixed.customer.name, "Atlantis Trading");
        assert_eq!(fixed.customer.custom, vec![(5, "Silver".to_string())]);
    }
}
