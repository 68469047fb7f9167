//! Bad input, in general (issue 14): the classic bad inputs thrown at every form and
//! upload route of the route table — oversized bodies, invalid UTF-8, NUL bytes,
//! malformed multipart, path-traversal file names, zip and spreadsheet bombs. Each is
//! answered with a 4xx and a stable code (or, for a form that may take the text, at
//! least no 5xx), the server still answers `/healthz`, its memory stays bounded and the
//! stored data is unchanged. A new form route is covered as soon as it is in the table.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Write;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::customers::CustomerInput;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::{AppState, route_table, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

struct World {
    app: axum::Router,
    cookie: String,
    csrf: String,
    customer: i64,
    blobs: std::path::PathBuf,
}

async fn world(store: &wharf_store::Store) -> World {
    let blobs = std::env::temp_dir().join(format!(
        "wharf-bad-input-{}",
        &wharf_store::secret::random_token()[..10]
    ));
    let env = wharf_mailbox::Env {
        store: store.clone(),
        blobs: wharf_store::blobs::Blobs::in_data_dir(&blobs),
        vault: wharf_store::vault::Vault::from_hex(&wharf_store::secret::random_token()).unwrap(),
    };
    let admin = testing::admin(store).await;
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    let customer = store
        .create_customer(
            testing::ctx(&admin),
            CustomerInput {
                name: "Bad Input Trading Co".into(),
                ..Default::default()
            },
            &[admin.user_id],
        )
        .await
        .unwrap();
    // A password of the admin's own: no "change your password first" redirect.
    store
        .cli_reset_password("admin", "chosen-pass-1")
        .await
        .unwrap();
    let s = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    World {
        app,
        cookie: format!("wharf_session={}", s.token),
        csrf: s.csrf_token,
        customer,
        blobs,
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|l| format!("→ {} ", l.to_str().unwrap_or("")))
        .unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), 64 << 20)
        .await
        .unwrap();
    (
        status,
        format!("{location}{}", String::from_utf8_lossy(&body)),
    )
}

/// The route's path with every `{param}` replaced by `id`.
fn concrete(path: &str, id: i64) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c + 1)
            .unwrap_or(rest.len());
        let name = &rest[open..close];
        // Codes and kinds where the route names a kind of thing rather than an id.
        out.push_str(match name {
            "{kind}" => "country",
            "{code}" => "en",
            _ => "",
        });
        if !matches!(name, "{kind}" | "{code}") {
            out.push_str(&id.to_string());
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Every route that changes state, but sign-out (which ends the test's own session).
fn unsafe_routes() -> Vec<(Method, &'static str)> {
    route_table()
        .into_iter()
        .filter(|r| r.method != Method::GET && r.method != Method::HEAD)
        .filter(|r| r.path != "/logout")
        .map(|r| (r.method, r.path))
        .collect()
}

/// A fingerprint of the stored data: row counts of the tables a form could write.
async fn fingerprint(store: &wharf_store::Store) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in [
        "users",
        "departments",
        "roles",
        "dict_items",
        "api_tokens",
        "settings",
        "announcements",
        "mail_accounts",
        "blobs",
        "messages",
        "outgoing",
        "mail_drafts",
        "mail_tags",
        "mail_uploads",
        "customers",
        "contacts",
        "customer_imports",
        "customer_import_templates",
        "customer_documents",
        "customer_groups",
        "customer_saved_queries",
        "customer_fields",
        "user_prefs",
    ] {
        out.push((table.to_string(), testing::count_rows(store, table).await));
    }
    out
}

/// The tests that bound the process's memory run one at a time: `VmRSS` is the whole
/// process, so a neighbour's 300 MB zip bomb would count against the route sweep.
static MEMORY_MEASURED: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}

fn request(
    w: &World,
    method: &Method,
    uri: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Request<Body> {
    // A form's token is in its body; an upload's here in the header (as a script sends it).
    let mut r = Request::builder().method(method.clone()).uri(uri);
    if content_type.starts_with("multipart/") {
        r = r.header("x-csrf-token", &w.csrf);
    }
    r.header(header::COOKIE, &w.cookie)
        .header(header::ACCEPT, "application/json")
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap()
}

/// The error code of a JSON error answer.
/// An upload as the browser sends the page's form: the CSRF token its first field.
fn upload_form(csrf: &str, boundary: &str, field: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n")
            .into_bytes();
    body.extend(multipart(boundary, field, filename, bytes));
    body
}

fn code_of(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_string))
        .unwrap_or_default()
}

