//! The checks of a release's communication plan: each channel has what its
//! kind needs and nothing another kind owns, audiences name known teams and
//! channels, templates use only known placeholders.

use super::Checker;
use crate::error::Code;
use crate::plan::key_hash::KeyHash;
use crate::plan::{
    is_loopback, placeholders, Channel, ChannelKind, Comms, NotifyEvent, SmtpTls, PLACEHOLDERS,
};
use std::collections::HashSet;

/// Is `s` a plausible mail address: one `@`, text on both sides, no spaces
/// or angle brackets (the sender checks it fully when it builds the mail).
/// `name@example.com` or `Display Name <name@example.com>`.
pub(crate) fn is_mailbox(s: &str) -> bool {
    match s.trim().strip_suffix('>').and_then(|x| x.rsplit_once('<')) {
        Some((name, addr)) => !name.contains(['<', '>']) && is_mail_address(addr),
        None => is_mail_address(s),
    }
}

pub(crate) fn is_mail_address(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && !domain.is_empty()
                && !s
                    .chars()
                    .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | ',' | '"'))
        }
        _ => false,
    }
}

impl Checker {
    pub(super) fn comms(&mut self, p: &str, c: &Comms, teams: &HashSet<&str, KeyHash>) {
        for (key, ch) in &c.channels {
            let cp = format!("{p}.channels.{key}");
            self.key(|| cp.clone(), key);
            self.channel(&cp, ch);
        }
        let mut keys = HashSet::new();
        for (i, a) in c.audiences.iter().enumerate() {
            let ap = format!("{p}.audiences[{i}]");
            self.key(|| format!("{ap}.key"), &a.key);
            if !keys.insert(a.key.as_str()) {
                self.err(
                    Code::DuplicateKey,
                    format!("{ap}.key"),
                    format!("duplicate audience \"{}\"", a.key),
                );
            }
            if a.name.trim().is_empty() {
                self.err(Code::BadValue, format!("{ap}.name"), "name is empty");
            }
            if let Some(t) = &a.team {
                if !teams.contains(t.as_str()) {
                    self.err(
                        Code::UnknownReference,
                        format!("{ap}.team"),
                        format!("unknown team \"{t}\""),
                    );
                }
            }
            if a.channels.is_empty() {
                self.err(
                    Code::MissingField,
                    format!("{ap}.channels"),
                    "an audience needs at least one channel",
                );
            }
            for (j, ch) in a.channels.iter().enumerate() {
                if !c.channels.contains_key(ch) {
                    self.err(
                        Code::UnknownReference,
                        format!("{ap}.channels[{j}]"),
                        format!("unknown channel \"{ch}\""),
                    );
                }
            }
            if a.events.is_empty() {
                self.err(
                    Code::MissingField,
                    format!("{ap}.events"),
                    format!(
                        "an audience needs at least one event: {}",
                        NotifyEvent::ALL.map(NotifyEvent::as_str).join(", ")
                    ),
                );
            }
            let mut seen = HashSet::new();
            for (j, e) in a.events.iter().enumerate() {
                if !seen.insert(*e) {
                    self.err(
                        Code::DuplicateKey,
                        format!("{ap}.events[{j}]"),
                        format!("event \"{}\" listed twice", e.as_str()),
                    );
                }
            }
        }
        // An email channel must reach someone: its own `to`, or the contacts
        // of a team audience that uses it.
        for (key, ch) in &c.channels {
            if ch.kind == ChannelKind::Email
                && ch.to.is_empty()
                && !c
                    .audiences
                    .iter()
                    .any(|a| a.team.is_some() && a.channels.contains(key))
            {
                self.err(
                    Code::MissingField,
                    format!("{p}.channels.{key}.to"),
                    "an email channel needs recipients: \"to\", or a team audience that uses it",
                );
            }
        }
        for e in NotifyEvent::ALL {
            if let Some(t) = c.templates.get(e) {
                self.template(&format!("{p}.templates.{}", e.as_str()), t);
            }
        }
    }

