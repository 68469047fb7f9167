//! Signatures as buyers write them: German, US, Indian, Chinese and Gulf styles, with
//! and without labels, after a closing or a `-- ` line, in replies with quoted history
//! and above disclaimers.

use super::*;

fn v(g: &Guess) -> &str {
    g.value.as_str()
}

#[test]
fn the_alibaba_buyer_mail_fills_the_signature_not_the_greeting() {
    let body = "Dear Sales Team,\n\nWe found your company on Alibaba and are interested in your camping chairs. Please send us your catalogue and price list.\n\nBest regards,\nCarlos Mendes\nImport Manager\nMendes Importadora Ltda.\nAv. Paulista 1000, Sao Paulo, Brazil\nPhone: +55 11 3333 4444\nMobile: +55 11 98888 7777\n";
    let s = parse(body, "mendes.com.br");
    assert_eq!(v(&s.name), "Carlos Mendes");
    assert_eq!(v(&s.title), "Import Manager");
    assert_eq!(v(&s.company), "Mendes Importadora Ltda.");
    assert_eq!(v(&s.address), "Av. Paulista 1000, Sao Paulo, Brazil");
    assert_eq!(v(&s.phone), "+55 11 3333 4444");
    assert_eq!(v(&s.mobile), "+55 11 98888 7777");
    assert_eq!(s.country, Guess::sure("BR"));
    assert!(s.name.sure && s.company.sure);
}

#[test]
fn german_signature_with_fax_and_quoted_history() {
    let body = "Sehr geehrte Damen und Herren,\n\nbitte senden Sie uns ein Angebot.\n\nMit freundlichen Grüßen\n\nKlaus Weber\nLeiter Einkauf\nWeber Technik GmbH & Co. KG\nAdresse: Industriestraße 7, 70565 Stuttgart, Deutschland\nTel.: +49 711 123456-0\nFax: +49 711 123456-99\nE-Mail: k.weber@weber-technik.de\nwww.weber-technik.de\n\nAm 3. Dezember 2026 um 10:12 schrieb Ningbo Valves:\n> Tel: +86 574 0000000\n> Ningbo Valves Co., Ltd.\n";
    let s = parse(body, "weber-technik.de");
    assert_eq!(v(&s.name), "Klaus Weber");
    assert_eq!(v(&s.title), "Leiter Einkauf");
    assert_eq!(v(&s.company), "Weber Technik GmbH & Co. KG");
    assert_eq!(
        v(&s.phone),
        "+49 711 123456-0",
        "not the fax, not the quote"
    );
    assert_eq!(v(&s.website), "www.weber-technik.de");
    assert_eq!(s.country, Guess::sure("DE"));
}

#[test]
fn us_signature_with_pipes_and_unlabelled_address() {
    let body = "Hi,\n\nThanks for the samples, they look good.\n\nBest,\nMike Johnson\nVP of Purchasing\nRiverside Outdoor Supply, Inc.\n1200 Commerce Dr, Austin, TX 78701, USA\nOffice: +1 512 555 0142 | Cell: +1 512 555 0199\nwww.riverside-outdoor.com\n";
    let s = parse(body, "riverside-outdoor.com");
    assert_eq!(v(&s.name), "Mike Johnson");
    assert_eq!(v(&s.title), "VP of Purchasing");
    assert_eq!(v(&s.company), "Riverside Outdoor Supply, Inc.");
    assert_eq!(v(&s.phone), "+1 512 555 0142");
    assert_eq!(v(&s.mobile), "+1 512 555 0199");
    assert_eq!(v(&s.address), "1200 Commerce Dr, Austin, TX 78701, USA");
    assert!(!s.address.sure, "an unlabelled address is a guess");
    assert_eq!(v(&s.country), "US");
}

#[test]
fn indian_signature() {
    let body = "Dear Sir,\nKindly quote your best price for 2 x 20ft containers.\n\nThanks & Regards,\nRajesh Kumar\nSr. Purchase Manager\nShree Balaji Industries Pvt. Ltd.\nAddress: Plot No. 45, GIDC Estate, Vapi, Gujarat 396195, India\nMob: +91 98250 12345\nEmail: rajesh@sbi-vapi.in\n";
    let s = parse(body, "sbi-vapi.in");
    assert_eq!(v(&s.name), "Rajesh Kumar");
    assert_eq!(v(&s.title), "Sr. Purchase Manager");
    assert_eq!(v(&s.company), "Shree Balaji Industries Pvt. Ltd.");
    assert_eq!(v(&s.mobile), "+91 98250 12345");
    assert_eq!(s.country, Guess::sure("IN"));
}

#[test]
fn chinese_signature_after_cizhi_jingli() {
    let body = "您好，\n请报价DN50闸阀500个。\n\n此致\n敬礼！\n\n王芳\n采购经理\n宁波阀门有限公司\n电话：0574-88886666\n手机：138 0013 8000\n地址：中国浙江省宁波市江北区\n网址：https://www.nbvalve.example/\n";
    let s = parse(body, "nbvalve.example");
    assert_eq!(v(&s.name), "王芳");
    assert_eq!(v(&s.title), "采购经理");
    assert_eq!(v(&s.company), "宁波阀门有限公司");
    assert_eq!(v(&s.phone), "0574-88886666");
    assert_eq!(v(&s.mobile), "138 0013 8000");
    assert_eq!(v(&s.address), "中国浙江省宁波市江北区");
    assert_eq!(v(&s.website), "https://www.nbvalve.example/");
    assert_eq!(v(&s.country), "CN");
}

