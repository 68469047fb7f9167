//! **Architecture invariant:** the domain crate depends on neither the web framework nor
//! the SQL library.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

#[test]
fn domain_knows_nothing_of_http_or_sql() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "wharf-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("wharf-core"), "{tree}");
    for forbidden in ["axum", "sqlx", "hyper", "tokio", "minijinja"] {
        assert!(
            !tree
                .lines()
                .any(|l| l.starts_with(&format!("{forbidden} "))),
            "wharf-core depends on {forbidden}:\n{tree}"
        );
    }
}
