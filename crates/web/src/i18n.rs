//! The message catalogs (`locales/<language>/<feature>.toml`, merged per language), language
//! choice, and message lookup with `{placeholder}` substitution.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Locale {
    ZhCn,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code {
            "zh-CN" | "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    /// The best match for an `Accept-Language` header; Chinese when nothing matches,
    /// since most users of Wharf read Chinese first.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let locale = if tag.starts_with("zh") {
                Locale::ZhCn
            } else if tag.starts_with("en") {
                Locale::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Locale::ZhCn)
    }
}

type Catalog = HashMap<String, String>;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// Why the catalogs cannot be used; reported when Wharf starts (see [`check`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("locales/{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("locales/{locale}: \"{key}\" is in both {first} and {second}")]
    Duplicate {
        locale: &'static str,
        key: String,
        first: String,
        second: String,
    },
}

/// One language's catalog from its files (`(file name, TOML)`): a key may live in one
/// file only, so two features cannot silently overwrite each other's text.
fn merge<'a>(
    locale: &'static str,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Catalog, CatalogError> {
    let mut catalog = Catalog::new();
    let mut origin: HashMap<String, &str> = HashMap::new();
    for (file, source) in files {
        let part: Catalog = toml::from_str(source).map_err(|e| CatalogError::Invalid {
            file: format!("{locale}/{file}"),
            message: e.to_string(),
        })?;
        for (key, text) in part {
            if let Some(first) = origin.get(key.as_str()) {
                return Err(CatalogError::Duplicate {
                    locale,
                    key,
                    first: (*first).to_string(),
                    second: file.to_string(),
                });
            }
            origin.insert(key.clone(), file);
            catalog.insert(key, text);
        }
    }
    Ok(catalog)
}

/// The files of one language: `locales/<code>/<feature>.toml`.
fn files(locale: Locale) -> impl Iterator<Item = (&'static str, &'static str)> {
    let prefix = locale.code();
    embedded::CATALOGS.iter().filter_map(move |(path, source)| {
        let file = path.strip_prefix(prefix)?.strip_prefix('/')?;
        Some((file, *source))
    })
}

fn loaded(locale: Locale) -> &'static Result<Catalog, CatalogError> {
    static EN: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
    static ZH: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
    let cell = match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH,
    };
    cell.get_or_init(|| merge(locale.code(), files(locale)))
}

/// Loads both catalogs; Wharf refuses to start when this fails.
pub fn check() -> Result<(), CatalogError> {
    for locale in [Locale::ZhCn, Locale::En] {
        loaded(locale).as_ref().map_err(Clone::clone)?;
    }
    Ok(())
}

fn catalog(locale: Locale) -> &'static Catalog {
    static EMPTY: OnceLock<Catalog> = OnceLock::new();
    // A broken catalog stops the start (`check`); should it still be reached, keys
    // show as themselves rather than a panic.
    loaded(locale)
        .as_ref()
        .unwrap_or_else(|_| EMPTY.get_or_init(Catalog::new))
}

