//! Every HTTP call the executor makes: built as a [`Request`] that can be shown
//! (secrets as `***`) or sent. Sending enforces the safety rules: `https` unless
//! loopback or `allow_http`, redirects only to the same host, a timeout on
//! every call, response bodies capped.

use super::secret::{base64, resolve, Masker, SecretError, MASK};
use crate::plan::{check_url_rule, Auth, AuthScheme, Endpoint, UrlFault};
use std::time::{Duration, Instant};

/// The largest response body read; a larger one fails the call.
pub const BODY_CAP: usize = 1024 * 1024;

/// A header or form value: plain, or made from a secret at call time.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Plain(String),
    /// `prefix` + the secret (`Bearer `); shown as `prefix***`.
    Secret {
        reference: String,
        prefix: String,
    },
    /// `Basic base64(user:secret)`; shown as `Basic ***`.
    Basic {
        user: String,
        reference: String,
    },
}

impl Val {
    fn shown(&self) -> String {
        match self {
            Val::Plain(s) => s.clone(),
            Val::Secret { prefix, .. } => format!("{prefix}{MASK}"),
            Val::Basic { .. } => format!("Basic {MASK}"),
        }
    }

    fn resolve(&self, masker: &Masker) -> Result<String, SecretError> {
        match self {
            Val::Plain(s) => Ok(s.clone()),
            Val::Secret { reference, prefix } => {
                let v = resolve(reference)?;
                masker.remember(&v);
                Ok(format!("{prefix}{v}"))
            }
            Val::Basic { user, reference } => {
                let v = resolve(reference)?;
                masker.remember(&v);
                let encoded = base64(format!("{user}:{v}").as_bytes());
                masker.remember(&encoded);
                Ok(format!("Basic {encoded}"))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    None,
    Json(serde_json::Value),
    /// `application/x-www-form-urlencoded`.
    Form(Vec<(String, Val)>),
}

/// One call, ready to show or to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, Val)>,
    pub body: Body,
    pub timeout: Duration,
    /// Plain http allowed to a host that is not loopback.
    pub allow_http: bool,
    /// Follow same-host redirects (the default); off, a `3xx` is the answer
    /// (Jenkins answers a build request merged into a queued one with `303`).
    pub follow_redirects: bool,
}

impl Request {
    /// A call to `endpoint` at `url`, with its auth and timeout.
    pub fn to(endpoint: &Endpoint, method: &'static str, url: String) -> Request {
        let mut headers = Vec::new();
        if let Some(a) = &endpoint.auth {
            headers.push(auth_header(a));
        }
        Request {
            method,
            url,
            headers,
            body: Body::None,
            timeout: Duration::from_secs(u64::from(endpoint.timeout_s())),
            allow_http: endpoint.allow_http == Some(true),
            follow_redirects: true,
        }
    }

    /// The same call, answered with a redirect rather than following it.
    pub fn no_redirects(mut self) -> Request {
        self.follow_redirects = false;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers
            .push((name.to_string(), Val::Plain(value.to_string())));
        self
    }

    pub fn json(mut self, body: serde_json::Value) -> Request {
        self.body = Body::Json(body);
        self
    }

    /// One line: `POST https://... (Authorization: Bearer ***) {"version":"2"}`.
    pub fn shown(&self) -> String {
        let mut s = format!("{} {}", self.method, self.url);
        if !self.headers.is_empty() {
            let h: Vec<String> = self
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.shown()))
                .collect();
            s.push_str(&format!(" ({})", h.join(", ")));
        }
        match &self.body {
            Body::None => {}
            Body::Json(v) => s.push_str(&format!(" {v}")),
            Body::Form(f) => {
                let parts: Vec<String> = f
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.shown()))
                    .collect();
                s.push_str(&format!(" form {}", parts.join("&")));
            }
        }
        s
    }
}

/// The auth header of an endpoint, its secret left as a reference.
pub fn auth_header(a: &Auth) -> (String, Val) {
    match a.scheme {
        AuthScheme::Bearer => (
            "Authorization".into(),
            Val::Secret {
                reference: a.secret.clone(),
                prefix: "Bearer ".into(),
            },
        ),
        AuthScheme::Basic => (
            "Authorization".into(),
            Val::Basic {
                user: a.username.clone().unwrap_or_default(),
                reference: a.secret.clone(),
            },
        ),
        AuthScheme::Header => (
            a.header.clone().unwrap_or_else(|| "X-Token".into()),
            Val::Secret {
                reference: a.secret.clone(),
                prefix: String::new(),
            },
        ),
    }
}

