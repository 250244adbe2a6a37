//! `docs/promises.md` lists every promise ID (`P0.1` … `P10.2`): code and tests that cite an
//! ID the page does not list fail here, so the page stays the map of where each promise is kept.

use std::collections::BTreeSet;
use std::path::Path;

/// The promise IDs a text cites: `P` + dotted numbers (`P6.1`, `P1.1.5`), or the undotted
/// sections that are promises of their own (`P8`, `P9`).
fn cited(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    let mut out = BTreeSet::new();
    for (i, &b) in bytes.iter().enumerate() {
        let starts = b == b'P'
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !starts {
            continue;
        }
        let end = bytes[i + 1..]
            .iter()
            .position(|c| !(c.is_ascii_digit() || *c == b'.'))
            .map_or(bytes.len(), |p| i + 1 + p);
        if bytes
            .get(end)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            continue;
        }
        let id = text[i..end].trim_end_matches('.');
        if id.contains('.') || id == "P8" || id == "P9" {
            out.insert(id.to_string());
        }
    }
    out
}

fn walk(dir: &Path, found: &mut BTreeSet<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            if !path.ends_with("node_modules") {
                walk(&path, found);
            }
        } else if path.extension().is_some_and(|e| e == "rs" || e == "ts") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for id in cited(&text) {
                found.insert((id, path.display().to_string()));
            }
        }
    }
}

#[test]
fn every_cited_promise_is_listed_in_docs_promises_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let page = std::fs::read_to_string(root.join("docs/promises.md")).expect("docs/promises.md");
    let listed: Vec<String> = page
        .lines()
        .filter_map(|l| l.strip_prefix("| P"))
        .filter_map(|l| l.split_once(' ').map(|(id, _)| format!("P{id}")))
        .collect();
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "an ID is listed twice");
    assert!(
        listed.len() >= 40,
        "the page lists every promise: {listed:?}"
    );
    let mut found = BTreeSet::new();
    for dir in ["app/src", "server/src", "server/tests", "end2end/tests"] {
        walk(&root.join(dir), &mut found);
    }
    let missing: Vec<_> = found
        .iter()
        .filter(|(id, _)| !listed.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "cited but not in docs/promises.md: {missing:?}"
    );
    // Every promise marked kept is cited somewhere (a kept promise has its code and tests).
    for line in page.lines().filter(|l| l.contains("| kept |")) {
        let id = line
            .trim_start_matches("| ")
            .split(' ')
            .next()
            .unwrap_or("");
        assert!(
            found.iter().any(|(f, _)| f == id),
            "{id} is marked kept, but no code or test names it"
        );
    }
}

#[test]
fn ids_are_read_as_written() {
    let ids = cited("P6.1, `P1.1.5` and P9: not P1, PR1.2, XP2.2 or P3a.");
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        vec!["P1.1.5", "P6.1", "P9"]
    );
}
