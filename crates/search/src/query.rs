//! From a parsed search (words, filters) and the actor's scope to tantivy queries. The
//! scope is always a required clause: a document outside it cannot match, whatever the
//! words.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, InvertedIndexRangeQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use wharf_core::search_query::Word;

use crate::schema::{Fields, KIND_CUSTOMER, KIND_MAIL, phone_forms};

/// The mail part of a search, with every name already resolved to ids.
#[derive(Debug, Clone, Default)]
pub struct MailFilter {
    /// Accounts whose mail may match (the readable ones, narrowed by `account:` /
    /// `owner:`).
    pub accounts: Vec<i64>,
    /// Messages handed to the actor, which match even outside `accounts`.
    pub handed: Vec<i64>,
    /// Of `accounts`, those that show only mail received since a time (ACC-5).
    pub since: Vec<(i64, i64)>,
    /// `a:<address>` / `d:<domain>` terms of a customer (`customer:`).
    pub link_keys: Option<Vec<String>>,
    pub mail_types: Option<Vec<i64>>,
    /// Tag ids, any of them (`tag:`).
    pub tags: Option<Vec<i64>>,
    /// Received at or after (seconds).
    pub after: Option<i64>,
    /// Received before (seconds).
    pub before: Option<i64>,
    pub has_attachment: bool,
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub subject: Vec<String>,
    pub include_trash: bool,
}

/// The customer part: `None` owners means every customer (the actor sees all).
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    /// Customers owned by one of these users match; with `pool`, shared ones too.
    pub owners: Option<Vec<i64>>,
    pub pool: bool,
}

pub struct QueryBuilder<'a> {
    pub fields: &'a Fields,
    pub analyzer: TextAnalyzer,
    /// The last word also matches as the beginning of longer words (see `prefix`).
    pub prefix_last: bool,
}

/// The shortest unfinished word matched by its beginning: shorter ones begin too many.
const PREFIX_MIN: usize = 3;

type Clause = (Occur, Box<dyn Query>);

