//! Fresh, migrated databases for tests, on both backends: SQLite in a temporary file and,
//! when `WHARF_TEST_POSTGRES_URL` is set (the test script starts a throwaway server), a
//! new PostgreSQL database per call. Under CI the PostgreSQL URL is required. Also the
//! people, accounts and data a test needs. Compiled only with the `testing` feature, which
//! only dev-dependencies turn on (`wharf-store = { …, features = ["testing"] }`), so the
//! release binary has none of it.

use crate::Store;
use crate::secret::random_token;

pub const POSTGRES_ENV: &str = "WHARF_TEST_POSTGRES_URL";

/// A new SQLite database in a fresh temporary directory, migrated.
pub async fn sqlite() -> Store {
    let dir = std::env::temp_dir().join(format!("wharf-test-{}", &random_token()[..12]));
    sqlite_in(&dir).await
}

/// The SQLite database of the data directory `dir` (created if need be), migrated, as
/// `wharf` itself opens it: for tests that run the binary on that directory.
pub async fn sqlite_in(dir: &std::path::Path) -> Store {
    std::fs::create_dir_all(dir).expect("create data dir");
    let url = format!("sqlite://{}", dir.join("wharf.db").display());
    let store = Store::connect(&url).await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    store
}

/// A mail account at `address` that receives nothing from a server (mail comes by
/// import or ingest) and sends through loopback port 25.
pub fn local_account(address: &str, owner: Option<i64>) -> wharf_core::mail::account::AccountInput {
    wharf_core::mail::account::AccountInput {
        address: address.into(),
        kind: if owner.is_some() {
            "personal"
        } else {
            "public"
        }
        .into(),
        owner_id: owner,
        in_protocol: "none".into(),
        out_host: "127.0.0.1".into(),
        out_port: 25,
        out_security: "none".into(),
        max_attachment_mb: 25,
        ..Default::default()
    }
}

/// A new PostgreSQL database on the test server, migrated; `None` without a server
/// outside CI.
pub async fn postgres() -> Option<Store> {
    let Ok(base) = std::env::var(POSTGRES_ENV) else {
        assert!(
            std::env::var("CI").is_err(),
            "{POSTGRES_ENV} must be set under CI: run the tests with scripts/test"
        );
        eprintln!(
            "note: {POSTGRES_ENV} not set, PostgreSQL half of this test skipped (scripts/test sets it)"
        );
        return None;
    };
    let admin = Store::connect(&base)
        .await
        .expect("connect to test postgres");
    let name = format!("wharf_t_{}", &random_token()[..16]);
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin.pool)
        .await
        .expect("create test database");
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("postgres URL has a database");
    let store = Store::connect(&format!("{prefix}/{name}"))
        .await
        .expect("connect test database");
    store.migrate().await.expect("migrate postgres");
    Some(store)
}

/// Both backends: SQLite always, PostgreSQL when available.
pub async fn backends() -> Vec<Store> {
    let mut out = vec![sqlite().await];
    out.extend(postgres().await);
    out
}

/// A write left uncommitted, for testing readers of the change log against
/// transactions still in flight.
pub struct OpenWrite(sqlx::Transaction<'static, sqlx::Any>);

impl OpenWrite {
    pub async fn commit(self) {
        self.0.commit().await.expect("commit");
    }

    pub async fn rollback(self) {
        self.0.rollback().await.expect("rollback");
    }
}

/// Begins a transaction that inserts a customer called `name` (so its triggers take a
/// change-log number) and leaves it open. PostgreSQL only: on SQLite it would hold the
/// one write lock.
pub async fn customer_in_open_transaction(store: &Store, name: &str) -> OpenWrite {
    let mut tx = store.pool.begin().await.expect("begin");
    sqlx::query(
        "INSERT INTO customers (name, name_key, sharing, created_at, updated_at) VALUES ($1, $2, 'shared', $3, $3)",
    )
    .bind(name)
    .bind(wharf_core::customers::name_key(name))
    .bind(crate::now())
    .execute(&mut *tx)
    .await
    .expect("insert customer");
    OpenWrite(tx)
}

/// Where `../shared/testdata` is (or `WHARF_TESTDATA`); `None` with a note when absent,
/// so a test that reads it skips.
pub fn testdata_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var("WHARF_TESTDATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata")
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: test data not found at {} (set WHARF_TESTDATA)",
            dir.display()
        );
        None
    }
}

/// The built-in admin, after the first start's setup (password `first-password`) when
/// it has not been done yet.
pub async fn admin(store: &Store) -> wharf_core::Actor {
    if store.needs_setup().await.expect("needs setup") {
        store
            .complete_setup("first-password", "127.0.0.1")
            .await
            .expect("setup");
    }
    let id = store
        .find_login("admin")
        .await
        .expect("find admin")
        .expect("admin exists")
        .id;
    store
        .load_actor(id)
        .await
        .expect("load admin")
        .expect("admin active")
}

/// What a write made by `actor` from loopback carries.
pub fn ctx(actor: &wharf_core::Actor) -> crate::Ctx<'_> {
    crate::Ctx {
        actor,
        ip: "127.0.0.1",
    }
}

/// A new active staff member called "Staff <username>", with the role of this code
/// (`salesperson`, `manager`, …) and password `welcome-123`, created by `admin`.
pub async fn staff(
    store: &Store,
    admin: &wharf_core::Actor,
    username: &str,
    role: &str,
    department: Option<i64>,
) -> wharf_core::Actor {
    let role_id = store
        .list_roles(admin)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.code.as_deref() == Some(role))
        .unwrap_or_else(|| panic!("no role {role}"))
        .id;
    let id = store
        .create_staff(
            ctx(admin),
            wharf_core::org::StaffInput {
                username: username.into(),
                name: format!("Staff {username}"),
                role_id: Some(role_id),
                department_id: department,
                status: "active".into(),
                password: Some("welcome-123".into()),
                ..Default::default()
            },
        )
        .await
        .expect("create staff");
    store
        .load_actor(id)
        .await
        .expect("load staff")
        .expect("staff active")
}

/// Waits, when the company's day in `zone` ends within the next minute, until it has:
/// a test that counts today's actions (the daily claim quota) must not straddle
/// midnight.
pub async fn clear_of_midnight(zone: &wharf_core::zone::Zone) {
    let now = crate::now();
    let (_, tomorrow) = zone.day_range(zone.today(now));
    let left = tomorrow - now;
    if left < 60 {
        tokio::time::sleep(std::time::Duration::from_secs(left as u64 + 1)).await;
    }
}

/// Runs a statement as is: for tests that damage stored data on purpose, to see that
/// a reader fails cleanly and recovers.
/// The number of rows of `table` (a fixed name from the test).
pub async fn count_rows(store: &Store, table: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&store.pool)
        .await
        .expect("count rows")
}

pub async fn execute_sql(store: &Store, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&store.pool)
        .await
        .expect("execute test statement");
}

/// The one text value a query selects, read as is: for tests that look at what is
/// stored (sealed values, raw columns).
pub async fn fetch_text(store: &Store, sql: &str) -> String {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&store.pool)
        .await
        .expect("fetch test value")
}

/// How many statements the batched "whose customer is this key" lookup ran on this
/// thread so far (a test's runtime is one thread): proves an import checks its rows'
/// keys in a few statements, not a few per row.
pub fn taken_lookup_statements() -> usize {
    crate::customers::taken_statements()
}
