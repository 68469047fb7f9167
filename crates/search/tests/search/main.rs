//! Search against the real store on SQLite and PostgreSQL: Chinese, English and mixed
//! queries with known answers, phrases, filters, snippets; a salesperson never finds
//! another's mail or customers; changes reach the index through the change log; an
//! index on disk survives a restart and rebuilds when asked.
#![allow(clippy::unwrap_used)]

use wharf_core::Actor;
use wharf_core::customer::{ContactInput, CustomerInput};
use wharf_core::search_query::SearchQuery;
use wharf_mailbox::Env;
use wharf_mailbox::ingest::Origin;
use wharf_search::{Results, SearchIndex, SearchOptions};
use wharf_store::Store;
use wharf_store::blobs::Blobs;
use wharf_store::testing::{backends, ctx, local_account};
use wharf_store::vault::Vault;

struct World {
    env: Env,
    admin: Actor,
    li: Actor,
    wang: Actor,
    li_account: i64,
    wang_account: i64,
}

async fn world(store: &Store) -> World {
    let dir = std::env::temp_dir().join(format!(
        "wharf-search-blobs-{}",
        &wharf_store::secret::random_token()[..12]
    ));
    let env = Env {
        store: store.clone(),
        blobs: Blobs::in_data_dir(&dir),
        vault: Vault::from_hex(&wharf_store::secret::random_token()).unwrap(),
    };
    let admin = wharf_store::testing::admin(store).await;
    let role = store
        .list_roles(&admin)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code.as_deref() == Some("salesperson"))
        .unwrap()
        .id;
    let mut people = Vec::new();
    for (username, name) in [("li", "Li Na"), ("wang", "Wang Wei")] {
        let id = store
            .create_staff(
                ctx(&admin),
                wharf_core::org::StaffInput {
                    username: username.into(),
                    name: name.into(),
                    role_id: Some(role),
                    status: "active".into(),
                    password: Some("welcome-123".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        people.push(store.load_actor(id).await.unwrap().unwrap());
    }
    let wang = people.pop().unwrap();
    let li = people.pop().unwrap();
    let mut accounts = Vec::new();
    for who in [&li, &wang] {
        accounts.push(
            store
                .create_account(
                    ctx(&admin),
                    &env.vault,
                    local_account(&format!("{}@wharf.test", who.username), Some(who.user_id)),
                )
                .await
                .unwrap(),
        );
    }
    World {
        env,
        admin,
        li,
        wang,
        li_account: accounts[0],
        wang_account: accounts[1],
    }
}

/// Stores mail in the Inbox of `account` (Li's or Wang's), 500 messages a transaction;
/// gives their ids.
async fn mail_many(w: &World, account: i64, raws: Vec<String>) -> Vec<i64> {
    let own = if account == w.li_account {
        "li@wharf.test"
    } else {
        "wang@wharf.test"
    };
    let mut ids = Vec::with_capacity(raws.len());
    for chunk in raws.chunks(500) {
        let batch = chunk
            .iter()
            .map(|raw| {
                let origin = Origin {
                    account_id: account,
                    own_addresses: vec![own.into()],
                    folder_role: "inbox".into(),
                    source: "test".into(),
                    ..Default::default()
                };
                (raw.clone().into_bytes(), origin)
            })
            .collect();
        let stored = w.env.ingestor().ingest_raw(batch, None).await.unwrap();
        ids.extend(stored.iter().map(|s| s.id()));
    }
    ids
}

async fn mail(w: &World, account: i64, raw: String) -> i64 {
    mail_many(w, account, vec![raw]).await[0]
}

fn text_mail(from: &str, to: &str, subject: &str, body: &str, date: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: =?UTF-8?B?{}?=\r\nDate: {date}\r\nMessage-ID: <{}@t>\r\n\
MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        b64(subject),
        wharf_store::secret::random_token()
    )
}

fn b64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = s.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn find(index: &SearchIndex, store: &Store, actor: &Actor, q: &str) -> Results {
    index
        .search(
            store,
            actor,
            &SearchQuery::parse(q).unwrap(),
            &SearchOptions::default(),
        )
        .await
        .unwrap()
}

/// The error a search that cannot be answered gives.
async fn refused(
    index: &SearchIndex,
    store: &Store,
    actor: &Actor,
    q: &str,
) -> wharf_search::Error {
    index
        .search(
            store,
            actor,
            &SearchQuery::parse(q).unwrap(),
            &SearchOptions::default(),
        )
        .await
        .unwrap_err()
}

async fn mail_ids(index: &SearchIndex, store: &Store, actor: &Actor, q: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = find(index, store, actor, q)
        .await
        .mail
        .items
        .iter()
        .map(|m| m.hit.id)
        .collect();
    ids.sort();
    ids
}

async fn customer_names(index: &SearchIndex, store: &Store, actor: &Actor, q: &str) -> Vec<String> {
    let mut names: Vec<String> = find(index, store, actor, q)
        .await
        .customers
        .items
        .iter()
        .map(|c| c.hit.name.clone())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn chinese_english_mixed_filters_and_scope() {
    for store in backends().await {
        let w = world(&store).await;
        let li_inbox = "li@wharf.test";
        let led = mail(
            &w,
            w.li_account,
            format!(
                "From: Tom Baker <tom@acme.de>\r\nTo: {li_inbox}\r\nSubject: Quotation for LED bulbs\r\nDate: Mon, 2 Nov 2026 10:00:00 +0800\r\n\
Message-ID: <led@t>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n\
Please find our best price for 5000 pcs LED bulbs, shipping to Dubai.\r\n--B\r\nContent-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename=\"price-list-2026.xlsx\"\r\n\r\nxx\r\n--B--\r\n"
            ),
        )
        .await;
        let quote_cn = mail(
            &w,
            w.li_account,
            text_mail(
                "张伟 <zhang@buyer.cn>",
                li_inbox,
                "关于报价单的问题",
                "您好，我们的报价单已经发给客户，请确认价格和交货期。",
                "Tue, 10 Nov 2026 09:00:00 +0800",
            ),
        )
        .await;
        let mixed = mail(
            &w,
            w.li_account,
            text_mail(
                "Ahmed <ahmed@dubai-lights.ae>",
                li_inbox,
                "LED灯泡报价 for Dubai客户",
                "请发LED灯泡的最新报价，数量5000个，目的港Jebel Ali。",
                "Wed, 11 Nov 2026 09:00:00 +0800",
            ),
        )
        .await;
        let old = mail(
            &w,
            w.li_account,
            text_mail(
                "old@buyer.cn",
                li_inbox,
                "Samples shipped",
                "The samples were shipped last year.",
                "Mon, 6 Jan 2025 09:00:00 +0800",
            ),
        )
        .await;
        // Wang's mail, with the same words: li must never find it.
        let wangs = mail(
            &w,
            w.wang_account,
            text_mail(
                "Tom Baker <tom@acme.de>",
                "wang@wharf.test",
                "LED 报价 secret",
                "Our LED price for you only. 报价单 attached.",
                "Thu, 12 Nov 2026 09:00:00 +0800",
            ),
        )
        .await;

        // Customers: li's, wang's and one in the shared pool.
        let acme = store
            .create_customer(
                ctx(&w.li),
                CustomerInput {
                    name: "Acme Lighting GmbH".into(),
                    website: "https://www.acme.de".into(),
                    main_products: "LED bulbs, 灯泡".into(),
                    ..Default::default()
                },
                &[w.li.user_id],
            )
            .await
            .unwrap();
        store
            .add_contact(
                ctx(&w.li),
                acme,
                ContactInput {
                    name: "Tom Baker".into(),
                    emails: "tom@acme.de".into(),
                    phones: "+86 138-0013-8000".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        store
            .create_customer(
                ctx(&w.wang),
                CustomerInput {
                    name: "深圳华强电子有限公司".into(),
                    main_products: "LED 显示屏".into(),
                    ..Default::default()
                },
                &[w.wang.user_id],
            )
            .await
            .unwrap();
        store
            .create_customer(
                ctx(&w.admin),
                CustomerInput {
                    name: "Pool Trading 迪拜".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();

        let index = SearchIndex::in_memory().unwrap();
        index.catch_up(&store).await.unwrap();
        let li = &w.li;

        // English, stemmed; wang's mail never appears.
        assert_eq!(mail_ids(&index, &store, li, "LED").await, vec![led, mixed]);
        assert_eq!(
            mail_ids(&index, &store, li, "shipped").await,
            vec![led, old]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "SHIPPING dubai").await,
            vec![led]
        );
        // Chinese: a word inside a longer one, the longer one, a word of the body.
        assert_eq!(
            mail_ids(&index, &store, li, "报价").await,
            vec![quote_cn, mixed]
        );
        assert_eq!(mail_ids(&index, &store, li, "报价单").await, vec![quote_cn]);
        assert_eq!(mail_ids(&index, &store, li, "交货期").await, vec![quote_cn]);
        // A single character (a surname, say) finds the words holding it.
        assert_eq!(mail_ids(&index, &store, li, "张").await, vec![quote_cn]);
        assert_eq!(mail_ids(&index, &store, li, "灯").await, vec![mixed]);
        // Mixed Chinese and English, in one word or two.
        assert_eq!(mail_ids(&index, &store, li, "LED 报价").await, vec![mixed]);
        assert_eq!(mail_ids(&index, &store, li, "LED灯泡").await, vec![mixed]);
        // Phrases keep order and adjacency.
        assert_eq!(
            mail_ids(&index, &store, li, "\"best price\"").await,
            vec![led]
        );
        assert!(
            mail_ids(&index, &store, li, "\"price best\"")
                .await
                .is_empty()
        );
        assert_eq!(
            mail_ids(&index, &store, li, "“确认价格”").await,
            vec![quote_cn]
        );
        // Leaving a word out.
        assert_eq!(
            mail_ids(&index, &store, li, "LED -dubai").await,
            Vec::<i64>::new()
        );
        assert_eq!(
            mail_ids(&index, &store, li, "报价 -LED").await,
            vec![quote_cn]
        );
        // Filters.
        assert_eq!(
            mail_ids(&index, &store, li, "from:zhang@buyer.cn").await,
            vec![quote_cn]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "from:张伟").await,
            vec![quote_cn]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "发件人：acme.de").await,
            vec![led]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "subject:报价").await,
            vec![quote_cn, mixed]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "has:attachment").await,
            vec![led]
        );
        assert_eq!(mail_ids(&index, &store, li, "price-list").await, vec![led]);
        assert_eq!(mail_ids(&index, &store, li, "date:2025").await, vec![old]);
        assert_eq!(
            mail_ids(&index, &store, li, "after:2026-11-10 before:2026-11-10").await,
            vec![quote_cn]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "customer:\"Acme Lighting GmbH\"").await,
            vec![led]
        );
        // A short name in any script's case.
        let oeko = store
            .create_customer(
                ctx(li),
                CustomerInput {
                    name: "Ökologische Leuchten AG".into(),
                    short_name: "ÖKO-Licht".into(),
                    ..Default::default()
                },
                &[li.user_id],
            )
            .await
            .unwrap();
        assert_eq!(
            store.search_customer_ids(li, "öko-licht").await.unwrap(),
            vec![oeko]
        );
        assert!(
            store
                .search_customer_ids(&w.wang, "öko-licht")
                .await
                .unwrap()
                .is_empty(),
            "not Wang's to see"
        );
        // Typed as duplicates compare names: any case, punctuation and spaces aside.
        assert_eq!(
            mail_ids(&index, &store, li, "customer:\"ACME lighting, gmbh.\"").await,
            vec![led]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "owner:\"LI NA\" LED").await,
            vec![led, mixed]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "owner:li LED").await,
            vec![led, mixed]
        );
        assert!(mail_ids(&index, &store, li, "owner:wang").await.is_empty());
        // An account li may not read is as unknown to her as one that does not exist.
        let err = refused(&index, &store, li, "account:wang@wharf.test").await;
        assert!(matches!(
            err,
            wharf_search::Error::Unknown {
                filter: "account",
                ..
            }
        ));
        assert_eq!(
            mail_ids(&index, &store, li, "account:li@wharf.test 报价").await,
            vec![quote_cn, mixed]
        );

        // Suggestions as one types: the last word may be unfinished (three letters or
        // more); the others are whole words. Never another's either.
        let typed = |q: &str| {
            let (index, store) = (&index, &store);
            let q = SearchQuery::parse(q).unwrap();
            async move {
                let opts = SearchOptions {
                    prefix_last: true,
                    ..SearchOptions::default()
                };
                let r = index.search(store, li, &q, &opts).await.unwrap();
                let mut names: Vec<String> = r
                    .customers
                    .items
                    .iter()
                    .map(|c| c.hit.name.clone())
                    .collect();
                names.extend(r.mail.items.iter().map(|m| m.hit.subject.clone()));
                names
            }
        };
        assert_eq!(typed("acme ligh").await, vec!["Acme Lighting GmbH"]);
        // Typed past the stem (`light`) it still matches, until the word is whole.
        assert_eq!(typed("acme lightin").await, vec!["Acme Lighting GmbH"]);
        // The words an unfinished one begins are marked too.
        let begun = index
            .search(
                &store,
                li,
                &SearchQuery::parse("acme lightin").unwrap(),
                &SearchOptions {
                    prefix_last: true,
                    ..SearchOptions::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            begun.customers.items[0].name_html,
            "<mark>Acme</mark> <mark>Lighting</mark> GmbH"
        );
        assert_eq!(typed("ac").await, Vec::<String>::new());
        assert!(customer_names(&index, &store, li, "ligh").await.is_empty());
        // Tom Baker: a contact of the customer, and the sender of Li's quotation.
        assert_eq!(
            typed("tom bak").await,
            vec!["Acme Lighting GmbH", "Quotation for LED bulbs"]
        );
        assert!(typed("华强").await.is_empty(), "{:?}", typed("华强").await);
        assert!(
            typed("shenzh").await.is_empty(),
            "wang's customer stays out"
        );

        // Customers: by name, contact, phone digits, product; never another's.
        assert_eq!(
            customer_names(&index, &store, li, "acme").await,
            vec!["Acme Lighting GmbH"]
        );
        assert_eq!(
            customer_names(&index, &store, li, "13800138000").await,
            vec!["Acme Lighting GmbH"]
        );
        assert_eq!(
            customer_names(&index, &store, li, "tom baker").await,
            vec!["Acme Lighting GmbH"]
        );
        assert_eq!(
            customer_names(&index, &store, li, "灯泡").await,
            vec!["Acme Lighting GmbH"]
        );
        assert!(customer_names(&index, &store, li, "华强").await.is_empty());
        assert_eq!(
            customer_names(&index, &store, li, "迪拜").await,
            vec!["Pool Trading 迪拜"]
        );
        assert_eq!(
            customer_names(&index, &store, &w.wang, "华强").await,
            vec!["深圳华强电子有限公司"]
        );
        assert_eq!(
            customer_names(&index, &store, &w.admin, "LED").await,
            vec!["Acme Lighting GmbH", "深圳华强电子有限公司"]
        );
        // Wang finds his own mail, not li's.
        assert_eq!(mail_ids(&index, &store, &w.wang, "LED").await, vec![wangs]);
        // Mail handed to li from Wang's account: found by her, marked as handed; not
        // its neighbours.
        store
            .hand_over(ctx(&w.admin), wangs, w.li.user_id, "please follow up")
            .await
            .unwrap();
        let r = find(&index, &store, li, "secret").await;
        assert_eq!(r.mail.items.len(), 1);
        assert!(r.mail.items[0].hit.handed_only);
        assert_eq!(
            mail_ids(&index, &store, li, "LED").await,
            vec![led, mixed, wangs]
        );

        // Snippets mark what was found and escape the rest.
        let r = find(&index, &store, li, "确认价格").await;
        assert!(
            r.mail.items[0].snippet_html.contains("<mark>"),
            "{}",
            r.mail.items[0].snippet_html
        );
        let r = find(&index, &store, li, "LED").await;
        assert!(
            r.mail
                .items
                .iter()
                .all(|m| m.subject_html.contains("<mark>LED</mark>"))
        );
        assert_eq!(r.mail.total, 3);

        // A word with nothing indexable finds nothing (not everything); pages far out
        // and negated filters are answered, not crashed on.
        assert!(mail_ids(&index, &store, li, "🙂").await.is_empty());
        assert!(customer_names(&index, &store, li, "。").await.is_empty());
        let far = index
            .search(
                &store,
                li,
                &SearchQuery::parse("LED").unwrap(),
                &SearchOptions {
                    mail_offset: usize::MAX,
                    customer_offset: usize::MAX,
                    limit: usize::MAX,
                    ..SearchOptions::default()
                },
            )
            .await
            .unwrap();
        assert!(far.mail.items.is_empty() && far.mail.total == 3);
        assert_eq!(
            SearchQuery::parse("-from:zhang").unwrap_err().code,
            "search_negated_filter"
        );
        // Filters alone: newest first.
        let r = find(&index, &store, li, "from:buyer.cn").await;
        let order: Vec<i64> = r.mail.items.iter().map(|m| m.hit.id).collect();
        assert_eq!(order, vec![quote_cn, old]);

        // Unknown names are errors, not silent empty lists.
        let err = refused(&index, &store, li, "owner:nobody").await;
        assert!(matches!(
            err,
            wharf_search::Error::Unknown {
                filter: "owner",
                ..
            }
        ));

        // Tags: tag: (also 标签：, any case, with or without #) finds the tagged mail;
        // an unknown tag is named; untagged, the mail is not found by it any more.
        let urgent = store
            .tag_message(ctx(li), mixed, "Urgent 紧急")
            .await
            .unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            mail_ids(&index, &store, li, "tag:\"urgent 紧急\"").await,
            vec![mixed]
        );
        assert_eq!(
            mail_ids(&index, &store, li, "标签：\"#Urgent 紧急\" LED").await,
            vec![mixed]
        );
        assert!(
            mail_ids(&index, &store, li, "tag:\"urgent 紧急\" shipped")
                .await
                .is_empty()
        );
        // `#<id>` is the tag with that id, or one named with those digits.
        assert_eq!(
            mail_ids(&index, &store, li, &format!("tag:#{}", urgent.id)).await,
            vec![mixed]
        );
        let numbered = store.tag_message(ctx(li), led, "2024").await.unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(mail_ids(&index, &store, li, "tag:2024").await, vec![led]);
        assert_ne!(numbered.id, 2024);
        assert_eq!(mail_ids(&index, &store, li, "tag:#2024").await, vec![led]);
        let err = refused(&index, &store, li, "tag:nosuchtag").await;
        assert!(matches!(
            err,
            wharf_search::Error::Unknown { filter: "tag", .. }
        ));
        store
            .untag_message(ctx(li), mixed, urgent.id)
            .await
            .unwrap();
        index.catch_up(&store).await.unwrap();
        assert!(
            mail_ids(&index, &store, li, "tag:\"urgent 紧急\"")
                .await
                .is_empty()
        );

        // Changes reach the index through the log: Trash, a renamed customer, a deletion.
        let admin_ctx = ctx(&w.admin);
        store.set_trashed(admin_ctx, led, true).await.unwrap();
        let input = CustomerInput {
            name: "Acme Beleuchtung".into(),
            website: "https://www.acme.de".into(),
            ..Default::default()
        };
        store.update_customer(admin_ctx, acme, input).await.unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            mail_ids(&index, &store, li, "LED").await,
            vec![mixed, wangs]
        );
        assert_eq!(
            customer_names(&index, &store, li, "beleuchtung").await,
            vec!["Acme Beleuchtung"]
        );
        assert!(
            customer_names(&index, &store, li, "lighting")
                .await
                .is_empty()
        );

        // A custom field's value is searched too, and named in the snippet; emptied, it
        // is gone from the index.
        let field = store
            .create_custom_field(
                admin_ctx,
                wharf_core::custom_field::CustomFieldInput {
                    label: "认证".into(),
                    kind: "text".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let mut input = CustomerInput {
            name: "Acme Beleuchtung".into(),
            website: "https://www.acme.de".into(),
            custom: vec![(field, "TÜV Rheinland 质检报告".into())],
            ..Default::default()
        };
        store
            .update_customer(admin_ctx, acme, input.clone())
            .await
            .unwrap();
        index.catch_up(&store).await.unwrap();
        let found = find(&index, &store, li, "rheinland").await.customers;
        assert_eq!(found.total, 1);
        let snippet = &found.items[0].snippet_html;
        assert!(
            snippet.contains("认证: TÜV <mark>Rheinland</mark>"),
            "{snippet}"
        );
        assert_eq!(
            customer_names(&index, &store, li, "质检").await,
            vec!["Acme Beleuchtung"]
        );
        assert!(
            customer_names(&index, &store, &w.wang, "rheinland")
                .await
                .is_empty()
        );
        input.custom.clear();
        store.update_customer(admin_ctx, acme, input).await.unwrap();
        index.catch_up(&store).await.unwrap();
        assert!(
            customer_names(&index, &store, li, "rheinland")
                .await
                .is_empty()
        );

        store.delete_customer(admin_ctx, acme).await.unwrap();
        index.catch_up(&store).await.unwrap();
        assert!(customer_names(&index, &store, li, "tom").await.is_empty());
    }
}

