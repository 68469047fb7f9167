//! Reply inside the reading pane: `fragment=1` gives the compose form alone, a refused
//! send answers with that form again (the translated error, the text and the uploaded
//! file kept), and a send that goes through answers with its delivery note, not a page.

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

/// A multipart body: the fields in order, then one file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str)>) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    if let Some((name, content)) = file {
        body.push_str(&format!(
            "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n{content}\r\n"
        ));
    }
    body.push_str("--b--\r\n");
    body
}

async fn text(res: axum::response::Response) -> (StatusCode, String) {
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_pane_gets_the_form_alone_its_refusals_and_its_delivery_note() {
    let store = testing::sqlite().await;
    let admin = testing::admin(&store).await;
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let account = store
        .create_account(
            testing::ctx(&admin),
            &env.vault,
            testing::local_account("sales@wharf.test", None),
        )
        .await
        .unwrap();
    let session = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    let cookie = format!("wharf_session={}", session.token);
    let account_id = account.to_string();
    let send = |to: &str, lang: &str, file: Option<(&str, &str)>| {
        Request::post("/mail/compose")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::from(multipart(
                &[
                    ("_csrf", &session.csrf_token),
                    ("fragment", "1"),
                    ("account_id", &account_id),
                    ("to", to),
                    ("subject", "Quote"),
                    ("body", "Our price is 12 USD."),
                    ("format", "text"),
                ],
                file,
            )))
            .unwrap()
    };

    // A bad address: the form again, alone, with the reason, the text and the file.
    let (status, html) = text(
        app.clone()
            .oneshot(send(
                "buyer-at-example.com",
                "en",
                Some(("quote.pdf", "%PDF-1.4")),
            ))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!html.contains("<html"), "a fragment, not a page");
    assert!(html.contains("id=\"reply-pane\""), "{html}");
    assert!(html.contains("“buyer-at-example.com” is not an e-mail address"));
    assert!(html.contains("Our price is 12 USD."), "the text is kept");
    assert!(
        html.contains("id=\"kept-uploads\"") && html.contains("quote.pdf"),
        "the file is kept"
    );
    assert!(
        html.contains("id=\"compose-discard\""),
        "Discard, not Cancel"
    );
    let (_, zh) = text(
        app.clone()
            .oneshot(send("buyer-at-example.com", "zh-CN", None))
            .await
            .unwrap(),
    )
    .await;
    assert!(
        zh.contains("“buyer-at-example.com”不是有效的邮箱地址"),
        "{zh}"
    );
    assert!(zh.contains("放弃"));

    // Sent: the note with its state, no redirect to the Sent page.
    let (status, html) = text(
        app.clone()
            .oneshot(send(
                "buyer@example.com",
                "en",
                Some(("quote.pdf", "%PDF-1.4")),
            ))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"pane-sent\"") && html.contains("data-state=\"queued\""));
    assert!(html.contains("Sending…"), "{html}");
    let outbox = store.account_messages(account).await.unwrap();
    assert_eq!(outbox.len(), 1);
    let sent = store.get_message(&admin, outbox[0].id).await.unwrap();
    assert!(
        sent.attachments
            .iter()
            .any(|a| a.filename == "quote.pdf" && a.content_type == "application/pdf"),
        "the attachment went with it, as a PDF: {:?}",
        sent.attachments
    );

    // The reply form for the pane: the form alone, marked for the pane.
    let (status, html) = text(
        app.clone()
            .oneshot(
                Request::get(format!("/mail/compose?reply={}&fragment=1", outbox[0].id))
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<html") && html.contains("id=\"reply-pane\""));
    assert!(html.contains("name=\"fragment\" value=\"1\""));
    assert!(html.contains("Re: Quote"));
    // The CSRF token is the form's first field (the multipart check reads only that).
    let form_at = html.find("<form").unwrap();
    let first_input = html[form_at..].find("<input").unwrap() + form_at;
    assert!(html[first_input..].starts_with("<input type=\"hidden\" name=\"_csrf\""));
    // Without the flag, the page as before.
    let (_, page) = text(
        app.clone()
            .oneshot(
                Request::get(format!("/mail/compose?reply={}", outbox[0].id))
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap(),
    )
    .await;
    assert!(page.contains("<html") && !page.contains("name=\"fragment\""));
}
