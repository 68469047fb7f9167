//! Charset choice for bytes that do not say what they are: raw 8-bit headers and text
//! parts without a `charset` parameter. The declared charset of the message's text wins;
//! otherwise `chardetng` (Firefox's detector) guesses, so GBK is used only when it fits
//! best, and Latin-1, Big5 or EUC-KR mail reads right.

use encoding_rs::Encoding;

/// The charset a text part declares, as named by its `charset` parameter.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Declared {
    pub encoding: &'static Encoding,
    /// `us-ascii` (or an alias of it): says nothing about 8-bit bytes.
    pub ascii: bool,
}

impl Declared {
    pub(crate) fn from_label(label: &str) -> Option<Declared> {
        let label = label.trim().trim_matches('"');
        let lower = label.to_ascii_lowercase();
        let ascii = matches!(
            lower.as_str(),
            "us-ascii" | "ascii" | "ansi_x3.4-1968" | "iso646-us" | "us"
        );
        // Labels encoding_rs does not know but mail clients send.
        let extra = match lower.as_str() {
            "x-gbk" | "gb_2312-80" | "cp936" | "x-gb2312" => Some(encoding_rs::GBK),
            "cp949" | "ks_c_5601" | "x-euc-kr" => Some(encoding_rs::EUC_KR),
            "cp950" | "big5-hkscs" | "x-big5" => Some(encoding_rs::BIG5),
            _ => None,
        };
        let encoding = Encoding::for_label(label.as_bytes()).or(extra)?;
        Some(Declared { encoding, ascii })
    }

    /// The declared charset when it can describe 8-bit bytes (not US-ASCII, and not
    /// UTF-8 when the bytes are not UTF-8).
    pub(crate) fn usable_for(self, bytes: &[u8]) -> Option<&'static Encoding> {
        if self.ascii
            || (self.encoding == encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_err())
        {
            None
        } else {
            Some(self.encoding)
        }
    }
}

/// The detector's best guess for `bytes` (UTF-8 allowed). With only a few 8-bit bytes
/// a single-byte guess other than windows-1252 is a coin toss (`£` reads as `Ł` in
/// ISO-8859-2); windows-1252, the most common, is taken then.
pub(crate) fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    let high = bytes.iter().filter(|b| **b >= 0x80).count();
    if high < 4 && guess.is_single_byte() {
        return encoding_rs::WINDOWS_1252;
    }
    guess
}

/// `bytes` as text: UTF-8 when they are UTF-8, else the declared charset when usable,
/// else the charset detected over `evidence` (the bytes themselves when empty).
pub(crate) fn decode(bytes: &[u8], declared: Option<Declared>, evidence: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let encoding = declared
        .and_then(|d| d.usable_for(bytes))
        .unwrap_or_else(|| detect(if evidence.is_empty() { bytes } else { evidence }));
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_picks_the_fitting_charset() {
        let latin = encoding_rs::WINDOWS_1252
            .encode("Grüße aus Köln, Frösche")
            .0;
        assert_eq!(decode(&latin, None, b""), "Grüße aus Köln, Frösche");
        let gbk = encoding_rs::GBK.encode("您好，请报价。我们需要一千个").0;
        assert_eq!(decode(&gbk, None, b""), "您好，请报价。我们需要一千个");
        let big5 = encoding_rs::BIG5
            .encode("養樂多線上訂購，歡迎光臨本公司網站")
            .0;
        assert_eq!(
            decode(&big5, None, b""),
            "養樂多線上訂購，歡迎光臨本公司網站"
        );
        let korean = encoding_rs::EUC_KR
            .encode("안녕하세요 주문 확인 부탁드립니다")
            .0;
        assert_eq!(
            decode(&korean, None, b""),
            "안녕하세요 주문 확인 부탁드립니다"
        );
        assert_eq!(decode("plain ü".as_bytes(), None, b""), "plain ü");
        assert_eq!(decode(b"wins \xa37,000", None, b""), "wins £7,000");
        let ascii = Declared::from_label("us-ascii");
        assert_eq!(decode(&latin, ascii, b""), "Grüße aus Köln, Frösche");
    }
}
