//! A search as the web layer asks it: the query's names resolved to ids within the
//! actor's scope, the index asked, the rows read back through the store's access check,
//! and highlighted snippets made.

use wharf_core::search_query::{Named, SearchQuery};
use wharf_core::zone::Zone;
use wharf_core::{Actor, DomainError};
use wharf_store::search_feed::{CustomerHit, IndexCustomerScope, MailHit};
use wharf_store::{Store, StoreError};

use crate::index::{SearchIndex, Sort, run};
use crate::query::{CustomerFilter, MailFilter, QueryBuilder};
use crate::snippet::Highlighter;
use crate::{Error, Result};

/// The furthest a page may start, and the most results a page may hold.
pub const MAX_OFFSET: usize = 10_000;
pub const MAX_LIMIT: usize = 100;

#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The company's time zone, for the days of date filters.
    pub time_zone: Zone,
    pub mail_offset: usize,
    pub customer_offset: usize,
    pub limit: usize,
    pub sort: Sort,
    pub include_trash: bool,
    /// The last word may be unfinished (typed so far, for suggestions as one types): it
    /// also matches the words it begins.
    pub prefix_last: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            time_zone: Zone::utc(),
            mail_offset: 0,
            customer_offset: 0,
            limit: 20,
            sort: Sort::Relevance,
            include_trash: false,
            prefix_last: false,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MailResult {
    #[serde(flatten)]
    pub hit: MailHit,
    /// HTML: the subject with the words found marked (`<mark>`), escaped.
    pub subject_html: String,
    /// HTML: the best passage of the text, escaped, words found marked.
    pub snippet_html: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerResult {
    #[serde(flatten)]
    pub hit: CustomerHit,
    pub name_html: String,
    pub snippet_html: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Section<T> {
    /// Whether this kind was searched at all (filters can rule it out).
    pub searched: bool,
    /// Matches in the index within the actor's scope.
    pub total: usize,
    pub items: Vec<T>,
}

impl<T> Section<T> {
    fn skipped() -> Section<T> {
        Section {
            searched: false,
            total: 0,
            items: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Results {
    pub mail: Section<MailResult>,
    pub customers: Section<CustomerResult>,
    /// False while the index is being built for the first time: found so far only.
    pub complete: bool,
}

/// Index and highlighting work is CPU work: off the async workers, so one long search
/// does not hold up other requests.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await?
}

/// The ids a typed name stands for; none is an error naming it.
fn known(filter: &'static str, name: &str, ids: Vec<i64>) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Err(unknown(filter, name));
    }
    Ok(ids)
}

fn unknown(filter: &'static str, value: &str) -> Error {
    Error::Unknown {
        filter,
        value: value.to_string(),
    }
}

impl SearchIndex {
    /// Searches mail and customers as `actor` may see them.
    pub async fn search(
        &self,
        store: &Store,
        actor: &Actor,
        q: &SearchQuery,
        opts: &SearchOptions,
    ) -> Result<Results> {
        // Pages far out are refused by size, not computed (tantivy reserves room for
        // offset + limit hits per segment).
        let limit = opts.limit.clamp(1, MAX_LIMIT);
        let mail_offset = opts.mail_offset.min(MAX_OFFSET);
        let customer_offset = opts.customer_offset.min(MAX_OFFSET);
        let scope = store.search_scope(actor).await?;
        let searcher = self.searcher();
        let found_words: Vec<String> = q
            .words
            .iter()
            .filter(|w| !w.negated)
            .map(|w| w.text.clone())
            .collect();
        let begins = match q.words.last() {
            Some(last) if opts.prefix_last => crate::query::beginnings(last),
            _ => Vec::new(),
        };
        let mut builder = QueryBuilder {
            fields: &self.fields,
            analyzer: self.analyzer(),
            prefix_last: opts.prefix_last,
        };

        // Owners named by `owner:`.
        let owners: Option<Vec<i64>> = match &q.owner {
            None => None,
            Some(Named::Id(u)) => Some(vec![*u]),
            Some(Named::Name(n)) => Some(known("owner", n, store.search_user_ids(n).await?)?),
        };

        let mail = if q.searches_mail() && !(scope.accounts.is_empty() && scope.handed.is_empty()) {
            let mut filter = MailFilter {
                accounts: scope.accounts.clone(),
                handed: scope.handed.clone(),
                since: scope.since.clone(),
                has_attachment: q.has_attachment,
                from: q.from.clone(),
                to: q.to.clone(),
                subject: q.subject.clone(),
                include_trash: opts.include_trash,
                after: q.after.map(|d| opts.time_zone.day_start(d)),
                // Up to the start of the day after (DST days are not 24 hours long).
                before: q.before.map(|d| opts.time_zone.day_range(d).1),
                ..MailFilter::default()
            };
            if let Some(account) = &q.account {
                let chosen = match account {
                    Named::Id(a) => vec![*a],
                    Named::Name(n) => {
                        known("account", n, store.search_account_ids(actor, n).await?)?
                    }
                };
                filter.accounts.retain(|a| chosen.contains(a));
                filter.handed.clear();
            }
            if let Some(users) = &owners {
                let owned = store.accounts_owned_by(users).await?;
                filter.accounts.retain(|a| owned.contains(a));
                filter.handed.clear();
            }
            if let Some(customer) = &q.customer {
                let ids = match customer {
                    Named::Id(c) => vec![*c],
                    Named::Name(n) => {
                        known("customer", n, store.search_customer_ids(actor, n).await?)?
                    }
                };
                let mut keys = Vec::new();
                for id in ids {
                    let (addresses, domains) = match store.customer_link_keys(actor, id).await {
                        Ok(k) => k,
                        // One the actor may not see is as unknown as one that is not.
                        Err(StoreError::Domain(DomainError::NotFound | DomainError::Denied)) => {
                            return Err(unknown("customer", &format!("#{id}")));
                        }
                        Err(e) => return Err(e.into()),
                    };
                    keys.extend(addresses.into_iter().map(|a| format!("a:{a}")));
                    keys.extend(domains.into_iter().map(|d| format!("d:{d}")));
                }
                filter.link_keys = Some(keys);
            }
            if let Some(kind) = &q.mail_type {
                filter.mail_types = Some(match kind {
                    Named::Id(t) => vec![*t],
                    Named::Name(n) => known("type", n, store.search_mail_type_ids(n).await?)?,
                });
            }
            if let Some(tag) = &q.tag {
                // `#12` is tag 12, or a tag called "12" or "#12".
                let (typed, id) = match tag {
                    Named::Id(t) => (format!("#{t}"), Some(*t)),
                    Named::Name(n) => (n.clone(), None),
                };
                let ids = store.search_tag_ids(&typed, id).await?;
                filter.tags = Some(known("tag", &typed, ids)?);
            }
            let query = builder.mail(&q.words, &filter);
            let (sort, s) = (opts.sort, searcher.clone());
            let (total, ids) = blocking(move || run(&s, &*query, sort, mail_offset, limit)).await?;
            let hits = store.mail_hits(actor, &ids).await?;
            let mut marked: Vec<String> = found_words.clone();
            marked.extend(q.subject.iter().cloned());
            let body_words = marked.clone();
            marked.extend(q.from.iter().chain(&q.to).cloned());
            let (analyzer, begun) = (self.analyzer(), begins.clone());
            let items = blocking(move || {
                let mut body =
                    Highlighter::new(analyzer.clone(), &body_words).with_beginnings(&begun);
                let mut subject = Highlighter::new(analyzer, &marked).with_beginnings(&begun);
                Ok(hits
                    .into_iter()
                    .map(|hit| MailResult {
                        subject_html: subject.html(&hit.subject, 300),
                        snippet_html: body.html(&hit.body_text, 180),
                        hit,
                    })
                    .collect())
            })
            .await?;
            Section {
                searched: true,
                total,
                items,
            }
        } else {
            Section::skipped()
        };

        let customers = match (
            &scope.customers,
            q.searches_customers() && q.customer.is_none(),
        ) {
            (Some(visible), true) => {
                let mut filter = match visible {
                    IndexCustomerScope::All => CustomerFilter {
                        owners: None,
                        pool: true,
                    },
                    IndexCustomerScope::SharedOrOwnedBy(users) => CustomerFilter {
                        owners: Some(users.clone()),
                        pool: true,
                    },
                };
                if let Some(users) = &owners {
                    filter.owners = Some(match &filter.owners {
                        None => users.clone(),
                        Some(mine) => users.iter().copied().filter(|u| mine.contains(u)).collect(),
                    });
                    filter.pool = false;
                }
                let query = builder.customers(&q.words, &filter);
                let (sort, s) = (opts.sort, searcher.clone());
                let (total, ids) =
                    blocking(move || run(&s, &*query, sort, customer_offset, limit)).await?;
                let hits = store.customer_hits(actor, &ids).await?;
                let (analyzer, words) = (self.analyzer(), found_words.clone());
                let begun = begins.clone();
                let items = blocking(move || {
                    let mut marks = Highlighter::new(analyzer, &words).with_beginnings(&begun);
                    Ok(hits
                        .into_iter()
                        .map(|hit| {
                            let mut snippet = marks.html(&hit.contacts.join(" · "), 160);
                            if !snippet.contains("<mark>") {
                                snippet = marks.html(&hit.text, 160);
                            }
                            CustomerResult {
                                name_html: marks.html(&hit.name, 300),
                                snippet_html: snippet,
                                hit,
                            }
                        })
                        .collect())
                })
                .await?;
                Section {
                    searched: true,
                    total,
                    items,
                }
            }
            _ => Section::skipped(),
        };
        Ok(Results {
            mail,
            customers,
            complete: !self.is_building(),
        })
    }
}
