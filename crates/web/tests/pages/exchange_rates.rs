//! System → Exchange rates through the router: add a day's rate, a bad one refused in
//! the user's language with nothing written, the rate of a day through the API with a
//! missing one named, and who may change them.

use super::*;

/// The built-in admin, signed in: (session cookie, CSRF token).
pub(super) async fn signed_in_admin(store: &wharf_store::Store) -> (String, String) {
    let admin = testing::admin(store).await;
    // Clear "must change password" so pages answer rather than redirect.
    store
        .cli_reset_password("admin", "chosen-pass-1")
        .await
        .unwrap();
    let s = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    (format!("wharf_session={}", s.token), s.csrf_token)
}

async fn app(store: &wharf_store::Store) -> axum::Router {
    router(
        AppState::new(store.clone(), POLICY, false, mail_env(store))
            .await
            .unwrap(),
    )
}

fn form_in(uri: &str, body: &str, cookie: &str, lang: &str) -> Request<Body> {
    let mut req = form(uri, body, cookie);
    req.headers_mut()
        .insert(header::ACCEPT_LANGUAGE, lang.parse().unwrap());
    req
}

#[tokio::test]
async fn a_days_rate_is_added_and_used_from_that_day_on() {
    for store in testing::backends().await {
        // Signed in before the app starts: it reads whether setup is done at start.
        let (cookie, csrf) = signed_in_admin(&store).await;
        let app = app(&store).await;
        let body = format!("_csrf={csrf}&currency=USD&day=2026-11-15&per_unit=7.1234&note=BOC");
        let (status, _, _) = send(&app, form("/system/exchange-rates", &body, &cookie)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _, list) = send(&app, get("/system/exchange-rates", &cookie, "en")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("1 USD = 7.1234 CNY"), "{list}");
        let (status, _, json) = send(
            &app,
            get(
                "/api/v1/exchange-rates/on?currency=USD&day=2026-12-01",
                &cookie,
                "en",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            json.contains(r#""per_unit":"7.1234""#) && json.contains(r#""day":"2026-11-15""#),
            "{json}"
        );
    }
}

#[tokio::test]
async fn a_missing_rate_is_named_in_the_users_language() {
    for store in testing::backends().await {
        let (cookie, _) = signed_in_admin(&store).await;
        let app = app(&store).await;
        let uri = "/api/v1/exchange-rates/on?currency=EUR&day=2026-12-01";
        let (status, _, en) = send(&app, get(uri, &cookie, "en")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(en.contains("no_exchange_rate"), "{en}");
        assert!(
            en.contains("No exchange rate for EUR on or before 2026-12-01"),
            "{en}"
        );
        let (_, _, zh) = send(&app, get(uri, &cookie, "zh-CN")).await;
        assert!(zh.contains("没有 EUR 在 2026-12-01 或之前的汇率"), "{zh}");
        let (status, _, unknown) = send(
            &app,
            get("/api/v1/exchange-rates/on?currency=RMB", &cookie, "en"),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.contains("unknown_currency"), "{unknown}");
    }
}

#[tokio::test]
async fn a_bad_rate_is_refused_in_the_users_language_and_nothing_is_written() {
    for store in testing::backends().await {
        // Signed in before the app starts: it reads whether setup is done at start.
        let (cookie, csrf) = signed_in_admin(&store).await;
        let app = app(&store).await;
        for (lang, per_unit, currency, want) in [
            ("zh-CN", "-7", "USD", "不能为负数"),
            ("en", "-7", "USD", "This cannot be negative."),
            ("en", "7,12", "USD", "This is not a number."),
            ("en", "0", "USD", "The value must be more than zero."),
            ("en", "7", "XYZ", "Unknown currency."),
            ("zh-CN", "7", "XYZ", "未知币种"),
            ("en", "99999999999999", "USD", "This is too large"),
        ] {
            let body = format!(
                "_csrf={csrf}&currency={currency}&day=2026-11-15&per_unit={per_unit}&note="
            );
            let (status, _, page) = send(
                &app,
                form_in("/system/exchange-rates", &body, &cookie, lang),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{per_unit} {currency}"
            );
            assert!(page.contains(want), "{lang} {per_unit} {currency}: {page}");
        }
        assert_eq!(testing::count_rows(&store, "exchange_rates").await, 0);
    }
}

#[tokio::test]
async fn a_salesperson_reads_rates_but_cannot_change_them() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let (_, li_cookie, li_csrf) = signed_in_salespeople(&store, &admin, &["li"])
            .await
            .remove(0);
        let app = app(&store).await;
        let (status, _, _) = send(&app, get("/system/exchange-rates", &li_cookie, "en")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let body = format!("_csrf={li_csrf}&currency=USD&day=2026-11-15&per_unit=7&note=");
        let (status, _, _) = send(&app, form("/system/exchange-rates", &body, &li_cookie)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _, _) = send(&app, get("/api/v1/exchange-rates", &li_cookie, "en")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(testing::count_rows(&store, "exchange_rates").await, 0);
    }
}
