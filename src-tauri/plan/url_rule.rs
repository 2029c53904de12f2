//! The one rule for the URLs a plan may point Flotilla at: `https`, or plain
//! `http` to loopback or to an endpoint marked `allow_http`. Validation
//! checks every endpoint's `base_url` with it, and the executor checks every
//! request it sends with it, so the two cannot disagree.

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlFault {
    /// Not a URL at all.
    NotUrl,
    /// `scheme://` with no host.
    NoHost,
    /// A scheme other than http and https.
    Scheme(String),
    /// Plain http to a host that is not loopback, not allowed.
    InsecureHttp,
}

/// Checks `url` against the rule; `allow_http` is the endpoint's own mark.
pub fn check_url_rule(url: &str, allow_http: bool) -> Result<(), UrlFault> {
    let parsed = match url::Url::parse(url) {
        Ok(u) => u,
        Err(url::ParseError::EmptyHost) => return Err(UrlFault::NoHost),
        Err(_) => return Err(UrlFault::NotUrl),
    };
    let host = match parsed.host_str() {
        Some(h) if !h.is_empty() => h.trim_matches(['[', ']']),
        _ => return Err(UrlFault::NoHost),
    };
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if allow_http || is_loopback(host) => Ok(()),
        "http" => Err(UrlFault::InsecureHttp),
        other => Err(UrlFault::Scheme(other.to_string())),
    }
}

/// Is `host` the loopback interface (localhost, 127.0.0.0/8, ::1)?
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|a| a.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        assert_eq!(check_url_rule("https://ci.example.com/x", false), Ok(()));
        assert_eq!(check_url_rule("http://127.0.0.1:8080", false), Ok(()));
        assert_eq!(check_url_rule("http://[::1]:8080/a", false), Ok(()));
        assert_eq!(check_url_rule("http://localhost", false), Ok(()));
        assert_eq!(check_url_rule("http://ci.example.com", true), Ok(()));
        assert_eq!(
            check_url_rule("http://ci.example.com", false),
            Err(UrlFault::InsecureHttp)
        );
        assert_eq!(
            check_url_rule("ftp://ci.example.com", false),
            Err(UrlFault::Scheme("ftp".into()))
        );
        assert_eq!(check_url_rule("http://", false), Err(UrlFault::NoHost));
        assert_eq!(
            check_url_rule("ci.example.com", false),
            Err(UrlFault::NotUrl)
        );
    }
}
