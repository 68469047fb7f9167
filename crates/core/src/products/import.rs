//! The product spreadsheet: its columns (with the header names an import recognises in
//! English and Chinese), a row read into a [`ProductInput`], and a product written back
//! as a row — so an export imports again unchanged.

use super::input::ProductInput;
use super::tiers::parse_tiers_text;

/// One column: its key (also the catalog key `field.<key>`), and the header names an
/// import recognises besides the key, lower-cased.
pub struct Column {
    pub key: &'static str,
    pub aliases: &'static [&'static str],
}

/// The columns of the template and the export, in order.
pub const COLUMNS: [Column; 12] = [
    Column {
        key: "model",
        aliases: &["model", "型号", "产品型号", "sku", "item no", "item no."],
    },
    Column {
        key: "name_en",
        aliases: &["name", "english name", "product name", "英文名称", "英文名"],
    },
    Column {
        key: "name_zh",
        aliases: &["chinese name", "中文名称", "中文名", "产品名称", "名称"],
    },
    Column {
        key: "type",
        aliases: &["type", "category", "产品类型", "类型", "类别"],
    },
    Column {
        key: "spec",
        aliases: &["spec", "specification", "规格"],
    },
    Column {
        key: "unit",
        aliases: &["unit", "单位"],
    },
    Column {
        key: "hs_code",
        aliases: &["hs code", "hs", "海关编码", "hs编码"],
    },
    Column {
        key: "moq",
        aliases: &["moq", "minimum order", "最小起订量", "起订量"],
    },
    Column {
        key: "lead_time_days",
        aliases: &[
            "lead time",
            "lead time (days)",
            "交期",
            "交期（天）",
            "交期(天)",
        ],
    },
    Column {
        key: "prices",
        aliases: &["prices", "price", "价格", "价格阶梯"],
    },
    Column {
        key: "description",
        aliases: &["description", "描述", "产品描述", "说明"],
    },
    Column {
        key: "active",
        aliases: &["active", "status", "状态", "在售"],
    },
];

/// Which column each header cell is (`None` for one not recognised, left out).
pub fn map_header(header: &[String]) -> Vec<Option<&'static str>> {
    header
        .iter()
        .map(|h| {
            let h = h.trim().to_lowercase();
            COLUMNS
                .iter()
                .find(|c| c.key == h || c.aliases.contains(&h.as_str()))
                .map(|c| c.key)
        })
        .collect()
}

/// A row as typed in the sheet; `type_name` is looked up by the caller (the dictionary).
pub struct ImportRow {
    pub input: ProductInput,
    pub type_name: String,
    /// The prices cell could not be read (`invalid_tiers`).
    pub bad_prices: bool,
    /// The active cell was not yes / no.
    pub bad_active: bool,
}

fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "1" | "yes" | "y" | "true" | "active" | "是" | "在售" | "启用" => Some(true),
        "0" | "no" | "n" | "false" | "archived" | "否" | "停售" | "归档" => Some(false),
        _ => None,
    }
}

/// Reads one data row by the mapped header.
pub fn read_row(columns: &[Option<&'static str>], row: &[String]) -> ImportRow {
    let mut input = ProductInput {
        active: true,
        ..Default::default()
    };
    let mut type_name = String::new();
    let (mut bad_prices, mut bad_active) = (false, false);
    for (key, cell) in columns.iter().zip(row) {
        let Some(key) = key else { continue };
        let v = cell.clone();
        match *key {
            "model" => input.model = v,
            "name_en" => input.name_en = v,
            "name_zh" => input.name_zh = v,
            "type" => type_name = v,
            "spec" => input.spec = v,
            "unit" => input.unit = v,
            "hs_code" => input.hs_code = v,
            "moq" => input.moq = v,
            "lead_time_days" => input.lead_time_days = v,
            "description" => input.description = v,
            "prices" => match parse_tiers_text(&v) {
                Ok(t) => input.tiers = t,
                Err(_) => bad_prices = true,
            },
            "active" => match yes_no(&v) {
                Some(a) => input.active = a,
                None => bad_active = true,
            },
            _ => {}
        }
    }
    ImportRow {
        input,
        type_name,
        bad_prices,
        bad_active,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn english_and_chinese_headers_are_recognised() {
        let cols = map_header(&cells(&[
            "型号",
            "Name",
            "中文名称",
            "价格",
            "Lead time (days)",
            "Colour",
        ]));
        assert_eq!(
            cols,
            [
                Some("model"),
                Some("name_en"),
                Some("name_zh"),
                Some("prices"),
                Some("lead_time_days"),
                None
            ]
        );
    }

    #[test]
    fn a_row_becomes_a_product_input() {
        let cols = map_header(&cells(&["model", "name_en", "type", "prices", "active"]));
        let r = read_row(
            &cols,
            &cells(&["BV-200", "Ball valve", "Valves", "USD 1=12.5, 100=11", "否"]),
        );
        assert_eq!(r.input.model, "BV-200");
        assert_eq!(r.type_name, "Valves");
        assert_eq!(r.input.tiers.len(), 2);
        assert!(!r.input.active);
        assert!(!r.bad_prices && !r.bad_active);
        let bad = read_row(&cols, &cells(&["X", "Y", "", "nonsense", "maybe"]));
        assert!(bad.bad_prices && bad.bad_active);
    }

    #[test]
    fn every_column_key_is_its_own_alias_free_of_clashes() {
        let mut seen = std::collections::HashSet::new();
        for c in &COLUMNS {
            for a in c
                .aliases
                .iter()
                .chain([&c.key])
                .filter(|a| **a != c.key || !c.aliases.contains(&c.key))
            {
                assert!(seen.insert(*a), "{a} twice");
                assert_eq!(a.to_lowercase(), *a, "{a}");
            }
        }
    }
}
