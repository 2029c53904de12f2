//! The runbook as one self-contained, printable HTML page: no scripts, no
//! external files, styles inline.

use super::markdown::{describe, trigger_text};
use super::model::Runbook;
use std::fmt::Write as _;

/// Escapes text for HTML element content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Primary and backup on lines of their own.
fn contacts_cell(c: &crate::plan::Contacts) -> String {
    let mut lines = Vec::new();
    for (role, who) in [("primary", &c.primary), ("backup", &c.backup)] {
        if let Some(p) = who {
            lines.push(format!("{} ({role})", esc(&super::model::contact_line(p))));
        }
    }
    if lines.is_empty() {
        "no contacts on file".to_string()
    } else {
        lines.join("<br>")
    }
}

/// Backticks in the shared descriptions become `<code>`.
fn code(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2em auto;max-width:60em;color:#111;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #333;padding-bottom:.15em;margin-top:1.6em}
h3{margin:1em 0 .4em}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#eee}td.at{white-space:nowrap;font-weight:bold}code{font:12px ui-monospace,monospace;background:#f3f3f3;padding:0 .2em;word-break:break-all}
ul.check{list-style:none;padding-left:0}ul.check li:before{content:'\\2610  '}.meta{color:#444}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}";

/// The runbook as HTML.
pub fn runbook_html(rb: &Runbook) -> String {
    let mut out = String::new();
    let w = &mut out;
    let r = &rb.release;
    let _ = writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} Runbook</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>",
        esc(&r.name)
    );
    let _ = writeln!(w, "<h1>{} Runbook</h1>", esc(&r.name));
    let _ = writeln!(
        w,
        "<p class=\"meta\">Release <code>{}</code>, release date {}, deploy day {} ({}){}.<br>Runbook digest <code>{}</code></p>",
        esc(&r.key),
        r.release_date,
        r.deploy_date,
        r.deploy_date.weekday(),
        r.strategy
            .map(|s| format!(", strategy {}", s.as_str()))
            .unwrap_or_default(),
        esc(&rb.digest)
    );

    let _ = writeln!(w, "<h2>Pre-flight</h2>");
    if rb.preflight_open() == 0 {
        let _ = writeln!(w, "<p>All gate items and milestones are done.</p>");
    } else {
        let _ = writeln!(w, "<ul class=\"check\">");
        for i in &rb.preflight.checklist {
            let mut extra = Vec::new();
            if let Some(o) = &i.owner {
                extra.push(format!("owner {}", esc(o)));
            }
            if let Some(d) = i.due {
                extra.push(format!("due {d}"));
            }
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join(", "))
            };
            let _ = writeln!(w, "<li>{}{extra}</li>", esc(&i.text));
        }
        for m in &rb.preflight.milestones {
            let mut what = String::new();
            if !m.open_scenarios.is_empty() {
                what = format!(": open scenarios: {}", esc(&m.open_scenarios.join("; ")));
            }
            if !m.open_components.is_empty() {
                what = format!(
                    ": components not done: {}",
                    esc(&m.open_components.join(", "))
                );
            }
            let _ = writeln!(
                w,
                "<li>Milestone {} (due {}){what}</li>",
                esc(&m.name),
                m.due
            );
        }
        let _ = writeln!(w, "</ul>");
    }

    let _ = writeln!(w, "<h2>Deployment Order</h2>");
    let mut n = 0;
    for wave in &rb.waves {
        let _ = writeln!(w, "<h3>Wave {}</h3>", wave.number);
        let _ = writeln!(
            w,
            "<table>\n<tr><th>#</th><th>Time</th><th>Component</th><th>Team</th><th>Deploy, verify, roll back</th><th>Contacts</th></tr>"
        );
        for s in &wave.steps {
            n += 1;
            let t = describe(rb, s);
            let mut cell = format!("Trigger: {}", code(&t.trigger));
            if !t.status.is_empty() {
                let _ = write!(cell, "<br>Status: {}", code(&t.status));
            }
            for v in &t.verify {
                let _ = write!(cell, "<br>Verify: {}", code(v));
            }
            if !t.rollback.is_empty() {
                let _ = write!(cell, "<br>Rollback: {}", code(&t.rollback));
            }
            let _ = writeln!(
                w,
                "<tr><td>{n}</td><td class=\"at\">{}</td><td><b>{}</b><br><code>{}</code></td><td>{}</td><td>{cell}</td><td>{}</td></tr>",
                esc(s.at.as_deref().unwrap_or("--:--")),
                esc(&s.title),
                esc(&s.id),
                esc(&s.team_name),
                contacts_cell(&s.contacts)
            );
        }
        let _ = writeln!(w, "</table>");
    }

    let _ = writeln!(
        w,
        "<h2>Verification Steps</h2>\n<p>After each component:</p>\n<ul class=\"check\">"
    );
    for s in rb.steps() {
        let t = describe(rb, s);
        if !t.verify.is_empty() {
            let _ = writeln!(
                w,
                "<li>{} (<code>{}</code>): {}</li>",
                esc(&s.title),
                esc(&s.id),
                code(&t.verify.join("; "))
            );
        }
    }
    let _ = writeln!(w, "</ul>");

    let _ = writeln!(w, "<h2>Rollback Triggers</h2>\n<ul>");
    if rb.rollback_triggers.is_empty() {
        let _ = writeln!(w, "<li>Manual abort only</li>");
    }
    for t in &rb.rollback_triggers {
        let _ = writeln!(w, "<li>{}</li>", code(&trigger_text(rb, t)));
    }
    let _ = writeln!(
        w,
        "</ul>\n<p>On a trigger: no new step starts; every triggered step is rolled back in reverse order of completion.</p>"
    );

    let _ = writeln!(
        w,
        "<h2>Contacts</h2>\n<table>\n<tr><th>Team</th><th>Contacts</th></tr>"
    );
    for t in &rb.contacts {
        let _ = writeln!(
            w,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&t.name),
            contacts_cell(&t.contacts)
        );
    }
    let _ = writeln!(w, "</table>");
    if let Some(expected) = super::markdown::expected_text(rb) {
        let _ = writeln!(
            w,
            "<h2>Communication</h2>\n<p>{}</p>\n<table>\n<tr><th>Audience</th><th>Told of</th><th>Channels</th></tr>",
            esc(&expected)
        );
        for [who, events, channels] in super::markdown::comms_rows(rb) {
            let _ = writeln!(
                w,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&who),
                esc(&events),
                esc(&channels)
            );
        }
        let _ = writeln!(w, "</table>");
    }
    let _ = writeln!(w, "</body>\n</html>");
    out
}
