//! Drives the real desktop app under Xvfb through tauri-driver and
//! WebKitWebDriver, speaking W3C WebDriver over HTTP on 127.0.0.1.
//!
//! Nothing here skips: a missing Xvfb or tauri-driver is a loud failure.

use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn which(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("{name} is not installed: run `make deps` (the end-to-end tests need it)")
        })
}

fn which_opt(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// `text` as a POSIX extended regular expression matching itself (xdotool --name).
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn terminate(child: &mut Child) {
    // SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver too.
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The app binary this test process drives: a hard link to the one cargo
/// built for it, made at the first launch, so that another build writing
/// target/debug/flotilla meanwhile (without the desktop feature, say) does not
/// change it under the tests (cargo replaces the file; the link keeps ours).
pub fn app_binary() -> &'static Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let built = Path::new(env!("CARGO_BIN_EXE_flotilla"));
        let test = std::env::current_exe().expect("the test binary's path");
        let name = test.file_name().unwrap().to_string_lossy().to_string();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e/bin");
        std::fs::create_dir_all(&dir).expect("create target/e2e/bin");
        let link = dir.join(format!("flotilla-for-{name}"));
        let _ = std::fs::remove_file(&link);
        std::fs::hard_link(built, &link)
            .or_else(|_| std::fs::copy(built, &link).map(|_| ()))
            .expect("link the app binary");
        link
    })
}

