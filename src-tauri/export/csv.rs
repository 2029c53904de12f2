//! CSV of components, one row each, for spreadsheets.

use crate::plan::Plan;

/// One row per component of every release in `plan`: its fields, and the
/// components it is blocked by and blocks, `;`-separated. RFC 4180 quoting.
pub fn components_csv(plan: &Plan) -> String {
    let mut out = String::from(
        "release,component,title,team,status,duration_days,start,eta,done_on,labels,blocked_by,blocks,last_update\r\n",
    );
    for r in &plan.releases {
        for c in &r.components {
            let blocked_by: Vec<&str> = r
                .dependencies
                .iter()
                .filter(|d| d.to == c.key)
                .map(|d| d.from.as_str())
                .collect();
            let blocks: Vec<&str> = r
                .dependencies
                .iter()
                .filter(|d| d.from == c.key)
                .map(|d| d.to.as_str())
                .collect();
            let date = |d: Option<crate::plan::Date>| d.map(|d| d.to_string()).unwrap_or_default();
            let last = c
                .updates
                .last()
                .map(|u| format!("{}: {}", u.date, u.text))
                .unwrap_or_default();
            let fields = [
                r.key.clone(),
                c.key.clone(),
                c.title.clone(),
                c.team.clone(),
                c.status.as_str().to_string(),
                c.duration_days.to_string(),
                date(c.start),
                date(c.eta),
                date(c.done_on),
                c.labels.join(";"),
                blocked_by.join(";"),
                blocks.join(";"),
                last,
            ];
            let row: Vec<String> = fields.iter().map(|f| quote(f)).collect();
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting() {
        assert_eq!(super::quote("a,b"), "\"a,b\"");
        assert_eq!(super::quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::quote("plain"), "plain");
    }
}