/// The message for `key`; a missing key shows the key itself (and a test prevents it).
pub fn t(locale: Locale, key: &str) -> String {
    catalog(locale)
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// The message with `{name}` placeholders replaced.
pub fn t_with(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(locale, key);
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// The message for `key` about `n` things, with `{n}` replaced: `key.one` for one and
/// `key.other` otherwise when the catalog has the pair (English "1 row" / "2 rows";
/// Chinese has one form, written twice), else `key` itself. The one place plurals live.
pub fn t_n(locale: Locale, key: &str, n: i64) -> String {
    let form = if n == 1 { "one" } else { "other" };
    let plural = format!("{key}.{form}");
    let key = if has_key(locale, &plural) {
        plural.as_str()
    } else {
        key
    };
    t_with(locale, key, &[("n", &n.to_string())])
}

/// A person's name as the reader sees it: the built-in administrator's seeded name in
/// the reader's language ("Administrator", "系统管理员"), anyone else's as it is.
pub fn person(locale: Locale, name: &str) -> String {
    if name == wharf_store::BUILTIN_ADMIN_NAME {
        t(locale, "staff.builtin_admin")
    } else {
        name.to_string()
    }
}

/// Names joined with ", " (a customer's owners), each as [`person`] shows it.
pub fn people(locale: Locale, joined: &str) -> String {
    joined
        .split(", ")
        .map(|n| person(locale, n))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn has_key(locale: Locale, key: &str) -> bool {
    catalog(locale).contains_key(key)
}

pub fn keys(locale: Locale) -> Vec<&'static str> {
    let mut k: Vec<&str> = catalog(locale).keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_load_and_a_key_lives_in_one_file() {
        check().expect("both catalogs load");
        let err = merge(
            "en",
            [
                ("common.toml", "\"a\" = \"A\"\n\"b\" = \"B\""),
                ("mail.toml", "\"c\" = \"C\"\n\"b\" = \"B again\""),
            ],
        )
        .expect_err("a duplicate key is refused");
        assert_eq!(
            err.to_string(),
            "locales/en: \"b\" is in both common.toml and mail.toml"
        );
        assert!(matches!(
            merge("en", [("bad.toml", "\"a\" = ")]),
            Err(CatalogError::Invalid { .. })
        ));
        // Every language has the same files, so a feature's text is in both or neither.
        let names = |l| files(l).map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(names(Locale::En), names(Locale::ZhCn));
        assert!(names(Locale::En).len() > 1);
    }

    #[test]
    fn both_catalogs_have_the_same_keys() {
        assert_eq!(keys(Locale::En), keys(Locale::ZhCn));
    }

    /// The literal keys of `t("…")`, `t_with(…, "…")` and `i18n::t(locale, "…")` calls in
    /// one file (templates call `t('…')` too).
    fn keys_used(source: &str) -> Vec<String> {
        let bytes = source.as_bytes();
        let mut found = Vec::new();
        for call in ["t(", "t_with(", "tn(", "t_n("] {
            let mut from = 0;
            while let Some(at) = source[from..].find(call) {
                let start = from + at;
                from = start + call.len();
                let before = start.checked_sub(1).map(|i| bytes[i]);
                if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    continue;
                }
                let mut rest = source[from..].trim_start();
                if !rest.starts_with(['"', '\'']) {
                    // The key may be the second argument: skip the first one.
                    let mut depth = 0;
                    let Some(comma) = rest.char_indices().find_map(|(i, c)| {
                        match c {
                            '(' | '[' => depth += 1,
                            ')' | ']' if depth == 0 => return Some(None),
                            ')' | ']' => depth -= 1,
                            ',' if depth == 0 => return Some(Some(i)),
                            _ => {}
                        }
                        None
                    }) else {
                        continue;
                    };
                    let Some(comma) = comma else { continue };
                    rest = rest[comma + 1..].trim_start();
                }
                let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                    continue;
                };
                let Some(end) = rest[1..].find(quote) else {
                    continue;
                };
                // `t("nav." ~ item.key)` builds its key: not a literal one.
                let after = rest[1 + end + 1..].trim_start();
                if after.starts_with([')', ',']) {
                    found.push(rest[1..1 + end].to_string());
                }
            }
        }
        found
    }

    fn sources(dir: &std::path::Path, ext: &str, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("readable folder") {
            let path = entry.expect("readable folder").path();
            if path.is_dir() {
                sources(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                let text = std::fs::read_to_string(&path).expect("readable file");
                out.push((path.display().to_string(), text));
            }
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_is_in_both_catalogs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        sources(&root.join("templates"), "html", &mut files);
        sources(&root.join("src"), "rs", &mut files);
        let mut missing = Vec::new();
        let mut seen = 0;
        for (file, text) in &files {
            for key in keys_used(text) {
                seen += 1;
                for locale in [Locale::ZhCn, Locale::En] {
                    // This file's own test keys are made up on purpose.
                    // A plural's key names its forms (`key.one`, `key.other`).
                    let known = has_key(locale, &key) || has_key(locale, &format!("{key}.other"));
                    if !known && !file.ends_with("i18n.rs") {
                        missing.push(format!("{file}: {key} ({})", locale.code()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the catalogs:\n{}",
            missing.join("\n")
        );
        assert!(seen > 500, "the scan finds the keys ({seen})");
        assert_eq!(
            keys_used(
                "req.t(\"a.b\") t_with(req.locale, \"c\", &[]) {{ t('d') }} text(\"x\") t(\"nav.\" ~ k) i18n::t(l, \"e\") req.t(&format!(\"f{x}\", y))"
            ),
            ["a.b", "d", "e", "c"]
        );
    }

    #[test]
    fn negotiation() {
        assert_eq!(Locale::negotiate("en-US,en;q=0.9"), Locale::En);
        assert_eq!(Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("fr-FR, en;q=0.5"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::ZhCn);
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            t_with(
                Locale::En,
                "custom_field.edit_title.other",
                &[("n", "3"), ("label", "L")]
            ),
            "L (filled in for 3 customers; deleting the field deletes those values)"
        );
    }

    #[test]
    fn plurals_in_english_one_form_in_chinese() {
        assert_eq!(t_n(Locale::En, "import.rows", 1), "1 row");
        assert_eq!(t_n(Locale::En, "import.rows", 2), "2 rows");
        assert_eq!(t_n(Locale::En, "import.rows", 0), "0 rows");
        assert_eq!(t_n(Locale::ZhCn, "import.rows", 1), "共 1 行");
        assert_eq!(
            t_n(Locale::En, "error.role_in_use", 1),
            "Refused: 1 staff member holds this role."
        );
        // A key without forms is used as it is.
        assert!(t_n(Locale::En, "error.export_too_large", 5).contains("5 messages"));
    }
}