/// An X server of our own.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    pub fn start() -> Xvfb {
        let bin = which("Xvfb");
        for n in 90..140 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                || Path::new(&format!("/tmp/.X{n}-lock")).exists()
            {
                continue;
            }
            let display = format!(":{n}");
            let mut child = Command::new(&bin)
                .args([
                    display.as_str(),
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb");
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                    return Xvfb { child, display };
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("could not start Xvfb on any display :90 to :139");
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// A WebDriver session on the real app, with its own X server and workspace.
pub struct App {
    session: String,
    binary: PathBuf,
    base: String,
    agent: ureq::Agent,
    driver: Child,
    pub xvfb: Xvfb,
}

impl App {
    /// Starts the app on the workspace `db`.
    pub fn launch(db: &Path) -> App {
        App::launch_with_env(db, &[])
    }

    /// Starts the app on the workspace `db` with more environment variables
    /// (a deploy token for a rehearsal, say).
    pub fn launch_with_env(db: &Path, env: &[(&str, &str)]) -> App {
        App::launch_binary(db, app_binary(), &[], env)
    }

    /// Starts `binary` (an installed app, say) with `args` on the workspace `db`.
    pub fn launch_binary(db: &Path, binary: &Path, args: &[&str], env: &[(&str, &str)]) -> App {
        // One launch at a time: the tests of a binary run on several threads,
        // and two launches could pick the same display or the same free port.
        static LAUNCH: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one = LAUNCH.lock().unwrap_or_else(|e| e.into_inner());
        let xvfb = Xvfb::start();
        // A session can fail to start when another test process took the
        // driver's port in between (Peer disconnected): try again with new ports.
        let mut last = String::new();
        for _attempt in 0..3 {
            let port = free_port();
            let native = free_port();
            let driver = Command::new(which("tauri-driver"))
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native.to_string(),
                ])
                .env("DISPLAY", &xvfb.display)
                .env("FLOTILLA_DB", db)
                .env("FLOTILLA_ACTOR", "e2e")
                // The sample plan judged on a fixed day, so counts do not drift with the clock.
                .env("FLOTILLA_TODAY", "2025-02-03")
                // The app's log files beside the workspace, not in the user's data folder.
                .env("FLOTILLA_LOG_DIR", log_dir(db))
                .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
                .env("LIBGL_ALWAYS_SOFTWARE", "1")
                .envs(env.iter().copied())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start tauri-driver");
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(60)))
                .build()
                .into();
            let base = format!("http://127.0.0.1:{port}");
            let deadline = Instant::now() + Duration::from_secs(20);
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "tauri-driver did not listen on {port}"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
            let caps = json!({ "capabilities": { "alwaysMatch": {
                "tauri:options": { "application": binary, "args": args } } } });
            let mut driver = driver;
            let started = agent
                .post(&format!("{base}/session"))
                .send_json(caps)
                .map_err(|e| e.to_string())
                .and_then(|mut r| r.body_mut().read_json::<Value>().map_err(|e| e.to_string()));
            match started {
                Ok(v) if v["value"]["sessionId"].is_string() => {
                    let session = v["value"]["sessionId"].as_str().unwrap().to_string();
                    return App {
                        session,
                        binary: binary.to_path_buf(),
                        base,
                        agent,
                        driver,
                        xvfb,
                    };
                }
                Ok(v) => last = format!("no session: {v}"),
                Err(e) => last = format!("POST /session: {e}"),
            }
            terminate(&mut driver);
            std::thread::sleep(Duration::from_millis(500));
        }
        panic!("the app did not start under tauri-driver after 3 attempts: {last}");
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let resp = match method {
            "POST" => self.agent.post(&url).send_json(body.unwrap_or(json!({}))),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        };
        let mut resp = resp.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        resp.body_mut()
            .read_json()
            .unwrap_or_else(|e| panic!("{method} {path}: bad JSON: {e}"))
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{}", self.session, rest)
    }

    /// Every element matching `css`, now.
    pub fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.call(
            "POST",
            &self.s("/elements"),
            Some(json!({ "using": "css selector", "value": css })),
        );
        v["value"]
            .as_array()
            .map(|a| a.iter().filter_map(element_id).collect())
            .unwrap_or_default()
    }

    /// Waits up to `secs` for at least one element matching `css`.
    pub fn wait_for(&self, css: &str, secs: u64) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let found = self.find_all(css);
            if !found.is_empty() {
                return found;
            }
            if Instant::now() > deadline {
                panic!(
                    "no element {css} after {secs} s; page text: {}",
                    self.page_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `f(page text)` holds.
    pub fn wait_text(&self, secs: u64, what: &str, f: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let t = self.page_text();
            if f(&t) {
                return t;
            }
            if Instant::now() > deadline {
                panic!("waited {secs} s for {what}; page text: {t}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn text(&self, element: &str) -> String {
        let v = self.call("GET", &self.s(&format!("/element/{element}/text")), None);
        v["value"].as_str().unwrap_or_default().to_string()
    }

    pub fn attr(&self, element: &str, name: &str) -> Option<String> {
        let v = self.call(
            "GET",
            &self.s(&format!("/element/{element}/attribute/{name}")),
            None,
        );
        v["value"].as_str().map(str::to_string)
    }

    pub fn click(&self, element: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/click")),
            Some(json!({})),
        );
    }

    /// Runs `script` in the page (W3C execute/sync) and returns its value.
    pub fn exec(&self, script: &str, args: Value) -> Value {
        let v = self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({ "script": script, "args": args })),
        );
        v["value"].clone()
    }

    /// Clicks the first element matching `css`, waiting up to 20 s for it.
    pub fn click_css(&self, css: &str) {
        let el = self.wait_for(css, 20);
        self.click(&el[0]);
    }

    /// Sets the value of the input or select matching `css` as a person
    /// would leave it: the value, then `input` and `change` events.
    pub fn set_value(&self, css: &str, value: &str) {
        self.wait_for(css, 20);
        let ok = self.exec(
            "const el = document.querySelector(arguments[0]);
             if (!el) return false;
             el.focus();
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));
             el.blur();
             return el.value === arguments[1];",
            json!([css, value]),
        );
        assert_eq!(ok, json!(true), "could not set {css} to {value}");
    }

    /// Sends a key press with modifiers to the page (`key` as KeyboardEvent.key).
    pub fn press(&self, key: &str, ctrl: bool, shift: bool) {
        self.exec(
            "const e = new KeyboardEvent('keydown', { key: arguments[0], ctrlKey: arguments[1],
                 shiftKey: arguments[2], bubbles: true, cancelable: true });
             (document.activeElement || document.body).dispatchEvent(e);
             return true;",
            json!([key, ctrl, shift]),
        );
    }

    /// The text of the first element matching `css`, or "" when there is none.
    pub fn text_of(&self, css: &str) -> String {
        self.exec(
            "const el = document.querySelector(arguments[0]); return el ? el.innerText : '';",
            json!([css]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// An attribute of the first element matching `css`.
    pub fn attr_of(&self, css: &str, name: &str) -> Option<String> {
        self.exec(
            "const el = document.querySelector(arguments[0]); return el ? el.getAttribute(arguments[1]) : null;",
            json!([css, name]),
        )
        .as_str()
        .map(str::to_string)
    }

    /// Waits until `f()` holds, polling every 100 ms.
    pub fn wait_until(&self, secs: u64, what: &str, f: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while !f() {
            if Instant::now() > deadline {
                panic!(
                    "waited {secs} s for {what}; page text: {}",
                    self.page_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The process id of the app (the child of WebKitWebDriver running our binary).
    pub fn app_pid(&self) -> Option<u32> {
        let bin = std::fs::canonicalize(&self.binary).ok()?;
        let display = format!("DISPLAY={}", self.xvfb.display);
        std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            // Another build may have replaced the binary since: "(deleted)".
            let exe = std::fs::read_link(e.path().join("exe")).ok()?;
            let exe = PathBuf::from(exe.to_string_lossy().trim_end_matches(" (deleted)"));
            let env = std::fs::read(e.path().join("environ")).ok()?;
            let ours = env.split(|b| *b == 0).any(|v| v == display.as_bytes());
            (exe == bin && ours).then_some(pid)
        })
    }

    /// The app's process and every process it started (WebKitWebProcess,
    /// WebKitNetworkProcess), as (pid, command name).
    pub fn processes(&self) -> Vec<(u32, String)> {
        let pid = self.app_pid().expect("the app's process");
        let mut out = vec![(pid, "flotilla".to_string())];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i].0;
            for e in std::fs::read_dir("/proc").unwrap().flatten() {
                let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                    continue;
                };
                let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
                // pid (comm) state ppid ...
                let Some(close) = stat.rfind(')') else {
                    continue;
                };
                let comm = stat[stat.find('(').unwrap_or(0) + 1..close].to_string();
                let ppid: u32 = stat[close + 2..]
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                if ppid == parent && !out.iter().any(|(q, _)| *q == p) {
                    out.push((p, comm));
                }
            }
            i += 1;
        }
        out
    }

    pub fn page_text(&self) -> String {
        let v = self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({ "script": "return document.body ? document.body.innerText : ''", "args": [] })),
        );
        v["value"].as_str().unwrap_or_default().to_string()
    }

    /// Runs xdotool on this app's display; panics loudly when it is missing.
    fn xdotool(&self, args: &[&str]) -> std::process::Output {
        let bin = which_opt("xdotool").unwrap_or_else(|| {
            panic!(
                "xdotool is not installed: the tests answer the native file chooser with it \
                 (`apt-get install xdotool`, or `make deps`)"
            )
        });
        Command::new(bin)
            .args(args)
            .env("DISPLAY", &self.xvfb.display)
            .output()
            .expect("run xdotool")
    }

    /// Waits up to `secs` for a visible window titled exactly `title` on this
    /// app's display (a native dialog); returns its X window id.
    pub fn wait_for_window(&self, title: &str, secs: u64) -> String {
        let pattern = format!("^{}$", regex_escape(title));
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let out = self.xdotool(&["search", "--onlyvisible", "--name", &pattern]);
            if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
                return id.trim().to_string();
            }
            if Instant::now() > deadline {
                let all = self.xdotool(&["search", "--onlyvisible", "--name", "."]);
                let names: Vec<String> = String::from_utf8_lossy(&all.stdout)
                    .lines()
                    .map(|id| {
                        let n = self.xdotool(&["getwindowname", id.trim()]);
                        String::from_utf8_lossy(&n.stdout).trim().to_string()
                    })
                    .collect();
                panic!(
                    "no window titled \"{title}\" appeared on {} within {secs} s \
                     (windows there: {names:?}); page text: {}",
                    self.xvfb.display,
                    self.page_text()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Answers the native message box titled `title` with a key (`Escape`
    /// says no); fails unless it appears and then closes.
    pub fn answer_native_question(&self, title: &str, key: &str) {
        let id = self.wait_for_window(title, 30);
        // A key sent before GTK maps the buttons is lost: send it again
        // until the box closes (at most three times).
        for _ in 0..3 {
            self.xdotool(&["windowfocus", "--sync", &id]);
            self.xdotool(&["key", "--clearmodifiers", key]);
            if self.window_closes(title, 10) {
                return;
            }
        }
        panic!("the window \"{title}\" did not close after three answers");
    }

    /// Waits at most `secs` for the window titled `title` to close; true when it did.
    fn window_closes(&self, title: &str, secs: u64) -> bool {
        let pattern = format!("^{}$", regex_escape(title));
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let open = !String::from_utf8_lossy(
                &self
                    .xdotool(&["search", "--onlyvisible", "--name", &pattern])
                    .stdout,
            )
            .trim()
            .is_empty();
            if !open {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits at most 10 s until the X window `id` has the size `w`×`h`.
    fn wait_for_window_size(&self, id: &str, w: u32, h: u32) {
        let want = format!("Geometry: {w}x{h}");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let g = self.xdotool(&["getwindowgeometry", id]);
            if String::from_utf8_lossy(&g.stdout).contains(&want) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "window {id} never became {w}x{h}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the page has painted what its DOM holds: two animation
    /// frames after the call (WebKit paints between them).
    pub fn painted(&self) {
        let v = self.call(
            "POST",
            &self.s("/execute/async"),
            Some(json!({
                "script": "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                "args": []
            })),
        );
        assert_eq!(v["value"], json!(true), "the page did not paint: {v}");
    }

    /// Opens component `key`'s panel from its bar on the Timeline tab.
    pub fn open_from_timeline(&self, key: &str) {
        self.click_css("[data-testid=tab-timeline]");
        let bar = format!("[data-testid=bar][data-key={key}]");
        self.wait_for(&bar, 20);
        self.click_css(&format!("{bar} rect:not(.float)"));
        self.wait_for(
            &format!("[data-testid=component-panel][data-key={key}]"),
            20,
        );
    }

    /// Answers the native (GTK) save dialog titled `title` with the absolute
    /// `path`; with `shot`, saves a screenshot of it over the app first.
    pub fn save_in_native_dialog(&self, title: &str, path: &Path, shot: Option<&Path>) {
        self.answer_native_chooser(title, path, false, shot);
    }

    /// Answers the native (GTK) open dialog titled `title` with the absolute `path`.
    pub fn open_in_native_dialog(&self, title: &str, path: &Path) {
        self.answer_native_chooser(title, path, true, None);
    }

    /// Waits for the chooser, focuses it, types the absolute `path` (a save
    /// dialog's name field takes a whole path; an open dialog gets its location
    /// field with Ctrl+L) and presses Return; fails unless the chooser closes.
    fn answer_native_chooser(&self, title: &str, path: &Path, open: bool, shot: Option<&Path>) {
        assert!(path.is_absolute(), "give the chooser an absolute path");
        let id = self.wait_for_window(title, 30);
        if let Some(shot) = shot {
            // No window manager places it: set it over the middle of the app.
            self.xdotool(&["windowsize", "--sync", &id, "820", "540"]);
            self.xdotool(&["windowmove", "--sync", &id, "230", "130"]);
            self.wait_for_window_size(&id, 820, 540);
            self.screenshot(shot);
        }
        // Keys typed while GTK still fills the chooser's folder list can be
        // lost: type the answer again until the chooser closes (at most
        // three times; each try replaces the whole field).
        for _ in 0..3 {
            // No window manager under Xvfb: focus the window directly.
            self.xdotool(&["windowfocus", "--sync", &id]);
            if open {
                self.xdotool(&["key", "--clearmodifiers", "ctrl+l"]);
            }
            // The field holds a suggestion or an earlier try: replace it whole.
            self.xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
            let typed = self.xdotool(&[
                "type",
                "--clearmodifiers",
                "--delay",
                "15",
                &path.to_string_lossy(),
            ]);
            assert!(typed.status.success(), "xdotool type failed: {typed:?}");
            self.xdotool(&["key", "--clearmodifiers", "Return"]);
            if self.window_closes(title, 10) {
                return;
            }
        }
        panic!("the chooser \"{title}\" did not take {}", path.display());
    }

    /// Saves a PNG of the X screen to `path` (ImageMagick's `import`; the
    /// WebDriver screenshot of WebKitGTK hangs under Xvfb).
    pub fn screenshot(&self, path: &Path) {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let status = Command::new(which("import"))
            .args(["-window", "root"])
            .arg(path)
            .env("DISPLAY", &self.xvfb.display)
            .status()
            .expect("run import");
        assert!(status.success(), "screenshot failed");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let pid = self.app_pid();
        if !self.session.is_empty() {
            let url = format!("{}/session/{}", self.base, self.session);
            let _ = self.agent.delete(&url).call();
        }
        terminate(&mut self.driver);
        // The app holds its workspace until it has exited (one window per
        // workspace): a test that starts it again waits for that.
        if let Some(pid) = pid {
            let proc_dir = PathBuf::from(format!("/proc/{pid}"));
            let deadline = Instant::now() + Duration::from_secs(10);
            while proc_dir.exists() && Instant::now() < deadline {
                let zombie = std::fs::read_to_string(proc_dir.join("stat"))
                    .map(|s| {
                        s.rsplit(')')
                            .next()
                            .unwrap_or("")
                            .trim_start()
                            .starts_with('Z')
                    })
                    .unwrap_or(true);
                if zombie {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn element_id(v: &Value) -> Option<String> {
    v.as_object()?.values().next()?.as_str().map(str::to_string)
}

/// Where an app launched on the workspace `db` writes its log files.
pub fn log_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("logs")
}

/// A field in kB of /proc/PID/FILE (`VmRSS` of status, `Pss` of smaps_rollup).
fn proc_kb(pid: u32, file: &str, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn rss_kb(pid: u32) -> u64 {
    proc_kb(pid, "status", "VmRSS:")
}

/// Proportional set size: shared pages (the WebKit libraries mapped by
/// every process) counted once across the processes.
fn pss_kb(pid: u32) -> u64 {
    proc_kb(pid, "smaps_rollup", "Pss:")
}

/// Prints the memory of the app and the processes it started (WebKit), PSS and
/// RSS summed; returns the PSS in MB.
pub fn memory_report(app: &App, label: &str) -> u64 {
    let procs = app.processes();
    let rss: u64 = procs.iter().map(|(p, _)| rss_kb(*p)).sum();
    let pss: u64 = procs.iter().map(|(p, _)| pss_kb(*p)).sum();
    let parts: Vec<String> = procs
        .iter()
        .map(|(p, c)| {
            format!(
                "{c} PSS {} MB / RSS {} MB",
                pss_kb(*p) / 1024,
                rss_kb(*p) / 1024
            )
        })
        .collect();
    println!(
        "memory ({label}): {} MB PSS, {} MB RSS summed [{}]",
        pss / 1024,
        rss / 1024,
        parts.join(", ")
    );
    pss / 1024
}

/// Makes `release` the one the window opens on (the last one open).
pub fn remember(db: &std::path::Path, release: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('desktop.last_release', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [release],
    )
    .unwrap();
}

/// Waits until the page is at rest: the layout worker stops after 10 s idle
/// (ui/src/lib/layout.ts, IDLE_MS) and WebKit's collector has run.
pub fn settle() {
    std::thread::sleep(std::time::Duration::from_secs(12));
}