/// What came back: the status, `Location`, the headers a provider reads
/// (names in lower case), and the body (at most [`BODY_CAP`]).
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub location: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The answer headers kept in [`Reply::headers`]: rate limits, the server's
/// clock, and the session cookie a Jenkins crumb is bound to.
const KEPT_HEADERS: [&str; 5] = [
    "retry-after",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "date",
    "set-cookie",
];

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text, cut to `max` characters, for an error message.
    pub fn text(&self, max: usize) -> String {
        let t = String::from_utf8_lossy(&self.body);
        let t = t.trim();
        match t.char_indices().nth(max) {
            Some((i, _)) => format!("{}…", &t[..i]),
            None => t.to_string(),
        }
    }

    pub fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_slice(&self.body).map_err(|e| format!("the answer is not JSON: {e}"))
    }
}

/// Every byte but RFC 3986's unreserved ones (`A-Z a-z 0-9 - _ . ~`).
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encoding of one URL component (a path segment, a query value, a
/// form field): safe in all three, spaces as `%20`.
pub fn form_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

/// Scheme, host and port of a URL (`None` when it is not `http(s)://host`).
pub fn origin(url: &str) -> Option<(String, String, u16)> {
    let u = reqwest::Url::parse(url).ok()?;
    let host = u.host_str()?.trim_matches(['[', ']']).to_string();
    Some((u.scheme().to_string(), host, u.port_or_known_default()?))
}

/// A URL the executor will not call, and why (`plan::check_url_rule`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlRefused {
    pub url: String,
    pub fault: UrlFault,
}

impl std::fmt::Display for UrlRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = &self.url;
        match &self.fault {
            UrlFault::NotUrl | UrlFault::NoHost => write!(f, "{url} is not a valid URL"),
            UrlFault::InsecureHttp => write!(
                f,
                "{url}: plain http to a host that is not loopback (use https, or set allow_http on the endpoint)"
            ),
            UrlFault::Scheme(other) => write!(f, "{url}: scheme {other} is not allowed"),
        }
    }
}

/// Refuses a URL that is neither https, nor loopback, nor allowed plain http.
pub fn check_url(url: &str, allow_http: bool) -> Result<(), UrlRefused> {
    check_url_rule(url, allow_http).map_err(|fault| UrlRefused {
        url: url.to_string(),
        fault,
    })
}

/// Why a call got no usable answer.
#[derive(Debug, Clone, PartialEq)]
pub struct CallFailure {
    pub message: String,
    /// Worth trying again (a timeout, a refused connection), as opposed to a
    /// refusal of ours (a redirect elsewhere, a body over the cap, plain http).
    pub retry: bool,
}

impl CallFailure {
    fn fatal(message: String) -> CallFailure {
        CallFailure {
            message,
            retry: false,
        }
    }
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The HTTP client of a run.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    /// The same, following no redirect.
    direct: reqwest::Client,
    pub masker: Masker,
}