fn multipart(boundary: &str, field: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

const FIELDS: &[&str] = &[
    "name",
    "username",
    "display_name",
    "title",
    "subject",
    "body",
    "email",
    "q",
    "label",
    "name_zh",
    "name_en",
    "code",
    "value",
    "city",
    "notes",
    "to",
    "filename",
];

/// `field=value` for every common field name, urlencoded.
fn form_of(value: &str) -> Vec<u8> {
    FIELDS
        .iter()
        .map(|f| format!("{f}={value}"))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

#[tokio::test]
async fn every_form_and_upload_route_refuses_bad_input() {
    let _alone = MEMORY_MEASURED.lock().await;
    for store in testing::backends().await {
        let w = world(&store).await;
        let before = fingerprint(&store).await;
        let rss_before = rss_mb();
        let mut failures = Vec::new();
        for (method, path) in unsafe_routes() {
            let uri = concrete(path, w.customer);
            // Oversized: a form body over the 1 MiB every form is read with.
            let mut big = format!("_csrf={}&name=", w.csrf).into_bytes();
            big.extend(std::iter::repeat_n(b'x', 1024 * 1024 + 10));
            let (s, body) = send(
                &w.app,
                request(&w, &method, &uri, "application/x-www-form-urlencoded", big),
            )
            .await;
            if !s.is_client_error() || code_of(&body).is_empty() {
                failures.push(format!(
                    "{method} {path} oversized: {s} {}",
                    &body[..body.len().min(200)]
                ));
            }
        }
        // The upload routes (multipart): a malformed body is a 400 with its code.
        for uri in [
            "/customers/import".to_string(),
            format!("/customers/{}/documents", w.customer),
        ] {
            let (s, body) = send(
                &w.app,
                request(
                    &w,
                    &Method::POST,
                    &uri,
                    "multipart/form-data; boundary=XyZ",
                    b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end"
                        .to_vec(),
                ),
            )
            .await;
            if s != StatusCode::BAD_REQUEST || code_of(&body) != "bad_request" {
                failures.push(format!("POST {uri} truncated multipart: {s} {body}"));
            }
        }
        // What was refused changed nothing.
        assert_eq!(fingerprint(&store).await, before, "stored data changed");
        // Bodies a form may read as text (or ignore): never a 5xx. Control characters
        // and NUL are refused by every form (`FormData`); these may legitimately act (a
        // delete needs no fields), so the stored data is not compared after them.
        for (method, path) in unsafe_routes() {
            let uri = concrete(path, w.customer);
            // Malformed multipart: a boundary that never comes.
            let (s, body) = send(
                &w.app,
                request(
                    &w,
                    &method,
                    &uri,
                    "multipart/form-data; boundary=XyZ",
                    b"--nope\r\ngarbage".to_vec(),
                ),
            )
            .await;
            if s.is_server_error() {
                failures.push(format!("{method} {path} malformed multipart: {s} {body}"));
            }
            // Invalid UTF-8, raw and percent-encoded.
            let mut raw = format!("_csrf={}&", w.csrf).into_bytes();
            raw.extend_from_slice(&form_of("\u{1}"));
            raw.extend_from_slice(b"&name=\xff\xfe\xc3");
            let (s, body) = send(
                &w.app,
                request(&w, &method, &uri, "application/x-www-form-urlencoded", raw),
            )
            .await;
            if s.is_server_error() {
                failures.push(format!("{method} {path} invalid UTF-8: {s} {body}"));
            }
            // NUL bytes in every common field.
            let mut nul = format!("_csrf={}&", w.csrf).into_bytes();
            nul.extend_from_slice(&form_of("Bad%00Name"));
            let (s, body) = send(
                &w.app,
                request(&w, &method, &uri, "application/x-www-form-urlencoded", nul),
            )
            .await;
            if s.is_server_error() {
                failures.push(format!("{method} {path} NUL bytes: {s} {body}"));
            }
            // A JSON body that is not JSON, for the API.
            let (s, body) = send(
                &w.app,
                request(
                    &w,
                    &method,
                    &uri,
                    "application/json",
                    b"{\"name\": \"\xff".to_vec(),
                ),
            )
            .await;
            if s.is_server_error() {
                failures.push(format!("{method} {path} broken JSON: {s} {body}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
        let (s, _) = send(
            &w.app,
            Request::get("/healthz").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            rss_mb() < rss_before + 300,
            "RSS {} MB, was {rss_before} MB",
            rss_mb()
        );
        let _ = std::fs::remove_dir_all(&w.blobs);
    }
}

/// An xlsx of the given parts.
fn xlsx_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn workbook(cells: &str, shared: &[u8]) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>"#
    );
    xlsx_of(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ("xl/sharedStrings.xml", shared),
    ])
}

/// The reproductions of issue 14 on `POST /customers/import`: refused with the limit
/// named in the user's language, nothing stored, the server alive and its memory flat.
#[tokio::test]
async fn spreadsheet_bombs_are_refused_at_upload() {
    let _alone = MEMORY_MEASURED.lock().await;
    for store in testing::backends().await {
        let w = world(&store).await;
        let before = fingerprint(&store).await;
        let rss_before = rss_mb();
        // The 1.5 KB xlsx with cells A1, A2 and XFD1048576.
        let tiny = workbook(
            r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row><row r="1048576"><c r="XFD1048576"><v>3</v></c></row>"#,
            br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#,
        );
        // A 9.9 MB CSV of 1,000,000 columns and 2 rows.
        let mut wide = Vec::with_capacity(10 << 20);
        for row in 0..2 {
            for c in 0..1_000_000 {
                if c > 0 {
                    wide.push(b',');
                }
                write!(wide, "{}", if row == 0 { "h" } else { "v" }).unwrap();
                if c % 2 == 0 {
                    wide.extend_from_slice(b"abc");
                }
            }
            wide.push(b'\n');
        }
        // One huge shared string (100 MB, deflated to ~100 KB).
        let mut shared = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#.to_vec();
        shared.extend(std::iter::repeat_n(b'a', 100 << 20));
        shared.extend_from_slice(b"</t></si></sst>");
        let huge = workbook(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>"#,
            &shared,
        );
        drop(shared);
        // A zip bomb: 300 MB of spaces in one part.
        let spaces = vec![b' '; 300 << 20];
        let bomb = xlsx_of(&[("xl/media/image1.bin", &spaces)]);
        drop(spaces);
        let cases: [(&str, &[u8], &str); 4] = [
            ("bomb.xlsx", &tiny, "more than 200 columns"),
            ("wide.csv", &wide, "more than 200 columns"),
            ("huge.xlsx", &huge, "longer than 32 KiB"),
            ("zip.xlsx", &bomb, "unpacks to more than 256 MiB"),
        ];
        for (name, bytes, message) in cases {
            let (s, body) = send(
                &w.app,
                Request::post("/customers/import")
                    .header(header::COOKIE, &w.cookie)
                    .header(header::ACCEPT_LANGUAGE, "en")
                    .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B0und")
                    .body(Body::from(upload_form(
                        &w.csrf, "B0und", "file", name, bytes,
                    )))
                    .unwrap(),
            )
            .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
            assert!(body.contains(message), "{name}: {body}");
        }
        // In Chinese too.
        let (_, body) = send(
            &w.app,
            Request::post("/customers/import")
                .header(header::COOKIE, &w.cookie)
                .header(header::ACCEPT_LANGUAGE, "zh-CN")
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B0und")
                .body(Body::from(upload_form(
                    &w.csrf,
                    "B0und",
                    "file",
                    "bomb.xlsx",
                    &tiny,
                )))
                .unwrap(),
        )
        .await;
        assert!(body.contains("文件超过 200 列"), "{body}");
        // The token in the URL is no token: an upload carries it as its first field.
        for uri in [
            format!("/customers/import?_csrf={}", w.csrf),
            "/customers/import".to_string(),
        ] {
            let (s, _) = send(
                &w.app,
                Request::post(uri.as_str())
                    .header(header::COOKIE, &w.cookie)
                    .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B0und")
                    .body(Body::from(multipart("B0und", "file", "bomb.xlsx", &tiny)))
                    .unwrap(),
            )
            .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{uri}");
        }
        let (s, _) = send(
            &w.app,
            Request::get("/healthz").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            rss_mb() < rss_before + 400,
            "RSS {} MB, was {rss_before} MB",
            rss_mb()
        );
        assert_eq!(fingerprint(&store).await, before, "stored data changed");
        let _ = std::fs::remove_dir_all(&w.blobs);
    }
}

/// A document upload to a customer the caller cannot edit leaves no file behind; a
/// path-traversal file name is only a name.
#[tokio::test]
async fn refused_uploads_leave_no_blob() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let admin = testing::admin(&store).await;
        let wang = testing::staff(&store, &admin, "wang", "salesperson", None).await;
        store
            .cli_reset_password("wang", "chosen-pass-1")
            .await
            .unwrap();
        let s = store
            .create_session(wang.user_id, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        let file = vec![7u8; 300 * 1024];
        let upload = |cookie: &str, csrf: &str, name: &str| {
            Request::post(format!("/customers/{}/documents", w.customer))
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B0und")
                .body(Body::from(upload_form(csrf, "B0und", "files", name, &file)))
                .unwrap()
        };
        let files_under = |dir: &std::path::Path| -> usize {
            fn walk(d: &std::path::Path) -> usize {
                std::fs::read_dir(d)
                    .map(|it| {
                        it.flatten()
                            .map(|e| {
                                if e.path().is_dir() {
                                    walk(&e.path())
                                } else {
                                    1
                                }
                            })
                            .sum()
                    })
                    .unwrap_or(0)
            }
            walk(dir)
        };
        let (status, _) = send(
            &w.app,
            upload(
                &format!("wharf_session={}", s.token),
                &s.csrf_token,
                "offer.pdf",
            ),
        )
        .await;
        assert!(status.is_client_error(), "{status}");
        assert_eq!(files_under(&w.blobs), 0, "a refused upload left a blob");
        assert!(
            store
                .documents(&admin, w.customer)
                .await
                .unwrap()
                .is_empty()
        );
        // The owner may; a traversal name stays a name, the bytes under blobs/.
        let (status, _) = send(
            &w.app,
            upload(&w.cookie, &w.csrf, "../../../../tmp/wharf-owned.txt"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(files_under(&w.blobs), 1);
        assert!(!std::path::Path::new("/tmp/wharf-owned.txt").exists());
        let _ = std::fs::remove_dir_all(&w.blobs);
    }
}
