//! Quotes through the router, on both databases (sharing the records tests' world): a
//! quote made in the editor with a group, a discount and typst syntax in its names shows
//! on its page and in its PDF in English and Chinese (read back with pdftotext); bad
//! input is refused in the user's language with nothing written; a discount above the
//! threshold waits in the manager's queue; a colleague reaches none of it.

use std::io::Write;
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use wharf_store::testing;

use super::{call, get, post_form, setup};

fn pdf_text(pdf: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-test-deps.sh");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

pub(super) async fn pdf(app: &axum::Router, path: &str, u: &super::User) -> (StatusCode, String) {
    use tower::ServiceExt;
    let res = app.clone().oneshot(get(path, u, "en")).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 8 << 20)
        .await
        .unwrap();
    if status != StatusCode::OK {
        return (status, String::from_utf8_lossy(&bytes).into_owned());
    }
    assert!(bytes.starts_with(b"%PDF-"));
    (status, pdf_text(&bytes))
}

const LINES: &[(&str, &str)] = &[
    ("currency", "CNY"),
    ("incoterm", "FOB"),
    ("port_loading", "Ningbo"),
    ("payment_terms", "T/T 30% deposit"),
    ("line_kind", "group"),
    ("line_name", "Valves #1 [A]"),
    ("line_model", ""),
    ("line_quantity", ""),
    ("line_unit", ""),
    ("line_unit_price", ""),
    ("line_discount", ""),
    ("line_kind", "item"),
    ("line_name", "Ball valve $x$ #set"),
    ("line_model", "BV-50"),
    ("line_quantity", "100"),
    ("line_unit", "pcs"),
    ("line_unit_price", "12.50"),
    ("line_discount", "5"),
    ("line_kind", "item"),
    ("line_name", "球阀 DN80"),
    ("line_model", ""),
    ("line_quantity", "1,000"),
    ("line_unit", "pcs"),
    ("line_unit_price", "0.335"),
    ("line_discount", ""),
    // A blank row the page offered: skipped.
    ("line_kind", "item"),
    ("line_name", ""),
    ("line_model", ""),
    ("line_quantity", ""),
    ("line_unit", ""),
    ("line_unit_price", ""),
    ("line_discount", ""),
];

fn with_validity(valid_until: &str) -> Vec<(&str, &str)> {
    let mut pairs: Vec<(&str, &str)> = LINES.to_vec();
    pairs.push(("valid_until", valid_until));
    pairs
}

