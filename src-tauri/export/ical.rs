//! iCalendar (RFC 5545): the release date, the freezes, the integration
//! milestones and each component's finish as all-day events that a calendar
//! app imports. UIDs are stable, so importing again updates the events.

use crate::plan::{Date, Release};
use crate::schedule::Analysis;

/// One VCALENDAR with the events of every (release, analysis) pair. `stamp`
/// is the DTSTAMP of every event (the day the file describes).
pub fn ical(releases: &[(&Release, &Analysis)], stamp: Date) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Flotilla//Release plan//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    let stamp = format!("{}T000000Z", compact(stamp));
    for (r, a) in releases {
        let mut event =
            |uid: String, day: Date, summary: String, description: String, category: &str| {
                lines.push("BEGIN:VEVENT".into());
                lines.push(format!("UID:{uid}@flotilla"));
                lines.push(format!("DTSTAMP:{stamp}"));
                lines.push(format!("DTSTART;VALUE=DATE:{}", compact(day)));
                lines.push(format!(
                    "DTEND;VALUE=DATE:{}",
                    compact(Date(day.0.succ_opt().unwrap_or(day.0)))
                ));
                lines.push(format!("SUMMARY:{}", escape(&summary)));
                if !description.is_empty() {
                    lines.push(format!("DESCRIPTION:{}", escape(&description)));
                }
                lines.push(format!("CATEGORIES:{category}"));
                lines.push("TRANSP:TRANSPARENT".into());
                lines.push("END:VEVENT".into());
            };
        let finish = a
            .plan_finish
            .map(|f| format!("Planned finish {f}."))
            .unwrap_or_default();
        event(
            format!("{}-release", r.key),
            r.release_date,
            format!("{}: release day", r.name),
            format!("Release {} ({}). {finish}", r.name, r.key),
            "RELEASE",
        );
        if let Some(d) = r.feature_freeze {
            event(
                format!("{}-feature-freeze", r.key),
                d,
                format!("{}: feature freeze", r.name),
                String::new(),
                "FREEZE",
            );
        }
        if let Some(d) = r.code_freeze {
            event(
                format!("{}-code-freeze", r.key),
                d,
                format!("{}: code freeze", r.name),
                String::new(),
                "FREEZE",
            );
        }
        for m in &r.milestones {
            let risk = a.milestones.iter().find(|x| x.key == m.key);
            let state = risk.map(|x| x.state.as_str()).unwrap_or("ok");
            let done = m.scenarios.iter().filter(|s| s.done).count();
            event(
                format!("{}-milestone-{}", r.key, m.key),
                m.due,
                format!("{}: integration milestone {}", r.name, m.name),
                format!(
                    "Components: {}. Scenarios done: {done} of {}. State: {state}.",
                    m.components.join(", "),
                    m.scenarios.len()
                ),
                "MILESTONE",
            );
        }
        for c in &a.components {
            let title = r
                .component(c.key)
                .map(|x| x.title.as_str())
                .unwrap_or(c.key);
            event(
                format!("{}-finish-{}", r.key, c.key),
                c.ef,
                format!("{}: {title} finishes ({})", r.name, c.team),
                format!(
                    "{} ({}) earliest {} .. {}, float {} working days{}.",
                    title,
                    c.key,
                    c.es,
                    c.ef,
                    c.total_float,
                    if c.critical {
                        ", on the critical path"
                    } else {
                        ""
                    }
                ),
                "COMPONENT",
            );
        }
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        fold(&l, &mut out);
    }
    out
}

fn compact(d: Date) -> String {
    d.0.format("%Y%m%d").to_string()
}

/// RFC 5545 TEXT escaping.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Writes a content line folded at 75 octets, ending in CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn folding_and_escaping() {
        let mut out = String::new();
        super::fold(&"x".repeat(80), &mut out);
        assert_eq!(out, format!("{}\r\n {}\r\n", "x".repeat(75), "x".repeat(5)));
        assert_eq!(super::escape("a,b;c\nd"), "a\\,b\\;c\\nd");
    }
}
