//! ISO 4217 currencies: a compiled-in list of codes with their minor units and names.

use std::fmt;

use serde::{Serialize, Serializer};

use super::MoneyError;

/// A currency of the compiled-in ISO 4217 list; only [`Currency::from_code`] and
/// [`Currency::all`] make one, so an unknown code cannot exist as a value.
#[derive(Clone, Copy)]
pub struct Currency(&'static CurrencyInfo);

/// One row of the list.
#[derive(Debug)]
pub struct CurrencyInfo {
    pub code: &'static str,
    /// Digits after the decimal point of the smallest unit (JPY 0, USD 2, KWD 3).
    pub minor_units: u32,
    pub name_en: &'static str,
    pub name_zh: &'static str,
}

const fn c(
    code: &'static str,
    minor_units: u32,
    name_en: &'static str,
    name_zh: &'static str,
) -> CurrencyInfo {
    CurrencyInfo {
        code,
        minor_units,
        name_en,
        name_zh,
    }
}

/// The active ISO 4217 currencies (funds codes, precious metals and testing codes left
/// out: nobody invoices in XAU). Sorted by code.
static CURRENCIES: &[CurrencyInfo] = &[
    c("AED", 2, "UAE Dirham", "阿联酋迪拉姆"),
    c("AFN", 2, "Afghani", "阿富汗尼"),
    c("ALL", 2, "Lek", "阿尔巴尼亚列克"),
    c("AMD", 2, "Armenian Dram", "亚美尼亚德拉姆"),
    c("AOA", 2, "Kwanza", "安哥拉宽扎"),
    c("ARS", 2, "Argentine Peso", "阿根廷比索"),
    c("AUD", 2, "Australian Dollar", "澳大利亚元"),
    c("AWG", 2, "Aruban Florin", "阿鲁巴弗罗林"),
    c("AZN", 2, "Azerbaijan Manat", "阿塞拜疆马纳特"),
    c("BAM", 2, "Convertible Mark", "波黑可兑换马克"),
    c("BBD", 2, "Barbados Dollar", "巴巴多斯元"),
    c("BDT", 2, "Taka", "孟加拉塔卡"),
    c("BGN", 2, "Bulgarian Lev", "保加利亚列弗"),
    c("BHD", 3, "Bahraini Dinar", "巴林第纳尔"),
    c("BIF", 0, "Burundi Franc", "布隆迪法郎"),
    c("BMD", 2, "Bermudian Dollar", "百慕大元"),
    c("BND", 2, "Brunei Dollar", "文莱元"),
    c("BOB", 2, "Boliviano", "玻利维亚诺"),
    c("BRL", 2, "Brazilian Real", "巴西雷亚尔"),
    c("BSD", 2, "Bahamian Dollar", "巴哈马元"),
    c("BTN", 2, "Ngultrum", "不丹努尔特鲁姆"),
    c("BWP", 2, "Pula", "博茨瓦纳普拉"),
    c("BYN", 2, "Belarusian Ruble", "白俄罗斯卢布"),
    c("BZD", 2, "Belize Dollar", "伯利兹元"),
    c("CAD", 2, "Canadian Dollar", "加拿大元"),
    c("CDF", 2, "Congolese Franc", "刚果法郎"),
    c("CHF", 2, "Swiss Franc", "瑞士法郎"),
    c("CLP", 0, "Chilean Peso", "智利比索"),
    c("CNY", 2, "Yuan Renminbi", "人民币"),
    c("COP", 2, "Colombian Peso", "哥伦比亚比索"),
    c("CRC", 2, "Costa Rican Colon", "哥斯达黎加科朗"),
    c("CUP", 2, "Cuban Peso", "古巴比索"),
    c("CVE", 2, "Cabo Verde Escudo", "佛得角埃斯库多"),
    c("CZK", 2, "Czech Koruna", "捷克克朗"),
    c("DJF", 0, "Djibouti Franc", "吉布提法郎"),
    c("DKK", 2, "Danish Krone", "丹麦克朗"),
    c("DOP", 2, "Dominican Peso", "多米尼加比索"),
    c("DZD", 2, "Algerian Dinar", "阿尔及利亚第纳尔"),
    c("EGP", 2, "Egyptian Pound", "埃及镑"),
    c("ERN", 2, "Nakfa", "厄立特里亚纳克法"),
    c("ETB", 2, "Ethiopian Birr", "埃塞俄比亚比尔"),
    c("EUR", 2, "Euro", "欧元"),
    c("FJD", 2, "Fiji Dollar", "斐济元"),
    c("FKP", 2, "Falkland Islands Pound", "福克兰群岛镑"),
    c("GBP", 2, "Pound Sterling", "英镑"),
    c("GEL", 2, "Lari", "格鲁吉亚拉里"),
    c("GHS", 2, "Ghana Cedi", "加纳塞地"),
    c("GIP", 2, "Gibraltar Pound", "直布罗陀镑"),
    c("GMD", 2, "Dalasi", "冈比亚达拉西"),
    c("GNF", 0, "Guinean Franc", "几内亚法郎"),
    c("GTQ", 2, "Quetzal", "危地马拉格查尔"),
    c("GYD", 2, "Guyana Dollar", "圭亚那元"),
    c("HKD", 2, "Hong Kong Dollar", "港元"),
    c("HNL", 2, "Lempira", "洪都拉斯伦皮拉"),
    c("HTG", 2, "Gourde", "海地古德"),
    c("HUF", 2, "Forint", "匈牙利福林"),
    c("IDR", 2, "Rupiah", "印尼盾"),
    c("ILS", 2, "New Israeli Sheqel", "以色列新谢克尔"),
    c("INR", 2, "Indian Rupee", "印度卢比"),
    c("IQD", 3, "Iraqi Dinar", "伊拉克第纳尔"),
    c("IRR", 2, "Iranian Rial", "伊朗里亚尔"),
    c("ISK", 0, "Iceland Krona", "冰岛克朗"),
    c("JMD", 2, "Jamaican Dollar", "牙买加元"),
    c("JOD", 3, "Jordanian Dinar", "约旦第纳尔"),
    c("JPY", 0, "Yen", "日元"),
    c("KES", 2, "Kenyan Shilling", "肯尼亚先令"),
    c("KGS", 2, "Som", "吉尔吉斯斯坦索姆"),
    c("KHR", 2, "Riel", "柬埔寨瑞尔"),
    c("KMF", 0, "Comorian Franc", "科摩罗法郎"),
    c("KPW", 2, "North Korean Won", "朝鲜元"),
    c("KRW", 0, "Won", "韩元"),
    c("KWD", 3, "Kuwaiti Dinar", "科威特第纳尔"),
    c("KYD", 2, "Cayman Islands Dollar", "开曼群岛元"),
    c("KZT", 2, "Tenge", "哈萨克斯坦坚戈"),
    c("LAK", 2, "Lao Kip", "老挝基普"),
    c("LBP", 2, "Lebanese Pound", "黎巴嫩镑"),
    c("LKR", 2, "Sri Lanka Rupee", "斯里兰卡卢比"),
    c("LRD", 2, "Liberian Dollar", "利比里亚元"),
    c("LSL", 2, "Loti", "莱索托洛蒂"),
    c("LYD", 3, "Libyan Dinar", "利比亚第纳尔"),
    c("MAD", 2, "Moroccan Dirham", "摩洛哥迪拉姆"),
    c("MDL", 2, "Moldovan Leu", "摩尔多瓦列伊"),
    c("MGA", 2, "Malagasy Ariary", "马达加斯加阿里亚里"),
    c("MKD", 2, "Denar", "北马其顿第纳尔"),
    c("MMK", 2, "Kyat", "缅甸元"),
    c("MNT", 2, "Tugrik", "蒙古图格里克"),
    c("MOP", 2, "Pataca", "澳门元"),
    c("MRU", 2, "Ouguiya", "毛里塔尼亚乌吉亚"),
    c("MUR", 2, "Mauritius Rupee", "毛里求斯卢比"),
    c("MVR", 2, "Rufiyaa", "马尔代夫拉菲亚"),
    c("MWK", 2, "Malawi Kwacha", "马拉维克瓦查"),
    c("MXN", 2, "Mexican Peso", "墨西哥比索"),
    c("MYR", 2, "Malaysian Ringgit", "马来西亚林吉特"),
    c("MZN", 2, "Mozambique Metical", "莫桑比克梅蒂卡尔"),
    c("NAD", 2, "Namibia Dollar", "纳米比亚元"),
    c("NGN", 2, "Naira", "尼日利亚奈拉"),
    c("NIO", 2, "Cordoba Oro", "尼加拉瓜科多巴"),
    c("NOK", 2, "Norwegian Krone", "挪威克朗"),
    c("NPR", 2, "Nepalese Rupee", "尼泊尔卢比"),
    c("NZD", 2, "New Zealand Dollar", "新西兰元"),
    c("OMR", 3, "Rial Omani", "阿曼里亚尔"),
    c("PAB", 2, "Balboa", "巴拿马巴波亚"),
    c("PEN", 2, "Sol", "秘鲁索尔"),
    c("PGK", 2, "Kina", "巴布亚新几内亚基那"),
    c("PHP", 2, "Philippine Peso", "菲律宾比索"),
    c("PKR", 2, "Pakistan Rupee", "巴基斯坦卢比"),
    c("PLN", 2, "Zloty", "波兰兹罗提"),
    c("PYG", 0, "Guarani", "巴拉圭瓜拉尼"),
    c("QAR", 2, "Qatari Rial", "卡塔尔里亚尔"),
    c("RON", 2, "Romanian Leu", "罗马尼亚列伊"),
    c("RSD", 2, "Serbian Dinar", "塞尔维亚第纳尔"),
    c("RUB", 2, "Russian Ruble", "俄罗斯卢布"),
    c("RWF", 0, "Rwanda Franc", "卢旺达法郎"),
    c("SAR", 2, "Saudi Riyal", "沙特里亚尔"),
    c("SBD", 2, "Solomon Islands Dollar", "所罗门群岛元"),
    c("SCR", 2, "Seychelles Rupee", "塞舌尔卢比"),
    c("SDG", 2, "Sudanese Pound", "苏丹镑"),
    c("SEK", 2, "Swedish Krona", "瑞典克朗"),
    c("SGD", 2, "Singapore Dollar", "新加坡元"),
    c("SHP", 2, "Saint Helena Pound", "圣赫勒拿镑"),
    c("SLE", 2, "Leone", "塞拉利昂利昂"),
    c("SOS", 2, "Somali Shilling", "索马里先令"),
    c("SRD", 2, "Surinam Dollar", "苏里南元"),
    c("SSP", 2, "South Sudanese Pound", "南苏丹镑"),
    c("STN", 2, "Dobra", "圣多美和普林西比多布拉"),
    c("SVC", 2, "El Salvador Colon", "萨尔瓦多科朗"),
    c("SYP", 2, "Syrian Pound", "叙利亚镑"),
    c("SZL", 2, "Lilangeni", "斯威士兰里兰吉尼"),
    c("THB", 2, "Baht", "泰铢"),
    c("TJS", 2, "Somoni", "塔吉克斯坦索莫尼"),
    c("TMT", 2, "Turkmenistan New Manat", "土库曼斯坦马纳特"),
    c("TND", 3, "Tunisian Dinar", "突尼斯第纳尔"),
    c("TOP", 2, "Pa’anga", "汤加潘加"),
    c("TRY", 2, "Turkish Lira", "土耳其里拉"),
    c("TTD", 2, "Trinidad and Tobago Dollar", "特立尼达和多巴哥元"),
    c("TWD", 2, "New Taiwan Dollar", "新台币"),
    c("TZS", 2, "Tanzanian Shilling", "坦桑尼亚先令"),
    c("UAH", 2, "Hryvnia", "乌克兰格里夫纳"),
    c("UGX", 0, "Uganda Shilling", "乌干达先令"),
    c("USD", 2, "US Dollar", "美元"),
    c("UYU", 2, "Peso Uruguayo", "乌拉圭比索"),
    c("UZS", 2, "Uzbekistan Sum", "乌兹别克斯坦苏姆"),
    c("VES", 2, "Bolívar Soberano", "委内瑞拉主权玻利瓦尔"),
    c("VND", 0, "Dong", "越南盾"),
    c("VUV", 0, "Vatu", "瓦努阿图瓦图"),
    c("WST", 2, "Tala", "萨摩亚塔拉"),
    c("XAF", 0, "CFA Franc BEAC", "中非法郎"),
    c("XCD", 2, "East Caribbean Dollar", "东加勒比元"),
    c("XOF", 0, "CFA Franc BCEAO", "西非法郎"),
    c("XPF", 0, "CFP Franc", "太平洋法郎"),
    c("YER", 2, "Yemeni Rial", "也门里亚尔"),
    c("ZAR", 2, "Rand", "南非兰特"),
    c("ZMW", 2, "Zambian Kwacha", "赞比亚克瓦查"),
    c("ZWG", 2, "Zimbabwe Gold", "津巴布韦金"),
];

/// The currencies an export company uses most, offered first in pickers.
pub const COMMON: [&str; 10] = [
    "CNY", "USD", "EUR", "GBP", "JPY", "HKD", "AUD", "CAD", "RUB", "AED",
];

impl Currency {
    /// The currency with this ISO 4217 code; surrounding space and lower case are
    /// accepted ("usd"), anything not on the list is [`MoneyError::UnknownCurrency`].
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        let code = code.trim();
        if code.len() != 3 {
            return Err(MoneyError::UnknownCurrency);
        }
        let upper = code.to_ascii_uppercase();
        CURRENCIES
            .binary_search_by(|row| row.code.cmp(upper.as_str()))
            .map(|i| Currency(&CURRENCIES[i]))
            .map_err(|_| MoneyError::UnknownCurrency)
    }

    /// Every currency of the list, by code.
    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES.iter().map(Currency)
    }

    /// The common ones first (in [`COMMON`]'s order), then the rest by code: the order
    /// of a currency picker.
    pub fn picker_order() -> Vec<Currency> {
        let mut out: Vec<Currency> = COMMON
            .iter()
            .filter_map(|code| Currency::from_code(code).ok())
            .collect();
        out.extend(Currency::all().filter(|c| !COMMON.contains(&c.code())));
        out
    }

    /// Renminbi, the default base currency.
    pub fn cny() -> Currency {
        Currency::named("CNY")
    }

    pub fn usd() -> Currency {
        Currency::named("USD")
    }

    // For the compiled-in constants above; the list test proves each is there.
    fn named(code: &str) -> Currency {
        match Currency::from_code(code) {
            Ok(c) => c,
            Err(_) => Currency(&CURRENCIES[0]),
        }
    }

    pub fn code(self) -> &'static str {
        self.0.code
    }

    pub fn minor_units(self) -> u32 {
        self.0.minor_units
    }

    /// The name in Chinese when `chinese`, in English otherwise.
    pub fn name(self, chinese: bool) -> &'static str {
        if chinese {
            self.0.name_zh
        } else {
            self.0.name_en
        }
    }
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        self.0.code == other.0.code
    }
}

