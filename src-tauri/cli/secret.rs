//! `flotilla secret set|check|delete NAME`: the `keyring:NAME` secrets of
//! runbook endpoints, in the system keyring (service `flotilla`, account NAME).
//! Thin over `exec::secret`; a value is read from standard input and never
//! printed.

use crate::error::{Code, Error, Result};
use crate::exec::secret::{self, KEYRING_SERVICE};
use clap::{Args, Subcommand};
use std::io::{BufRead, IsTerminal, Write};

/// `flotilla secret ...`
#[derive(Debug, Args)]
pub struct SecretArgs {
    #[command(subcommand)]
    pub action: SecretAction,
}

#[derive(Debug, Subcommand)]
pub enum SecretAction {
    /// Store keyring:NAME: the value is one line read from standard input
    Set {
        /// The name after `keyring:` in the plan (A-Z a-z 0-9 _ . / -, at most 128)
        name: String,
    },
    /// Say whether keyring:NAME is set (never shows the value)
    Check { name: String },
    /// Remove keyring:NAME from the system keyring
    Delete { name: String },
}

pub fn run(args: SecretArgs) -> Result<()> {
    let name = match &args.action {
        SecretAction::Set { name }
        | SecretAction::Check { name }
        | SecretAction::Delete { name } => name,
    };
    if !secret::is_keyring_name(name) {
        return Err(Error::invalid(
            Code::BadSecretName,
            name.as_str(),
            "not a valid secret name: 1 to 128 of A-Z a-z 0-9 _ . / -",
        ));
    }
    match &args.action {
        SecretAction::Set { name } => {
            let value = read_value(name)?;
            secret::keyring_set(name, &value)?;
            println!("keyring:{name} stored (service {KEYRING_SERVICE}, account {name})");
        }
        SecretAction::Check { name } => {
            secret::keyring_get(name)?;
            println!("keyring:{name} is set");
        }
        SecretAction::Delete { name } => {
            secret::keyring_delete(name)?;
            println!("keyring:{name} deleted");
        }
    }
    Ok(())
}

/// One line from standard input, its line end stripped. On a terminal it asks
/// on stderr and turns echo off while the value is typed.
fn read_value(name: &str) -> Result<String> {
    let stdin = std::io::stdin();
    let tty = stdin.is_terminal();
    if tty {
        eprint!("value of keyring:{name} (not shown): ");
        let _ = std::io::stderr().flush();
    }
    let echo_off = tty && set_echo(false);
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if echo_off {
        set_echo(true);
        eprintln!();
    }
    read.map_err(|e| Error::io(std::path::Path::new("<stdin>"), e, true))?;
    let value = line
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(&line);
    if value.is_empty() {
        return Err(Error::invalid(
            Code::EmptySecret,
            "<stdin>",
            format!("no value for keyring:{name}: give it as one line on standard input"),
        ));
    }
    Ok(value.to_string())
}

/// Terminal echo on or off (`stty`, Unix); false when it could not be changed.
#[cfg(unix)]
fn set_echo(on: bool) -> bool {
    std::process::Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(not(unix))]
fn set_echo(_on: bool) -> bool {
    false
}
