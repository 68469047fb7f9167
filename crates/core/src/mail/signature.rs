//! Reading a sender's signature block (SPEC LINK-2): the last lines of a mail's own
//! text, before any quoted part, searched for a company name, phones, a website and an
//! address, so that the quick entry comes prefilled. Nothing here is certain: every
//! value is a suggestion the user sees before saving.

/// What a signature gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    pub company: String,
    pub title: String,
    pub phone: String,
    pub mobile: String,
    pub website: String,
    pub address: String,
}

/// How many lines at the end of the own text are read.
const TAIL: usize = 15;

/// Lines that start the quoted part of a reply or forward.
fn starts_quote(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    l.starts_with('>')
        || l.starts_with("-----original message")
        || l.starts_with("-----邮件原件")
        || l.starts_with("---------- forwarded message")
        || l.starts_with("------------------ original")
        || l.starts_with("------------------ 原始邮件")
        || (l.starts_with("on ") && l.ends_with("wrote:"))
        || (l.starts_with("from:") && l.contains('@'))
        || l.starts_with("发件人:")
        || l.starts_with("发件人：")
}

/// Words that end a company name.
const COMPANY_WORDS: &[&str] = &[
    "co., ltd",
    "co.,ltd",
    "co. ltd",
    "ltd",
    "limited",
    "gmbh",
    "inc",
    "llc",
    "corp",
    "corporation",
    "company",
    "s.a.",
    "s.r.l",
    "srl",
    "s.l.",
    "b.v.",
    "pty",
    "plc",
    "ag",
    "oy",
    "ab",
    "fze",
    "fzco",
    "llp",
    "sdn bhd",
    "pte",
    "jsc",
    "sarl",
    "s.p.a",
    "spa",
    "kg",
    "trading",
    "industries",
    "industrial",
    "group",
    "enterprise",
    "有限公司",
    "公司",
    "集团",
    "厂",
];

/// The value after a label such as "Tel:" or "电话：", if the line starts with one of them.
fn after_label<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    let lower = line.to_lowercase();
    for label in labels {
        if let Some(rest) = lower.strip_prefix(label) {
            // "Add:" is a label, "Additionally" is not.
            let separated = label.ends_with(':')
                || rest.starts_with([':', '：', ' ', '.', '\t'])
                || !label.is_ascii();
            if !separated {
                continue;
            }
            // Lower-casing may change byte lengths: never cut inside a character.
            let Some(after) = line
                .len()
                .checked_sub(rest.len())
                .and_then(|cut| line.get(cut..))
            else {
                continue;
            };
            let value = after.trim_start_matches([':', '：', '.', ' ', '\t']).trim();
            if !value.is_empty() {
                return Some(value);
            }
        }
    }
    None
}

fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && s.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')' | '.' | '/' | 'x' | 'X')
        })
}

fn website_in(line: &str) -> Option<String> {
    line.split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | ',' | ';')))
        .find(|w| {
            let l = w.to_lowercase();
            (l.starts_with("www.") || l.starts_with("http://") || l.starts_with("https://"))
                && l.len() > 6
        })
        .map(str::to_string)
}

