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
/// The scheme is judged as written (`https://` or `http://`, lower case),
/// loopback by the host as written (`localhost`, `::1`, a 127.x.x.x
/// address), and the whole must parse as a URL.
pub fn check_url_rule(url: &str, allow_http: bool) -> Result<(), UrlFault> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(UrlFault::NotUrl);
    };
    if scheme != "http" && scheme != "https" {
        return Err(UrlFault::Scheme(scheme.to_string()));
    }
    let host = written_host(rest);
    if host.is_empty() {
        return Err(UrlFault::NoHost);
    }
    if url::Url::parse(url).is_err() {
        return Err(UrlFault::NotUrl);
    }
    match scheme {
        "http" if !allow_http && !is_loopback(host) => Err(UrlFault::InsecureHttp),
        _ => Ok(()),
    }
}

/// The host of `rest` (what follows `scheme://`) as written: no user info,
/// port, path, query or brackets.
fn written_host(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if let Some(bracketed) = host_port.strip_prefix('[') {
        return bracketed.split(']').next().unwrap_or("");
    }
    host_port.split(':').next().unwrap_or("")
}

/// Is `host` the loopback interface (localhost, 127.0.0.0/8, ::1), as written?
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
        // Judged as written: no normalising into a scheme or a loopback host.
        assert_eq!(
            check_url_rule("HTTPS://ci.example.com", false),
            Err(UrlFault::Scheme("HTTPS".into()))
        );
        assert_eq!(
            check_url_rule("http://127.1", false),
            Err(UrlFault::InsecureHttp)
        );
        assert_eq!(
            check_url_rule("http://LOCALHOST", false),
            Err(UrlFault::InsecureHttp)
        );
        assert_eq!(check_url_rule("http://user@[::1]:8080/x", false), Ok(()));
        assert_eq!(
            check_url_rule("https://exa mple.com", false),
            Err(UrlFault::NotUrl)
        );
    }
}
