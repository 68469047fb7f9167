//! The shared world of the search tests: a store with an admin, two salespeople (Li and Wang)
//! each with a mail account, mail written into their Inboxes, and the query helpers.

use wharf_core::Actor;
use wharf_core::search_query::SearchQuery;
use wharf_mailbox::Env;
use wharf_mailbox::ingest::Origin;
use wharf_search::{Results, SearchIndex, SearchOptions};
use wharf_store::Store;
use wharf_store::blobs::Blobs;
use wharf_store::testing::{ctx, local_account};
use wharf_store::vault::Vault;

pub struct World {
    pub env: Env,
    pub admin: Actor,
    pub li: Actor,
    pub wang: Actor,
    pub li_account: i64,
    pub wang_account: i64,
}

pub async fn world(store: &Store) -> World {
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
pub async fn mail_many(w: &World, account: i64, raws: Vec<String>) -> Vec<i64> {
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

pub async fn mail(w: &World, account: i64, raw: String) -> i64 {
    mail_many(w, account, vec![raw]).await[0]
}

pub fn text_mail(from: &str, to: &str, subject: &str, body: &str, date: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: =?UTF-8?B?{}?=\r\nDate: {date}\r\nMessage-ID: <{}@t>\r\n\
MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n",
        b64(subject),
        wharf_store::secret::random_token()
    )
}

pub fn b64(s: &str) -> String {
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

pub async fn find(index: &SearchIndex, store: &Store, actor: &Actor, q: &str) -> Results {
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
pub async fn refused(
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

pub async fn mail_ids(index: &SearchIndex, store: &Store, actor: &Actor, q: &str) -> Vec<i64> {
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

pub async fn customer_names(
    index: &SearchIndex,
    store: &Store,
    actor: &Actor,
    q: &str,
) -> Vec<String> {
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
