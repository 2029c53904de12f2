//! *Test connection* for an endpoint: one harmless read call for its kind,
//! with its configured auth, and what came back. Nothing is triggered.
//!
//! | kind | call |
//! | --- | --- |
//! | webhook | `GET {base_url}` |
//! | github_actions | `GET /repos/{repo}` |
//! | gitlab | `GET /api/v4/projects/{project_id}` |
//! | jenkins | `GET /job/{job}/api/json` (the server's root `/api/json` without a job) |
//! | argocd | `GET /api/v1/applications/{app}` (`/api/version` without an app) |
//! | prometheus | `GET /api/v1/status/buildinfo` |

use super::http::{form_encode, Http, Request};
use super::providers::join;
use super::secret::Masker;
use crate::plan::{Endpoint, EndpointKind};
use schemars::JsonSchema;
use serde::Serialize;

/// What a connection test found.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConnectionTest {
    /// The call as made, secrets shown as `***`.
    pub call: String,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// A 2xx answer.
    pub ok: bool,
    /// One line on what came back (a name, a version), or why it failed.
    pub summary: String,
}

/// The read call a connection test makes.
pub fn probe_request(endpoint: &Endpoint) -> Request {
    let path = match endpoint.kind {
        EndpointKind::Webhook => String::new(),
        EndpointKind::GithubActions => {
            format!("/repos/{}", endpoint.repo.as_deref().unwrap_or(""))
        }
        EndpointKind::Gitlab => format!(
            "/api/v4/projects/{}",
            form_encode(endpoint.project_id.as_deref().unwrap_or(""))
        ),
        EndpointKind::Jenkins => {
            let job: String = endpoint
                .job
                .as_deref()
                .unwrap_or("")
                .split('/')
                .filter(|p| !p.is_empty())
                .map(|p| format!("/job/{}", form_encode(p)))
                .collect();
            format!("{job}/api/json")
        }
        EndpointKind::Argocd => match endpoint.app.as_deref() {
            Some(app) => format!("/api/v1/applications/{}", form_encode(app)),
            None => "/api/version".to_string(),
        },
        EndpointKind::Prometheus => "/api/v1/status/buildinfo".to_string(),
    };
    let url = if path.is_empty() {
        endpoint.base_url.clone()
    } else {
        join(&endpoint.base_url, &path)
    };
    let req = Request::to(endpoint, "GET", url);
    match endpoint.kind {
        EndpointKind::GithubActions => req
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28"),
        _ => req.header("Accept", "application/json"),
    }
}

/// Makes the read call and says what came back.
pub async fn test_connection(endpoint: &Endpoint) -> crate::Result<ConnectionTest> {
    let req = probe_request(endpoint);
    let call = req.shown();
    let http = Http::new(Masker::default())?;
    tracing::info!(call = %call, "connection test");
    let mut test = match http.send(&req).await {
        Err(e) => ConnectionTest {
            call,
            status: None,
            ok: false,
            summary: e.message,
        },
        Ok(reply) => {
            let ok = reply.ok();
            let body = reply.json().ok();
            let pick = |ptr: &str| {
                body.as_ref()
                    .and_then(|b| b.pointer(ptr))
                    .and_then(|v| v.as_str().map(str::to_string))
            };
            let summary = if ok {
                let what = match endpoint.kind {
                    EndpointKind::GithubActions => {
                        pick("/full_name").map(|n| format!("repository {n}"))
                    }
                    EndpointKind::Gitlab => {
                        pick("/path_with_namespace").map(|n| format!("project {n}"))
                    }
                    EndpointKind::Jenkins => pick("/fullName")
                        .or_else(|| pick("/name"))
                        .map(|n| format!("job {n}"))
                        .or_else(|| pick("/mode").map(|m| format!("Jenkins server (mode {m})"))),
                    EndpointKind::Argocd => pick("/metadata/name")
                        .map(|n| format!("application {n}"))
                        .or_else(|| pick("/Version").map(|v| format!("Argo CD {v}"))),
                    EndpointKind::Prometheus => {
                        pick("/data/version").map(|v| format!("Prometheus {v}"))
                    }
                    EndpointKind::Webhook => None,
                };
                format!(
                    "{} answered {}",
                    what.unwrap_or_else(|| "the endpoint".into()),
                    reply.status
                )
            } else {
                let msg = pick("/message")
                    .or_else(|| pick("/error"))
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                let hint = match reply.status {
                    401 => " (the secret was refused)",
                    403 => " (the secret lacks the permission to read this)",
                    404 => " (no such repository, project, job or application, or the secret may not see it)",
                    _ => "",
                };
                format!("answered {}{hint}{msg}", reply.status)
            };
            ConnectionTest {
                call,
                status: Some(reply.status),
                ok,
                summary,
            }
        }
    };
    // An answer may echo what was sent; a secret never leaves in it.
    test.summary = http.masker.scrub(&test.summary);
    Ok(test)
}
