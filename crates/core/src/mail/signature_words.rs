//! The words the signature reader recognises: closings, greetings, disclaimers, the
//! start of quoted history, company forms and job titles, in English, German, Chinese
//! and the other languages buyers write in.

/// Lines that close a mail's own text; the signature follows.
pub(crate) const CLOSINGS: &[&str] = &[
    "best regards",
    "kind regards",
    "warm regards",
    "warmest regards",
    "with best regards",
    "with kind regards",
    "with regards",
    "best wishes",
    "regards",
    "rgds",
    "brgds",
    "br,",
    "thanks & regards",
    "thanks and regards",
    "thanks & best regards",
    "thanks",
    "thank you",
    "many thanks",
    "cheers",
    "sincerely",
    "yours sincerely",
    "yours faithfully",
    "yours truly",
    "best,",
    "mit freundlichen grüßen",
    "mit freundlichen grüssen",
    "freundliche grüße",
    "viele grüße",
    "mfg",
    "cordialement",
    "saludos",
    "atentamente",
    "cordiali saluti",
    "met vriendelijke groet",
    "此致",
    "敬礼",
    "谢谢",
    "祝好",
    "顺祝商祺",
    "顺祝",
    "祝商祺",
    "best",
];

/// Lines that open a mail or address someone: never a name or a title.
pub(crate) const GREETINGS: &[&str] = &[
    "dear",
    "hi ",
    "hi,",
    "hello",
    "hey",
    "good morning",
    "good afternoon",
    "good day",
    "greetings",
    "sehr geehrte",
    "hallo",
    "您好",
    "你好",
    "尊敬的",
    "亲爱的",
    "to whom",
    "attn",
    "attention",
];

/// Lines where a disclaimer or a device footer starts: the signature is above.
pub(crate) const DISCLAIMERS: &[&str] = &[
    "this email and any",
    "this e-mail and any",
    "this message and any",
    "this email is confidential",
    "this e-mail is confidential",
    "confidentiality notice",
    "confidential notice",
    "disclaimer",
    "the information contained in this",
    "the information in this e-mail",
    "please consider the environment",
    "sent from my",
    "get outlook for",
    "diese e-mail enthält",
    "本邮件",
    "此邮件",
    "免责声明",
    "发自我的",
];

/// Lines that start the quoted part of a reply or forward.
pub(crate) fn starts_quote(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    l.starts_with('>')
        || l.starts_with("-----original message")
        || l.starts_with("-----邮件原件")
        || l.starts_with("---------- forwarded message")
        || l.starts_with("-------- forwarded message")
        || l.starts_with("------------------ original")
        || l.starts_with("------------------ 原始邮件")
        || l.starts_with("-----ursprüngliche nachricht")
        || (l.starts_with("on ") && l.ends_with("wrote:"))
        || (l.starts_with("am ") && l.ends_with("schrieb:"))
        || l.ends_with("写道：")
        || (l.starts_with("from:") && l.contains('@'))
        || l.starts_with("发件人:")
        || l.starts_with("发件人：")
}

/// Words that end a company name.
pub(crate) const COMPANY_WORDS: &[&str] = &[
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
    "fz-llc",
    "llp",
    "sdn bhd",
    "pte",
    "jsc",
    "sarl",
    "s.p.a",
    "spa",
    "kg",
    "pvt",
    "ltda",
    "s.a.s",
    "a.s.",
    "sp. z o.o",
    "bhd",
    "w.l.l",
    "wll",
    "trading",
    "industries",
    "industrial",
    "group",
    "enterprise",
    "enterprises",
    "imports",
    "exports",
    "有限公司",
    "公司",
    "集团",
    "厂",
];

/// Words that make a line a job title.
pub(crate) const TITLE_WORDS: &[&str] = &[
    "manager",
    "director",
    "sales",
    "purchas",
    "procurement",
    "buyer",
    "sourcing",
    "ceo",
    "cfo",
    "coo",
    "founder",
    "owner",
    "president",
    "engineer",
    "executive",
    "officer",
    "head of",
    "assistant",
    "coordinator",
    "einkauf",
    "leiter",
    "geschäftsführer",
    "经理",
    "总监",
    "采购",
    "总经理",
    "主管",
    "业务员",
    "董事长",
];

/// A company name: one of the company words as a whole word (Chinese ones anywhere),
/// in a line that is not a sentence.
pub(crate) fn company_like(lower: &str) -> bool {
    // "We found your company on Alibaba" is a sentence, not a name.
    let words = lower.split_whitespace().count();
    if words > 8 || lower.ends_with(['?', '!', ',', '。']) || (words > 5 && lower.ends_with('.')) {
        return false;
    }
    let padded = format!(" {} ", lower.replace([',', '(', ')', '|', ';'], " "));
    COMPANY_WORDS.iter().any(|w| {
        if !w.is_ascii() {
            return lower.contains(w);
        }
        let w = w.trim_end_matches('.');
        padded.contains(&format!(" {w} ")) || padded.contains(&format!(" {w}. "))
    })
}
