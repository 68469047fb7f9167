//! Hostile HTML mail received from Dovecot cannot run scripts or call out from the reading
//! pane (a tripwire server on loopback counts every request), until images are allowed.

use std::time::Duration;

use crate::driver::*;

/// Hostile HTML, one message per attack; `P` is replaced by the tripwire server's URL.
/// Any script that runs and any remote load calls the tripwire.
const HOSTILE: &[&str] = &[
    "<script>new Image().src='P/s1'</script>",
    "<img src=x onerror=\"new Image().src='P/s2'\">",
    "<body onload=\"new Image().src='P/s3'\">x</body>",
    "<a href=\"javascript:new Image().src='P/s4'\" id=js>click</a><script>document.getElementById('js').click()</script>",
    "<iframe src=\"P/s5\"></iframe>",
    "<object data=\"P/s6\"></object>",
    "<embed src=\"P/s7\">",
    "<svg><script>new Image().src='P/s8'</script></svg>",
    "<svg onload=\"new Image().src='P/s9'\"></svg>",
    "<p>Catalogue</p><img src=\"P/img10.png\" alt=remote>",
    "<div style=\"background-image:url(P/s11)\">bg</div>",
    "<style>@import url(P/s12);</style>",
    "<link rel=stylesheet href=\"P/s13\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=P/s14\">",
    "<form action=\"P/s15\"><input name=q value=1></form><script>document.forms[0].submit()</script>",
    "<input autofocus onfocus=\"new Image().src='P/s16'\">",
    "<video src=\"P/s17\" autoplay></video>",
    "<audio src=\"P/s18\" autoplay></audio>",
    "<base href=\"P/\"><img src=\"s19.png\">",
    "<img srcset=\"P/s20.png 1x\">",
    "<picture><source srcset=\"P/s21.png\"><img src=\"data:image/png;base64,iVBORw0KGgo=\"></picture>",
    "<table background=\"P/s22.png\"><tr><td>x</td></tr></table>",
    "<body background=\"P/s23.png\">x</body>",
    "<div style=\"width:expression(new Image().src='P/s24')\">ie</div>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data link</a>",
    "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='new Image().src=&quot;P/s26&quot;'/>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"new Image().src='P/s27'\">",
    "<noscript><p title=\"</noscript><img src=x onerror=new Image().src='P/s28'>\"></noscript>",
    "<details open ontoggle=\"new Image().src='P/s29'\">x</details>",
    "<marquee onstart=\"new Image().src='P/s30'\">x</marquee>",
    "<script src=\"P/s31.js\"></script>",
    "<img src=\"//127.0.0.1:PORT/s32.png\">",
    "<xss style=\"behavior:url(P/s33)\">x</xss>",
    "<link rel=prefetch href=\"P/s34\">",
    "<link rel=preload as=image href=\"P/s35\">",
    "<applet code=\"P/s36\"></applet>",
    "<frameset><frame src=\"P/s37\"></frameset>",
    "<object type=\"image/svg+xml\" data=\"P/s38.svg\"></object>",
    "<a ping=\"P/s39\" href=\"#\" id=p>ping</a><script>document.getElementById('p').click()</script>",
    "<img src=\"P/s40.png\" loading=lazy>",
    "<input type=image src=\"P/s41.png\">",
    "<svg><image href=\"P/s42.png\"/></svg>",
    "<svg><use href=\"P/s43.svg#x\"/></svg>",
    "<style>body{background:url(P/s44.png)}</style>",
    "<style>@font-face{font-family:x;src:url(P/s45.woff)}body{font-family:x}</style>",
    "<div style=\"background:\\75rl(P/s46.png)\">escaped</div>",
    "<iframe srcdoc=\"<script>new Image().src='P/s47'</script>\"></iframe>",
    "<embed type=\"text/html\" src=\"data:text/html,<script>new Image().src='P/s48'</script>\">",
    "<portal src=\"P/s49\"></portal>",
    "<img src=x onerror=\"eval('new Ima'+'ge().src=\\'P/s50\\'')\">",
    "<svg><a xlink:href=\"javascript:new Image().src='P/s51'\"><text y=20>x</text></a></svg>",
    "<div onmouseover=\"new Image().src='P/s52'\" style=\"position:fixed;inset:0\">hover</div>",
    "<bgsound src=\"P/s53\"><keygen autofocus onfocus=\"new Image().src='P/s53b'\">",
];