impl QueryBuilder<'_> {
    /// Words as analysed: (position, term text).
    fn tokens(&mut self, text: &str) -> Vec<(usize, String)> {
        let mut stream = self.analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.position, t.text.clone()));
        }
        out
    }

    /// `text` in one field: a term, all of its words, or (quoted) its words in order.
    fn in_field(&mut self, field: Field, text: &str, phrase: bool) -> Option<Box<dyn Query>> {
        let tokens = self.tokens(text);
        let term = |t: &str| Term::from_field_text(field, t);
        match tokens.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                term(&tokens[0].1),
                IndexRecordOption::WithFreqs,
            ))),
            _ if phrase => {
                // Parts of a Chinese word share its position; a phrase keeps one term
                // per position (the word itself, which comes first).
                let mut terms: Vec<(usize, Term)> = Vec::new();
                for (p, t) in &tokens {
                    if terms.last().is_none_or(|(q, _)| q != p) {
                        terms.push((*p, term(t)));
                    }
                }
                let first = terms[0].0;
                if terms.len() == 1 {
                    return Some(Box::new(TermQuery::new(
                        terms.remove(0).1,
                        IndexRecordOption::WithFreqs,
                    )));
                }
                Some(Box::new(PhraseQuery::new_with_offset(
                    terms.into_iter().map(|(p, t)| (p - first, t)).collect(),
                )))
            }
            _ => {
                // Every word, anywhere in the field. The parts of a Chinese word (same
                // position) are left out: the index has them under the word too.
                let mut words: Vec<Clause> = Vec::new();
                let mut last = usize::MAX;
                for (p, t) in &tokens {
                    if *p != last {
                        words.push((
                            Occur::Must,
                            Box::new(TermQuery::new(term(t), IndexRecordOption::WithFreqs)),
                        ));
                        last = *p;
                    }
                }
                Some(Box::new(BooleanQuery::new(words)))
            }
        }
    }

    /// A word in any of these fields (weighted). Unquoted, its words must all be in one
    /// field; a phone number also matches by its digits.
    fn anywhere(&mut self, word: &Word, fields: &[(Field, f32)]) -> Option<Box<dyn Query>> {
        let mut any: Vec<Clause> = Vec::new();
        for (field, boost) in fields {
            if let Some(q) = self.in_field(*field, &word.text, word.phrase) {
                any.push((Occur::Should, Box::new(BoostQuery::new(q, *boost))));
            }
        }
        if fields.iter().any(|(f, _)| *f == self.fields.phones) {
            let digits: String = word.text.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 7 && digits.len() * 10 >= word.text.trim().len() * 7 {
                let terms: Vec<Term> = phone_forms(&word.text)
                    .iter()
                    .map(|f| Term::from_field_text(self.fields.phones, f))
                    .collect();
                any.push((Occur::Should, Box::new(TermSetQuery::new(terms))));
            }
        }
        match any.len() {
            0 => None,
            _ => Some(Box::new(BooleanQuery::new(any))),
        }
    }

    /// An unfinished Latin word or number (`valv`, `shipm`, `1380`) as the beginning of
    /// the words in these fields. The index holds English stems (`valves` → `valv`), so
    /// a beginning longer than the stem matches once the word is whole. Chinese is typed
    /// whole through an input method and needs none.
    fn prefix(&self, word: &Word, fields: &[(Field, f32)]) -> Option<Box<dyn Query>> {
        let begins = beginnings(word);
        if begins.is_empty() {
            return None;
        }
        let mut any: Vec<Clause> = Vec::new();
        for begin in &begins {
            let end = format!("{begin}\u{10FFFF}");
            for (field, boost) in fields {
                // The words' dictionary, not a column (the date field has one).
                let range = InvertedIndexRangeQuery::new(
                    Bound::Included(Term::from_field_text(*field, begin)),
                    Bound::Excluded(Term::from_field_text(*field, &end)),
                );
                any.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(range), *boost * 0.5)),
                ));
            }
        }
        Some(Box::new(BooleanQuery::new(any)))
    }

    fn words(&mut self, words: &[Word], fields: &[(Field, f32)]) -> Vec<Clause> {
        let mut clauses = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let whole = self.anywhere(w, fields);
            let begun = if self.prefix_last && i + 1 == words.len() {
                self.prefix(w, fields)
            } else {
                None
            };
            let found = match (whole, begun) {
                (Some(a), Some(b)) => Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Should, a),
                    (Occur::Should, b),
                ])) as Box<dyn Query>),
                (a, b) => a.or(b),
            };
            match (found, w.negated) {
                (Some(q), true) => clauses.push((Occur::MustNot, q)),
                (Some(q), false) => clauses.push((Occur::Must, q)),
                // Nothing of it can be in the index (punctuation, an emoji): nothing
                // matches it, rather than everything.
                (None, false) => clauses.push((Occur::Must, Box::new(EmptyQuery))),
                (None, true) => {}
            }
        }
        clauses
    }

    fn u64_term(&self, field: Field, v: u64) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_u64(field, v),
            IndexRecordOption::Basic,
        ))
    }

    fn u64_set(&self, field: Field, values: &[i64]) -> Box<dyn Query> {
        if values.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(TermSetQuery::new(
            values
                .iter()
                .map(|v| Term::from_field_u64(field, *v as u64)),
        ))
    }

    /// The mail query: scope, filters, then words.
    pub fn mail(&mut self, words: &[Word], f: &MailFilter) -> Box<dyn Query> {
        let fields = *self.fields;
        let mut filters: Vec<Clause> = vec![(Occur::Must, self.u64_term(fields.kind, KIND_MAIL))];
        // An account with "only show mail since" matches only from that time on.
        let whole: Vec<i64> = f
            .accounts
            .iter()
            .copied()
            .filter(|a| !f.since.iter().any(|(s, _)| s == a))
            .collect();
        let mut scope: Vec<Clause> = vec![(Occur::Should, self.u64_set(fields.account, &whole))];
        for (account, since) in f.since.iter().filter(|(a, _)| f.accounts.contains(a)) {
            let from: Box<dyn Query> = Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(fields.date, *since)),
                Bound::Unbounded,
            ));
            scope.push((
                Occur::Should,
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, self.u64_term(fields.account, *account as u64)),
                    (Occur::Must, from),
                ])),
            ));
        }
        if !f.handed.is_empty() {
            scope.push((Occur::Should, self.u64_set(fields.id, &f.handed)));
        }
        filters.push((Occur::Must, Box::new(BooleanQuery::new(scope))));
        if !f.include_trash {
            filters.push((Occur::Must, self.u64_term(fields.trashed, 0)));
        }
        if let Some(keys) = &f.link_keys {
            filters.push((
                Occur::Must,
                Box::new(TermSetQuery::new(
                    keys.iter().map(|k| Term::from_field_text(fields.addr, k)),
                )),
            ));
        }
        if let Some(types) = &f.mail_types {
            filters.push((Occur::Must, self.u64_set(fields.mail_type, types)));
        }
        if let Some(tags) = &f.tags {
            filters.push((Occur::Must, self.u64_set(fields.tag, tags)));
        }
        if f.has_attachment {
            filters.push((Occur::Must, self.u64_term(fields.has_attachment, 1)));
        }
        if f.after.is_some() || f.before.is_some() {
            let bound = |v: Option<i64>, lower: bool| match v {
                Some(t) if lower => Bound::Included(Term::from_field_i64(fields.date, t)),
                Some(t) => Bound::Excluded(Term::from_field_i64(fields.date, t)),
                None => Bound::Unbounded,
            };
            filters.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(f.after, true),
                    bound(f.before, false),
                )),
            ));
        }
        for (values, field) in [
            (&f.from, fields.from),
            (&f.to, fields.to),
            (&f.subject, fields.subject),
        ] {
            for v in values {
                // Unknown words in a filter must still narrow: no match, no result.
                let q = self
                    .in_field(field, v, true)
                    .unwrap_or_else(|| Box::new(EmptyQuery));
                filters.push((Occur::Must, q));
            }
        }
        let words = self.words(words, &fields.mail_text());
        with_words(filters, words)
    }

    /// The customer query: visibility, then words.
    pub fn customers(&mut self, words: &[Word], f: &CustomerFilter) -> Box<dyn Query> {
        let fields = *self.fields;
        let mut filters: Vec<Clause> =
            vec![(Occur::Must, self.u64_term(fields.kind, KIND_CUSTOMER))];
        if let Some(owners) = &f.owners {
            let mut scope: Vec<Clause> = vec![(Occur::Should, self.u64_set(fields.owner, owners))];
            if f.pool {
                scope.push((Occur::Should, self.u64_term(fields.shared, 1)));
            }
            filters.push((Occur::Must, Box::new(BooleanQuery::new(scope))));
        }
        let words = self.words(words, &fields.customer_text());
        with_words(filters, words)
    }
}

