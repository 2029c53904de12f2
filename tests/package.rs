//! The .deb as a user gets it: installed with apt-get on this machine, its
//! files checked (desktop entry, MIME type, icons, man pages, completions),
//! the installed app started under Xvfb (first start, the sample plan drawn,
//! a plan file opened through the desktop entry's command line), then removed
//! with nothing left behind but the user's data. The .rpm's contents are
//! checked with rpm. `make test-package` builds both packages (`make package`)
//! and runs this; it needs root (or sudo without a password, as on a CI
//! runner), and prints the package's figures (sizes,
//! cold start, memory) for docs/packaging.md.
#![cfg(feature = "desktop")]

mod common;
use common::desktop::{memory_report, remember, settle, App};
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const PACKAGE: &str = "flotilla";
const MIME: &str = "application/vnd.flotilla.plan+json";

fn run(program: &str, args: &[&str]) -> Output {
    command(program)
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .unwrap_or_else(|e| panic!("{program} could not start (run `make deps`): {e}"))
}

/// `program`, through `sudo -n` when it changes the system and this is not root.
fn command(program: &str) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if program == "apt-get" && !root {
        let mut c = Command::new("sudo");
        c.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", program]);
        c
    } else {
        Command::new(program)
    }
}

fn ok(program: &str, args: &[&str]) -> String {
    let out = run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// The one package of `ext` that `make package` left in `dir`.
fn built(dir: &str, ext: &str) -> PathBuf {
    let dir = repo_path(dir);
    let found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}: run `make package` first", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one .{ext} in {}: {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

fn installed() -> bool {
    run("dpkg-query", &["-W", "-f=${Status}", PACKAGE])
        .status
        .success()
        && stdout(&run("dpkg-query", &["-W", "-f=${Status}", PACKAGE])).contains("ok installed")
}

/// Removes the package however the test ends.
struct Installed;

impl Drop for Installed {
    fn drop(&mut self) {
        if installed() {
            let _ = run("apt-get", &["purge", "-y", PACKAGE]);
        }
    }
}

#[test]
#[ignore = "installs the .deb on this machine (root): run by `make test-package`"]
fn the_deb_installs_runs_and_leaves_nothing_but_the_users_data() {
    let deb = built("target/release/bundle/deb", "deb");
    let rpm = built("target/release/bundle/rpm", "rpm");
    let version = env!("CARGO_PKG_VERSION");

    // The packages themselves.
    let fields = ok(
        "dpkg-deb",
        &[
            "-f",
            deb.to_str().unwrap(),
            "Package",
            "Version",
            "Depends",
            "Installed-Size",
        ],
    );
    assert!(fields.contains("Package: flotilla"), "{fields}");
    assert!(fields.contains(&format!("Version: {version}")), "{fields}");
    for dep in ["libwebkit2gtk-4.1-0", "libgtk-3-0"] {
        assert!(fields.contains(dep), "Depends lacks {dep}: {fields}");
    }
    let installed_kb: u64 = fields
        .lines()
        .find_map(|l| l.strip_prefix("Installed-Size:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("Installed-Size");
    println!(
        "package sizes: .deb {}, .rpm {}, installed {}",
        mb(std::fs::metadata(&deb).unwrap().len()),
        mb(std::fs::metadata(&rpm).unwrap().len()),
        mb(installed_kb * 1024)
    );
    let rpm_files = ok("rpm", &["-qlp", rpm.to_str().unwrap()]);
    for f in [
        "/usr/bin/flotilla",
        "/usr/share/man/man1/flotilla.1.gz",
        "/usr/share/bash-completion/completions/flotilla",
        "/usr/share/zsh/site-functions/_flotilla",
        "/usr/share/fish/vendor_completions.d/flotilla.fish",
        "/usr/share/mime/packages/flotilla.xml",
        "/usr/share/icons/hicolor/512x512/apps/flotilla.png",
    ] {
        assert!(
            rpm_files.lines().any(|l| l == f),
            "the .rpm lacks {f}:\n{rpm_files}"
        );
    }
    let requires = ok("rpm", &["-qp", "--requires", rpm.to_str().unwrap()]);
    for lib in ["libwebkit2gtk-4.1.so.0", "libgtk-3.so.0"] {
        assert!(
            requires.contains(lib),
            "the .rpm does not require {lib}: {requires}"
        );
    }

    // Installed the way the README says.
    let _cleanup = Installed;
    if installed() {
        ok("apt-get", &["purge", "-y", PACKAGE]);
    }
    let dir = deb.parent().unwrap();
    let name = format!("./{}", deb.file_name().unwrap().to_string_lossy());
    let out = command("apt-get")
        .args(["install", "-y", "--no-install-recommends", &name])
        .current_dir(dir)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .expect("apt-get");
    assert!(
        out.status.success(),
        "apt-get install {name}: {}",
        stderr(&out)
    );
    let files: Vec<PathBuf> = ok("dpkg", &["-L", PACKAGE])
        .lines()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect();
    let has = |f: &str| files.iter().any(|p| p == Path::new(f));
    for f in [
        "/usr/bin/flotilla",
        "/usr/share/man/man1/flotilla.1.gz",
        "/usr/share/man/man1/flotilla-import.1.gz",
        "/usr/share/bash-completion/completions/flotilla",
        "/usr/share/zsh/vendor-completions/_flotilla",
        "/usr/share/fish/vendor_completions.d/flotilla.fish",
        "/usr/share/mime/packages/flotilla.xml",
    ] {
        assert!(has(f), "the package lacks {f}: {files:?}");
    }
    for size in [
        "16x16", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256", "512x512",
    ] {
        let icon = format!("/usr/share/icons/hicolor/{size}/apps/flotilla.png");
        assert!(has(&icon), "no {size} icon: {files:?}");
    }
    let odd: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.starts_with("/usr/share/icons") && p.to_string_lossy().contains('@'))
        .collect();
    assert!(
        odd.is_empty(),
        "icon folders hicolor does not know: {odd:?}"
    );

    // The desktop entry: valid, opens plan files, named for the MIME type.
    let entries: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.starts_with("/usr/share/applications"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = entries[0];
    let validate = run("desktop-file-validate", &[entry.to_str().unwrap()]);
    assert!(
        validate.status.success() && stdout(&validate).trim().is_empty(),
        "desktop-file-validate {}: {}{}",
        entry.display(),
        stdout(&validate),
        stderr(&validate)
    );
    let desktop = std::fs::read_to_string(entry).unwrap();
    let exec = desktop
        .lines()
        .find_map(|l| l.strip_prefix("Exec="))
        .expect("an Exec line");
    assert_eq!(exec, "flotilla %f", "{desktop}");
    assert!(desktop.contains(&format!("MimeType={MIME};")), "{desktop}");
    let entry_name = entry.file_name().unwrap().to_string_lossy().to_string();
    let cache = std::fs::read_to_string("/usr/share/applications/mimeinfo.cache")
        .expect("mimeinfo.cache (desktop-file-utils' trigger)");
    assert!(
        cache
            .lines()
            .any(|l| l.starts_with(&format!("{MIME}=")) && l.contains(&entry_name)),
        "the MIME type does not open {entry_name}:\n{cache}"
    );
    let s = Scratch::new();
    let plan_file = s.path("q1.flotilla.json");
    std::fs::copy(
        repo_path("resources/samples/q1-2025-platform.json"),
        &plan_file,
    )
    .unwrap();
    // What the file manager asks (GIO, over shared-mime-info's database).
    assert_eq!(content_type(&plan_file), MIME, "shared-mime-info's trigger");
    let default = ok("gio", &["mime", MIME]);
    assert!(
        default.starts_with(&format!("Default application for “{MIME}”: {entry_name}")),
        "{default}"
    );

    // The command on the PATH: version with its commit, man page, completions.
    let v = ok("/usr/bin/flotilla", &["--version"]);
    assert!(
        v.starts_with(&format!("flotilla {version} (commit ")) && !v.contains("unknown"),
        "{v}"
    );
    let head = String::from_utf8(
        Command::new("zcat")
            .arg("/usr/share/man/man1/flotilla.1.gz")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        head.contains(".TH flotilla 1"),
        "{}",
        &head[..head.len().min(300)]
    );
    let complete = ok(
        "bash",
        &[
            "-c",
            "source /usr/share/bash-completion/completions/flotilla && complete -p flotilla",
        ],
    );
    assert!(complete.contains("flotilla"), "{complete}");
    let fish =
        std::fs::read_to_string("/usr/share/fish/vendor_completions.d/flotilla.fish").unwrap();
    assert!(fish.contains("complete -c flotilla"), "fish completions");
    let zsh = std::fs::read_to_string("/usr/share/zsh/vendor-completions/_flotilla").unwrap();
    assert!(zsh.starts_with("#compdef flotilla"), "zsh completions");
    let data = s.path("cli.db");
    ok(
        "/usr/bin/flotilla",
        &[
            "--db",
            data.to_str().unwrap(),
            "import",
            plan_file.to_str().unwrap(),
        ],
    );

    // The installed app: the first-start screen on a fresh workspace.
    let app_bin = Path::new("/usr/bin/flotilla");
    let fresh = s.path("fresh.db");
    let app = App::launch_binary(&fresh, app_bin, &[], &[]);
    app.wait_for("[data-testid=empty-state]", 60);
    drop(app);

    // Cold start to the first drawn release, and memory, with the sample plan.
    remember(&data, "q1-2025");
    let started = Instant::now();
    let app = App::launch_binary(&data, app_bin, &[], &[]);
    app.wait_for("[data-testid=node]", 60);
    let wall = started.elapsed();
    let perf = app.exec(
        "return window.__flotillaPerf || null;",
        serde_json::json!([]),
    );
    println!(
        "installed app, cold start to the sample release drawn: {:.0} ms wall clock from spawning tauri-driver; graph drawn {:.0} ms after navigation start (page clock)",
        wall.as_secs_f64() * 1000.0,
        perf["drawn"]["graph"].as_f64().unwrap_or(f64::NAN)
    );
    memory_report(&app, "installed app, sample plan, just drawn");
    settle();
    memory_report(&app, "installed app, sample plan, settled");
    drop(app);

    // A plan file opened the way the file manager does: the entry's Exec line.
    let words: Vec<String> = exec
        .split_whitespace()
        .map(|w| {
            if w == "%f" {
                plan_file.display().to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let program = which_on_path(&words[0]);
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let opened = s.path("opened.db");
    let app = App::launch_binary(&opened, &program, &args, &[]);
    app.wait_for("[data-testid=open-file]", 60);
    app.click_css("[data-testid=open-file-import]");
    app.wait_for("[data-testid=release-page][data-key=q1-2025]", 60);
    drop(app);

    // Removed: every file it installed is gone; the user's data stays.
    ok("apt-get", &["purge", "-y", PACKAGE]);
    assert!(!installed(), "still installed after purge");
    let left: Vec<&PathBuf> = files.iter().filter(|p| p.exists()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert_eq!(
        content_type(&plan_file),
        "application/json",
        "the MIME type outlived the package"
    );
    for db in [&data, &fresh, &opened] {
        assert!(
            db.exists(),
            "the user's workspace {} was removed",
            db.display()
        );
    }
    let cache =
        std::fs::read_to_string("/usr/share/applications/mimeinfo.cache").unwrap_or_default();
    assert!(
        !cache.contains(&entry_name),
        "{entry_name} outlived the package"
    );
}

/// The content type GIO (the file manager) sees for `file`.
fn content_type(file: &Path) -> String {
    let out = ok(
        "gio",
        &[
            "info",
            "-a",
            "standard::content-type",
            file.to_str().unwrap(),
        ],
    );
    out.lines()
        .find_map(|l| l.trim().strip_prefix("standard::content-type:"))
        .map(|t| t.trim().to_string())
        .unwrap_or_else(|| panic!("no content type for {}: {out}", file.display()))
}

fn which_on_path(name: &str) -> PathBuf {
    if name.contains('/') {
        return PathBuf::from(name);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} (the desktop entry's Exec) is not on the PATH"))
}