#[test]
fn gulf_signature_with_whatsapp_and_po_box() {
    let body = "Dear Mr. Chen,\n\nPlease send proforma invoice.\n\nRegards,\nMohammed Al Rashid\nProcurement Manager\nAl Noor Trading LLC\nP.O. Box 12345, Dubai, U.A.E.\nTel: +971 4 555 0101 | Fax: +971 4 555 0100\nMob/WhatsApp: +971 50 555 0102\n";
    let s = parse(body, "alnoor.ae");
    assert_eq!(v(&s.name), "Mohammed Al Rashid");
    assert_eq!(v(&s.company), "Al Noor Trading LLC");
    assert_eq!(v(&s.phone), "+971 4 555 0101");
    assert_eq!(v(&s.mobile), "+971 50 555 0102");
    assert_eq!(v(&s.country), "AE");
}

#[test]
fn compact_one_line_signature() {
    let body = "Confirmed, go ahead.\n\nRgds\nAhmed Ali | Procurement Manager | Gulf Trading FZE\nT: +971 4 555 0101 | M: +971 50 555 0102 | W: https://gulf-trading.example\n";
    let s = parse(body, "gulf-trading.example");
    assert_eq!(v(&s.name), "Ahmed Ali");
    assert_eq!(v(&s.title), "Procurement Manager");
    assert_eq!(v(&s.company), "Gulf Trading FZE");
    assert_eq!(v(&s.phone), "+971 4 555 0101");
    assert_eq!(v(&s.mobile), "+971 50 555 0102");
    assert_eq!(v(&s.website), "https://gulf-trading.example");
}

#[test]
fn dash_dash_separator_and_bare_phone() {
    let body = "Price is ok for us.\n-- \nAnna Svensson\nNordic Tools AB\n+46 8 123 456 78\nhttps://nordictools.se\n";
    let s = parse(body, "nordictools.se");
    assert_eq!(v(&s.name), "Anna Svensson");
    assert_eq!(v(&s.company), "Nordic Tools AB");
    assert_eq!(s.phone, Guess::unsure("+46 8 123 456 78"));
    assert_eq!(v(&s.country), "SE");
}

#[test]
fn reply_takes_the_senders_block_not_ours_and_stops_at_the_disclaimer() {
    let body = "Tom here, see below.\n\nKind regards\nTom Baker\nBaker Supplies Ltd\nT: +44 161 555 0000\n\nThis email and any attachments are confidential.\nDear recipient, Baker Holdings Limited is registered in England.\n\n-----Original Message-----\nFrom: sales@ningbo-valves.example\nBest regards\nLily Zhang\nSales Manager\nNingbo Valves Co., Ltd.\nTel: +86 574 8888 0000\n";
    let s = parse(body, "bakersupplies.co.uk");
    assert_eq!(v(&s.name), "Tom Baker");
    assert_eq!(v(&s.company), "Baker Supplies Ltd");
    assert_eq!(v(&s.phone), "+44 161 555 0000");
    assert_eq!(s.country, Guess::sure("GB"));
    assert_eq!(v(&s.title), "");
}

#[test]
fn a_name_on_the_closing_line_and_sentences_that_are_no_closing() {
    let s = parse(
        "Please quote.\n\nBest regards, Jens Vogel\nHamburg Pumps GmbH\n",
        "",
    );
    assert_eq!(
        (v(&s.name), v(&s.company)),
        ("Jens Vogel", "Hamburg Pumps GmbH")
    );
    let s = parse(
        "Thanks for your quick reply, we will order next week.\nOur sales team is checking.\n\nBR,\nLi Wei\n",
        "",
    );
    assert_eq!(v(&s.name), "Li Wei");
    assert_eq!(v(&s.title), "", "a body line is no title");
}

#[test]
fn without_a_closing_only_a_labelled_paragraph_is_read_and_unsure() {
    let s = parse(
        "Please quote 500 pcs.\n\nJohn Smith\nTel: +44 20 7946 0000\n",
        "",
    );
    assert_eq!(s.phone, Guess::unsure("+44 20 7946 0000"));
    assert_eq!(s.name, Guess::unsure("John Smith"));
    assert_eq!(s.country, Guess::unsure("GB"));
    assert_eq!(
        parse("Please quote 500 pcs.\n\nJohn", ""),
        Signature::default()
    );
    assert_eq!(
        parse("Dear Sales Team,\nWe found your company on Alibaba.", ""),
        Signature::default()
    );
    assert_eq!(
        parse("Additionally, we need 20 pcs.\nMobilize soon", "").address,
        Guess::default()
    );
}

#[test]
fn country_from_the_domain_alone_is_unsure() {
    let s = parse(
        "Bitte um Angebot.\n\nMit freundlichen Grüßen\nKlaus Weber\nEinkauf\n",
        "weber-technik.de",
    );
    assert_eq!(v(&s.name), "Klaus Weber");
    assert_eq!(v(&s.title), "Einkauf");
    assert_eq!(s.country, Guess::unsure("DE"));
    assert_eq!(
        parse("Thanks!\n-- \nsent from my phone", "").name,
        Guess::default()
    );
}
