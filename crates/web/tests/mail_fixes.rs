//! What a user of the mail pages hit (issue 17): names in lists and replies, recipient
//! suggestions, one time format, Pending without auto-replies or spam, follow-up notes.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

pub struct World {
    pub app: axum::Router,
    pub cookie: String,
    pub csrf: String,
    pub search: std::sync::Arc<wharf_search::SearchIndex>,
    /// A colleague of Li's, also a salesperson.
    pub wang: String,
    pub inquiry: i64,
    pub reply: i64,
    /// Out-of-office answers: by header, and by a Chinese subject alone.
    pub auto_replies: [i64; 2],
    /// A second inquiry, not answered: Pending.
    pub question: i64,
    pub li: wharf_core::Actor,
    pub wang_id: i64,
}

/// Li's own account with an inquiry from John Miller and Li's reply to it.
async fn world(store: &wharf_store::Store) -> World {
    let admin = testing::admin(store).await;
    let li = testing::staff(store, &admin, "li", "salesperson", None).await;
    store
        .cli_reset_password("li", "chosen-pass-1")
        .await
        .unwrap();
    let wang = testing::staff(store, &admin, "wang", "salesperson", None).await;
    store
        .cli_reset_password("wang", "chosen-pass-1")
        .await
        .unwrap();
    // Li's customer with a contact only Li (and her managers) may see.
    let acme = store
        .create_customer(
            testing::ctx(&li),
            wharf_core::customers::CustomerInput {
                name: "ACME Outdoor GmbH".into(),
                ..Default::default()
            },
            &[li.user_id],
        )
        .await
        .unwrap();
    store
        .add_contact(
            testing::ctx(&li),
            acme,
            wharf_core::customers::ContactInput {
                name: "Hans Weber".into(),
                emails: "hans.weber@acme-outdoor.de".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Shanghai: the inquiry (16:30 UTC) arrived after midnight, on the 8th.
    testing::execute_sql(
        store,
        "INSERT INTO settings (key, value, updated_at) VALUES ('time_zone', 'Asia/Shanghai', 0) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .await;
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let account = store
        .create_account(
            testing::ctx(&admin),
            &env.vault,
            testing::local_account("li@wharf.test", Some(li.user_id)),
        )
        .await
        .unwrap();
    let origin = |role: &str| wharf_mailbox::ingest::Origin {
        account_id: account,
        own_addresses: vec!["li@wharf.test".into()],
        folder_role: role.into(),
        source: "test".into(),
        ..Default::default()
    };
    let inquiry = "From: \"John Miller\" <john.miller@acme-outdoor.de>\r\nTo: li@wharf.test\r\nSubject: Tents\r\nMessage-ID: <q1@acme>\r\nDate: Mon, 7 Dec 2026 16:30:00 +0000\r\n\r\nPlease quote 200 tents.\r\n";
    let reply = "From: Staff li <li@wharf.test>\r\nTo: \"John Miller\" <john.miller@acme-outdoor.de>\r\nSubject: Re: Tents\r\nMessage-ID: <r1@wharf>\r\nIn-Reply-To: <q1@acme>\r\nReferences: <q1@acme>\r\nDate: Mon, 7 Dec 2026 17:10:00 +0000\r\n\r\nHere is our quote.\r\n";
    let ooo_header = "From: Hans Weber <hans.weber@acme-outdoor.de>\r\nTo: li@wharf.test\r\nSubject: Away until Monday\r\nX-Autoreply: yes\r\nMessage-ID: <o1@acme>\r\nDate: Mon, 7 Dec 2026 06:00:00 +0000\r\n\r\nI am away until Monday.\r\n";
    let ooo_subject = "From: 王经理 <wang@shenzhen-parts.example>\r\nTo: li@wharf.test\r\nSubject: =?UTF-8?B?6Ieq5Yqo5Zue5aSN77ya5oql5Lu3?=\r\nMessage-ID: <o2@sz>\r\nDate: Mon, 7 Dec 2026 06:10:00 +0000\r\n\r\n我正在休假。\r\n";
    let question = "From: \"John Miller\" <john.miller@acme-outdoor.de>\r\nTo: li@wharf.test\r\nSubject: Samples\r\nMessage-ID: <q2@acme>\r\nDate: Mon, 7 Dec 2026 06:20:00 +0000\r\n\r\nCan you send samples?\r\n";
    let ingested = env
        .ingestor()
        .ingest_raw(
            vec![
                (inquiry.as_bytes().to_vec(), origin("inbox")),
                (reply.as_bytes().to_vec(), origin("sent")),
                (ooo_header.as_bytes().to_vec(), origin("inbox")),
                (ooo_subject.as_bytes().to_vec(), origin("inbox")),
                (question.as_bytes().to_vec(), origin("inbox")),
            ],
            None,
        )
        .await
        .unwrap();
    let session = store
        .create_session(li.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let wang_session = store
        .create_session(wang.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let state = AppState::new(store.clone(), POLICY, false, env)
        .await
        .unwrap();
    World {
        wang: format!("wharf_session={}", wang_session.token),
        csrf: session.csrf_token.clone(),
        search: state.search.clone(),
        app: router(state),
        cookie: format!("wharf_session={}", session.token),
        inquiry: ingested[0].id(),
        reply: ingested[1].id(),
        auto_replies: [ingested[2].id(), ingested[3].id()],
        question: ingested[4].id(),
        li,
        wang_id: wang.user_id,
    }
}

async fn page(w: &World, uri: &str, lang: &str) -> String {
    page_as(w, &w.cookie, uri, lang).await
}

async fn page_as(w: &World, cookie: &str, uri: &str, lang: &str) -> String {
    let res = w
        .app
        .clone()
        .oneshot(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{uri}");
    let body = axum::body::to_bytes(res.into_body(), 4 << 20)
        .await
        .unwrap();
    String::from_utf8_lossy(&body).into_owned()
}

#[tokio::test]
async fn a_threads_own_reply_is_listed_as_mine() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let open = page(&w, &format!("/mail?view=inbox&m={}", w.inquiry), "en").await;
        assert!(
            open.contains("— Me: Re: Tents"),
            "the reply is Li's in the conversation: {open}"
        );
        assert!(
            !open.contains("— John Miller: Re: Tents"),
            "the reply is not John's: {open}"
        );
        assert!(open.contains("— John Miller: Tents"), "{open}");
        let sent = page(&w, "/mail?view=sent", "zh-CN").await;
        assert!(sent.contains("发给：John Miller"), "{sent}");
        let _ = w.reply;
    }
}

#[tokio::test]
async fn reply_keeps_the_name_and_suggestions_stay_in_scope() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let reply = page(&w, &format!("/mail/compose?reply={}", w.inquiry), "en").await;
        assert!(
            reply.contains("value=\"&quot;John Miller&quot; &lt;john.miller@acme-outdoor.de&gt;\""),
            "{reply}"
        );
        assert!(reply.contains("recipients.js"), "{reply}");
        // A reply to one's own reply goes to the customer, name kept.
        let again = page(&w, &format!("/mail/compose?reply={}", w.reply), "en").await;
        assert!(
            again.contains("&quot;John Miller&quot; &lt;john.miller@acme-outdoor.de&gt;"),
            "{again}"
        );
        let li_hans = page(&w, "/api/v1/mail/recipients?q=hans", "en").await;
        let li_hans: serde_json::Value = serde_json::from_str(&li_hans).unwrap();
        assert_eq!(
            li_hans[0]["value"], "\"Hans Weber\" <hans.weber@acme-outdoor.de>",
            "{li_hans}"
        );
        assert!(
            li_hans[0]["label"]
                .as_str()
                .unwrap()
                .contains("ACME Outdoor GmbH")
        );
        let li_john = page(&w, "/api/v1/mail/recipients?q=JOHN", "en").await;
        assert!(
            li_john.contains("John Miller") && li_john.contains("john.miller@acme-outdoor.de"),
            "recent recipients: {li_john}"
        );
        // Wang sees neither Li's contact nor the people Li wrote to.
        for q in ["hans", "john", "acme"] {
            let wang = page_as(&w, &w.wang, &format!("/api/v1/mail/recipients?q={q}"), "en").await;
            assert_eq!(wang, "[]", "{q}");
        }
    }
}

/// One format (company zone, 24-hour) in the list, the message, a search suggestion and
/// the draft-saved time; the drafts page lists drafts without "no mail here".
#[tokio::test]
async fn one_time_format_and_a_drafts_page_that_agrees() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let list = page(&w, "/mail?view=inbox", "en").await;
        assert!(list.contains("2026-12-08 00:30"), "{list}");
        w.search.catch_up(&store).await.unwrap();
        let found = page(&w, "/api/v1/search?limit=5&prefix=1&q=tents", "en").await;
        let found: serde_json::Value = serde_json::from_str(&found).unwrap();
        let whens: Vec<&str> = found["mail"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["when"].as_str().unwrap())
            .collect();
        assert!(whens.contains(&"2026-12-08 00:30"), "{found}");
        for script in ["app.js", "compose.js"] {
            let source = std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("static")
                    .join(script),
            )
            .unwrap();
            assert!(
                !source.contains("toLocale"),
                "{script} formats times itself"
            );
        }
        // A draft saved now says when in the same format, on the company's day.
        let res = w
            .app
            .clone()
            .oneshot(
                Request::post("/mail/drafts")
                    .header(header::COOKIE, &w.cookie)
                    .header("x-csrf-token", &w.csrf)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(
                        "to=john%40acme-outdoor.de&subject=Quote&body=Hello",
                    ))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let saved: serde_json::Value = serde_json::from_slice(
            &axum::body::to_bytes(res.into_body(), 1 << 16)
                .await
                .unwrap(),
        )
        .unwrap();
        let zone = store
            .company_time_zone(&testing::admin(&store).await)
            .await
            .unwrap();
        let today = zone.format(wharf_store::now());
        let when = saved["when"].as_str().unwrap();
        assert_eq!(when.len(), 16, "{when}");
        assert_eq!(&when[..10], &today[..10], "{when}");
        let drafts = page(&w, "/mail?view=drafts", "zh-CN").await;
        assert!(
            drafts.contains(&format!("id=\"draft-{}\"", saved["id"])),
            "{drafts}"
        );
        assert!(!drafts.contains("id=\"empty\""), "{drafts}");
    }
}

