//! The shared driver of the browser journeys: a `wharf serve` on a fresh data directory with a
//! headless Chromium on it (`Browser`), and the page helpers every journey uses (wait for an
//! element or a text, fill, click, choose, sign in).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// Kills the child process when the test ends, pass or fail.
pub struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn wait_for(port: u16, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = write!(
                s,
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            );
            // Only the status line matters; some servers keep the connection open.
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 64];
            let n = s.read(&mut buf).unwrap_or(0);
            let out = String::from_utf8_lossy(&buf[..n]);
            if out.starts_with("HTTP/1.1 200") || out.starts_with("HTTP/1.0 200") {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("nothing answered on port {port}{path}");
}

pub fn temp_dir(name: &str) -> PathBuf {
    // Unique per call: the journeys run side by side.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("wharf-browser-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn tool(var: &str, default: &str) -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var(var).unwrap_or_else(|_| default.into()));
    if Path::new(&path).exists() {
        Some(path)
    } else {
        assert!(
            std::env::var("CI").is_err(),
            "{} is required under CI (scripts/install-test-deps.sh installs it)",
            path.display()
        );
        eprintln!(
            "note: {} not installed: browser test skipped (scripts/test installs it)",
            path.display()
        );
        None
    }
}

/// Saves a screenshot when WHARF_SCREENSHOT_DIR is set (for looking at pages by hand).
pub async fn snapshot(c: &Client, name: &str) {
    if let Ok(dir) = std::env::var("WHARF_SCREENSHOT_DIR") {
        let png = c.screenshot().await.unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

/// A fresh installation: set the admin password on the first-start page.
pub async fn first_start(c: &Client, base: &str) {
    c.goto(base).await.unwrap();
    expect_path(c, "/setup").await;
    fill(c, "#f-password", "first-admin-pass").await;
    fill(c, "#f-confirm_password", "first-admin-pass").await;
    click(c, "#submit").await;
    expect_text(c, "Welcome, ").await;
}

/// Waits (up to 10 s) for an element: a click returns before the page it opens has
/// loaded, and a wait on text can be met by the page before.
pub async fn element(c: &Client, css: &str) -> fantoccini::elements::Element {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match c.find(Locator::Css(css)).await {
            Ok(e) => return e,
            Err(err) => {
                assert!(Instant::now() < deadline, "no {css}: {err}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Picks an option of a select.
pub async fn choose(c: &Client, select: &str, value: &str) {
    element(c, &format!("{select} option[value={value}]"))
        .await
        .click()
        .await
        .unwrap();
}

/// The incoming half of the account form: a public IMAP account of `user` on the
/// loopback Dovecot, plain connection.
pub async fn fill_incoming(c: &Client, user: &str, host: &str, imap: &str) {
    fill(c, "#f-address", &format!("{user}@example.test")).await;
    choose(c, "#f-kind", "public").await;
    fill(c, "#f-in_host", host).await;
    fill(c, "#f-in_port", imap).await;
    choose(c, "#f-in_security", "none").await;
    fill(c, "#f-in_username", user).await;
}

pub async fn fill(c: &Client, css: &str, value: &str) {
    let e = element(c, css).await;
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

/// Clicks an element, once it is there; a page still settling (an element replaced
/// between finding and clicking it) gets a few more tries.
pub async fn click(c: &Client, css: &str) {
    for attempt in 0..5 {
        let e = element(c, css).await;
        match e.click().await {
            Ok(()) => return,
            Err(err) if attempt < 4 => {
                eprintln!("click {css}: {err}; trying again");
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            Err(err) => panic!("click {css}: {err}"),
        }
    }
}

pub async fn source(c: &Client) -> String {
    c.source().await.unwrap()
}

/// Waits (up to 10 s) for the page to contain `text`: a click returns before the
/// navigation it starts has finished.
pub async fn expect_text(c: &Client, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = source(c).await;
        if page.contains(text) {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "page never showed {text:?}:\n{page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn expect_path(c: &Client, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while c.current_url().await.unwrap().path() != path {
        assert!(
            Instant::now() < deadline,
            "never reached {path}: at {}",
            c.current_url().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn sign_in(c: &Client, base: &str, user: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "#f-username", user).await;
    fill(c, "#f-password", password).await;
    click(c, "#submit").await;
}

/// A running `wharf serve` on a fresh data directory and a headless Chromium on it.
pub struct Browser {
    pub c: Client,
    pub base: String,
    pub data: PathBuf,
    profile: PathBuf,
    /// The WebDriver's port (for the browser's console log).
    driver_port: u16,
    _server: Guard,
    _driver: Guard,
}

impl Browser {
    pub async fn start(extra_env: &[(&str, &str)]) -> Option<Browser> {
        let (Some(chromium), Some(driver)) = (
            tool("CHROMIUM", "/usr/bin/chromium"),
            tool("CHROMEDRIVER", "/usr/bin/chromedriver"),
        ) else {
            return None;
        };
        let data = temp_dir("data");
        let profile = temp_dir("profile");
        let port = free_port();
        let mut server = Command::new(env!("CARGO_BIN_EXE_wharf"));
        server
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(&data)
            .env_remove("WHARF_DATABASE_URL")
            .env_remove("WHARF_CONFIG")
            .stdout(Stdio::null());
        for (k, v) in extra_env {
            server.env(k, v);
        }
        let _server = Guard(server.spawn().expect("start wharf"));
        let driver_port = free_port();
        let _driver = Guard(
            Command::new(&driver)
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver"),
        );
        wait_for(port, "/healthz");
        wait_for(driver_port, "/status");

        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--lang=en-US", "--window-size=1200,900", format!("--user-data-dir={}", profile.display())],
                "prefs": {"intl.accept_languages": "en-US,en"},
            }),
        );
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({"browser": "ALL"}),
        );
        let c = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("a WebDriver session");
        let base = format!("http://127.0.0.1:{port}");
        Some(Browser {
            c,
            base,
            data,
            profile,
            driver_port,
            _server,
            _driver,
        })
    }

    /// The browser console's messages since the last call (Chromium's log endpoint).
    pub async fn console(&self) -> Vec<String> {
        let id = self.c.session_id().await.unwrap().unwrap();
        let body = r#"{"type":"browser"}"#;
        let mut s = TcpStream::connect(("127.0.0.1", self.driver_port)).unwrap();
        write!(
            s,
            "POST /session/{id}/se/log HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        // Read until the driver closes, or stops sending for a while.
        s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        let out = String::from_utf8_lossy(&raw).into_owned();
        let json = &out[out.find("\r\n\r\n").unwrap() + 4..];
        let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        v["value"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["message"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Fails on any Content-Security-Policy violation the console reported.
    pub async fn assert_no_csp_violation(&self, page: &str) {
        let bad: Vec<String> = self
            .console()
            .await
            .into_iter()
            .filter(|m| {
                m.contains("Content Security Policy") || m.contains("Content-Security-Policy")
            })
            .collect();
        assert!(bad.is_empty(), "{page}: {bad:#?}");
    }

    pub async fn close(self) {
        self.c.clone().close().await.unwrap();
        let _ = std::fs::remove_dir_all(&self.data);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Browser {
    /// A failed test never reaches `close`: its Chromium (a child of the driver, which
    /// the guard kills) would live on. It is found by this test's own profile folder.
    fn drop(&mut self) {
        let _ = std::process::Command::new("pkill")
            .arg("-f")
            .arg(format!("user-data-dir={}", self.profile.display()))
            .status();
    }
}

pub async fn owners(c: &Client) -> String {
    c.find(Locator::Css("#owners"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}
