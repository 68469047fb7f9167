//! Which country a sender is in, read from what a mail shows: a country named at the end
//! of a postal address, a phone number's international prefix, or the sender domain's
//! country-code top-level domain. Each answer is an ISO 3166 code (the base data's
//! country codes) with how it was found, so the caller can weigh it.

/// How a country was found, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CountryEvidence {
    /// Named in the address.
    Address,
    /// The phone's international prefix.
    Phone,
    /// The sender domain's ccTLD (weak: `.co`, `.io`, `.me` are used worldwide).
    Domain,
}

/// (ISO code, dialling prefix, names in English and other spellings, Chinese names).
/// The markets an exporter mostly writes to; a country not listed is simply not guessed.
const COUNTRIES: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "AE",
        "971",
        &[
            "united arab emirates",
            "uae",
            "u.a.e.",
            "dubai",
            "abu dhabi",
            "sharjah",
        ],
        &["阿联酋", "迪拜"],
    ),
    ("AR", "54", &["argentina"], &["阿根廷"]),
    ("AT", "43", &["austria", "österreich"], &["奥地利"]),
    ("AU", "61", &["australia"], &["澳大利亚"]),
    ("BD", "880", &["bangladesh"], &["孟加拉"]),
    ("BE", "32", &["belgium", "belgië", "belgique"], &["比利时"]),
    ("BH", "973", &["bahrain"], &["巴林"]),
    ("BR", "55", &["brazil", "brasil"], &["巴西"]),
    ("CA", "1", &["canada"], &["加拿大"]),
    ("CH", "41", &["switzerland", "schweiz", "suisse"], &["瑞士"]),
    ("CL", "56", &["chile"], &["智利"]),
    (
        "CN",
        "86",
        &["china", "p.r. china", "p.r.china", "prc"],
        &["中国", "中华人民共和国"],
    ),
    ("CO", "57", &["colombia"], &["哥伦比亚"]),
    ("CZ", "420", &["czech republic", "czechia"], &["捷克"]),
    ("DE", "49", &["germany", "deutschland"], &["德国"]),
    ("DK", "45", &["denmark", "danmark"], &["丹麦"]),
    ("DZ", "213", &["algeria"], &["阿尔及利亚"]),
    ("EG", "20", &["egypt"], &["埃及"]),
    ("ES", "34", &["spain", "españa"], &["西班牙"]),
    ("FI", "358", &["finland", "suomi"], &["芬兰"]),
    ("FR", "33", &["france"], &["法国"]),
    (
        "GB",
        "44",
        &[
            "united kingdom",
            "uk",
            "u.k.",
            "england",
            "great britain",
            "scotland",
            "wales",
        ],
        &["英国"],
    ),
    ("GH", "233", &["ghana"], &["加纳"]),
    ("GR", "30", &["greece"], &["希腊"]),
    ("HK", "852", &["hong kong", "hongkong"], &["香港"]),
    ("HU", "36", &["hungary"], &["匈牙利"]),
    ("ID", "62", &["indonesia"], &["印度尼西亚", "印尼"]),
    ("IE", "353", &["ireland"], &["爱尔兰"]),
    ("IL", "972", &["israel"], &["以色列"]),
    ("IN", "91", &["india"], &["印度"]),
    ("IQ", "964", &["iraq"], &["伊拉克"]),
    ("IR", "98", &["iran"], &["伊朗"]),
    ("IT", "39", &["italy", "italia"], &["意大利"]),
    ("JO", "962", &["jordan"], &["约旦"]),
    ("JP", "81", &["japan"], &["日本"]),
    ("KE", "254", &["kenya"], &["肯尼亚"]),
    (
        "KR",
        "82",
        &["south korea", "korea", "republic of korea"],
        &["韩国"],
    ),
    ("KW", "965", &["kuwait"], &["科威特"]),
    ("KZ", "7", &["kazakhstan"], &["哈萨克斯坦"]),
    ("LB", "961", &["lebanon"], &["黎巴嫩"]),
    ("LK", "94", &["sri lanka"], &["斯里兰卡"]),
    ("MA", "212", &["morocco", "maroc"], &["摩洛哥"]),
    ("MX", "52", &["mexico", "méxico"], &["墨西哥"]),
    ("MY", "60", &["malaysia"], &["马来西亚"]),
    ("NG", "234", &["nigeria"], &["尼日利亚"]),
    (
        "NL",
        "31",
        &["netherlands", "the netherlands", "holland", "nederland"],
        &["荷兰"],
    ),
    ("NO", "47", &["norway", "norge"], &["挪威"]),
    ("NZ", "64", &["new zealand"], &["新西兰"]),
    ("OM", "968", &["oman"], &["阿曼"]),
    ("PE", "51", &["peru"], &["秘鲁"]),
    ("PH", "63", &["philippines"], &["菲律宾"]),
    ("PK", "92", &["pakistan"], &["巴基斯坦"]),
    ("PL", "48", &["poland", "polska"], &["波兰"]),
    ("PT", "351", &["portugal"], &["葡萄牙"]),
    ("QA", "974", &["qatar"], &["卡塔尔"]),
    ("RO", "40", &["romania"], &["罗马尼亚"]),
    ("RU", "7", &["russia", "russian federation"], &["俄罗斯"]),
    (
        "SA",
        "966",
        &["saudi arabia", "ksa", "k.s.a.", "riyadh", "jeddah"],
        &["沙特阿拉伯", "沙特"],
    ),
    ("SE", "46", &["sweden", "sverige"], &["瑞典"]),
    ("SG", "65", &["singapore"], &["新加坡"]),
    ("TH", "66", &["thailand"], &["泰国"]),
    ("TR", "90", &["turkey", "türkiye", "turkiye"], &["土耳其"]),
    ("TW", "886", &["taiwan"], &["台湾"]),
    ("TZ", "255", &["tanzania"], &["坦桑尼亚"]),
    ("UA", "380", &["ukraine"], &["乌克兰"]),
    (
        "US",
        "1",
        &[
            "united states",
            "usa",
            "u.s.a.",
            "u.s.",
            "united states of america",
            "america",
        ],
        &["美国"],
    ),
    ("VN", "84", &["vietnam", "viet nam"], &["越南"]),
    ("ZA", "27", &["south africa"], &["南非"]),
];

