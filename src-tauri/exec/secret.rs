//! Secrets: resolved from their reference at call time, never stored, and
//! masked as `***` in everything the executor prints or records.

use std::sync::{Arc, Mutex};

/// Shown instead of a secret's value.
pub const MASK: &str = "***";

/// Resolves `env:NAME` (read now, from the environment) or `keyring:NAME`.
pub fn resolve(reference: &str) -> Result<String, String> {
    if let Some(name) = reference.strip_prefix("env:") {
        return match std::env::var(name) {
            Ok(v) if !v.is_empty() => Ok(v),
            Ok(_) => Err(format!(
                "secret {reference}: the environment variable {name} is empty"
            )),
            Err(_) => Err(format!(
                "secret {reference}: the environment variable {name} is not set"
            )),
        };
    }
    if let Some(name) = reference.strip_prefix("keyring:") {
        return Err(format!(
            "secret {reference}: this build of Flotilla cannot read the system keyring (no secret service here); put the secret in an environment variable and refer to it as env:{name}"
        ));
    }
    Err(format!(
        "secret {reference:?}: not a secret reference (env:NAME or keyring:NAME)"
    ))
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
        let mut v = self.values.lock().expect("masker lock");
        if !v.iter().any(|x| x == value) {
            v.push(value.to_string());
            // Longest first, so that a secret containing another is masked whole.
            v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// `text` with every known secret value replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let v = self.values.lock().expect("masker lock");
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
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
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
    fn keyring_refs_name_the_secret() {
        let e = resolve("keyring:deploy-token").unwrap_err();
        assert!(e.contains("keyring:deploy-token") && e.contains("env:deploy-token"));
        let e = resolve("env:FLOTILLA_TEST_SURELY_UNSET_VAR").unwrap_err();
        assert!(e.contains("not set"));
    }
}
