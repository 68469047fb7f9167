//! **Architecture invariants** as tests: the crate graph points downwards (read from
//! `cargo metadata`), the domain crate does no I/O, frameworks stay in their layer,
//! `wharf_store::testing` stays out of the release binary, and the house rules for
//! source files (`//!` first, at most 800 lines). Offline and without building anything.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// The Wharf crates each crate may use (normal dependencies; tests may use more). A new
/// crate fails until it has its line here, which is where its layer is decided.
const ALLOWED_WHARF_DEPS: &[(&str, &[&str])] = &[
    // The domain: types and rules, no I/O.
    ("wharf-core", &[]),
    // Spreadsheet reading and writing: a format library, knows nothing of Wharf.
    ("wharf-sheets", &[]),
    // PDF documents with typst: a leaf that renders data it is given, no database.
    ("wharf-pdf", &["wharf-core"]),
    // MIME and the mail protocols: never the store (mailbox joins the two).
    ("wharf-mail", &["wharf-core"]),
    // SQL, blobs, migrations: below everything that does mail, search, jobs or HTTP.
    ("wharf-store", &["wharf-core"]),
    // The job runner and its kinds that need no mail (the customer import).
    ("wharf-jobs", &["wharf-core", "wharf-store", "wharf-sheets"]),
    // The search index, fed from the store's change log.
    ("wharf-search", &["wharf-core", "wharf-store"]),
    // Ingest, sync and sending: mail protocols against the store, run as jobs.
    (
        "wharf-mailbox",
        &["wharf-core", "wharf-store", "wharf-mail", "wharf-jobs"],
    ),
    // HTTP: pages and the JSON API over everything below.
    (
        "wharf-web",
        &[
            "wharf-core",
            "wharf-store",
            "wharf-mail",
            "wharf-mailbox",
            "wharf-sheets",
            "wharf-search",
            "wharf-jobs",
            "wharf-pdf",
        ],
    ),
    // The binary: config, migrate, start, wait; the CLI and the benches.
    (
        "wharf",
        &[
            "wharf-core",
            "wharf-store",
            "wharf-mail",
            "wharf-mailbox",
            "wharf-sheets",
            "wharf-search",
            "wharf-web",
            "wharf-jobs",
            "wharf-pdf",
        ],
    ),
];

/// Libraries that belong to one layer: no other crate may depend on them directly.
/// `axum` is in the binary too: it serves web's router and drives it in the benches.
const FRAMEWORKS: &[(&str, &[&str])] = &[
    ("axum", &["wharf-web", "wharf"]),
    ("tower-http", &["wharf-web"]),
    ("minijinja", &["wharf-web"]),
    ("sqlx", &["wharf-store"]),
    ("tantivy", &["wharf-search"]),
    ("async-imap", &["wharf-mail"]),
    ("lettre", &["wharf-mail"]),
    ("mail-parser", &["wharf-mail"]),
];

/// Crates that do I/O (sockets, files, runtimes, databases, HTTP, templates): none may be
/// anywhere under the domain crate.
const NOT_UNDER_CORE: &[&str] = &[
    "tokio",
    "mio",
    "socket2",
    "sqlx",
    "axum",
    "hyper",
    "reqwest",
    "tower",
    "minijinja",
    "tantivy",
    "lettre",
    "async-imap",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn cargo(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .arg("--offline")
        .current_dir(root())
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "cargo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `cargo metadata` once for all the tests of this file.
fn metadata() -> &'static Value {
    static META: OnceLock<Value> = OnceLock::new();
    META.get_or_init(|| {
        serde_json::from_str(&cargo(&["metadata", "--format-version", "1"])).unwrap()
    })
}

/// Each workspace crate's normal (not dev, not build) dependencies, by package name.
fn normal_deps(meta: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let members: BTreeSet<&str> = meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let mut out = BTreeMap::new();
    for p in meta["packages"].as_array().unwrap() {
        if !members.contains(p["id"].as_str().unwrap()) {
            continue;
        }
        let deps = p["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"].is_null())
            .map(|d| d["name"].as_str().unwrap().to_string())
            .collect();
        out.insert(p["name"].as_str().unwrap().to_string(), deps);
    }
    out
}

