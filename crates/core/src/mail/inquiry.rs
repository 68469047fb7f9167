//! B2B inquiry notifications (SPEC LINK-3): Alibaba.com, Made-in-China.com, Global
//! Sources and website contact forms send the buyer's inquiry as a mail from the
//! platform; this reads the buyer out of it. Parsing is data-driven: each platform layout
//! is a TOML file (`crates/core/inquiry_layouts/`, more can be dropped into the data
//! directory) that says how to recognise the mail, which labels precede which field,
//! and carries fixture mails with the fields expected from them. A layout whose
//! fixtures do not parse as expected is refused.

use serde::Deserialize;

use crate::validate::is_plausible_email;

/// The layouts that come with Wharf.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "alibaba.toml",
        include_str!("../../inquiry_layouts/alibaba.toml"),
    ),
    (
        "made_in_china.toml",
        include_str!("../../inquiry_layouts/made_in_china.toml"),
    ),
    (
        "global_sources.toml",
        include_str!("../../inquiry_layouts/global_sources.toml"),
    ),
    (
        "website_form.toml",
        include_str!("../../inquiry_layouts/website_form.toml"),
    ),
];

/// The fields an inquiry can give.
pub const FIELDS: [&str; 9] = [
    "buyer_name",
    "company",
    "country",
    "email",
    "phone",
    "product",
    "quantity",
    "message",
    "inquiry_id",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    pub id: String,
    /// Shown to the user ("Alibaba.com").
    pub platform: String,
    /// The customer source (base-data code) set on the new customer.
    pub source: String,
    #[serde(rename = "match")]
    pub recognise: Recognise,
    /// For each field, the labels that precede it ("Country:", "国家：").
    pub fields: std::collections::BTreeMap<String, Vec<String>>,
    /// Fields whose value runs over several lines (until the next label).
    #[serde(default)]
    pub multiline: Vec<String>,
    /// Lines at which the inquiry ends (the platform's footer).
    #[serde(default)]
    pub stop_at: Vec<String>,
    #[serde(default, rename = "fixture")]
    pub fixtures: Vec<Fixture>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognise {
    /// The sender's domain ends with one of these.
    #[serde(default)]
    pub from_domains: Vec<String>,
    /// The subject contains one of these (any case); empty: any subject.
    #[serde(default)]
    pub subject_contains: Vec<String>,
    /// Text that identifies the platform in a forwarded notification's body.
    #[serde(default)]
    pub body_markers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    pub from: String,
    pub subject: String,
    pub body: String,
    pub expect: std::collections::BTreeMap<String, String>,
}

/// What an inquiry gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Inquiry {
    pub layout: String,
    pub platform: String,
    pub source: String,
    pub buyer_name: String,
    pub company: String,
    pub country: String,
    pub email: String,
    pub phone: String,
    pub product: String,
    pub quantity: String,
    pub message: String,
    pub inquiry_id: String,
    /// Recognised by the sender; a forwarded notification (found by its body) is only a
    /// suggestion.
    pub confident: bool,
}

impl Inquiry {
    pub fn get(&self, field: &str) -> &str {
        match field {
            "buyer_name" => &self.buyer_name,
            "company" => &self.company,
            "country" => &self.country,
            "email" => &self.email,
            "phone" => &self.phone,
            "product" => &self.product,
            "quantity" => &self.quantity,
            "message" => &self.message,
            "inquiry_id" => &self.inquiry_id,
            _ => "",
        }
    }

    fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "buyer_name" => &mut self.buyer_name,
            "company" => &mut self.company,
            "country" => &mut self.country,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "product" => &mut self.product,
            "quantity" => &mut self.quantity,
            "message" => &mut self.message,
            "inquiry_id" => &mut self.inquiry_id,
            _ => return,
        };
        if slot.is_empty() {
            *slot = value;
        }
    }
}

/// Why a layout file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error("{file}: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: fixture {n}: field {field}: expected {expected:?}, got {got:?}")]
    Fixture {
        file: String,
        n: usize,
        field: String,
        expected: String,
        got: String,
    },
}

