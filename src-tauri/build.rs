use std::process::Command;

fn main() {
    commit();
    // The app's own commands get permissions (`allow-list-releases`, ...) that
    // tauri.conf.json grants the main window one by one: a command the UI does
    // not use is not callable from the page.
    #[cfg(feature = "desktop")]
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "list_releases",
            "open_sample",
            "load_release",
            "apply_edit",
            "apply_list_edit",
            "undo_redo",
            "history",
            "what_if",
            "export_plan",
            "import_plan",
            "save_drawing",
            "home_dir",
            "choose_file",
            "confirm",
            "ui_state",
            "remember_release",
            "actor",
            "set_actor",
            "compile_runbook",
            "export_runbook",
            "start_run",
            "abort_run",
            "list_runs",
            "run_detail",
            "send_run_messages",
            "weekly_report",
            "daily_report",
            "release_notes",
            "release_review",
            "delivery_metrics",
            "linked_file",
            "link_release",
            "save_release",
            "sync_release",
            "resolve_sync",
            "load_workspace",
            "apply_workspace_edit",
            "undo_redo_workspace",
            "set_secret",
            "has_secret",
            "test_endpoint",
            "copy_release_from",
            "preview_csv",
            "import_csv_file",
            "take_opened_file",
            "open_plan_file",
        ]),
    ))
    .expect("tauri-build: the Tauri configuration or capabilities are invalid");
}

/// The commit the binary is built from, for `flotilla --version`:
/// `FLOTILLA_COMMIT` when set (a build from a source tarball), else git's
/// short hash with `-dirty` when the work tree has changes, else `unknown`.
fn commit() {
    println!("cargo:rerun-if-env-changed=FLOTILLA_COMMIT");
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        // Built again when HEAD moves (a commit, a checkout) or the index changes.
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/index");
        if let Some(r) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={dir}/{r}");
        }
    }
    let commit = std::env::var("FLOTILLA_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            let hash = git(&["rev-parse", "--short=12", "HEAD"])?;
            let dirty = Command::new("git")
                .args(["diff-index", "--quiet", "HEAD", "--"])
                .status()
                .map(|s| !s.success())
                .unwrap_or(false);
            Some(if dirty { format!("{hash}-dirty") } else { hash })
        })
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=FLOTILLA_COMMIT={commit}");
}
