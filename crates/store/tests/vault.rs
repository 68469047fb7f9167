//! The vault bound to its rows: a sealed password copied to another account does not
//! open, and a value sealed before the binding still opens and is re-sealed bound.
#![allow(clippy::unwrap_used)]

use wharf_store::testing::{self, admin, ctx, local_account};
use wharf_store::vault::Vault;

async fn stored(store: &wharf_store::Store, column: &str, id: i64) -> String {
    testing::fetch_text(
        store,
        &format!("SELECT {column} FROM mail_accounts WHERE id = {id}"),
    )
    .await
}

async fn two_accounts(store: &wharf_store::Store, vault: &Vault) -> (i64, i64) {
    let admin = admin(store).await;
    let mut a = local_account("a@example.test", None);
    a.in_password = "password-of-a".into();
    let mut b = local_account("b@example.test", None);
    b.in_password = "password-of-b".into();
    let a = store.create_account(ctx(&admin), vault, a).await.unwrap();
    let b = store.create_account(ctx(&admin), vault, b).await.unwrap();
    (a, b)
}

#[tokio::test]
async fn a_password_copied_to_another_account_does_not_open() {
    for store in testing::backends().await {
        let vault = Vault::from_hex(&wharf_store::secret::random_token()).unwrap();
        let (a, b) = two_accounts(&store, &vault).await;
        assert_eq!(
            store.account_secrets(&vault, b).await.unwrap().in_password,
            "password-of-b"
        );
        let sealed_a = stored(&store, "in_secret", a).await;
        testing::execute_sql(
            &store,
            &format!("UPDATE mail_accounts SET in_secret = '{sealed_a}' WHERE id = {b}"),
        )
        .await;
        let err = store
            .account_secrets(&vault, b)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("mail account {b} cannot be opened")),
            "{err}"
        );
        assert!(!err.contains("password-of-a"), "{err}");
        // Nor across columns of the same account.
        let out_a = stored(&store, "out_secret", a).await;
        testing::execute_sql(
            &store,
            &format!("UPDATE mail_accounts SET in_secret = '{out_a}' WHERE id = {a}"),
        )
        .await;
        assert!(store.account_secrets(&vault, a).await.is_err());
    }
}

#[tokio::test]
async fn an_old_value_still_opens_and_is_resealed_bound() {
    for store in testing::backends().await {
        let vault = Vault::from_hex(&wharf_store::secret::random_token()).unwrap();
        let (a, b) = two_accounts(&store, &vault).await;
        let old = vault.seal_legacy("old-password");
        testing::execute_sql(
            &store,
            &format!(
                "UPDATE mail_accounts SET in_secret = '{old}', out_secret = '{old}' WHERE id = {a}"
            ),
        )
        .await;
        testing::execute_sql(
            &store,
            &format!("UPDATE mail_accounts SET out_secret = '{old}' WHERE id = {b}"),
        )
        .await;
        // Lazily, when the worker opens it.
        let secrets = store.account_secrets(&vault, a).await.unwrap();
        assert_eq!(secrets.in_password, "old-password");
        assert_eq!(secrets.out_password, "old-password");
        assert!(stored(&store, "in_secret", a).await.starts_with("v2:"));
        assert!(stored(&store, "out_secret", a).await.starts_with("v2:"));
        assert_eq!(
            store.account_secrets(&vault, a).await.unwrap().in_password,
            "old-password"
        );
        // And all at once at start.
        assert_eq!(store.reseal_legacy_secrets(&vault).await.unwrap(), 1);
        assert!(stored(&store, "out_secret", b).await.starts_with("v2:"));
        assert_eq!(store.reseal_legacy_secrets(&vault).await.unwrap(), 0);
        let secrets = store.account_secrets(&vault, b).await.unwrap();
        assert_eq!(secrets.in_password, "password-of-b");
        assert_eq!(secrets.out_password, "old-password");
    }
}
