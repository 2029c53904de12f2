//! Secrets: resolved from their reference at call time, never stored, and
//! masked as `***` in everything the executor prints or records.

use crate::error::Code;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Shown instead of a secret's value.
pub const MASK: &str = "***";

/// The system keyring service every `keyring:NAME` secret is stored under; NAME
/// is the account (Secret Service attributes `service`/`username`, a Keychain
/// generic password, a Windows generic credential).
pub const KEYRING_SERVICE: &str = "flotilla";

/// How long one keyring call may take. A locked keyring on a desktop asks the
/// user to unlock it, and the call waits for that prompt.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a secret could not be read or stored. The text names the reference
/// and says what to do, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("secret {reference}: the environment variable {name} is empty")]
    EnvEmpty { reference: String, name: String },
    #[error("secret {reference}: the environment variable {name} is not set")]
    EnvUnset { reference: String, name: String },
    #[error("secret {0:?}: not a secret reference (env:NAME or keyring:NAME)")]
    NotAReference(String),
    #[error("secret keyring:{0:?}: not a valid name (1 to 128 of A-Z a-z 0-9 _ . / -)")]
    BadName(String),
    #[error("secret keyring:{0}: the value is empty; nothing was stored")]
    EmptyValue(String),
    /// The system keyring has no such entry, refused, or did not answer.
    #[error("{message}")]
    Keyring { name: String, message: String },
}

impl SecretError {
    /// The machine-readable code of [`crate::Error::Secret`].
    pub fn code(&self) -> Code {
        match self {
            SecretError::EnvEmpty { .. }
            | SecretError::EnvUnset { .. }
            | SecretError::Keyring { .. } => Code::SecretUnavailable,
            SecretError::NotAReference(_) => Code::BadSecret,
            SecretError::BadName(_) => Code::BadSecretName,
            SecretError::EmptyValue(_) => Code::EmptySecret,
        }
    }

    /// Is the caller's input at fault (exit code 2)?
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            SecretError::NotAReference(_) | SecretError::BadName(_) | SecretError::EmptyValue(_)
        )
    }

    fn keyring(name: &str, message: String) -> SecretError {
        SecretError::Keyring {
            name: name.to_string(),
            message,
        }
    }
}

/// Resolves `env:NAME` (read now, from the environment) or `keyring:NAME` (read
/// now, from the system keyring). The error names the reference, never a value.
pub fn resolve(reference: &str) -> Result<String, SecretError> {
    if let Some(name) = reference.strip_prefix("env:") {
        let what = || (reference.to_string(), name.to_string());
        return match std::env::var(name) {
            Ok(v) if !v.is_empty() => Ok(v),
            Ok(_) => {
                let (reference, name) = what();
                Err(SecretError::EnvEmpty { reference, name })
            }
            Err(_) => {
                let (reference, name) = what();
                Err(SecretError::EnvUnset { reference, name })
            }
        };
    }
    if let Some(name) = reference.strip_prefix("keyring:") {
        return keyring_get(name);
    }
    Err(SecretError::NotAReference(reference.to_string()))
}

/// Is `name` a valid keyring secret name? The plan's rule: `[A-Za-z0-9_./-]{1,128}`.
pub fn is_keyring_name(name: &str) -> bool {
    crate::plan::is_secret_ref(&format!("keyring:{name}"))
}

fn check_name(name: &str) -> Result<(), SecretError> {
    if is_keyring_name(name) {
        Ok(())
    } else {
        Err(SecretError::BadName(name.to_string()))
    }
}

/// The value of `keyring:NAME`, read from the system keyring now.
pub fn keyring_get(name: &str) -> Result<String, SecretError> {
    check_name(name)?;
    let value = on_keyring_thread(name, |e| e.get_password())?;
    if value.is_empty() {
        return Err(SecretError::keyring(name, format!(
            "secret keyring:{name} is empty in the system keyring (service {KEYRING_SERVICE}, account {name}); store it again with `flotilla secret set {name}`"
        )));
    }
    Ok(value)
}

/// Stores `value` as `keyring:NAME`, replacing what was there.
pub fn keyring_set(name: &str, value: &str) -> Result<(), SecretError> {
    check_name(name)?;
    if value.is_empty() {
        return Err(SecretError::EmptyValue(name.to_string()));
    }
    let v = value.to_string();
    // A platform error text is not expected to hold the value; scrub it anyway.
    on_keyring_thread(name, move |e| e.set_password(&v)).map_err(|e| match e {
        SecretError::Keyring { name, message } => SecretError::Keyring {
            name,
            message: message.replace(value, MASK),
        },
        other => other,
    })
}

/// Removes `keyring:NAME` from the system keyring.
pub fn keyring_delete(name: &str) -> Result<(), SecretError> {
    check_name(name)?;
    on_keyring_thread(name, |e| e.delete_credential())
}

/// Serialises keyring calls: one D-Bus conversation at a time.
static KEYRING_LOCK: Mutex<()> = Mutex::new(());

