//! Every command the desktop app registers is permitted for its main window,
//! and every permission names a registered command. A command registered in
//! `tauri::generate_handler!` but missing from the app manifest
//! (src-tauri/build.rs) or the window's capability (tauri.conf.json) builds
//! and starts, then fails in the window with "... not allowed. Command not
//! found": this test reads the three lists and compares them.

use std::collections::BTreeSet;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str, what: &str) -> &'a str {
    let i = text
        .find(start)
        .unwrap_or_else(|| panic!("{what}: no `{start}`"))
        + start.len();
    let j = text[i..]
        .find(end)
        .unwrap_or_else(|| panic!("{what}: no `{end}` after `{start}`"));
    &text[i..i + j]
}

#[test]
fn registered_commands_manifest_and_capability_agree() {
    let handler = read("src-tauri/desktop/mod.rs");
    let registered: BTreeSet<String> =
        between(&handler, "tauri::generate_handler![", "]", "desktop/mod.rs")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.rsplit("::").next().unwrap().to_string())
            .collect();

    let build = read("src-tauri/build.rs");
    let manifest: BTreeSet<String> = between(&build, ".commands(&[", "]", "build.rs")
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect();

    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let capability = &conf["app"]["security"]["capabilities"][0];
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let permitted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("the main window's permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();

    assert!(registered.len() > 30, "read {registered:?}");
    assert_eq!(
        registered, manifest,
        "generate_handler! (left) and the app manifest in build.rs (right) differ"
    );
    assert_eq!(
        registered, permitted,
        "generate_handler! (left) and the main window's allow- permissions in tauri.conf.json (right) differ"
    );
}
