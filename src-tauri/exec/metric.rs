//! Metric rollback triggers: a Prometheus instant query (`GET
//! /api/v1/query?query=...`) evaluated during the run and for the watch
//! window after the last step; beyond its threshold for `for_s` seconds, it
//! stops the run and rolls it back.

use super::context::{Ctx, Stop};
use super::events::RunEvent;
use super::http::{form_encode, Request};
use super::providers::join;
use crate::plan::RollbackTrigger;
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
            } => Some(MetricTrigger {
                endpoint: endpoint.clone(),
                query: query.clone(),
                above: *above,
                below: *below,
                for_s: for_s.unwrap_or(0),
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

/// The largest sample of an instant query's answer (vector or scalar).
pub(crate) fn sample(v: &Value) -> Result<Option<f64>, String> {
    if v.get("status").and_then(Value::as_str) != Some("success") {
        return Err(format!(
            "the query failed: {}",
            v.get("error")
                .and_then(Value::as_str)
                .unwrap_or("no status")
        ));
    }
    let data = v.get("data").ok_or("the answer has no data")?;
    let number = |pair: &Value| -> Option<f64> {
        pair.get(1)?
            .as_str()?
            .parse::<f64>()
            .ok()
            .filter(|x| !x.is_nan())
    };
    match data.get("resultType").and_then(Value::as_str) {
        Some("vector") => Ok(data
            .get("result")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("value").and_then(number))
            .reduce(f64::max)),
        Some("scalar") => Ok(data.get("result").and_then(number)),
        other => Err(format!(
            "unexpected result type {}",
            other.unwrap_or("(none)")
        )),
    }
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
    loop {
        if ctx.stopped().is_some() || *end.borrow() {
            return;
        }
        for (i, t) in triggers.iter().enumerate() {
            let Some(req) = query_request(&ctx.rb, t) else {
                continue;
            };
            let value = match ctx.call(None, &req).await {
                Ok(reply) if reply.ok() => reply.json().and_then(|v| sample(&v)),
                Ok(reply) => Err(format!("answered {}", reply.status)),
                Err(e) => Err(e.message),
            };
            let value = match value {
                Ok(v) => v,
                Err(e) => {
                    ctx.audit_event(None, &format!("metric query not evaluated: {e}"));
                    None
                }
            };
            let breached = value
                .is_some_and(|x| t.above.is_some_and(|a| x > a) || t.below.is_some_and(|b| x < b));
            ctx.emit(RunEvent::Metric {
                query: t.query.clone(),
                value,
                breached,
            });
            if !breached {
                since[i] = None;
                continue;
            }
            let start = *since[i].get_or_insert_with(Instant::now);
            if start.elapsed() >= Duration::from_secs(u64::from(t.for_s)) {
                let bound = match (t.above, t.below) {
                    (Some(a), _) if value.is_some_and(|x| x > a) => format!("above {a}"),
                    (_, Some(b)) => format!("below {b}"),
                    _ => String::new(),
                };
                ctx.request_stop(Stop {
                    reason: format!(
                        "metric: {} = {} {bound} for {} s",
                        t.query,
                        value.unwrap_or(f64::NAN),
                        t.for_s
                    ),
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
        assert_eq!(sample(&v).unwrap(), Some(0.07));
        let v = json!({"status":"success","data":{"resultType":"vector","result":[]}});
        assert_eq!(sample(&v).unwrap(), None);
        let v =
            json!({"status":"success","data":{"resultType":"scalar","result":[1700000000.0,"3"]}});
        assert_eq!(sample(&v).unwrap(), Some(3.0));
        let v = json!({"status":"error","errorType":"bad_data","error":"parse error"});
        assert!(sample(&v).unwrap_err().contains("parse error"));
    }
}