/// Reads the signature of a plain-text body.
pub fn parse(body: &str) -> Signature {
    let own: Vec<&str> = body
        .lines()
        .take_while(|l| !starts_quote(l))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tail = &own[own.len().saturating_sub(TAIL)..];
    let mut s = Signature::default();
    for line in tail {
        let lower = line.to_lowercase();
        if let Some(v) = after_label(
            line,
            &[
                "mobile",
                "mob",
                "cell",
                "m:",
                "手机",
                "whatsapp",
                "wechat/whatsapp",
            ],
        ) && looks_like_phone(v)
        {
            if s.mobile.is_empty() {
                s.mobile = v.to_string();
            }
            continue;
        }
        if let Some(v) = after_label(
            line,
            &["tel", "phone", "t:", "telephone", "电话", "座机", "office"],
        ) && looks_like_phone(v)
        {
            if s.phone.is_empty() {
                s.phone = v.to_string();
            }
            continue;
        }
        if let Some(v) = after_label(line, &["address", "add", "addr", "地址"]) {
            if s.address.is_empty() {
                s.address = v.to_string();
            }
            continue;
        }
        if let Some(w) = website_in(line) {
            if s.website.is_empty() {
                s.website = w;
            }
            continue;
        }
        if lower.contains('@') {
            continue;
        }
        // Whole words ("AG", not "Punjab"); Chinese words anywhere.
        let padded = format!(" {} ", lower.replace([',', '(', ')', '|', ';'], " "));
        let company_like = COMPANY_WORDS.iter().any(|w| {
            if !w.is_ascii() {
                return lower.contains(w);
            }
            let w = w.trim_end_matches('.');
            padded.contains(&format!(" {w} ")) || padded.contains(&format!(" {w}. "))
        });
        if company_like && s.company.is_empty() && line.chars().count() <= 120 {
            s.company = line
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            continue;
        }
        if s.title.is_empty()
            && [
                "manager", "director", "sales", "purchas", "buyer", "ceo", "owner", "经理", "总监",
                "采购",
            ]
            .iter()
            .any(|w| lower.contains(w))
            && line.chars().count() <= 60
        {
            s.title = line.to_string();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn western_signature() {
        let body = "Dear Sir,\n\nPlease quote 500 pcs of DN50 valves.\n\nBest regards,\nJens Vogel\nPurchasing Manager\nHamburg Pumps GmbH\nAdd: Hafenstrasse 12, 20457 Hamburg, Germany\nTel: +49 40 1234567\nMobile: +49 171 9876543\nwww.hamburg-pumps.de\n\n> On Monday you wrote:\n> Tel: +86 574 0000000\n";
        let s = parse(body);
        assert_eq!(s.company, "Hamburg Pumps GmbH");
        assert_eq!(s.title, "Purchasing Manager");
        assert_eq!(s.phone, "+49 40 1234567");
        assert_eq!(s.mobile, "+49 171 9876543");
        assert_eq!(s.website, "www.hamburg-pumps.de");
        assert_eq!(s.address, "Hafenstrasse 12, 20457 Hamburg, Germany");
    }

    #[test]
    fn compact_signature_with_one_letter_labels() {
        let body = "Hi,\nconfirmed.\n\nRgds\nAhmed Ali | Procurement Manager\nGulf Trading FZE\nT: +971 4 555 0101\nM: +971 50 555 0102\nE: ahmed@gulf-trading.example\nW: https://gulf-trading.example\n";
        let s = parse(body);
        assert_eq!(s.company, "Gulf Trading FZE");
        assert_eq!(s.phone, "+971 4 555 0101");
        assert_eq!(s.mobile, "+971 50 555 0102");
        assert_eq!(s.website, "https://gulf-trading.example");
        assert_eq!(s.title, "Ahmed Ali | Procurement Manager");
    }

    #[test]
    fn chinese_signature_and_none() {
        let body = "您好，请报价。\n\n王芳\n采购经理\n宁波阀门有限公司\n电话：0574-88886666\n手机：138 0013 8000\n地址：浙江省宁波市江北区\nhttps://www.nbvalve.example/\n";
        let s = parse(body);
        assert_eq!(s.company, "宁波阀门有限公司");
        assert_eq!(s.phone, "0574-88886666");
        assert_eq!(s.mobile, "138 0013 8000");
        assert_eq!(s.address, "浙江省宁波市江北区");
        assert_eq!(s.website, "https://www.nbvalve.example/");
        assert_eq!(
            parse("Thanks!\n-- \nsent from my phone"),
            Signature::default()
        );
        assert_eq!(
            parse("Additionally, we need 20 pcs.\nMobilize soon").address,
            ""
        );
    }
}