async fn post(w: &World, uri: &str, body: &str) -> StatusCode {
    w.app
        .clone()
        .oneshot(
            Request::post(uri)
                .header(header::COOKIE, &w.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("_csrf={}&{body}", w.csrf)))
                .unwrap(),
        )
        .await
        .unwrap()
        .status()
}

/// Auto-replies are listed but never Pending; "Spam" moves a mail to Junk and off
/// Pending; the Follow-up list shows the note; "Handed to me" has a count.
#[tokio::test]
async fn pending_leaves_out_auto_replies_and_spam() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let pending = page(&w, "/mail?view=pending", "en").await;
        assert!(
            pending.contains(&format!("id=\"msg-{}\"", w.question)),
            "{pending}"
        );
        let inbox = page(&w, "/mail?view=inbox", "en").await;
        for id in w.auto_replies {
            assert!(
                !pending.contains(&format!("id=\"msg-{id}\"")),
                "{id}: {pending}"
            );
            assert!(inbox.contains(&format!("id=\"msg-{id}\"")), "{id}: {inbox}");
        }
        // Spam: to Junk, out of Pending and the Inbox; "Not spam" brings it back.
        let open = page(&w, &format!("/mail?view=inbox&m={}", w.question), "zh-CN").await;
        assert!(
            open.contains("&#x2f;spam\"") && open.contains("id=\"spam\" >垃圾邮件<"),
            "{open}"
        );
        let status = post(&w, &format!("/mail/m/{}/spam", w.question), "value=1").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let msg = format!("id=\"msg-{}\"", w.question);
        assert!(!page(&w, "/mail?view=pending", "en").await.contains(&msg));
        assert!(!page(&w, "/mail?view=inbox", "en").await.contains(&msg));
        assert!(page(&w, "/mail?view=junk", "en").await.contains(&msg));
        let status = post(&w, &format!("/mail/m/{}/spam", w.question), "value=0").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(page(&w, "/mail?view=pending", "en").await.contains(&msg));
        // Follow-up with its note.
        store
            .set_follow_up(&w.li, w.question, Some(1_800_000_000), "Send the catalogue")
            .await
            .unwrap();
        let follow = page(&w, "/mail?view=followup", "en").await;
        assert!(
            follow.contains("Follow up 2027-01-15 16:00: Send the catalogue"),
            "{follow}"
        );
        // Handed to Wang: his "Handed to me" counts it.
        store
            .hand_over(testing::ctx(&w.li), w.question, w.wang_id, "")
            .await
            .unwrap();
        let wang = page_as(&w, &w.wang, "/mail", "en").await;
        assert!(wang.contains("id=\"count-handed\">1<"), "{wang}");
    }
}