/// Runs `op` on the entry (service flotilla, account `name`) on a plain thread
/// of its own, never on a tokio worker: with the Secret Service the keyring
/// crate drives its own runtime and must not be called from inside one. The
/// caller waits at most [`KEYRING_TIMEOUT`]; on a multi-threaded runtime it
/// waits in `block_in_place`, so that other steps keep running meanwhile.
fn on_keyring_thread<T, F>(name: &str, op: F) -> Result<T, SecretError>
where
    T: Send + 'static,
    F: FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let account = name.to_string();
    std::thread::Builder::new()
        .name("flotilla-keyring".into())
        .spawn(move || {
            let _one_at_a_time = KEYRING_LOCK.lock().unwrap_or_else(|p| p.into_inner());
            let r = keyring::Entry::new(KEYRING_SERVICE, &account).and_then(|e| op(&e));
            let _ = tx.send(r);
        })
        .map_err(|e| {
            SecretError::keyring(
                name,
                format!("secret keyring:{name}: cannot start the keyring thread: {e}"),
            )
        })?;
    let wait = || rx.recv_timeout(KEYRING_TIMEOUT);
    let got = match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(wait)
        }
        _ => wait(),
    };
    match got {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(SecretError::keyring(name, describe_keyring_error(name, &e))),
        Err(RecvTimeoutError::Timeout) => Err(SecretError::keyring(name, format!(
            "secret keyring:{name}: the system keyring did not answer within {} s (a locked keyring waits for its unlock prompt; unlock it and try again)",
            KEYRING_TIMEOUT.as_secs()
        ))),
        Err(RecvTimeoutError::Disconnected) => Err(SecretError::keyring(
            name,
            format!("secret keyring:{name}: the keyring call stopped without an answer"),
        )),
    }
}

/// A keyring error as a message that names the reference and says what to do.
fn describe_keyring_error(name: &str, e: &keyring::Error) -> String {
    use keyring::Error as K;
    let r = format!("keyring:{name}");
    match e {
        K::NoEntry => format!(
            "secret {r} is not in the system keyring (service {KEYRING_SERVICE}, account {name}); store it with `flotilla secret set {name}`"
        ),
        K::NoStorageAccess(inner) => format!(
            "secret {r}: the system keyring is locked or has no default keyring ({inner}); unlock it (on a desktop, log in or unlock the \"Login\" keyring) and try again"
        ),
        K::PlatformFailure(inner) => format!(
            "secret {r}: cannot reach the system keyring ({inner}); on Linux this needs a Secret Service (gnome-keyring, KeePassXC) on the D-Bus session bus. Without one, put the secret in an environment variable and refer to it as env:{name}"
        ),
        K::BadEncoding(_) => format!(
            "secret {r}: the value in the system keyring (service {KEYRING_SERVICE}, account {name}) is not UTF-8 text; store it again with `flotilla secret set {name}`"
        ),
        K::Ambiguous(items) => format!(
            "secret {r}: {} items in the system keyring match service {KEYRING_SERVICE}, account {name}; delete them (`flotilla secret delete {name}` repeatedly, or secret-tool clear service {KEYRING_SERVICE} username {name}) and store it once",
            items.len()
        ),
        other => format!("secret {r}: the system keyring refused: {other}"),
    }
}

/// Every secret value resolved during a run, to scrub from any text.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    values: Arc<Mutex<Vec<String>>>,
}

impl Masker {
    pub fn remember(&self, value: &str) {
        // Very short values would mask ordinary text; they are still never printed
        // as such, because secrets only ever travel in headers and form fields.
        if value.len() < 3 {
            return;
        }
        let mut v = self.values.lock().unwrap_or_else(|e| e.into_inner());
        if !v.iter().any(|x| x == value) {
            v.push(value.to_string());
            // Longest first, so that a secret containing another is masked whole.
            v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// `text` with every known secret value replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let v = self.values.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_string();
        for s in v.iter() {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }
}

/// Standard base64 (RFC 4648) for HTTP basic auth.
pub fn base64(input: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"user:tok"), "dXNlcjp0b2s=");
    }

    #[test]
    fn masker_scrubs_every_remembered_value() {
        let m = Masker::default();
        m.remember("abc123");
        m.remember("abc123456");
        assert_eq!(m.scrub("x abc123456 y abc123"), "x *** y ***");
    }

    #[test]
    fn env_refs_name_the_secret() {
        let e = resolve("env:FLOTILLA_TEST_SURELY_UNSET_VAR")
            .unwrap_err()
            .to_string();
        assert!(e.contains("env:FLOTILLA_TEST_SURELY_UNSET_VAR") && e.contains("not set"));
        let e = resolve("vault:x").unwrap_err().to_string();
        assert!(e.contains("not a secret reference"));
    }

    #[test]
    fn keyring_names_follow_the_plan_rule() {
        assert!(is_keyring_name("deploy-token"));
        assert!(is_keyring_name("flotilla/ci.TOKEN_2"));
        assert!(is_keyring_name(&"a".repeat(128)));
        assert!(!is_keyring_name(""));
        assert!(!is_keyring_name(&"a".repeat(129)));
        assert!(!is_keyring_name("has space"));
        assert!(!is_keyring_name("semi;colon"));
        // A bad name is refused before the keyring is asked.
        let e = resolve("keyring:bad name").unwrap_err().to_string();
        assert!(e.contains("not a valid name"), "{e}");
        let e = keyring_set("ok", "").unwrap_err().to_string();
        assert!(e.contains("empty") && e.contains("keyring:ok"), "{e}");
    }

    #[test]
    fn keyring_errors_name_the_reference_and_what_to_do() {
        let e = describe_keyring_error("deploy-token", &keyring::Error::NoEntry);
        assert_eq!(
            e,
            "secret keyring:deploy-token is not in the system keyring (service flotilla, account deploy-token); store it with `flotilla secret set deploy-token`"
        );
        let e = describe_keyring_error(
            "t",
            &keyring::Error::NoStorageAccess("collection is locked".into()),
        );
        assert!(e.contains("keyring:t") && e.contains("locked") && e.contains("unlock"));
        let e = describe_keyring_error(
            "t",
            &keyring::Error::PlatformFailure("org.freedesktop.DBus.Error.ServiceUnknown".into()),
        );
        assert!(e.contains("keyring:t") && e.contains("Secret Service") && e.contains("env:t"));
    }
}
