// The communication plan as the Settings tab edits it: channels (one form,
// fields by kind), audiences (who hears of which events on which channels)
// and a template per event. Each change gives the whole new plan, sent as one
// set_release edit of `comms`; the backend checks it as the plan file is
// checked (docs/notifications.md) and its refusal names the field.

import type { Audience, Channel, ChannelKind, Comms, NotifyEvent, SmtpTls } from './generated';

export const CHANNEL_KINDS: ChannelKind[] = ['slack', 'teams', 'mattermost', 'webhook', 'email'];

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  slack: 'Slack incoming webhook',
  teams: 'Microsoft Teams (Workflows webhook)',
  mattermost: 'Mattermost incoming webhook',
  webhook: 'Generic webhook (JSON POST)',
  email: 'Email over SMTP',
};

export const EVENTS: NotifyEvent[] = ['run_started', 'wave_done', 'step_failed', 'rollback_started', 'rollback_finished', 'run_finished'];

export const EVENT_NAMES: Record<NotifyEvent, string> = {
  run_started: 'Run started',
  wave_done: 'Wave done',
  step_failed: 'Step failed',
  rollback_started: 'Rollback started',
  rollback_finished: 'Rollback finished',
  run_finished: 'Run finished',
};

/** The channel form: every field as text, whatever the kind. */
export interface ChannelForm {
  key: string;
  kind: ChannelKind;
  /** 'url': the URL is written in the plan; 'secret': a reference to where it is kept. */
  urlFrom: 'url' | 'secret';
  url: string;
  urlSecret: string;
  allowHttp: boolean;
  smtpHost: string;
  smtpPort: string;
  smtpTls: SmtpTls;
  smtpUser: string;
  smtpPassword: string;
  from: string;
  to: string;
  timeout: string;
}

export function emptyChannelForm(kind: ChannelKind = 'slack'): ChannelForm {
  return {
    key: '',
    kind,
    urlFrom: 'secret',
    url: '',
    urlSecret: '',
    allowHttp: false,
    smtpHost: '',
    smtpPort: '',
    smtpTls: 'starttls',
    smtpUser: '',
    smtpPassword: '',
    from: '',
    to: '',
    timeout: '',
  };
}

export function channelFormOf(key: string, c: Channel): ChannelForm {
  return {
    ...emptyChannelForm(c.kind),
    key,
    urlFrom: c.url ? 'url' : 'secret',
    url: c.url ?? '',
    urlSecret: c.url_secret ?? '',
    allowHttp: c.allow_http ?? false,
    smtpHost: c.smtp_host ?? '',
    smtpPort: c.smtp_port == null ? '' : String(c.smtp_port),
    smtpTls: c.smtp_tls ?? 'starttls',
    smtpUser: c.smtp_user ?? '',
    smtpPassword: c.smtp_password ?? '',
    from: c.from ?? '',
    to: (c.to ?? []).join(', '),
    timeout: c.timeout_s == null ? '' : String(c.timeout_s),
  };
}

const KEY = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The channel the form describes, or what is wrong with the form (by field). */
export function channelOfForm(f: ChannelForm): { key: string; channel: Channel } | { problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const key = f.key.trim();
  if (!KEY.test(key)) problems.key = 'A key: lower-case letters, digits, . _ -';
  const number = (text: string, field: string, max: number): number | null => {
    const t = text.trim();
    if (t === '') return null;
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1 || n > max) problems[field] = `A whole number from 1 to ${max}`;
    return n;
  };
  const timeout = number(f.timeout, 'timeout', 600);
  const channel: Channel = { kind: f.kind };
  if (timeout !== null) channel.timeout_s = timeout;
  if (f.kind === 'email') {
    if (f.smtpHost.trim() === '') problems.smtpHost = 'The mail server';
    channel.smtp_host = f.smtpHost.trim();
    const port = number(f.smtpPort, 'smtpPort', 65535);
    if (port !== null) channel.smtp_port = port;
    channel.smtp_tls = f.smtpTls;
    if (f.smtpUser.trim() !== '') channel.smtp_user = f.smtpUser.trim();
    if (f.smtpPassword.trim() !== '') channel.smtp_password = f.smtpPassword.trim();
    if (f.from.trim() === '') problems.from = 'The sender address';
    channel.from = f.from.trim();
    const to = f.to
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (to.length > 0) channel.to = to;
  } else {
    if (f.urlFrom === 'url') {
      if (f.url.trim() === '') problems.url = 'The webhook URL';
      channel.url = f.url.trim();
    } else {
      if (f.urlSecret.trim() === '') problems.urlSecret = 'Where the URL is kept: env:NAME or keyring:NAME';
      channel.url_secret = f.urlSecret.trim();
    }
    if (f.allowHttp) channel.allow_http = true;
  }
  return Object.keys(problems).length > 0 ? { problems } : { key, channel };
}

/** A plan with nothing in it. */
export function emptyComms(): Comms {
  return { channels: {}, audiences: [] };
}

/** The plan with channel `key` put in place of `was` (a rename follows into the audiences). */
export function putChannel(c: Comms, was: string | null, key: string, channel: Channel): Comms {
  const channels: Record<string, Channel> = {};
  let placed = false;
  for (const [k, v] of Object.entries(c.channels)) {
    if (k === was) {
      channels[key] = channel;
      placed = true;
    } else if (k !== key) {
      channels[k] = v;
    }
  }
  if (!placed) channels[key] = channel;
  const audiences =
    was !== null && was !== key
      ? c.audiences.map((a) => ({ ...a, channels: a.channels.map((ch) => (ch === was ? key : ch)) }))
      : c.audiences;
  return { ...c, channels, audiences };
}

/** The audiences that would be left without a channel if `key` went. */
export function audiencesOnlyOn(c: Comms, key: string): string[] {
  return c.audiences.filter((a) => a.channels.length === 1 && a.channels[0] === key).map((a) => a.name);
}

/** The plan without channel `key` (taken out of every audience). */
export function removeChannel(c: Comms, key: string): Comms {
  const channels = { ...c.channels };
  delete channels[key];
  return { ...c, channels, audiences: c.audiences.map((a) => ({ ...a, channels: a.channels.filter((ch) => ch !== key) })) };
}

/** The plan with audience `a` at `index` (at the end when null). */
export function putAudience(c: Comms, a: Audience, index: number | null): Comms {
  const audiences = [...c.audiences];
  if (index === null) audiences.push(a);
  else audiences[index] = a;
  return { ...c, audiences };
}

export function removeAudience(c: Comms, index: number): Comms {
  return { ...c, audiences: c.audiences.filter((_, i) => i !== index) };
}

/** The plan with `event`'s template set (an empty text: the built-in wording). */
export function setTemplate(c: Comms, event: NotifyEvent, text: string): Comms {
  const templates = { ...(c.templates ?? {}) };
  if (text.trim() === '') delete templates[event];
  else templates[event] = text;
  const out: Comms = { ...c, templates };
  if (Object.keys(templates).length === 0) delete out.templates;
  return out;
}

/** The value of `comms` to store: null when the plan has neither channels nor audiences. */
export function commsValue(c: Comms): Comms | null {
  return Object.keys(c.channels).length === 0 && c.audiences.length === 0 ? null : c;
}

/** What a channel is, in a few words, without its URL (a chat webhook's URL is its credential). */
export function channelSummary(c: Channel): string {
  if (c.kind === 'email') return `mail via ${c.smtp_host ?? '?'}${c.to?.length ? ` to ${c.to.join(', ')}` : ''}`;
  return c.url_secret ? `URL from ${c.url_secret}` : 'URL in the plan';
}