#[test]
fn wharf_crates_depend_only_downwards() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED_WHARF_DEPS.iter().copied().collect();
    let mut wrong = Vec::new();
    for (krate, deps) in normal_deps(metadata()) {
        let Some(may) = allowed.get(krate.as_str()) else {
            wrong.push(format!(
                "{krate} is not in ALLOWED_WHARF_DEPS: give it a line saying which Wharf crates it may use"
            ));
            continue;
        };
        for dep in deps.iter().filter(|d| d.starts_with("wharf")) {
            if !may.contains(&dep.as_str()) {
                wrong.push(format!(
                    "{krate} -> {dep}: not allowed (it may use {may:?})"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn frameworks_stay_in_their_layer() {
    let mut wrong = Vec::new();
    for (krate, deps) in normal_deps(metadata()) {
        for (lib, owners) in FRAMEWORKS {
            if deps.contains(*lib) && !owners.contains(&krate.as_str()) {
                wrong.push(format!("{krate} -> {lib}: only {owners:?} may use {lib}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn core_has_no_io_crate_anywhere_below_it() {
    let meta = metadata();
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let name_of: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let edges: BTreeMap<&str, Vec<&str>> = nodes
        .iter()
        .map(|n| {
            let normal = n["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].is_null())
                })
                .map(|d| d["pkg"].as_str().unwrap())
                .collect();
            (n["id"].as_str().unwrap(), normal)
        })
        .collect();
    let core = name_of
        .iter()
        .find(|(_, name)| **name == "wharf-core")
        .map(|(id, _)| *id)
        .unwrap();
    // Walk down from core, remembering how each crate was reached for the message.
    let mut via: BTreeMap<&str, &str> = BTreeMap::new();
    let mut todo = vec![core];
    while let Some(id) = todo.pop() {
        for dep in &edges[id] {
            if *dep != core && !via.contains_key(dep) {
                via.insert(dep, id);
                todo.push(dep);
            }
        }
    }
    assert!(
        !via.is_empty(),
        "wharf-core has dependencies (serde at least)"
    );
    let mut wrong = Vec::new();
    for id in via.keys() {
        if NOT_UNDER_CORE.contains(&name_of[id]) {
            let mut path = vec![name_of[id]];
            let mut at = *id;
            while let Some(up) = via.get(at) {
                path.push(name_of[up]);
                at = up;
            }
            path.reverse();
            wrong.push(path.join(" -> "));
        }
    }
    assert!(
        wrong.is_empty(),
        "the domain crate reaches I/O crates:\n{}",
        wrong.join("\n")
    );
}

/// Lines of `crates/core/src` that name the standard library's I/O or an async runtime.
#[test]
fn core_source_does_no_io() {
    let forbidden = [
        "std::fs",
        "std::net",
        "std::process",
        "std::env",
        "std::thread",
        "tokio::",
        "File::",
    ];
    let mut wrong = Vec::new();
    for file in rust_files(&root().join("crates/core/src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            // `use std::{fs, net}` names them without the `std::fs` spelling.
            let grouped = code.contains("use std::{")
                && ["fs", "net", "process", "env", "thread"]
                    .iter()
                    .any(|m| code.split(['{', ',', '}', ' ']).any(|w| w == *m));
            if grouped || forbidden.iter().any(|f| code.contains(f)) {
                wrong.push(format!("{}:{}: {}", rel(&file), n + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "I/O in the domain crate:\n{}",
        wrong.join("\n")
    );
}

/// `wharf_store::testing` (test databases, seed users) and `wharf_mailbox::testing` (a
/// throwaway environment) are compiled only when a crate's dev-dependencies ask for them:
/// `cargo build --release -p wharf` has none of it.
#[test]
fn testing_features_are_not_in_the_binary() {
    for (krate, lib) in [
        ("wharf-store", "crates/store/src/lib.rs"),
        ("wharf-mailbox", "crates/mailbox/src/lib.rs"),
    ] {
        let features = |scope: &[&str], edges: &str| {
            let mut args = vec!["tree"];
            args.extend_from_slice(scope);
            args.extend_from_slice(&["-e", edges, "-i", krate, "--prefix", "none"]);
            cargo(&args)
        };
        let shipped = features(&["-p", "wharf"], "normal,build,features");
        assert!(
            shipped.contains(&format!("{krate} feature \"default\"")),
            "cargo tree shows features: {shipped}"
        );
        assert!(
            !shipped.contains(&format!("{krate} feature \"testing\"")),
            "the binary's build turns on {krate}'s `testing` feature (a normal dependency asks for it):\n{shipped}"
        );
        // The same question over the workspace's dev-dependencies does see it: the check
        // above can fail.
        assert!(
            features(&["--workspace"], "normal,build,dev,features")
                .contains(&format!("{krate} feature \"testing\"")),
            "{krate}: no dev-dependency turns on `testing`"
        );
        let text = std::fs::read_to_string(root().join(lib)).unwrap();
        assert!(
            text.contains("#[cfg(feature = \"testing\")]\npub mod testing;"),
            "{lib}: `pub mod testing;` behind #[cfg(feature = \"testing\")]"
        );
    }
}

/// Files allowed over the limit while being split (none since issue 16). The list only
/// shrinks: an entry whose file is gone or short enough fails until removed.
const LONG_FILES: &[(&str, &str)] = &[];

const MAX_LINES: usize = 800;

/// Every Rust file under `crates/*/{src,tests,benches,examples}` and every `build.rs`.
fn hand_written_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for krate in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = krate.unwrap().path();
        for sub in ["src", "tests", "benches", "examples"] {
            out.extend(rust_files(&dir.join(sub)));
        }
        if dir.join("build.rs").is_file() {
            out.push(dir.join("build.rs"));
        }
    }
    assert!(out.len() > 50, "found the sources: {}", out.len());
    out.sort();
    out
}

#[test]
fn every_source_file_opens_with_what_it_owns() {
    let missing: Vec<String> = hand_written_files()
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
        .map(|f| rel(f))
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` line saying what they own:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_source_file_is_over_800_lines() {
    let allowed: BTreeMap<&str, &str> = LONG_FILES.iter().copied().collect();
    let mut wrong = Vec::new();
    let mut long = BTreeSet::new();
    for file in hand_written_files() {
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        let name = rel(&file);
        if lines > MAX_LINES {
            long.insert(name.clone());
            if !allowed.contains_key(name.as_str()) {
                wrong.push(format!("{name}: {lines} lines (split it by concern)"));
            }
        }
    }
    for (name, why) in LONG_FILES {
        if !long.contains(*name) {
            wrong.push(format!(
                "{name} ({why}) is gone or under {MAX_LINES} lines: remove it from LONG_FILES"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}