impl Eq for Currency {}

impl std::hash::Hash for Currency {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.code.hash(state);
    }
}

impl PartialOrd for Currency {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Currency {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.code.cmp(other.0.code)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_unique_so_binary_search_finds_every_code() {
        for pair in CURRENCIES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for row in CURRENCIES {
            assert_eq!(
                Currency::from_code(row.code).map(|c| c.code()),
                Ok(row.code)
            );
        }
    }

    #[test]
    fn codes_are_three_capital_letters_and_minor_units_are_iso_values() {
        for row in CURRENCIES {
            assert!(row.code.len() == 3 && row.code.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(row.minor_units <= 3, "{}", row.code);
        }
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        let minor = |code| Currency::from_code(code).map(|c| c.minor_units());
        assert_eq!(minor("USD"), Ok(2));
        assert_eq!(minor("CNY"), Ok(2));
        assert_eq!(minor("JPY"), Ok(0));
        assert_eq!(minor("KRW"), Ok(0));
        assert_eq!(minor("KWD"), Ok(3));
    }

    #[test]
    fn lower_case_and_spaces_are_accepted() {
        assert_eq!(Currency::from_code(" usd ").map(|c| c.code()), Ok("USD"));
    }

    #[test]
    fn an_unknown_code_is_a_typed_error() {
        for bad in ["", "US", "USDD", "XXX", "ABC", "RMB", "美元", "U$D"] {
            assert_eq!(
                Currency::from_code(bad),
                Err(MoneyError::UnknownCurrency),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_common_currencies_are_on_the_list_and_lead_the_picker() {
        for code in COMMON {
            assert!(Currency::from_code(code).is_ok(), "{code}");
        }
        let order = Currency::picker_order();
        assert_eq!(order.len(), CURRENCIES.len());
        assert_eq!(order[0], Currency::cny());
        assert_eq!(Currency::cny().code(), "CNY");
        assert_eq!(Currency::usd().code(), "USD");
    }
}
