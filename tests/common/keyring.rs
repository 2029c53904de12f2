//! A private Secret Service for one test: its own D-Bus session bus
//! (dbus-daemon with a minimal config, no service activation) and an unlocked
//! gnome-keyring-daemon (secrets only), with HOME and the XDG folders in a
//! temporary folder. Both daemons are killed when the value is dropped.
//!
//! Missing programs fail the test with the install hint; they never skip it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The Debian packages these tests need (the Makefile's apt-deps installs them).
pub const PACKAGES: &str = "dbus-daemon dbus-bin gnome-keyring libsecret-tools";

/// Panics, loudly, when `program` is not on the PATH.
pub fn require(program: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "`{program}` is not installed: the keyring tests need a real Secret Service. \
         Install the Debian packages `{PACKAGES}` (`make apt-deps` does it)"
    );
}

/// A private session bus, and (unless made with [`SecretService::bus_only`])
/// gnome-keyring serving org.freedesktop.secrets on it.
pub struct SecretService {
    pub dir: tempfile::TempDir,
    pub address: String,
    bus: Child,
    keyring: Option<Child>,
}

impl SecretService {
    /// A bus with an unlocked gnome-keyring on it, ready to answer.
    pub fn start() -> SecretService {
        let mut s = SecretService::bus_only();
        require("gnome-keyring-daemon");
        let mut gk = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--components=secrets", "--unlock"])
            .envs(s.env())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts");
        // The daemon reads the password until end of input before it takes the
        // bus name: write it and close stdin.
        {
            let mut stdin = gk.stdin.take().expect("stdin");
            stdin
                .write_all(b"keyring-test-password")
                .expect("password written");
        }
        s.keyring = Some(gk);
        s.wait_for_secrets();
        s
    }

    /// A session bus with no Secret Service on it.
    pub fn bus_only() -> SecretService {
        require("dbus-daemon");
        require("dbus-send");
        let dir = tempfile::Builder::new()
            .prefix("ftk")
            .tempdir()
            .expect("temp dir");
        for d in ["home", "data", "config", "cache", "run"] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                dir.path().join("run"),
                std::fs::Permissions::from_mode(0o700),
            )
            .expect("chmod");
        }
        // No <servicedir>: nothing is auto-activated on this bus.
        let conf = dir.path().join("bus.conf");
        std::fs::write(
            &conf,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                dir.path().join("run/bus").display()
            ),
        )
        .expect("bus config");
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", conf.display()))
            .args(["--nofork", "--nopidfile", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the bus address");
        let address = line.trim().to_string();
        if address.is_empty() {
            let _ = bus.kill();
            let _ = bus.wait();
            panic!("dbus-daemon printed no address");
        }
        SecretService {
            dir,
            address,
            bus,
            keyring: None,
        }
    }

    fn sub(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The environment a process needs to use this bus and keyring.
    pub fn env(&self) -> HashMap<String, String> {
        let p = |n: &str| self.sub(n).display().to_string();
        HashMap::from([
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.address.clone()),
            ("HOME".into(), p("home")),
            ("XDG_DATA_HOME".into(), p("data")),
            ("XDG_CONFIG_HOME".into(), p("config")),
            ("XDG_CACHE_HOME".into(), p("cache")),
            ("XDG_RUNTIME_DIR".into(), p("run")),
        ])
    }

    /// Waits (at most 10 s) until org.freedesktop.secrets has an owner.
    fn wait_for_secrets(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let o = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .envs(self.env())
                .output()
                .expect("dbus-send runs");
            if String::from_utf8_lossy(&o.stdout).contains("boolean true") {
                return;
            }
            if let Some(Some(status)) = self.keyring.as_mut().map(|k| k.try_wait().ok().flatten()) {
                panic!("gnome-keyring-daemon exited ({status}) before serving secrets");
            }
            assert!(
                Instant::now() < deadline,
                "org.freedesktop.secrets did not appear on the test bus within 10 s"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// `secret-tool store --label=... service flotilla username NAME`, the value on stdin.
    pub fn secret_tool_store(&self, name: &str, value: &str) {
        require("secret-tool");
        let o = self.run(
            Command::new("secret-tool").args([
                "store",
                "--label=test secret",
                "service",
                "flotilla",
                "username",
                name,
            ]),
            Some(value),
            Duration::from_secs(10),
        );
        assert!(o.status.success(), "secret-tool store: {o:?}");
    }

    /// `secret-tool lookup service flotilla username NAME`: the value, if any.
    pub fn secret_tool_lookup(&self, name: &str) -> Option<String> {
        require("secret-tool");
        let o = self.run(
            Command::new("secret-tool").args(["lookup", "service", "flotilla", "username", name]),
            None,
            Duration::from_secs(10),
        );
        o.status
            .success()
            .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
    }

    /// Runs `flotilla --db DB ARGS...` against this bus and keyring, `stdin`
    /// as its input, for at most `limit`.
    pub fn flotilla(
        &self,
        db: &Path,
        args: &[&str],
        stdin: Option<&str>,
        limit: Duration,
    ) -> Output {
        self.run(
            Command::new(super::bin())
                .arg("--db")
                .arg(db)
                .args(args)
                .env("FLOTILLA_ACTOR", "release-manager")
                .env_remove("FLOTILLA_DB"),
            stdin,
            limit,
        )
    }

    /// Runs `cmd` with this bus's environment; panics if it takes longer than `limit`.
    pub fn run(&self, cmd: &mut Command, stdin: Option<&str>, limit: Duration) -> Output {
        let mut child = cmd
            .envs(self.env())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the program starts");
        if let Some(text) = stdin {
            let mut i = child.stdin.take().expect("stdin");
            i.write_all(text.as_bytes()).expect("stdin written");
        }
        let read = |r: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(mut r) = r {
                    let _ = r.read_to_end(&mut buf);
                }
                buf
            })
        };
        let out = read(
            child
                .stdout
                .take()
                .map(|r| Box::new(r) as Box<dyn Read + Send>),
        );
        let err = read(
            child
                .stderr
                .take()
                .map(|r| Box::new(r) as Box<dyn Read + Send>),
        );
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait") {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{cmd:?} did not finish within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Output {
            status,
            stdout: out.join().expect("stdout"),
            stderr: err.join().expect("stderr"),
        }
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        if let Some(k) = self.keyring.as_mut() {
            let _ = k.kill();
            let _ = k.wait();
        }
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