/// ccTLDs that are not the ISO code, and generic-looking ones that say nothing.
const TLD_ALIASES: &[(&str, &str)] = &[("uk", "GB")];
const TLD_WORLDWIDE: &[&str] = &["co", "io", "me", "tv", "ai", "cc", "ws", "to", "fm", "ly"];

/// The country named in an address, looked for from its end ("…, 20457 Hamburg,
/// Germany"). Whole words only, so "Indiana" is not India.
pub fn from_address(address: &str) -> Option<&'static str> {
    let lower = address.to_lowercase();
    let words: Vec<&str> = lower
        .split([',', ';', '\n', '|'])
        .map(|p| p.trim().trim_end_matches('.'))
        .filter(|p| !p.is_empty())
        .collect();
    for part in words.iter().rev() {
        // The part itself, or its last words without a postcode ("Germany 20457").
        let bare: String = part
            .split_whitespace()
            .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
            .collect::<Vec<_>>()
            .join(" ");
        for (code, _, names, _) in COUNTRIES {
            if names
                .iter()
                .any(|n| bare == *n || bare.ends_with(&format!(" {n}")) || *part == *n)
            {
                return Some(code);
            }
        }
    }
    // Chinese addresses start with the country, if they name it.
    COUNTRIES
        .iter()
        .find(|(_, _, _, zh)| zh.iter().any(|n| lower.starts_with(n)))
        .map(|(code, ..)| *code)
}

/// The country of an international phone number ("+49 40 …", "0049 40 …", "(971) …" is
/// not enough). `+1` and `+7` are shared, so they are not guessed.
pub fn from_phone(phone: &str) -> Option<&'static str> {
    let t = phone.trim();
    let rest = t
        .strip_prefix('+')
        .or_else(|| t.strip_prefix("00"))?
        .trim_start_matches([' ', '(']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    // Longest prefix first: "971" before "97".
    let mut best: Option<(&str, &str)> = None;
    for (code, prefix, ..) in COUNTRIES {
        if digits.starts_with(prefix) && best.is_none_or(|(_, p)| prefix.len() > p.len()) {
            best = Some((code, prefix));
        }
    }
    let (code, prefix) = best?;
    let shared = COUNTRIES.iter().filter(|(_, p, ..)| *p == prefix).count() > 1;
    (!shared).then_some(code)
}

/// The country of a domain's ccTLD (`hamburg-pumps.de` → DE), if it is one.
pub fn from_domain(domain: &str) -> Option<&'static str> {
    let tld = domain.trim().trim_end_matches('.').rsplit('.').next()?;
    let tld = tld.to_lowercase();
    if tld.len() != 2 || TLD_WORLDWIDE.contains(&tld.as_str()) {
        return None;
    }
    if let Some((_, code)) = TLD_ALIASES.iter().find(|(t, _)| *t == tld) {
        return Some(code);
    }
    COUNTRIES
        .iter()
        .find(|(code, ..)| code.eq_ignore_ascii_case(&tld))
        .map(|(code, ..)| *code)
}

/// The best guess from an address, phones and a domain, with how it was found.
pub fn detect(
    address: &str,
    phones: &[&str],
    domain: &str,
) -> Option<(&'static str, CountryEvidence)> {
    from_address(address)
        .map(|c| (c, CountryEvidence::Address))
        .or_else(|| {
            phones
                .iter()
                .find_map(|p| from_phone(p))
                .map(|c| (c, CountryEvidence::Phone))
        })
        .or_else(|| from_domain(domain).map(|c| (c, CountryEvidence::Domain)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_phone_and_domain() {
        assert_eq!(
            from_address("Hafenstrasse 12, 20457 Hamburg, Germany"),
            Some("DE")
        );
        assert_eq!(
            from_address("12 Main St, Indianapolis, Indiana 46204"),
            None
        );
        assert_eq!(
            from_address("Plot 5, MIDC, Pune 411001, India."),
            Some("IN")
        );
        assert_eq!(from_address("P.O. Box 1234, Dubai, U.A.E."), Some("AE"));
        assert_eq!(from_address("中国浙江省宁波市江北区"), Some("CN"));
        assert_eq!(from_phone("+971 50 555 0102"), Some("AE"));
        assert_eq!(from_phone("0049 40 1234567"), Some("DE"));
        assert_eq!(from_phone("+1 312 555 0100"), None, "+1 is shared");
        assert_eq!(
            from_phone("0574-88886666"),
            None,
            "national numbers say nothing"
        );
        assert_eq!(from_domain("hamburg-pumps.de"), Some("DE"));
        assert_eq!(from_domain("acme.co.uk"), Some("GB"));
        assert_eq!(from_domain("startup.io"), None);
        assert_eq!(from_domain("acme.com"), None);
        assert_eq!(
            detect("", &["0574-1", "+91 98200 12345"], "x.de"),
            Some(("IN", CountryEvidence::Phone))
        );
    }
}
