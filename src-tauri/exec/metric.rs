//! Metric rollback triggers: a Prometheus instant query (`GET
//! /api/v1/query?query=...`, docs/querying/api.md) evaluated during the run
//! and for the watch window after the last step; beyond its threshold for
//! `for_s` seconds, it stops the run and rolls it back. `above` is compared
//! with the largest series of the answer, `below` with the smallest; an
//! answer without a number (an empty vector, NaN) is what the trigger's
//! `no_data` says, and is recorded in the audit trail when it starts and
//! stops. Every query is sent once before the first step (pre-flight): one
//! the server refuses stops the run there with the server's own error.

use super::context::{Ctx, Stop};
use super::events::RunEvent;
use super::http::{form_encode, Request};
use super::providers::join;
use crate::plan::{NoData, RollbackTrigger};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One metric trigger of the runbook.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MetricTrigger {
    pub endpoint: String,
    pub query: String,
    pub above: Option<f64>,
    pub below: Option<f64>,
    pub for_s: u32,
    pub no_data: NoData,
}

pub(crate) fn metric_triggers(triggers: &[RollbackTrigger]) -> Vec<MetricTrigger> {
    triggers
        .iter()
        .filter_map(|t| match t {
            RollbackTrigger::Metric {
                endpoint,
                query,
                above,
                below,
                for_s,
                no_data,
            } => Some(MetricTrigger {
                endpoint: endpoint.clone(),
                query: query.clone(),
                above: *above,
                below: *below,
                for_s: for_s.unwrap_or(0),
                no_data: no_data.unwrap_or_default(),
            }),
            _ => None,
        })
        .collect()
}

/// How often to evaluate: a quarter of the shortest `for_s`, within 1 to 15 s.
pub(crate) fn default_every(triggers: &[MetricTrigger]) -> Duration {
    let shortest = triggers.iter().map(|t| t.for_s).min().unwrap_or(60);
    Duration::from_secs(u64::from((shortest / 4).clamp(1, 15)))
}

pub(crate) fn query_request(
    ctx_endpoints: &crate::runbook::Runbook,
    t: &MetricTrigger,
) -> Option<Request> {
    let ep = ctx_endpoints.endpoints.get(&t.endpoint)?;
    let url = format!(
        "{}?query={}",
        join(&ep.base_url, "/api/v1/query"),
        form_encode(&t.query)
    );
    Some(Request::to(ep, "GET", url).header("Accept", "application/json"))
}

/// The smallest and the largest sample of an instant query's answer (a
/// vector or a scalar); `None` when it holds no number (an empty vector,
/// NaN). `Err` carries the server's `errorType` and `error`.
pub(crate) fn sample(v: &Value) -> Result<Option<(f64, f64)>, String> {
    if v.get("status").and_then(Value::as_str) != Some("success") {
        let kind = v.get("errorType").and_then(Value::as_str);
        let error = v
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("no status");
        return Err(match kind {
            Some(k) => format!("Prometheus refused the query ({k}): {error}"),
            None => format!("Prometheus refused the query: {error}"),
        });
    }
    let data = v.get("data").ok_or("the answer has no data")?;
    let number = |pair: &Value| -> Option<f64> {
        pair.get(1)?
            .as_str()?
            .parse::<f64>()
            .ok()
            .filter(|x| !x.is_nan())
    };
    let values: Vec<f64> = match data.get("resultType").and_then(Value::as_str) {
        Some("vector") => data
            .get("result")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("value").and_then(number))
            .collect(),
        Some("scalar") => data.get("result").and_then(number).into_iter().collect(),
        other => {
            return Err(format!(
                "the query answers a {}, not a number: use an instant vector or a scalar",
                other.unwrap_or("(no result type)")
            ))
        }
    };
    Ok(values.iter().fold(None, |acc, &x| match acc {
        None => Some((x, x)),
        Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
    }))
}

/// An answer of the query API, read: Prometheus answers its errors with a
/// JSON body too (400, 422, 503), else only the status is known.
fn read_answer(reply: &super::http::Reply) -> Result<Option<(f64, f64)>, String> {
    match reply.json() {
        Ok(v) => sample(&v),
        Err(_) if !reply.ok() => Err(format!("Prometheus answered {}", reply.status)),
        Err(e) => Err(e),
    }
}

/// One evaluation: the answer read, or why there is none.
async fn evaluate(ctx: &Ctx, t: &MetricTrigger) -> Result<Option<(f64, f64)>, String> {
    let Some(req) = query_request(&ctx.rb, t) else {
        return Err(format!("unknown endpoint {}", t.endpoint));
    };
    match ctx.call(None, &req).await {
        Ok(reply) => read_answer(&reply),
        Err(e) => Err(e.message),
    }
}

/// Is this evaluation a breach? (`value` as [`sample`] read it.)
fn breach(t: &MetricTrigger, value: Option<(f64, f64)>) -> bool {
    match value {
        Some((lo, hi)) => t.above.is_some_and(|a| hi > a) || t.below.is_some_and(|b| lo < b),
        None => t.no_data == NoData::Breach,
    }
}

