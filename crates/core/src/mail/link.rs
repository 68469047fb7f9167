//! Mail and customers together (SPEC LINK-1, MAIL-4): the addresses a message names in
//! the form customer keys use, the free-mail domains that company-domain matching never
//! uses, and what an inbound mail's sender is to the company.

/// Free-mail providers and internet providers' mail: a shared domain says nothing about
/// the sender's company. The company settings start from this list and may edit it.
pub const FREE_MAIL_DEFAULT: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.co.uk",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.co.in",
    "yahoo.com.hk",
    "ymail.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mail.com",
    "gmx.com",
    "gmx.de",
    "web.de",
    "yandex.ru",
    "yandex.com",
    "mail.ru",
    "protonmail.com",
    "proton.me",
    "zoho.com",
    "rediffmail.com",
    "qq.com",
    "foxmail.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "139.com",
    "aliyun.com",
    "21cn.com",
    "tom.com",
    "189.cn",
    "wo.cn",
    "vip.qq.com",
    "vip.163.com",
    "sina.com.cn",
    "live.cn",
    "yahoo.fr",
    "yahoo.de",
    "yahoo.es",
    "yahoo.it",
    "hotmail.fr",
    "hotmail.de",
    "hotmail.it",
    "hotmail.es",
    "outlook.jp",
    "t-online.de",
    "freenet.de",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "laposte.net",
    "libero.it",
    "virgilio.it",
    "tiscali.it",
    "telefonica.net",
    "terra.com.br",
    "uol.com.br",
    "bol.com.br",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "btinternet.com",
    "bigpond.com",
    "shaw.ca",
    "rogers.com",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "onet.pl",
    "rambler.ru",
    "bk.ru",
    "list.ru",
    "inbox.ru",
    "ukr.net",
    "abv.bg",
    "yandex.ua",
];

/// The address as keys compare it (`wharf_core::customer::email_key`).
pub fn address_key(address: &str) -> String {
    crate::customer::email_key(address)
}

/// The domain of an address, lower case; `None` without a plausible one.
pub fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('>').to_lowercase();
    (domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')).then_some(domain)
}

/// The free-mail list as entered (one per line, commas too), normalised.
pub fn parse_domain_list(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = raw
        .split(['\n', ',', ';', ' '])
        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
        .filter(|d| d.contains('.'))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What an inbound mail's sender is to the company (MAIL-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The address belongs to a contact (or the record) of a customer.
    Contact,
    /// Not a known address, but the company domain of a customer (never a free-mail
    /// domain): a colleague of a known buyer, shown as a suggestion.
    Customer,
    /// A colleague: the domain of one of the company's own mail accounts.
    Internal,
    /// Nobody known.
    Stranger,
}

impl Party {
    pub const ALL: [Party; 4] = [
        Party::Contact,
        Party::Customer,
        Party::Internal,
        Party::Stranger,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Party::Contact => "contact",
            Party::Customer => "customer",
            Party::Internal => "internal",
            Party::Stranger => "stranger",
        }
    }

    pub fn from_code(code: &str) -> Option<Party> {
        Party::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Decides from what is known of the sender: a known address wins, then the
    /// company's own domains, then a customer's domain.
    pub fn of(known_address: bool, internal_domain: bool, customer_domain: bool) -> Party {
        if known_address {
            Party::Contact
        } else if internal_domain {
            Party::Internal
        } else if customer_domain {
            Party::Customer
        } else {
            Party::Stranger
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_parties() {
        assert_eq!(domain_of("Tom@Acme.DE"), Some("acme.de".into()));
        assert_eq!(domain_of("nobody"), None);
        assert_eq!(domain_of("x@localhost"), None);
        assert_eq!(
            parse_domain_list("Gmail.com\n@qq.com, 163.com\n\nnot-a-domain"),
            vec!["163.com", "gmail.com", "qq.com"]
        );
        assert_eq!(Party::of(true, true, true), Party::Contact);
        assert_eq!(Party::of(false, true, true), Party::Internal);
        assert_eq!(Party::of(false, false, true), Party::Customer);
        assert_eq!(Party::of(false, false, false), Party::Stranger);
        assert_eq!(Party::from_code("stranger"), Some(Party::Stranger));
    }
}
