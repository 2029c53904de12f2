//! The JSON each HTTP channel kind takes, as the services document it:
//! Slack (`text` as the notification fallback, `blocks` with a header and a
//! mrkdwn section), Mattermost (`text` in Markdown, a `username`), Microsoft
//! Teams Workflows (a `message` with one Adaptive Card attachment), and
//! Flotilla's own shape for a generic webhook.

use crate::plan::ChannelKind;
use crate::store::OutboxMessage;
use serde_json::{json, Value};

/// Slack's limits: a header block's text, a section's text.
const SLACK_HEADER_MAX: usize = 150;
const SLACK_SECTION_MAX: usize = 3000;

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// The body to POST for `m` on a channel of kind `kind`; `None` for email.
pub fn http_body(kind: ChannelKind, m: &OutboxMessage) -> Option<Value> {
    Some(match kind {
        ChannelKind::Slack => json!({
            "text": format!("{}: {}", m.subject, m.body),
            "blocks": [
                { "type": "header",
                  "text": { "type": "plain_text", "text": cut(&m.subject, SLACK_HEADER_MAX) } },
                { "type": "section",
                  "text": { "type": "mrkdwn", "text": cut(&m.body, SLACK_SECTION_MAX) } }
            ]
        }),
        ChannelKind::Mattermost => json!({
            "username": "Flotilla",
            "text": format!("#### {}\n{}", m.subject, m.body),
        }),
        ChannelKind::Teams => json!({
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": null,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        { "type": "TextBlock", "text": m.subject, "weight": "Bolder",
                          "size": "Medium", "wrap": true },
                        { "type": "TextBlock", "text": m.body, "wrap": true }
                    ]
                }
            }]
        }),
        ChannelKind::Webhook => json!({
            "format": "flotilla.message",
            "version": 1,
            "key": m.key,
            "event": m.event,
            "release": m.release_key,
            "run_id": m.run_id,
            "audience": m.audience,
            "subject": m.subject,
            "text": m.body,
        }),
        ChannelKind::Email => return None,
    })
}
