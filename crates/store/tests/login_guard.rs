//! Sign-in limits on both databases: failures lock a (username, address) pair, an
//! address failing for many names, and only slow a username down elsewhere — nobody can
//! lock a colleague (or the admin) out from their own desk.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_store::auth::login_guard::{
    MAX_FAILURES_PER_IP, MAX_FAILURES_PER_USER, MAX_USER_DELAY_SECONDS, WINDOW_SECONDS, user_delay,
};
use wharf_store::testing;

#[tokio::test]
async fn failures_from_one_address_do_not_lock_the_name_elsewhere() {
    for store in testing::backends().await {
        for _ in 0..MAX_FAILURES_PER_USER {
            store
                .record_login("admin", "203.0.113.9", None, false)
                .await
                .unwrap();
        }
        let there = store
            .login_locked_for("admin", "203.0.113.9")
            .await
            .unwrap();
        assert!(
            there.is_some_and(|w| w > 60 && w <= WINDOW_SECONDS),
            "{there:?}"
        );
        // The admin at their own desk waits a second at most, not the window.
        let here = store.login_locked_for("admin", "192.0.2.1").await.unwrap();
        assert!(here.unwrap_or(0) <= 1, "{here:?}");
    }
}

#[tokio::test]
async fn many_failures_from_many_addresses_only_slow_the_name_down() {
    for store in testing::backends().await {
        for i in 0..(MAX_FAILURES_PER_IP + 10) {
            let ip = format!("198.51.100.{i}");
            store.record_login("admin", &ip, None, false).await.unwrap();
        }
        let wait = store.login_locked_for("admin", "192.0.2.1").await.unwrap();
        assert!(
            wait.is_some_and(|w| w <= MAX_USER_DELAY_SECONDS),
            "{wait:?}"
        );
        // Someone else's name is not affected at all.
        assert_eq!(
            store.login_locked_for("lucy", "192.0.2.1").await.unwrap(),
            None
        );
    }
}

#[tokio::test]
async fn an_address_failing_for_many_names_is_locked() {
    for store in testing::backends().await {
        for i in 0..MAX_FAILURES_PER_IP {
            store
                .record_login(&format!("user{i}"), "203.0.113.50", None, false)
                .await
                .unwrap();
        }
        let wait = store
            .login_locked_for("someone", "203.0.113.50")
            .await
            .unwrap();
        assert!(wait.is_some_and(|w| w > 60), "{wait:?}");
        assert_eq!(
            store
                .login_locked_for("someone", "192.0.2.7")
                .await
                .unwrap(),
            None
        );
    }
}

#[test]
fn the_delay_doubles_up_to_its_cap() {
    assert_eq!(user_delay(MAX_FAILURES_PER_USER), 1);
    assert_eq!(user_delay(MAX_FAILURES_PER_USER + 1), 2);
    assert_eq!(user_delay(MAX_FAILURES_PER_USER + 3), 8);
    assert_eq!(user_delay(1000), MAX_USER_DELAY_SECONDS);
}