/// Reads and checks a layout: known fields only, at least one way to recognise it, and
/// every fixture parsing to its expected fields.
pub fn load(file: &str, text: &str) -> Result<Layout, LayoutError> {
    let unreadable = |reason: String| LayoutError::Unreadable {
        file: file.to_string(),
        reason,
    };
    let layout: Layout = toml::from_str(text).map_err(|e| unreadable(e.to_string()))?;
    if let Some(f) = layout
        .fields
        .keys()
        .chain(layout.multiline.iter())
        .find(|f| !FIELDS.contains(&f.as_str()))
    {
        return Err(unreadable(format!("unknown field {f}")));
    }
    if layout.recognise.from_domains.is_empty() && layout.recognise.body_markers.is_empty() {
        return Err(unreadable("nothing to recognise it by".into()));
    }
    for (n, fx) in layout.fixtures.iter().enumerate() {
        let got = parse_with(
            std::slice::from_ref(&layout),
            &fx.from,
            &fx.subject,
            &fx.body,
        )
        .unwrap_or_default();
        for (field, expected) in &fx.expect {
            let value = got.get(field);
            if value != expected {
                return Err(LayoutError::Fixture {
                    file: file.to_string(),
                    n: n + 1,
                    field: field.clone(),
                    expected: expected.clone(),
                    got: value.to_string(),
                });
            }
        }
    }
    Ok(layout)
}

/// The built-in layouts (checked by the tests, so loading them cannot fail).
pub fn built_in() -> Vec<Layout> {
    BUILT_IN
        .iter()
        .filter_map(|(file, text)| load(file, text).ok())
        .collect()
}

/// The built-in layouts, read once (for code that checks every arriving message).
pub fn built_in_shared() -> &'static [Layout] {
    static LAYOUTS: std::sync::OnceLock<Vec<Layout>> = std::sync::OnceLock::new();
    LAYOUTS.get_or_init(built_in)
}

fn domain_matches(from: &str, domains: &[String]) -> bool {
    let Some(domain) = crate::mail::link::domain_of(from) else {
        return false;
    };
    domains.iter().any(|d| {
        let d = d.to_lowercase();
        domain == d || domain.ends_with(&format!(".{d}"))
    })
}

/// The label a line starts with (any case), and the rest of the line.
fn labelled<'a>(line: &'a str, labels: &[String]) -> Option<&'a str> {
    let lower = line.to_lowercase();
    for label in labels {
        if let Some(rest) = lower.strip_prefix(&label.to_lowercase()) {
            let after = line
                .len()
                .checked_sub(rest.len())
                .and_then(|c| line.get(c..))?;
            return Some(after.trim_start_matches([':', '：', ' ', '\t']).trim());
        }
    }
    None
}

/// The platform a sender writes from (`notice@service.alibaba.com` → Alibaba.com), by
/// the layouts' sender domains: a notification from it whose layout is not recognised
/// must not turn the platform itself into the customer.
pub fn platform_of<'a>(layouts: &'a [Layout], from: &str) -> Option<&'a Layout> {
    layouts.iter().find(|l| {
        !l.recognise.from_domains.is_empty() && domain_matches(from, &l.recognise.from_domains)
    })
}

/// Recognises a notification and reads its fields with the first layout that fits.
pub fn parse_with(layouts: &[Layout], from: &str, subject: &str, body: &str) -> Option<Inquiry> {
    let subject_lower = subject.to_lowercase();
    let body_lower = body.to_lowercase();
    for layout in layouts {
        let r = &layout.recognise;
        let subject_ok = r.subject_contains.is_empty()
            || r.subject_contains
                .iter()
                .any(|s| subject_lower.contains(&s.to_lowercase()));
        // A form layout has no sender domain: its subject and footer identify it.
        let by_sender = if r.from_domains.is_empty() {
            subject_ok
                && !r.subject_contains.is_empty()
                && r.body_markers
                    .iter()
                    .any(|m| body_lower.contains(&m.to_lowercase()))
        } else {
            domain_matches(from, &r.from_domains) && subject_ok
        };
        let by_body = !by_sender
            && r.body_markers
                .iter()
                .any(|m| body_lower.contains(&m.to_lowercase()));
        if !by_sender && !by_body {
            continue;
        }
        let inquiry = read_fields(layout, body, by_sender);
        // A notification is only taken for one if it names a way to reach the buyer.
        if !inquiry.email.is_empty() || !inquiry.buyer_name.is_empty() {
            return Some(inquiry);
        }
    }
    None
}

