//! The module graph stays acyclic (ARCHITECTURE.md): among `app/src`'s top-level modules,
//! between the backend's domains, and among `server/src`'s modules. A module that needs
//! something from a module that depends on it moves that thing down a layer instead.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file relative to its root (`accounts/mod.rs` → `["accounts"]`).
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    parts
}

/// The identifiers that follow `prefix` in `code` (`crate::backend::` → `accounts`, …).
fn after<'a>(code: &'a str, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    code.match_indices(prefix).filter_map(move |(i, _)| {
        let rest = &code[i + prefix.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

/// The graph of the modules directly under `root`: an edge for each `crate_prefix` path, and
/// for each `super::` path that climbs to `root` from a nested module.
fn graph(root: &Path, crate_prefix: &str) -> Graph {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if (path.is_dir() || path.extension().is_some_and(|e| e == "rs"))
            && !matches!(name.as_str(), "mod" | "lib" | "main")
        {
            names.insert(name);
        }
    }
    let mut g: Graph = names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    let mut files = Vec::new();
    rust_files(root, &mut files);
    for file in files {
        let module = module_path(file.strip_prefix(root).unwrap());
        let Some(top) = module.first() else { continue };
        if !names.contains(top) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let mut targets: Vec<String> = after(&code, crate_prefix).map(str::to_owned).collect();
        // `super::x` from depth d climbs d levels when written d times.
        let climb_to_root = "super::".repeat(module.len());
        targets.extend(after(&code, &climb_to_root).map(str::to_owned));
        for group in code.match_indices(&format!("{climb_to_root}{{")) {
            let rest = &code[group.0 + climb_to_root.len() + 1..];
            let inner = &rest[..rest.find('}').unwrap_or(0)];
            targets.extend(inner.split([',', ' ', '\n']).map(|s| s.trim().to_string()));
        }
        for t in targets {
            if names.contains(&t) && &t != top {
                g.get_mut(top).unwrap().insert(t);
            }
        }
    }
    g
}

/// A cycle in `g`, if there is one (depth-first search).
fn cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(
        g: &Graph,
        n: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in &g[n] {
            if let Some(c) = visit(g, m, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|n| visit(g, n, &mut Vec::new(), &mut done))
}

#[test]
fn the_module_graph_has_no_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for (dir, prefix) in [
        ("app/src", "crate::"),
        ("app/src/backend", "crate::backend::"),
        ("server/src", "crate::"),
    ] {
        let g = graph(&root.join(dir), prefix);
        assert!(g.len() > 5, "{dir}: {g:?}");
        if let Some(c) = cycle(&g) {
            panic!("{dir} has an import cycle: {}", c.join(" → "));
        }
    }
}

#[test]
fn a_cycle_is_found() {
    let mut g = Graph::new();
    g.insert("a".into(), ["b".to_string()].into());
    g.insert("b".into(), ["c".to_string()].into());
    g.insert("c".into(), ["a".to_string()].into());
    assert_eq!(cycle(&g).unwrap().join(" → "), "a → b → c → a");
    g.get_mut("c").unwrap().clear();
    assert_eq!(cycle(&g), None);
}