impl Http {
    pub fn new(masker: Masker) -> crate::Result<Http> {
        // The TLS provider: ring (no C toolchain needed beyond the one cargo has).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= 5 {
                return attempt.error("more than 5 redirects");
            }
            let from = attempt.previous().first().map(|u| u.as_str().to_string());
            let to = attempt.url().as_str().to_string();
            let same = match (from.as_deref().and_then(origin), origin(&to)) {
                (Some((fs, fh, fp)), Some((ts, th, tp))) => {
                    fh == th && fp == tp && !(fs == "https" && ts == "http")
                }
                _ => false,
            };
            if same {
                attempt.follow()
            } else {
                let host = origin(&to).map(|o| o.1).unwrap_or_default();
                attempt.error(format!("redirect to another host ({host}) refused"))
            }
        });
        let build = |policy| {
            reqwest::Client::builder()
                .redirect(policy)
                .connect_timeout(Duration::from_secs(10))
                .pool_max_idle_per_host(256)
                .user_agent(concat!("flotilla/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| crate::Error::Run(format!("cannot set up HTTP: {e}")))
        };
        let client = build(policy)?;
        let direct = build(reqwest::redirect::Policy::none())?;
        Ok(Http {
            client,
            direct,
            masker,
        })
    }

    /// Sends a request. The error text never holds a secret's value.
    pub async fn send(&self, req: &Request) -> Result<Reply, CallFailure> {
        check_url(&req.url, req.allow_http).map_err(|e| CallFailure::fatal(e.to_string()))?;
        let method = reqwest::Method::from_bytes(req.method.as_bytes())
            .map_err(|_| CallFailure::fatal(format!("bad method {}", req.method)))?;
        let client = if req.follow_redirects {
            &self.client
        } else {
            &self.direct
        };
        let mut b = client.request(method, &req.url).timeout(req.timeout);
        for (k, v) in &req.headers {
            b = b.header(
                k.as_str(),
                v.resolve(&self.masker)
                    .map_err(|e| CallFailure::fatal(e.to_string()))?,
            );
        }
        match &req.body {
            Body::None => {}
            Body::Json(v) => {
                b = b
                    .header("Content-Type", "application/json")
                    .body(v.to_string());
            }
            Body::Form(fields) => {
                let mut parts = Vec::with_capacity(fields.len());
                for (k, v) in fields {
                    parts.push(format!(
                        "{}={}",
                        form_encode(k),
                        form_encode(
                            &v.resolve(&self.masker)
                                .map_err(|e| CallFailure::fatal(e.to_string()))?
                        )
                    ));
                }
                b = b
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(parts.join("&"));
            }
        }
        let deadline = Instant::now() + req.timeout;
        let mut resp = b.send().await.map_err(|e| self.describe(e))?;
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let headers = resp
            .headers()
            .iter()
            .filter(|(k, _)| KEPT_HEADERS.contains(&k.as_str()))
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let mut body = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, resp.chunk())
                .await
                .map_err(|_| CallFailure {
                    message: format!(
                        "timed out after {} s reading the answer",
                        req.timeout.as_secs()
                    ),
                    retry: true,
                })?
                .map_err(|e| self.describe(e))?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > BODY_CAP {
                return Err(CallFailure::fatal(format!(
                    "the answer is larger than {BODY_CAP} bytes (status {status}); refused"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            location,
            headers,
            body,
        })
    }

    fn describe(&self, e: reqwest::Error) -> CallFailure {
        let retry = (e.is_timeout() || e.is_connect()) && !e.is_redirect();
        let what = if e.is_timeout() {
            "timed out".to_string()
        } else if e.is_redirect() {
            // The policy's own message says which host.
            let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
            let mut msg = "redirect refused".to_string();
            while let Some(s) = src {
                msg = s.to_string();
                src = s.source();
            }
            msg
        } else if e.is_connect() {
            "cannot connect".to_string()
        } else {
            let mut msg = e.to_string();
            let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
            while let Some(s) = src {
                msg = format!("{msg}: {s}");
                src = s.source();
            }
            msg
        };
        // reqwest's messages can carry the URL; secrets never travel in URLs,
        // and anything that looks like one is scrubbed all the same.
        CallFailure {
            message: self.masker.scrub(&what),
            retry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_https_unless_loopback_or_allowed() {
        assert!(check_url("https://deploy.example.com/x", false).is_ok());
        assert!(check_url("http://127.0.0.1:8787/x", false).is_ok());
        assert!(check_url("http://localhost/x", false).is_ok());
        assert!(check_url("http://deploy.example.com/x", false).is_err());
        assert!(check_url("http://deploy.example.com/x", true).is_ok());
        assert!(check_url("ftp://deploy.example.com/x", true).is_err());
    }

    #[test]
    fn shown_requests_mask_secrets() {
        let r = Request {
            method: "POST",
            url: "https://x.example/deploy".into(),
            headers: vec![(
                "Authorization".into(),
                Val::Secret {
                    reference: "env:T".into(),
                    prefix: "Bearer ".into(),
                },
            )],
            body: Body::Form(vec![(
                "token".into(),
                Val::Secret {
                    reference: "env:T".into(),
                    prefix: String::new(),
                },
            )]),
            timeout: Duration::from_secs(1),
            allow_http: false,
            follow_redirects: true,
        };
        let s = r.shown();
        assert!(s.contains("Authorization: Bearer ***"), "{s}");
        assert!(s.contains("token=***"), "{s}");
        assert!(!s.contains("env:T"));
    }
}
