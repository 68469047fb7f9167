//! The shared setup of the ingest tests: a store with an admin and one public account
//! (sales@wharf.test) that receives nothing from a server, and one-message ingest.

use wharf_mailbox::ingest::Origin;
use wharf_store::Ctx;

pub async fn setup(store: &wharf_store::Store) -> (wharf_mailbox::Env, i64) {
    let env = crate::common::env_for(store);
    let actor = crate::common::admin(store).await;
    let account = store
        .create_account(
            Ctx {
                actor: &actor,
                ip: "127.0.0.1",
            },
            &env.vault,
            wharf_core::mail::account::AccountInput {
                address: "sales@wharf.test".into(),
                kind: "public".into(),
                in_protocol: "none".into(),
                out_host: "127.0.0.1".into(),
                out_port: 25,
                out_security: "none".into(),
                max_attachment_mb: 25,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    (env, account)
}

pub fn origin(account: i64, role: &str) -> Origin {
    Origin {
        account_id: account,
        own_addresses: vec!["sales@wharf.test".into()],
        folder_role: role.into(),
        source: "test".into(),
        ..Default::default()
    }
}

pub async fn ingest(env: &wharf_mailbox::Env, account: i64, raw: &str) -> i64 {
    env.ingestor()
        .ingest_raw(vec![(raw.as_bytes().to_vec(), origin(account, ""))], None)
        .await
        .unwrap()[0]
        .id()
}