    fn channel(&mut self, cp: &str, ch: &Channel) {
        let kind = ch.kind;
        // What belongs to the other family of kinds.
        let foreign: &[(&str, bool)] = if kind.is_http() {
            &[
                ("smtp_host", ch.smtp_host.is_some()),
                ("smtp_port", ch.smtp_port.is_some()),
                ("smtp_tls", ch.smtp_tls.is_some()),
                ("smtp_user", ch.smtp_user.is_some()),
                ("smtp_password", ch.smtp_password.is_some()),
                ("from", ch.from.is_some()),
                ("to", !ch.to.is_empty()),
            ]
        } else {
            &[
                ("url", ch.url.is_some()),
                ("url_secret", ch.url_secret.is_some()),
                ("allow_http", ch.allow_http.is_some()),
            ]
        };
        for (field, set) in foreign {
            if *set {
                self.err(
                    Code::BadField,
                    format!("{cp}.{field}"),
                    format!("\"{field}\" does not belong to a {} channel", kind.as_str()),
                );
            }
        }
        if let Some(t) = ch.timeout_s {
            self.range(|| format!("{cp}.timeout_s"), t, 1, 300);
        }
        if kind.is_http() {
            match (&ch.url, &ch.url_secret) {
                (Some(u), None) => {
                    self.url(|| format!("{cp}.url"), u, ch.allow_http == Some(true))
                }
                (None, Some(s)) => self.secret_ref(|| format!("{cp}.url_secret"), s),
                (Some(_), Some(_)) => self.err(
                    Code::BadField,
                    format!("{cp}.url_secret"),
                    "give \"url\" or \"url_secret\", not both",
                ),
                (None, None) => self.err(
                    Code::MissingField,
                    cp.to_string(),
                    format!(
                        "a {} channel needs \"url\" or \"url_secret\" (where its webhook URL is kept)",
                        kind.as_str()
                    ),
                ),
            }
            return;
        }
        match ch.smtp_host.as_deref() {
            None | Some("") => self.err(
                Code::MissingField,
                format!("{cp}.smtp_host"),
                "an email channel needs \"smtp_host\"",
            ),
            Some(h) => {
                if ch.smtp_tls == Some(SmtpTls::None) && !is_loopback(h) {
                    self.err(
                        Code::InsecureUrl,
                        format!("{cp}.smtp_tls"),
                        format!("\"none\" sends mail and password in clear text: only to a loopback relay, not \"{h}\""),
                    );
                }
            }
        }
        if ch.smtp_port == Some(0) {
            self.err(
                Code::OutOfRange,
                format!("{cp}.smtp_port"),
                "0 is out of range (1 to 65535)",
            );
        }
        match (&ch.smtp_user, &ch.smtp_password) {
            (Some(_), Some(pw)) => self.secret_ref(|| format!("{cp}.smtp_password"), pw),
            (Some(_), None) => self.err(
                Code::MissingField,
                format!("{cp}.smtp_password"),
                "\"smtp_user\" needs \"smtp_password\" (where the password is kept)",
            ),
            (None, Some(_)) => self.err(
                Code::MissingField,
                format!("{cp}.smtp_user"),
                "\"smtp_password\" needs \"smtp_user\"",
            ),
            (None, None) => {}
        }
        match &ch.from {
            None => self.err(
                Code::MissingField,
                format!("{cp}.from"),
                "an email channel needs \"from\"",
            ),
            Some(f) if !is_mailbox(f) => self.err(
                Code::BadValue,
                format!("{cp}.from"),
                format!("\"{f}\" is not a mail address (write name@example.com or Name <name@example.com>)"),
            ),
            Some(_) => {}
        }
        for (i, t) in ch.to.iter().enumerate() {
            if !is_mailbox(t) {
                self.err(
                    Code::BadValue,
                    format!("{cp}.to[{i}]"),
                    format!("\"{t}\" is not a mail address (write name@example.com or Name <name@example.com>)"),
                );
            }
        }
    }

    fn template(&mut self, tp: &str, t: &str) {
        if t.trim().is_empty() {
            self.err(Code::BadValue, tp.to_string(), "template is empty");
            return;
        }
        match placeholders(t) {
            Err(at) => self.err(
                Code::BadValue,
                tp.to_string(),
                format!("\"{{\" at byte {at} is never closed: write placeholders as {{name}}"),
            ),
            Ok(names) => {
                for n in names {
                    if !PLACEHOLDERS.iter().any(|(k, _)| *k == n) {
                        self.err(
                            Code::BadValue,
                            tp.to_string(),
                            format!(
                                "unknown placeholder {{{n}}}: use {}",
                                PLACEHOLDERS
                                    .iter()
                                    .map(|(k, _)| format!("{{{k}}}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        );
                    }
                }
            }
        }
    }
}
