//! Sending one message: an HTTP POST or a mail over SMTP. Secrets (a webhook
//! URL kept as a secret, the SMTP password) are resolved now and masked in
//! every error this returns.

use super::payload::http_body;
use crate::exec::secret::{self, Masker};
use crate::plan::{check_url_rule, Channel, ChannelKind, SmtpTls};
use crate::store::OutboxMessage;
use std::time::Duration;

/// Why a send did not go through.
#[derive(Debug, Clone, PartialEq)]
pub struct SendFailure {
    /// Secrets masked.
    pub message: String,
    /// Worth trying again later (the network, a timeout, 408, 429, 5xx, a
    /// transient SMTP answer); else refused for good.
    pub retry: bool,
    /// What the service asked for (`Retry-After`).
    pub retry_after: Option<Duration>,
    pub status: Option<u16>,
}

impl SendFailure {
    fn new(message: String, retry: bool) -> SendFailure {
        SendFailure {
            message,
            retry,
            retry_after: None,
            status: None,
        }
    }
}

/// Where the message went, for the audit trail: a plain URL, or the secret
/// reference a URL was read from, or `smtp://host:port`.
pub fn shown_target(ch: &Channel) -> String {
    match (ch.kind, &ch.url, &ch.url_secret) {
        (ChannelKind::Email, ..) => format!(
            "smtp://{}:{}",
            ch.smtp_host.as_deref().unwrap_or(""),
            smtp_port(ch)
        ),
        (_, Some(u), _) => u.clone(),
        (_, _, Some(s)) => format!("<{s}>"),
        _ => String::new(),
    }
}

fn smtp_port(ch: &Channel) -> u16 {
    ch.smtp_port
        .unwrap_or(match ch.smtp_tls.unwrap_or_default() {
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
            SmtpTls::None => 25,
        })
}

async fn resolve(reference: String, masker: &Masker) -> Result<String, SendFailure> {
    let r = tokio::task::spawn_blocking(move || secret::resolve(&reference))
        .await
        .map_err(|e| SendFailure::new(format!("cannot read the secret: {e}"), true))?;
    match r {
        Ok(v) => {
            masker.remember(&v);
            Ok(v)
        }
        // A secret missing here may be set before the next try.
        Err(e) => Err(SendFailure::new(e.to_string(), true)),
    }
}

/// Seconds a send may take when its channel says nothing (`timeout_s`).
pub const DEFAULT_TIMEOUT_S: u32 = 15;

/// Sends `m` once. `client` is shared by every send of a pump.
pub async fn send(client: &reqwest::Client, m: &OutboxMessage) -> Result<(), SendFailure> {
    let ch: Channel = serde_json::from_value(m.target.clone()).map_err(|e| {
        SendFailure::new(
            format!("the outbox holds an unreadable channel: {e}"),
            false,
        )
    })?;
    let masker = Masker::default();
    let r = match ch.kind {
        ChannelKind::Email => send_mail(&ch, m, &masker).await,
        _ => send_http(client, &ch, m, &masker).await,
    };
    r.map_err(|mut f| {
        f.message = masker.scrub(&f.message);
        f
    })
}

async fn send_http(
    client: &reqwest::Client,
    ch: &Channel,
    m: &OutboxMessage,
    masker: &Masker,
) -> Result<(), SendFailure> {
    let url = match (&ch.url, &ch.url_secret) {
        (Some(u), _) => u.clone(),
        (None, Some(s)) => resolve(s.clone(), masker).await?,
        (None, None) => return Err(SendFailure::new("the channel has no URL".into(), false)),
    };
    check_url_rule(&url, ch.allow_http == Some(true))
        .map_err(|e| SendFailure::new(format!("the channel's URL is refused: {e:?}"), false))?;
    let Some(body) = http_body(ch.kind, m) else {
        return Err(SendFailure::new("not an HTTP channel".into(), false));
    };
    let timeout = Duration::from_secs(u64::from(ch.timeout_s.unwrap_or(DEFAULT_TIMEOUT_S)));
    let reply = client
        .post(&url)
        .timeout(timeout)
        .header("content-type", "application/json")
        .header("idempotency-key", &m.key)
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| SendFailure::new(format!("{}", e.without_url()), true))?;
    let status = reply.status().as_u16();
    if reply.status().is_success() {
        return Ok(());
    }
    let retry_after = reply
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let text: String = reply
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    Err(SendFailure {
        message: format!("{} answered {status}: {}", ch.kind.as_str(), text.trim()),
        retry: status == 408 || status == 429 || status >= 500,
        retry_after,
        status: Some(status),
    })
}

/// The Message-ID of `m`: the same for every try, so that a mail system can
/// drop a second copy.
fn message_id(m: &OutboxMessage) -> String {
    use sha2::{Digest, Sha256};
    let h = hex::encode(Sha256::digest(m.key.as_bytes()));
    format!("<{}@flotilla>", &h[..32])
}

async fn send_mail(ch: &Channel, m: &OutboxMessage, masker: &Masker) -> Result<(), SendFailure> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let bad =
        |what: &str, e: &dyn std::fmt::Display| SendFailure::new(format!("{what}: {e}"), false);
    let host = ch.smtp_host.clone().unwrap_or_default();
    let from = ch.from.as_deref().unwrap_or("");
    let mut b = Message::builder()
        .from(
            from.parse()
                .map_err(|e| bad(&format!("from \"{from}\""), &e))?,
        )
        .subject(m.subject.clone())
        .message_id(Some(message_id(m)))
        .header(ContentType::TEXT_PLAIN);
    if ch.to.is_empty() {
        return Err(SendFailure::new("no recipients".into(), false));
    }
    for t in &ch.to {
        b = b.to(t.parse().map_err(|e| bad(&format!("to \"{t}\""), &e))?);
    }
    let mail = b
        .body(m.body.clone())
        .map_err(|e| bad("cannot build the mail", &e))?;
    let builder = match ch.smtp_tls.unwrap_or_default() {
        SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)
            .map_err(|e| SendFailure::new(format!("smtp {host}: {e}"), true))?,
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&host)
            .map_err(|e| SendFailure::new(format!("smtp {host}: {e}"), true))?,
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host),
    };
    let mut builder = builder
        .port(smtp_port(ch))
        .timeout(Some(Duration::from_secs(u64::from(
            ch.timeout_s.unwrap_or(DEFAULT_TIMEOUT_S),
        ))));
    if let (Some(user), Some(pw)) = (&ch.smtp_user, &ch.smtp_password) {
        let pw = resolve(pw.clone(), masker).await?;
        builder = builder.credentials(Credentials::new(user.clone(), pw));
    }
    let transport = builder.build();
    match transport.send(mail).await {
        Ok(_) => Ok(()),
        Err(e) => Err(SendFailure {
            message: format!("smtp {host}:{}: {e}", smtp_port(ch)),
            retry: !e.is_permanent(),
            retry_after: None,
            status: e.status().map(|c| u16::from(c.severity as u8) * 100),
        }),
    }
}