/// Pre-flight: each query sent once; a query the server refuses (or a
/// server that cannot be reached) is a problem at its trigger's path.
pub(crate) async fn check_queries(
    rb: &crate::runbook::Runbook,
    http: &super::http::Http,
) -> Vec<crate::error::Problem> {
    let mut out = Vec::new();
    for (i, t) in rb.rollback_triggers.iter().enumerate() {
        let Some(m) = metric_triggers(std::slice::from_ref(t)).pop() else {
            continue;
        };
        let Some(req) = query_request(rb, &m) else {
            continue;
        };
        let fault = match http.send(&req).await {
            Ok(reply) => read_answer(&reply).err(),
            Err(e) => Some(format!("Prometheus at {} cannot be reached: {e}", req.url)),
        };
        if let Some(f) = fault {
            out.push(crate::error::Problem::new(
                crate::error::Code::MetricQuery,
                format!("rollback_triggers[{i}].query"),
                format!("`{}`: {f}", m.query),
            ));
        }
    }
    out
}

/// Evaluates every metric trigger each `every` until the run stops or `end`
/// fires. A query that cannot be answered is reported, never a trigger.
pub(crate) async fn watch(
    ctx: Arc<Ctx>,
    triggers: Vec<MetricTrigger>,
    every: Duration,
    mut end: tokio::sync::watch::Receiver<bool>,
) {
    let mut since: Vec<Option<Instant>> = vec![None; triggers.len()];
    let mut no_data = vec![false; triggers.len()];
    loop {
        if ctx.stopped().is_some() || *end.borrow() {
            return;
        }
        for (i, t) in triggers.iter().enumerate() {
            let value = match evaluate(&ctx, t).await {
                Ok(v) => v,
                Err(e) => {
                    ctx.audit_event(None, &format!("metric query not evaluated: {e}"));
                    None
                }
            };
            // No data is recorded when it starts and when it ends.
            if value.is_none() != no_data[i] {
                no_data[i] = value.is_none();
                let note = if value.is_none() {
                    match t.no_data {
                        NoData::Ignore => "no data (ignored: not a breach)",
                        NoData::Breach => "no data (counted as a breach)",
                    }
                } else {
                    "data again"
                };
                ctx.audit_event(None, &format!("metric `{}`: {note}", t.query));
            }
            let breached = breach(t, value);
            ctx.emit(RunEvent::Metric {
                query: t.query.clone(),
                value: value.map(|(lo, hi)| {
                    if t.below.is_some() && t.above.is_none() {
                        lo
                    } else {
                        hi
                    }
                }),
                breached,
            });
            if !breached {
                since[i] = None;
                continue;
            }
            let start = *since[i].get_or_insert_with(Instant::now);
            if start.elapsed() >= Duration::from_secs(u64::from(t.for_s)) {
                let what = match (value, t.above, t.below) {
                    (None, ..) => "no data (no_data: breach)".to_string(),
                    (Some((_, hi)), Some(a), _) if hi > a => format!("= {hi} above {a}"),
                    (Some((lo, _)), _, Some(b)) => format!("= {lo} below {b}"),
                    _ => String::new(),
                };
                ctx.request_stop(Stop {
                    reason: format!("metric: {} {what} for {} s", t.query, t.for_s),
                    rollback: true,
                });
                return;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = end.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_vector_and_scalar_answers() {
        let v = json!({"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"job":"a"},"value":[1700000000.0,"0.02"]},
            {"metric":{"job":"b"},"value":[1700000000.0,"0.07"]}]}});
        assert_eq!(sample(&v).unwrap(), Some((0.02, 0.07)));
        let v = json!({"status":"success","data":{"resultType":"vector","result":[]}});
        assert_eq!(sample(&v).unwrap(), None);
        let v =
            json!({"status":"success","data":{"resultType":"scalar","result":[1700000000.0,"3"]}});
        assert_eq!(sample(&v).unwrap(), Some((3.0, 3.0)));
        let v = json!({"status":"success","data":{"resultType":"scalar","result":[1700000000.0,"NaN"]}});
        assert_eq!(sample(&v).unwrap(), None);
        let v = json!({"status":"error","errorType":"bad_data","error":"parse error"});
        let e = sample(&v).unwrap_err();
        assert!(e.contains("bad_data") && e.contains("parse error"), "{e}");
        let v =
            json!({"status":"success","data":{"resultType":"string","result":[1700000000.0,"x"]}});
        assert!(sample(&v).is_err());
    }

    #[test]
    fn below_is_the_smallest_series_and_no_data_is_as_configured() {
        let t = |above, below, no_data| MetricTrigger {
            endpoint: "prom".into(),
            query: "q".into(),
            above,
            below,
            for_s: 0,
            no_data,
        };
        let two = Some((0.2, 0.9));
        assert!(breach(&t(None, Some(0.5), NoData::Ignore), two));
        assert!(!breach(&t(None, Some(0.1), NoData::Ignore), two));
        assert!(breach(&t(Some(0.8), None, NoData::Ignore), two));
        assert!(!breach(&t(Some(0.95), None, NoData::Ignore), two));
        assert!(!breach(&t(Some(0.8), None, NoData::Ignore), None));
        assert!(breach(&t(Some(0.8), None, NoData::Breach), None));
    }
}
