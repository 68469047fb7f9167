//! The index's fields and how a message or a customer becomes a document. One index
//! holds both kinds; `kind` tells them apart and each kind has its own text fields.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use wharf_core::customer::phone_key;
use wharf_core::mail::link::domain_of;
use wharf_store::mail::links::mailboxes_of;
use wharf_store::search_feed::{CustomerDoc, MailDoc};

use crate::analyzer::TEXT;

/// Raised whenever fields or analysis change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: i64 = 5;

pub const KIND_MAIL: u64 = 1;
pub const KIND_CUSTOMER: u64 = 2;

/// A document's body is indexed up to this many bytes (long mail is mostly quotes).
const BODY_MAX: usize = 100_000;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub id: Field,
    /// `m<id>` or `c<id>`: the term a document is replaced or deleted by.
    pub key: Field,
    /// Mail: when received; customers: last changed. Ranks recent first.
    pub date: Field,
    pub subject: Field,
    pub from: Field,
    pub to: Field,
    pub attachments: Field,
    pub body: Field,
    /// `a:<address>` and `d:<domain>` of every address a message names.
    pub addr: Field,
    pub account: Field,
    pub has_attachment: Field,
    pub mail_type: Field,
    /// A message's tags (`mail_tags` ids).
    pub tag: Field,
    pub trashed: Field,
    pub name: Field,
    pub contacts: Field,
    pub emails: Field,
    pub phones: Field,
    pub website: Field,
    pub notes: Field,
    pub owner: Field,
    pub shared: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TEXT)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            kind: b.add_u64_field("kind", INDEXED | FAST),
            id: b.add_u64_field("id", INDEXED | FAST | STORED),
            key: b.add_text_field("key", STRING),
            date: b.add_i64_field("date", INDEXED | FAST),
            subject: b.add_text_field("subject", text.clone()),
            from: b.add_text_field("from", text.clone()),
            to: b.add_text_field("to", text.clone()),
            attachments: b.add_text_field("attachments", text.clone()),
            body: b.add_text_field("body", text.clone()),
            addr: b.add_text_field("addr", STRING),
            account: b.add_u64_field("account", INDEXED),
            has_attachment: b.add_u64_field("has_attachment", INDEXED),
            mail_type: b.add_u64_field("mail_type", INDEXED),
            tag: b.add_u64_field("tag", INDEXED),
            trashed: b.add_u64_field("trashed", INDEXED),
            name: b.add_text_field("name", text.clone()),
            contacts: b.add_text_field("contacts", text.clone()),
            emails: b.add_text_field("emails", text.clone()),
            phones: b.add_text_field("phones", text.clone()),
            website: b.add_text_field("website", text.clone()),
            notes: b.add_text_field("notes", text),
            owner: b.add_u64_field("owner", INDEXED),
            shared: b.add_u64_field("shared", INDEXED),
        };
        (b.build(), fields)
    }

    /// The text fields a word is looked for in, with their weights.
    pub fn mail_text(&self) -> [(Field, f32); 5] {
        [
            (self.subject, 3.0),
            (self.from, 2.0),
            (self.to, 1.5),
            (self.attachments, 1.5),
            (self.body, 1.0),
        ]
    }

    pub fn customer_text(&self) -> [(Field, f32); 6] {
        [
            (self.name, 4.0),
            (self.contacts, 2.5),
            (self.emails, 2.0),
            (self.phones, 2.0),
            (self.website, 1.5),
            (self.notes, 1.0),
        ]
    }

    pub fn mail_document(&self, m: &MailDoc) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_u64(self.kind, KIND_MAIL);
        d.add_u64(self.id, m.id as u64);
        d.add_text(self.key, format!("m{}", m.id));
        d.add_i64(self.date, m.received_at);
        d.add_text(self.subject, &m.subject);
        d.add_text(self.from, format!("{} {}", m.from_name, m.from_addr));
        for list in [&m.to_json, &m.cc_json] {
            for (name, address) in mailboxes_of(list) {
                d.add_text(self.to, format!("{name} {address}"));
            }
        }
        for a in &m.attachment_names {
            d.add_text(self.attachments, a);
        }
        d.add_text(self.body, cut(&m.body_text, BODY_MAX));
        for a in &m.addresses {
            d.add_text(self.addr, format!("a:{a}"));
            if let Some(domain) = domain_of(a) {
                d.add_text(self.addr, format!("d:{domain}"));
            }
        }
        d.add_u64(self.account, m.account_id as u64);
        d.add_u64(self.has_attachment, u64::from(m.has_attachments));
        d.add_u64(self.mail_type, m.mail_type_id.unwrap_or(0) as u64);
        for t in &m.tags {
            d.add_u64(self.tag, *t as u64);
        }
        d.add_u64(self.trashed, u64::from(m.deleted));
        d
    }

    pub fn customer_document(&self, c: &CustomerDoc) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_u64(self.kind, KIND_CUSTOMER);
        d.add_u64(self.id, c.id as u64);
        d.add_text(self.key, format!("c{}", c.id));
        d.add_i64(self.date, c.updated_at);
        d.add_text(self.name, format!("{} {}", c.name, c.short_name));
        d.add_text(self.emails, &c.email);
        d.add_text(self.website, &c.website);
        let mut phones = vec![c.phones.clone()];
        let mut notes = vec![
            c.keywords.clone(),
            c.main_products.clone(),
            c.tags.clone(),
            c.city.clone(),
            c.address.clone(),
            c.profile.clone(),
        ];
        notes.extend(c.field_values.iter().cloned());
        for k in &c.contacts {
            d.add_text(self.contacts, format!("{} {}", k.name, k.title));
            d.add_text(self.emails, &k.emails);
            phones.push(k.phones.clone());
            notes.push(k.handles.clone());
            notes.push(k.notes.clone());
        }
        for p in &phones {
            d.add_text(self.phones, p);
            for number in p.split([',', ';', '/', '\n']) {
                for form in phone_forms(number) {
                    d.add_text(self.phones, form);
                }
            }
        }
        d.add_text(self.notes, notes.join("\n"));
        for o in &c.owners {
            d.add_u64(self.owner, *o as u64);
        }
        d.add_u64(self.shared, u64::from(c.shared));
        d
    }
}

/// A phone number's digits as one word, and its last nine digits (as duplicate checks
/// compare), so "13800138000" finds "+86 138-0013-8000".
pub fn phone_forms(number: &str) -> Vec<String> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let mut forms = Vec::new();
    if digits.len() >= 5 {
        forms.push(digits.clone());
        if let Some(key) = phone_key(number)
            && key != digits
        {
            forms.push(key);
        }
    }
    forms
}

/// The first `max` bytes of `text`, cut at a character boundary.
pub fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