#[tokio::test]
async fn a_quote_from_the_editor_to_its_pdf_in_two_languages() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let valid = super::today(&store).await.plus_days(30).iso();
        let (status, editor) = call(
            &w.app,
            get(
                &format!("/customers/{}/quotes/new", w.customer),
                &w.li,
                "en",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(editor.contains("id=\"quote-lines\"") && editor.contains("Add line"));

        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/customers/{}/quotes", w.customer),
                &w.li,
                "en",
                &with_validity(&valid),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let id = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM quotes").await;
        let (status, page) = call(&w.app, get(&format!("/quotes/{id}"), &w.li, "en")).await;
        assert_eq!(status, StatusCode::OK);
        for expected in [
            "v1",
            "Valves #1 [A]",
            "Ball valve $x$ #set",
            "1,187.50",
            "335.00",
            "5.00 %",
            "Subtotal",
            "1,522.50 CNY",
        ] {
            assert!(page.contains(expected), "{expected} on the page");
        }

        let (status, en) = pdf(&w.app, &format!("/quotes/{id}/pdf?lang=en"), &w.li).await;
        assert_eq!(status, StatusCode::OK, "{en}");
        for expected in [
            "QUOTATION",
            "Hamburg Pumps GmbH",
            "Valves #1 [A]",
            "Ball valve $x$ #set",
            "5.00 %",
            "Subtotal",
            "1,187.50",
            "1,522.50 CNY",
            "FOB",
            "Ningbo",
            "SAY CHINESE YUAN ONE THOUSAND FIVE HUNDRED AND TWENTY-TWO AND CENTS FIFTY ONLY",
        ] {
            assert!(
                en.contains(expected),
                "{expected:?} not in the English PDF: {en}"
            );
        }
        let (_, zh) = pdf(&w.app, &format!("/quotes/{id}/pdf?lang=zh-CN"), &w.li).await;
        for expected in [
            "报价单",
            "球阀 DN80",
            "小计",
            "合计",
            "贸易术语",
            "1,522.50 CNY",
            "人民币壹仟伍佰贰拾贰元伍角",
        ] {
            assert!(
                zh.contains(expected),
                "{expected:?} not in the Chinese PDF: {zh}"
            );
        }
        let (status, _) = call(
            &w.app,
            get(&format!("/quotes/{id}/pdf?lang=fr"), &w.li, "en"),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // In US dollars: refused until the day has a rate, then stored with it.
        let mut usd = with_validity(&valid);
        usd.retain(|p| p.0 != "currency");
        usd.push(("currency", "USD"));
        let (status, refused) = call(
            &w.app,
            post_form(
                &format!("/customers/{}/quotes", w.customer),
                &w.li,
                "en",
                &usd,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(refused.contains("No exchange rate for USD"), "{refused}");
        let admin = testing::admin(&store).await;
        let today = super::today(&store).await;
        store
            .create_rate(
                testing::ctx(&admin),
                &wharf_core::money::RateInput {
                    currency: "USD".into(),
                    day: today.plus_days(-3).iso(),
                    per_unit: "7.1234".into(),
                    note: String::new(),
                },
                today,
            )
            .await
            .unwrap();
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/customers/{}/quotes", w.customer),
                &w.li,
                "en",
                &usd,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let usd_id = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM quotes").await;
        let (_, page) = call(&w.app, get(&format!("/quotes/{usd_id}"), &w.li, "en")).await;
        // 1,522.50 USD × 7.1234 = 10,845.38 CNY, at the rate of three days ago.
        assert!(
            page.contains("1,522.50 USD") && page.contains("10,845.38 CNY"),
            "{page}"
        );
        assert!(page.contains(&today.plus_days(-3).iso()));
        let (_, en) = pdf(&w.app, &format!("/quotes/{usd_id}/pdf?lang=en"), &w.li).await;
        assert!(
            en.contains("1,522.50 USD") && en.contains("Q") && en.contains("v1"),
            "{en}"
        );
        assert!(
            en.contains(
                "SAY US DOLLARS ONE THOUSAND FIVE HUNDRED AND TWENTY-TWO AND CENTS FIFTY ONLY"
            ),
            "{en}"
        );
        let (_, zh) = pdf(&w.app, &format!("/quotes/{usd_id}/pdf?lang=zh-CN"), &w.li).await;
        assert!(
            zh.contains("SAY US DOLLARS") && !zh.contains("人民币壹"),
            "a USD quote has no 大写 in yuan: {zh}"
        );

        // A colleague reaches neither the page, the PDF nor the API's list.
        for path in [
            format!("/quotes/{id}"),
            format!("/quotes/{id}/pdf"),
            format!("/api/v1/quotes/{id}"),
        ] {
            let (status, _) = call(&w.app, get(&path, &w.wang, "en")).await;
            assert!(
                matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{path}: {status}"
            );
        }
        let (_, list) = call(&w.app, get("/api/v1/quotes?view=team", &w.wang, "en")).await;
        assert!(list.contains("\"total\":0"), "{list}");
        let (_, team) = call(&w.app, get("/api/v1/quotes?view=team", &w.boss, "en")).await;
        assert!(
            team.contains("\"total\":2") && team.contains("\"amount\":\"1522.50\""),
            "{team}"
        );
        let (_, trail) = call(
            &w.app,
            get(&format!("/customers/{}?tl=quote", w.customer), &w.li, "en"),
        )
        .await;
        assert!(
            trail.contains("trail-quote") && trail.contains(" v1 · 1,522.50 CNY"),
            "the trail lists the quote"
        );
    }
}

#[tokio::test]
async fn bad_input_and_the_managers_approval() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let valid = super::today(&store).await.plus_days(30).iso();
        let mut bad = with_validity(&valid);
        for pair in bad.iter_mut() {
            if pair == &("line_quantity", "100") {
                *pair = ("line_quantity", "-1");
            }
        }
        bad.retain(|p| p.0 != "currency");
        bad.push(("currency", "XYZ"));
        let (status, page) = call(
            &w.app,
            post_form(
                &format!("/customers/{}/quotes", w.customer),
                &w.li,
                "zh-CN",
                &bad,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.contains("Ball valve $x$ #set"),
            "what was typed is kept"
        );
        assert!(
            page.contains("不能为负"),
            "the row's error in Chinese: {page}"
        );
        assert!(
            page.contains("币种"),
            "the currency's error names its field"
        );
        assert_eq!(testing::count_rows(&store, "quotes").await, 0);
        // A picked product that is not in the catalog.
        let mut unknown = with_validity(&valid);
        unknown.extend([("line_product", ""), ("line_product", "999999")]);
        let (status, page) = call(
            &w.app,
            post_form(
                &format!("/customers/{}/quotes", w.customer),
                &w.li,
                "en",
                &unknown,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.contains("Product: "),
            "the row names its product: {page}"
        );
        assert_eq!(testing::count_rows(&store, "quotes").await, 0);

        let admin = testing::admin(&store).await;
        store
            .update_quote_settings(
                testing::ctx(&admin),
                &wharf_store::quotes::QuoteSettings {
                    discount_threshold: Some("3".parse().unwrap()),
                    letterhead_email: String::new(),
                },
            )
            .await
            .unwrap();
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/customers/{}/quotes", w.customer),
                &w.li,
                "en",
                &with_validity(&valid),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let id = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM quotes").await;
        let (status, _) = call(
            &w.app,
            post_form(&format!("/quotes/{id}/submit"), &w.li, "en", &[]),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, queue) = call(&w.app, get("/quotes/approvals", &w.li, "en")).await;
        assert!(
            !queue.contains(&format!("id=\"quote-{id}\"")),
            "not in the owner's own queue"
        );
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/quotes/{id}/decide"),
                &w.li,
                "en",
                &[("approve", "1")],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, queue) = call(&w.app, get("/quotes/approvals", &w.boss, "en")).await;
        assert!(
            queue.contains(&format!("id=\"quote-{id}\"")),
            "in the manager's queue: {queue}"
        );
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/quotes/{id}/decide"),
                &w.boss,
                "en",
                &[("approve", "1")],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = call(&w.app, get(&format!("/quotes/{id}"), &w.li, "en")).await;
        assert!(page.contains("Approved"));
        let li = store.load_actor(w.li.id).await.unwrap().unwrap();
        let account = store
            .create_account(
                testing::ctx(&admin),
                &wharf_mailbox::testing::scratch_env(store.clone()).vault,
                testing::local_account("li@wharf.test", Some(li.user_id)),
            )
            .await
            .unwrap();
        // Send by mail: the compose page prefilled, the PDF attached, then the one send
        // path; the quote is sent with that message.
        let res = tower::ServiceExt::oneshot(
            w.app.clone(),
            post_form(
                &format!("/quotes/{id}/mail"),
                &w.li,
                "en",
                &[("lang", "en")],
            ),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let compose = res.headers()["location"].to_str().unwrap().to_owned();
        let upload = compose
            .split("upload=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned();
        let (status, page) = call(&w.app, get(&compose, &w.li, "en")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("Quotation Q2026-0001 v1") && page.contains("Q2026-0001-v1.pdf"),
            "{page}"
        );
        assert!(page.contains(&format!("name=\"quote_id\" value=\"{id}\"")));
        let mut body = String::new();
        for (name, value) in [
            ("_csrf", w.li.csrf.as_str()),
            ("account_id", &account.to_string()),
            ("to", "buyer@hamburg-pumps.example"),
            ("subject", "Quotation Q2026-0001 v1"),
            ("body", "Please find our quotation attached."),
            ("kept_upload", &upload),
            ("quote_id", &id),
        ] {
            body.push_str(&format!(
                "--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str("--b--\r\n");
        let send = axum::http::Request::post("/mail/compose")
            .header(
                axum::http::header::CONTENT_TYPE,
                "multipart/form-data; boundary=b",
            )
            .header(axum::http::header::COOKIE, &w.li.cookie)
            .body(axum::body::Body::from(body))
            .unwrap();
        let (status, sent) = call(&w.app, send).await;
        assert!(status.is_redirection(), "{status} {sent}");
        let outbox = store.account_messages(account).await.unwrap();
        assert_eq!(outbox.len(), 1, "queued once");
        let message = store.get_message(&li, outbox[0].id).await.unwrap();
        assert!(
            message
                .attachments
                .iter()
                .any(|a| a.filename == "Q2026-0001-v1.pdf")
        );
        let (_, page) = call(&w.app, get(&format!("/quotes/{id}"), &w.li, "en")).await;
        assert!(page.contains("v1 · Sent"), "{page}");
        assert!(
            page.contains("id=\"quote-delivery\"") && page.contains("Sending…"),
            "{page}"
        );
        assert_eq!(testing::count_rows(&store, "outgoing").await, 1);
        assert_eq!(
            testing::fetch_text(
                &store,
                "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action = 'quote.sent'"
            )
            .await,
            "1"
        );
        // The delivery failed: the page says so, never "Sending…".
        testing::execute_sql(
            &store,
            "UPDATE outgoing SET state = 'failed', last_error = '550 5.1.1 no such user'",
        )
        .await;
        let (_, page) = call(&w.app, get(&format!("/quotes/{id}"), &w.li, "en")).await;
        assert!(
            page.contains("Could not be sent")
                && page.contains("550 5.1.1 no such user")
                && !page.contains("Sending…"),
            "{page}"
        );
        let (_, page) = call(&w.app, get(&format!("/quotes/{id}"), &w.li, "zh-CN")).await;
        assert!(page.contains("发给客户的邮件"), "{page}");
        assert_eq!(
            testing::fetch_text(
                &store,
                &format!(
                    "SELECT CAST(sent_message_id AS TEXT) FROM quote_versions WHERE quote_id = {id}"
                )
            )
            .await,
            outbox[0].id.to_string()
        );

        // Editing the sent version makes v2; v1 stays.
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/quotes/{id}"),
                &w.li,
                "en",
                &with_validity(&valid),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = call(&w.app, get(&format!("/quotes/{id}"), &w.li, "en")).await;
        assert!(
            page.contains("v2 · Draft") && page.contains("v1 · Sent"),
            "{page}"
        );
        assert!(!page.contains("id=\"send-mail-en\""), "a draft is not sent");
        // A draft's mail through the send path: refused, nothing queued or stored.
        let messages = testing::count_rows(&store, "messages").await;
        let mut body = String::new();
        for (name, value) in [
            ("_csrf", w.li.csrf.as_str()),
            ("account_id", &account.to_string()),
            ("to", "buyer@hamburg-pumps.example"),
            ("subject", "Quotation v2"),
            ("body", "Draft"),
            ("quote_id", &id),
        ] {
            body.push_str(&format!(
                "--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str("--b--\r\n");
        let send = axum::http::Request::post("/mail/compose")
            .header(
                axum::http::header::CONTENT_TYPE,
                "multipart/form-data; boundary=b",
            )
            .header(axum::http::header::COOKIE, &w.li.cookie)
            .header(axum::http::header::ACCEPT_LANGUAGE, "en")
            .body(axum::body::Body::from(body))
            .unwrap();
        let (status, refused) = call(&w.app, send).await;
        assert!(status.is_client_error(), "{status}");
        assert!(refused.contains("must be approved"), "{refused}");
        assert_eq!(testing::count_rows(&store, "outgoing").await, 1);
        assert_eq!(testing::count_rows(&store, "messages").await, messages);
        let (status, _) = call(
            &w.app,
            post_form(&format!("/quotes/{id}/submit"), &w.wang, "en", &[]),
        )
        .await;
        assert!(matches!(
            status,
            StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
        ));
    }
}

#[tokio::test]
async fn a_new_quote_from_the_opportunity_page_takes_its_lines_and_currency() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let li = store.load_actor(w.li.id).await.unwrap().unwrap();
        let opportunity = store
            .create_opportunity(
                testing::ctx(&li),
                w.customer,
                wharf_store::deals::OpportunityEdit {
                    input: wharf_core::deals::OpportunityInput {
                        title: "300 gate valves".into(),
                        currency: "EUR".into(),
                        status: "selling".into(),
                        lines: vec![wharf_core::deals::LineInput {
                            name: "Gate valve DN50".into(),
                            quantity: "300".into(),
                            unit: "pcs".into(),
                            unit_price: "18.40".into(),
                            ..wharf_core::deals::LineInput::default()
                        }],
                        ..wharf_core::deals::OpportunityInput::default()
                    },
                    ..wharf_store::deals::OpportunityEdit::default()
                },
            )
            .await
            .unwrap();
        let (status, page) = call(
            &w.app,
            get(&format!("/opportunities/{opportunity}"), &w.li, "en"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let link = format!("/quotes/new?opportunity={opportunity}\" id=\"new-quote\"");
        assert!(page.contains(&link), "{page}");
        let (status, editor) = call(
            &w.app,
            get(
                &format!(
                    "/customers/{}/quotes/new?opportunity={opportunity}",
                    w.customer
                ),
                &w.li,
                "zh-CN",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{editor}");
        assert!(
            editor.contains("value=\"Gate valve DN50\"")
                && editor.contains("value=\"300\"")
                && editor.contains("value=\"18.4\"")
                && editor.contains(&format!("name=\"opportunity_id\" value=\"{opportunity}\"")),
            "{editor}"
        );
        assert!(
            editor.contains("<option value=\"EUR\" selected"),
            "the opportunity's currency"
        );
        // Another customer's opportunity: refused in the reader's language.
        let other = store
            .create_customer(
                testing::ctx(&li),
                wharf_core::customers::CustomerInput {
                    name: "Lyon Valves".into(),
                    ..Default::default()
                },
                &[w.li.id],
            )
            .await
            .unwrap();
        let (status, refused) = call(
            &w.app,
            get(
                &format!("/customers/{other}/quotes/new?opportunity={opportunity}"),
                &w.li,
                "en",
            ),
        )
        .await;
        assert!(status.is_client_error(), "{status}");
        assert!(
            refused.contains("This opportunity belongs to another customer."),
            "{refused}"
        );
        // A colleague cannot open Li's opportunity through the editor either.
        let (status, _) = call(
            &w.app,
            get(
                &format!(
                    "/customers/{}/quotes/new?opportunity={opportunity}",
                    w.customer
                ),
                &w.wang,
                "en",
            ),
        )
        .await;
        assert!(matches!(
            status,
            StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
        ));
    }
}