/// 50+ hostile messages are received from Dovecot and opened one by one: no script
/// runs and nothing is fetched from outside — a tripwire HTTP server on loopback counts
/// every request — until the user asks for images on one message, which then loads.
#[tokio::test]
async fn hostile_mail_cannot_run_scripts_or_call_out() {
    let (Some(host), Some(imap)) = (
        std::env::var("WHARF_TEST_MAIL_HOST").ok(),
        std::env::var("WHARF_TEST_IMAP_PORT").ok(),
    ) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no mail servers"
        );
        eprintln!("skipped: no mail servers (run through scripts/test)");
        return;
    };
    // The tripwire: records the path of every request it gets.
    let tripwire = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let trip_port = tripwire.local_addr().unwrap().port();
    let hits = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    {
        let hits = hits.clone();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            while let Ok((mut s, _)) = tripwire.accept().await {
                let hits = hits.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let n = s.read(&mut buf).await.unwrap_or(0);
                    let line = String::from_utf8_lossy(&buf[..n])
                        .lines()
                        .next()
                        .unwrap_or("")
                        .to_string();
                    hits.lock().unwrap().push(line);
                    let png: &[u8] = b"\x89PNG\r\n\x1a\n";
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        png.len()
                    );
                    let _ = s.write_all(head.as_bytes()).await;
                    let _ = s.write_all(png).await;
                });
            }
        });
    }
    let p = format!("http://127.0.0.1:{trip_port}");
    let user = format!("hostile-{}", std::process::id());
    let endpoint = wharf_mail::net::Endpoint {
        host: host.clone(),
        port: imap.parse().unwrap(),
        security: wharf_mail::net::Security::None,
        accept_invalid_certs: true,
    };
    let mut conn = wharf_mail::imap::login(&endpoint, &user, "testpass")
        .await
        .unwrap();
    for (n, html) in HOSTILE.iter().enumerate() {
        let body = html
            .replace("PORT", &trip_port.to_string())
            .replace("\"P/", &format!("\"{p}/"))
            .replace("'P/", &format!("'{p}/"))
            .replace("(P/", &format!("({p}/"))
            .replace("=P/", &format!("={p}/"))
            .replace("url=P/", &format!("url={p}/"));
        let m = format!(
            "From: attacker{n}@evil.example\r\nTo: {user}@example.test\r\nSubject: Attack {n:02}\r\nMIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Attack {n:02}</p>{body}</body></html>\r\n"
        );
        conn.append("INBOX", "", m.as_bytes()).await.unwrap();
    }
    conn.logout().await;
    assert!(HOSTILE.len() >= 50);

    let Some(b) = Browser::start(&[]).await else {
        return;
    };
    let (c, base) = (&b.c, b.base.clone());
    first_start(c, &base).await;
    c.goto(&format!("{base}/mail/accounts/new")).await.unwrap();
    fill_incoming(c, &user, &host, &imap).await;
    fill(c, "#f-in_password", "testpass").await;
    fill(c, "#f-out_host", &host).await;
    fill(c, "#f-out_port", "25").await;
    choose(c, "#f-out_security", "none").await;
    click(c, "#save").await;

    // Wait for the sync, then open every message in the reading pane.
    let store =
        wharf_store::Store::connect(&format!("sqlite://{}", b.data.join("wharf.db").display()))
            .await
            .unwrap();
    let mut ids = Vec::new();
    for _ in 0..120 {
        let rows: Vec<(i64, String)> = sqlx_rows(&store).await;
        if rows.len() == HOSTILE.len() {
            ids = rows;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(ids.len(), HOSTILE.len(), "all hostile messages synced");
    for (id, subject) in &ids {
        c.goto(&format!("{base}/mail?view=inbox&m={id}"))
            .await
            .unwrap();
        expect_text(c, &format!("{subject}</h2>")).await;
        // Give the frame time to load anything it could (its sandbox hides its
        // document from the test, so there is no load event to wait for; a loaded CI
        // machine is slow).
        tokio::time::sleep(Duration::from_millis(500)).await;
        let title = c.title().await.unwrap();
        assert!(!title.contains("PWNED"), "{subject}");
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let seen = hits.lock().unwrap().clone();
    assert!(seen.is_empty(), "requests left the page: {seen:?}");

    // Positive control: the user shows images on the catalogue mail; it loads.
    let (catalogue, _) = ids.iter().find(|(_, s)| s == "Attack 09").unwrap().clone();
    c.goto(&format!("{base}/mail?view=inbox&m={catalogue}"))
        .await
        .unwrap();
    expect_text(c, "remote images were blocked").await;
    click(c, "#show-images").await;
    let mut loaded = false;
    for _ in 0..50 {
        if hits
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("/img10.png"))
        {
            loaded = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        loaded,
        "the image loads once allowed: {:?}",
        hits.lock().unwrap()
    );
    let after: Vec<String> = hits
        .lock()
        .unwrap()
        .iter()
        .filter(|l| !l.contains("/img10.png"))
        .cloned()
        .collect();
    assert!(after.is_empty(), "only the allowed image: {after:?}");
    store.close().await;
    b.close().await;
}

/// (id, subject) of every stored message, read straight from the server's database.
async fn sqlx_rows(store: &wharf_store::Store) -> Vec<(i64, String)> {
    let ids: Vec<i64> = store.syncing_account_ids().await.unwrap_or_default();
    let mut out = Vec::new();
    for account in ids {
        for m in store.account_messages(account).await.unwrap_or_default() {
            out.push((m.id, m.subject));
        }
    }
    out
}