fn read_fields(layout: &Layout, body: &str, confident: bool) -> Inquiry {
    let mut out = Inquiry {
        layout: layout.id.clone(),
        platform: layout.platform.clone(),
        source: layout.source.clone(),
        confident,
        ..Default::default()
    };
    let all_labels: Vec<String> = layout.fields.values().flatten().cloned().collect();
    let lines: Vec<&str> = body
        .lines()
        .map(|l| l.trim().trim_start_matches('>').trim())
        .collect();
    let stops = |l: &str| {
        let lower = l.to_lowercase();
        layout
            .stop_at
            .iter()
            .any(|s| lower.starts_with(&s.to_lowercase()))
    };
    let end = lines.iter().position(|l| stops(l)).unwrap_or(lines.len());
    let lines = &lines[..end];
    for (field, labels) in &layout.fields {
        let multiline = layout.multiline.contains(field);
        for (i, line) in lines.iter().enumerate() {
            let Some(first) = labelled(line, labels) else {
                continue;
            };
            let mut parts: Vec<&str> = Vec::new();
            if !first.is_empty() {
                parts.push(first);
            }
            // The value on the next line(s): after an empty label, or for long fields.
            if parts.is_empty() || multiline {
                for next in &lines[i + 1..] {
                    if labelled(next, &all_labels).is_some() {
                        break;
                    }
                    if next.is_empty() {
                        if multiline && !parts.is_empty() {
                            parts.push("");
                            continue;
                        }
                        if parts.is_empty() {
                            continue;
                        }
                        break;
                    }
                    parts.push(next);
                    if !multiline {
                        break;
                    }
                }
            }
            let value = parts.join("\n").trim().to_string();
            if !value.is_empty() {
                out.set(field, value);
                break;
            }
        }
    }
    // An address that is not one is dropped rather than kept wrong; "Name <a@b>" keeps
    // the address.
    let email = out
        .email
        .rsplit(['<', ' '])
        .next()
        .unwrap_or("")
        .trim_end_matches('>')
        .trim()
        .to_string();
    out.email = if is_plausible_email(&email) {
        email
    } else {
        String::new()
    };
    // "Name <address>" as a name keeps the name.
    if let Some((name, _)) = out.buyer_name.split_once('<') {
        out.buyer_name = name.trim().trim_matches('"').to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_layouts_pass_their_fixtures() {
        for (file, text) in BUILT_IN {
            let layout = load(file, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(!layout.fixtures.is_empty(), "{file} has fixtures");
        }
        assert_eq!(built_in().len(), BUILT_IN.len());
    }

    #[test]
    fn a_forwarded_notification_is_a_suggestion() {
        let layouts = built_in();
        let body = "Please follow up.\n\n-------- Forwarded Message --------\n> You have received a new inquiry on Alibaba.com.\n> Buyer Name: Jane Doe\n> Email: jane@doe-imports.example\n> Country/Region: Canada\n";
        let i = parse_with(&layouts, "boss@our-valves.example", "Fwd: inquiry", body).unwrap();
        assert_eq!(i.layout, "alibaba");
        assert!(!i.confident);
        assert_eq!(
            (i.buyer_name.as_str(), i.email.as_str(), i.country.as_str()),
            ("Jane Doe", "jane@doe-imports.example", "Canada")
        );
        // A changed layout that yields no buyer is not taken for an inquiry, but its
        // sender is known as the platform's.
        assert_eq!(
            platform_of(&layouts, "notice@service.alibaba.com").map(|l| l.id.as_str()),
            Some("alibaba")
        );
        assert!(platform_of(&layouts, "tom@acme.de").is_none());
        assert_eq!(
            parse_with(
                &layouts,
                "notice@service.alibaba.com",
                "New inquiry",
                "Something new."
            ),
            None
        );
    }

    #[test]
    fn plain_mail_and_bad_layouts() {
        let layouts = built_in();
        assert_eq!(
            parse_with(&layouts, "tom@acme.de", "Price", "Please quote 100 pcs."),
            None
        );
        assert!(matches!(
            load("x.toml", "id = 1"),
            Err(LayoutError::Unreadable { .. })
        ));
        let wrong = r#"
id = "x"
platform = "X"
source = "website"
[match]
from_domains = ["x.example"]
[fields]
email = ["Email:"]
[[fixture]]
from = "no-reply@x.example"
subject = "Inquiry"
body = "Email: a@b.example"
[fixture.expect]
email = "other@b.example"
"#;
        assert!(matches!(
            load("x.toml", wrong),
            Err(LayoutError::Fixture { .. })
        ));
    }
}
