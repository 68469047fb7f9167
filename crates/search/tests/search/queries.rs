//! Chinese, English and mixed queries with known answers, phrases, filters, snippets, and the
//! scope: a salesperson never finds another's mail or customers; changes reach the index
//! through the change log.

use wharf_core::customers::{ContactInput, CustomerInput};
use wharf_core::search_query::SearchQuery;
use wharf_search::{SearchIndex, SearchOptions};
use wharf_store::testing::{backends, ctx};

use crate::world::*;

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

/// An account's "only show mail since" (ACC-5) holds for search as for the lists: older
/// mail is neither found nor counted in the total.
#[tokio::test]
async fn an_accounts_since_date_bounds_results_and_totals() {
    for store in backends().await {
        let w = world(&store).await;
        for (subject, date) in [
            ("Container booking old", "Mon, 6 Jan 2025 09:00:00 +0800"),
            ("Container booking older", "Tue, 7 Jan 2025 09:00:00 +0800"),
            ("Container booking new", "Mon, 2 Nov 2026 09:00:00 +0800"),
        ] {
            mail(
                &w,
                w.li_account,
                text_mail("a@buyer.cn", "li@wharf.test", subject, "container", date),
            )
            .await;
        }
        let index = SearchIndex::in_memory().unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(find(&index, &store, &w.li, "container").await.mail.total, 3);
        // 2026-01-01 00:00 UTC.
        wharf_store::testing::execute_sql(
            &store,
            &format!(
                "UPDATE mail_accounts SET show_since = 1767225600 WHERE id = {}",
                w.li_account
            ),
        )
        .await;
        let r = find(&index, &store, &w.li, "container").await;
        assert_eq!(r.mail.total, 1, "the total counts only what is shown");
        assert_eq!(r.mail.items.len(), 1);
    }
}