#[tokio::test]
async fn an_index_on_disk_catches_up_after_a_restart_and_rebuilds_when_asked() {
    for store in backends().await {
        let w = world(&store).await;
        let dir = std::env::temp_dir().join(format!(
            "wharf-search-index-{}",
            &wharf_store::secret::random_token()[..12]
        ));
        let first = mail(
            &w,
            w.li_account,
            text_mail(
                "a@b.example",
                "li@wharf.test",
                "Valve order",
                "ball valves",
                "Mon, 2 Nov 2026 10:00:00 +0800",
            ),
        )
        .await;
        let index = SearchIndex::open(&dir, 30_000_000).unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(index.status().documents, 1);
        // A second opener (another process, the CLI) is told the index is busy.
        assert!(matches!(
            SearchIndex::open(&dir, 30_000_000),
            Err(wharf_search::Error::Busy)
        ));
        drop(index);

        // Mail arrives while no server runs; the next start catches up.
        let second = mail(
            &w,
            w.li_account,
            text_mail(
                "a@b.example",
                "li@wharf.test",
                "Valve order 2",
                "gate valves",
                "Tue, 3 Nov 2026 10:00:00 +0800",
            ),
        )
        .await;
        let index = SearchIndex::open(&dir, 30_000_000).unwrap();
        assert_eq!(index.status().documents, 1);
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            mail_ids(&index, &store, &w.li, "valves").await,
            vec![first, second]
        );

        // A damaged index is started afresh and filled again.
        drop(index);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap() == "meta.json" {
                std::fs::write(&path, b"{ not json").unwrap();
            }
        }
        let index = SearchIndex::open(&dir, 30_000_000).unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            mail_ids(&index, &store, &w.li, "valves").await,
            vec![first, second]
        );

        // A second app node on the same database keeps its own index from the same log.
        let other_node = SearchIndex::in_memory().unwrap();
        other_node.catch_up(&store).await.unwrap();
        assert_eq!(
            mail_ids(&other_node, &store, &w.li, "valves").await,
            vec![first, second]
        );
        let third = mail(
            &w,
            w.li_account,
            text_mail(
                "a@b.example",
                "li@wharf.test",
                "Valve order 3",
                "check valves",
                "Wed, 4 Nov 2026 10:00:00 +0800",
            ),
        )
        .await;
        for node in [&index, &other_node] {
            node.catch_up(&store).await.unwrap();
            assert_eq!(
                mail_ids(node, &store, &w.li, "valves").await,
                vec![first, second, third]
            );
        }

        // `wharf search rebuild` with a server running asks every node to rebuild.
        let generation = store.request_search_rebuild().await.unwrap();
        for node in [&index, &other_node] {
            node.catch_up(&store).await.unwrap();
            assert_eq!(node.status().generation, generation);
            assert_eq!(node.status().documents, 3);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A first build commits as it goes: cut short (the process gone mid-way), the next
/// start goes on from where it stopped, every document once, and changes made in the
/// meantime to documents it had already written are applied.
#[tokio::test]
async fn a_first_build_cut_short_goes_on_where_it_stopped() {
    const MESSAGES: usize = 3_000;
    for store in backends().await {
        let w = world(&store).await;
        let dir = std::env::temp_dir().join(format!(
            "wharf-search-build-{}",
            &wharf_store::secret::random_token()[..12]
        ));
        let raws = (0..MESSAGES)
            .map(|n| {
                text_mail(
                    "buyer@b.example",
                    "li@wharf.test",
                    &format!("Order {n}"),
                    &format!("item{n} sprocket"),
                    "Mon, 2 Nov 2026 10:00:00 +0800",
                )
            })
            .collect();
        let ids = mail_many(&w, w.li_account, raws).await;

        // One commit a page (a thousand documents); the build is dropped after the first.
        let index = SearchIndex::open(&dir, 30_000_000)
            .unwrap()
            .with_build_commit_every(1);
        assert!(index.is_building(), "an index never built is incomplete");
        let cut = tokio::select! {
            r = index.catch_up(&store) => panic!("the build ended before it was cut: {r:?}"),
            n = async {
                loop {
                    let n = index.status().documents;
                    if n > 0 {
                        break n;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
            } => n,
        };
        assert!((cut as usize) < MESSAGES, "{cut} documents at the cut");
        let found = find(&index, &store, &w.li, "sprocket").await;
        assert_eq!(found.mail.total as u64, cut, "what is built is found");
        assert!(!found.complete, "and said to be incomplete");
        drop(index);

        // Meanwhile the first message (already in the index) goes to Trash.
        store.set_trashed(ctx(&w.li), ids[0], true).await.unwrap();

        // The next start: the writer of the dropped build may still be finishing a step.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let index = loop {
            match SearchIndex::open(&dir, 30_000_000) {
                Ok(index) => break index,
                Err(wharf_search::Error::Busy) if std::time::Instant::now() < deadline => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("{e}"),
            }
        };
        let resumed = index.status();
        assert!(resumed.building && resumed.documents >= cut);
        let written = index.catch_up(&store).await.unwrap();
        assert!(
            written < MESSAGES,
            "went on from {} documents, wrote {written}",
            resumed.documents
        );
        assert!(!index.is_building());
        assert_eq!(index.status().documents as usize, MESSAGES);
        // The next step applies the log again from where it stood when the build began.
        index.catch_up(&store).await.unwrap();
        assert_eq!(index.status().documents as usize, MESSAGES);
        let found = find(&index, &store, &w.li, "sprocket").await;
        assert!(found.complete);
        assert_eq!(
            found.mail.total,
            MESSAGES - 1,
            "the trashed one is left out"
        );
        assert!(mail_ids(&index, &store, &w.li, "item0").await.is_empty());
        assert_eq!(
            mail_ids(&index, &store, &w.li, &format!("item{}", MESSAGES - 1)).await,
            vec![ids[MESSAGES - 1]]
        );
        drop(index);
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A build that fails mid-way (a row the store cannot read) leaves nothing behind: the
/// next try, once the row is mended, has every document once. SQLite only: its loose
/// column types let the test store a date that is not a number.
#[tokio::test]
async fn a_failed_build_adds_nothing_twice() {
    const MESSAGES: usize = 2_500;
    let store = wharf_store::testing::sqlite().await;
    let w = world(&store).await;
    let raws = (0..MESSAGES)
        .map(|n| {
            text_mail(
                "buyer@b.example",
                "li@wharf.test",
                &format!("Part {n}"),
                "flange gasket",
                "Mon, 2 Nov 2026 10:00:00 +0800",
            )
        })
        .collect();
    let ids = mail_many(&w, w.li_account, raws).await;
    // The second page of the build (a thousand messages a page) cannot be read.
    let broken = ids[1_500];
    wharf_store::testing::execute_sql(
        &store,
        &format!("UPDATE messages SET received_at = 'not a number' WHERE id = {broken}"),
    )
    .await;
    let index = SearchIndex::in_memory().unwrap();
    assert!(index.catch_up(&store).await.is_err(), "the build fails");
    wharf_store::testing::execute_sql(
        &store,
        &format!("UPDATE messages SET received_at = 1762048800 WHERE id = {broken}"),
    )
    .await;
    index.catch_up(&store).await.unwrap();
    assert_eq!(index.status().documents as usize, MESSAGES);
    assert_eq!(
        find(&index, &store, &w.li, "gasket").await.mail.total,
        MESSAGES
    );
}

/// PostgreSQL: a change-log number taken by a transaction still running when a later one
/// commits is waited for, then applied when it commits; a rolled-back one stops holding
/// the index's position back.
#[tokio::test]
async fn a_transaction_in_flight_is_not_lost() {
    use wharf_store::testing::customer_in_open_transaction;
    for store in backends().await {
        if store.backend() != wharf_store::Backend::Postgres {
            continue;
        }
        let w = world(&store).await;
        let index = SearchIndex::in_memory().unwrap();
        index.catch_up(&store).await.unwrap();
        let names = |q: &'static str| {
            let (index, store, admin) = (&index, &store, &w.admin);
            async move { customer_names(index, store, admin, q).await }
        };

        let slow = customer_in_open_transaction(&store, "Slowpoke Trading").await;
        store
            .create_customer(
                ctx(&w.admin),
                CustomerInput {
                    name: "Quick Trading".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(names("trading").await, vec!["Quick Trading"]);
        let held = index.status().applied;
        assert!(
            held < store.search_log_head().await.unwrap(),
            "waiting for the open one"
        );
        slow.commit().await;
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            names("trading").await,
            vec!["Quick Trading", "Slowpoke Trading"]
        );
        assert_eq!(
            index.status().applied,
            store.search_log_head().await.unwrap()
        );

        let never = customer_in_open_transaction(&store, "Never Ltd").await;
        store
            .create_customer(
                ctx(&w.admin),
                CustomerInput {
                    name: "After Ltd".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();
        index.catch_up(&store).await.unwrap();
        assert!(index.status().applied < store.search_log_head().await.unwrap());
        never.rollback().await;
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            index.status().applied,
            store.search_log_head().await.unwrap()
        );
        assert_eq!(names("ltd").await, vec!["After Ltd"]);
    }
}
