fn main() {
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
        ]),
    ))
    .expect("tauri-build: the Tauri configuration or capabilities are invalid");
}