/// The beginnings an unfinished word matches by (none for a word that is not one:
/// quoted, left out, too short, not Latin letters or digits). Stems end before the word
/// does (`lighting` → `light`), so a word typed past its stem (`lighti`) also matches by
/// its beginning one or two letters shorter.
pub(crate) fn beginnings(word: &Word) -> Vec<String> {
    let text = word.text.trim().to_lowercase();
    if word.phrase
        || word.negated
        || text.len() < PREFIX_MIN
        || !text.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Vec::new();
    }
    let mut begins = vec![text.clone()];
    for shorter in [1, 2] {
        if text.len() - shorter > PREFIX_MIN {
            begins.push(text[..text.len() - shorter].to_string());
        }
    }
    begins
}

/// Filters decide what matches, not how well: their score is constant, 0 beside words
/// and 1 without any (so that recency alone orders the results).
fn with_words(filters: Vec<Clause>, words: Vec<Clause>) -> Box<dyn Query> {
    let scored = words.iter().any(|(o, _)| *o == Occur::Must);
    let filter = ConstScoreQuery::new(
        Box::new(BooleanQuery::new(filters)),
        if scored { 0.0 } else { 1.0 },
    );
    let mut clauses: Vec<Clause> = vec![(Occur::Must, Box::new(filter))];
    clauses.extend(words);
    Box::new(BooleanQuery::new(clauses))
}
