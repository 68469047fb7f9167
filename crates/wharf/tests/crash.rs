//! Crash safety of sync (SPEC ACC-4): the real `wharf sync` process is SIGKILLed at
//! random moments, again and again, while it syncs a 2,000-message mailbox from
//! Dovecot, and restarted each time; afterwards exactly the server's messages are
//! stored — none lost, none twice, every one byte-identical.
#![allow(clippy::unwrap_used)]

use std::process::Stdio;
use std::time::{Duration, SystemTime};

use wharf_core::mail::account::AccountInput;
use wharf_mail::net::{Endpoint, Security};
use wharf_store::testing;
use wharf_store::vault::Vault;

const MESSAGES: usize = 2_000;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A small xorshift generator: the seed is printed so a failing run can be repeated.
struct Rng(u64);
impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[tokio::test]
async fn sigkill_during_sync_loses_and_duplicates_nothing() {
    let (Some(host), Some(port)) = (env("WHARF_TEST_MAIL_HOST"), env("WHARF_TEST_IMAP_PORT"))
    else {
        assert!(
            env("CI").as_deref() != Some("true"),
            "CI=true but the mail servers are not running"
        );
        eprintln!("skipped: no mail servers (run through scripts/test)");
        return;
    };
    let port: u16 = port.parse().unwrap();
    let domain = env("WHARF_TEST_MAIL_DOMAIN").unwrap_or_else(|| "example.test".into());
    let user = format!("crash-{}", &wharf_store::secret::random_token()[..10]);
    let endpoint = Endpoint {
        host: host.clone(),
        port,
        security: Security::None,
        accept_invalid_certs: true,
    };

    // The mailbox: 2,000 distinct messages, some with attachments, appended over IMAP.
    let mut conn = wharf_mail::imap::login(&endpoint, &user, "testpass")
        .await
        .unwrap();
    for n in 0..MESSAGES {
        let attachment = if n % 10 == 0 {
            format!(
                "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n\
--b\r\nContent-Type: application/octet-stream; name=\"f{n}.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
                "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n".repeat(200)
            )
        } else {
            format!("Content-Type: text/plain\r\n\r\nInquiry number {n}\r\n")
        };
        let m = format!(
            "From: buyer{n}@example.com\r\nTo: {user}@{domain}\r\nSubject: Inquiry {n}\r\nMessage-ID: <crash-{n}@example.com>\r\n{attachment}"
        );
        conn.append("INBOX", "", m.as_bytes()).await.unwrap();
    }
    conn.logout().await;

    // A data directory with the account, as `wharf` itself would use it.
    let data = std::env::temp_dir().join(format!(
        "wharf-crash-{}",
        &wharf_store::secret::random_token()[..10]
    ));
    std::fs::create_dir_all(&data).unwrap();
    let store = testing::sqlite_in(&data).await;
    let actor = testing::admin(&store).await;
    let vault = Vault::load_or_create(&data.join("secret.key")).unwrap();
    let account = store
        .create_account(
            testing::ctx(&actor),
            &vault,
            AccountInput {
                address: format!("{user}@{domain}"),
                kind: "public".into(),
                in_protocol: "imap".into(),
                in_host: host.clone(),
                in_port: i64::from(port),
                in_security: "none".into(),
                in_username: user.clone(),
                in_password: "testpass".into(),
                out_host: host.clone(),
                out_port: 25,
                out_security: "none".into(),
                sync_enabled: true,
                max_attachment_mb: 25,
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("kill schedule seed {seed}");
    let mut rng = Rng(seed);
    let mut kills = 0;
    loop {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_wharf"))
            .arg("--data-dir")
            .arg(&data)
            .args(["sync", "--account", &account.to_string()])
            .env("WHARF_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        // Kill once the run has stored a random number of new messages (so every kill
        // falls in the middle of the sync, whatever the machine's speed), a random few
        // milliseconds into the next batch.
        let stored = store.account_messages(account).await.unwrap().len();
        let target = stored + 1 + rng.next(250) as usize;
        let extra = Duration::from_millis(rng.next(80));
        let finished = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if store.account_messages(account).await.unwrap().len() >= target {
                break None;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        let finished = match finished {
            Some(status) => Some(status),
            None => {
                tokio::time::sleep(extra).await;
                child.try_wait().unwrap()
            }
        };
        match finished {
            Some(status) => {
                // The run got to the end before its kill: the mailbox is synced.
                assert!(status.success(), "sync failed on its own");
                break;
            }
            None => {
                child.kill().await.unwrap(); // SIGKILL
                kills += 1;
            }
        }
    }
    println!("sync killed {kills} times");
    assert!(
        kills >= 3,
        "the sync was killed at least a few times (was {kills})"
    );

    // One last run to completion, then compare with the server.
    let status = tokio::process::Command::new(env!("CARGO_BIN_EXE_wharf"))
        .arg("--data-dir")
        .arg(&data)
        .args(["sync", "--account", &account.to_string()])
        .env("WHARF_LOG", "warn")
        .stdout(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success());

    let mut conn = wharf_mail::imap::login(&endpoint, &user, "testpass")
        .await
        .unwrap();
    conn.select("INBOX").await.unwrap();
    let uids: Vec<u32> = conn
        .uids_from(1)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    assert_eq!(uids.len(), MESSAGES);
    let server = conn.fetch(&uids).await.unwrap();
    conn.logout().await;

    let folders = store.list_folders(account).await.unwrap();
    let inbox = folders.iter().find(|f| f.role == "inbox").unwrap();
    let stored = store.folder_uids(inbox.id).await.unwrap();
    assert_eq!(
        stored.len(),
        MESSAGES,
        "every server message stored exactly once"
    );
    assert_eq!(
        store.account_messages(account).await.unwrap().len(),
        MESSAGES,
        "no duplicates"
    );
    let env = wharf_mailbox::Env {
        store: store.clone(),
        blobs: wharf_store::blobs::Blobs::in_data_dir(&data),
        vault,
    };
    for (f, (uid, hash)) in server.iter().zip(&stored) {
        assert_eq!(i64::from(f.uid), *uid);
        assert_eq!(
            env.read_blob(hash).await.unwrap(),
            f.bytes,
            "uid {uid} byte-identical"
        );
    }
    store.close().await;
    std::fs::remove_dir_all(&data).unwrap();
}
