//! Crash safety of the search index (FIND-1): `wharf serve` is SIGKILLed at random
//! moments while its indexer follows mail that `wharf import` writes at the same time
//! (and while it is down), and restarted each time; afterwards the index holds every
//! message exactly once, as the search API counts them.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_store::vault::Vault;

const ROUNDS: usize = 6;
const PER_ROUND: usize = 400;

struct Rng(u64);
impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET over plain HTTP/1.1: (status, body), or None while nothing answers.
fn http_get(port: u16, path: &str, cookie: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.get(9..12)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

/// Kills the server when the test ends, pass or fail.
struct Server(std::process::Child);

impl Server {
    fn kill(&mut self) {
        let _ = self.0.kill(); // SIGKILL
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn serve(data: &std::path::Path, port: u16) -> Server {
    Server(
        Command::new(env!("CARGO_BIN_EXE_wharf"))
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data)
            .env("WHARF_LOG", "warn")
            .env_remove("WHARF_DATABASE_URL")
            .env_remove("WHARF_CONFIG")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    )
}

#[tokio::test]
async fn sigkill_while_indexing_loses_and_duplicates_nothing() {
    let data = std::env::temp_dir().join(format!(
        "wharf-search-crash-{}",
        &wharf_store::secret::random_token()[..10]
    ));
    let store = testing::sqlite_in(&data).await;
    let actor = testing::admin(&store).await;
    let vault = Vault::load_or_create(&data.join("secret.key")).unwrap();
    let account = store
        .create_account(
            testing::ctx(&actor),
            &vault,
            testing::local_account("sales@wharf.test", None),
        )
        .await
        .unwrap();
    let session = store
        .create_session(
            actor.user_id,
            "127.0.0.1",
            "test",
            SessionPolicy {
                idle_seconds: 36_000,
                absolute_seconds: 86_400,
            },
        )
        .await
        .unwrap();
    let cookie = format!("wharf_session={}", session.token);

    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("kill schedule seed {seed}");
    let mut rng = Rng(seed);
    for round in 0..ROUNDS {
        // This round's mail, as an mbox; every message has the word "harbourcrane".
        let mbox = data.join(format!("round-{round}.mbox"));
        let mut text = String::new();
        for n in 0..PER_ROUND {
            text.push_str(&format!(
                "From buyer@example.com Mon Nov  2 10:00:00 2026\nFrom: buyer{n}@example.com\nTo: sales@wharf.test\n\
Subject: Inquiry {n} of batch{round}\nMessage-ID: <r{round}-{n}@example.com>\n\nharbourcrane parts, quote {round}-{n}\n\n"
            ));
        }
        std::fs::write(&mbox, text).unwrap();
        // Odd rounds import while the server is down; even ones while it indexes.
        let import = |mbox: &std::path::Path| {
            Command::new(env!("CARGO_BIN_EXE_wharf"))
                .args(["import", "--account", &account.to_string(), "--data-dir"])
                .arg(&data)
                .arg(mbox)
                .env("WHARF_LOG", "warn")
                .env_remove("WHARF_DATABASE_URL")
                .env_remove("WHARF_CONFIG")
                .stdout(Stdio::null())
                .status()
                .unwrap()
        };
        if round % 2 == 1 {
            assert!(import(&mbox).success());
        }
        // A port of its own each start: one held across minutes could be taken meanwhile.
        let mut server = serve(&data, free_port());
        if round % 2 == 0 {
            assert!(import(&mbox).success());
        }
        std::thread::sleep(Duration::from_millis(50 + rng.next(1_500)));
        server.kill();
    }

    // A last start: the index catches up to every message, each counted once.
    let port = free_port();
    let mut server = serve(&data, port);
    let expected = ROUNDS * PER_ROUND;
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut last = String::new();
    loop {
        // A server that could not start (its port taken meanwhile) says so on stderr.
        if let Ok(Some(exit)) = server.0.try_wait() {
            panic!("wharf serve ended ({exit}) before the index caught up");
        }
        if let Some((status, body)) =
            http_get(port, "/api/v1/search?q=harbourcrane&limit=1", &cookie)
        {
            assert_eq!(status, 200, "{body}");
            let json: serde_json::Value = serde_json::from_str(&body).unwrap();
            let total = json["mail"]["total"].as_u64().unwrap() as usize;
            assert!(
                total <= expected,
                "{total} found: some message is in the index twice"
            );
            if total == expected {
                break;
            }
            last = body;
        }
        assert!(
            Instant::now() < deadline,
            "the index never caught up: {last}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Each round's own messages are all there, once.
    for round in 0..ROUNDS {
        let (_, body) = http_get(
            port,
            &format!("/api/v1/search?q=harbourcrane+subject%3Abatch{round}&limit=1"),
            &cookie,
        )
        .unwrap();
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            json["mail"]["total"].as_u64().unwrap() as usize,
            PER_ROUND,
            "round {round}"
        );
    }
    server.kill();
    store.close().await;
    std::fs::remove_dir_all(&data).ok();
}
