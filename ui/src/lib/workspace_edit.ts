// The Workspace page's forms: a team with its contacts, an endpoint of each
// kind, the working calendar. Each form converts to the plan type the store
// takes (src-tauri/plan/model.rs) and back; the hints are what the store would
// refuse, said before sending (the store stays the judge).

import type { Auth, AuthScheme, Calendar, Contact, Endpoint, EndpointKind, Team } from './generated';

// ---------------------------------------------------------------------------
// Keys

/** Does `key` match the plan's key rule `^[a-z0-9][a-z0-9._-]{0,63}$`? */
export function isValidKey(key: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(key);
}

/**
 * A key derived from a name, as the store derives one from a title
 * (`Data pipeline` → `data-pipeline`): lower case, every run of other
 * characters one '-', none at either end, at most 64 characters.
 */
export function deriveKey(name: string): string {
  let key = '';
  for (const c of name.trim()) {
    if (/^[A-Za-z0-9]$/.test(c)) key += c.toLowerCase();
    else if (key !== '' && !key.endsWith('-')) key += '-';
  }
  return key.replace(/-+$/, '').slice(0, 64).replace(/-+$/, '');
}

// ---------------------------------------------------------------------------
// Teams

export interface ContactForm {
  name: string;
  handle: string;
  email: string;
  phone: string;
}

export interface TeamForm {
  key: string;
  name: string;
  primary: ContactForm;
  backup: ContactForm;
}

export const CONTACT_FIELDS = ['name', 'handle', 'email', 'phone'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
export const CONTACT_LABELS: Record<ContactField, string> = {
  name: 'Name',
  handle: 'Handle',
  email: 'Email',
  phone: 'Phone',
};

export function emptyContact(): ContactForm {
  return { name: '', handle: '', email: '', phone: '' };
}

export function contactFormOf(c: Contact | null | undefined): ContactForm {
  return { name: c?.name ?? '', handle: c?.handle ?? '', email: c?.email ?? '', phone: c?.phone ?? '' };
}

export function teamFormOf(team: Team): TeamForm {
  return {
    key: team.key,
    name: team.name,
    primary: contactFormOf(team.contacts?.primary),
    backup: contactFormOf(team.contacts?.backup),
  };
}

/** A new team's form: the key follows the name until it is edited. */
export function emptyTeamForm(): TeamForm {
  return { key: '', name: '', primary: emptyContact(), backup: emptyContact() };
}

/** The contact a form describes: empty fields dropped; none without a name. */
export function contactOf(form: ContactForm): Contact | null {
  const name = form.name.trim();
  if (name === '') return null;
  const contact: Contact = { name };
  for (const field of ['handle', 'email', 'phone'] as const) {
    const value = form[field].trim();
    if (value !== '') contact[field] = value;
  }
  return contact;
}

/** The team a form describes; `contacts` only when there is one. */
export function teamOf(form: TeamForm): Team {
  const team: Team = { key: form.key.trim(), name: form.name.trim() };
  const primary = contactOf(form.primary);
  const backup = contactOf(form.backup);
  if (primary || backup) {
    team.contacts = {};
    if (primary) team.contacts.primary = primary;
    if (backup) team.contacts.backup = backup;
  }
  return team;
}

/** A contact's details on one line, for the list: "Ana Ruiz · @ana · ana@x.io · +1 555". */
export function contactLine(c: Contact | null | undefined): string {
  if (!c) return '';
  return [c.name, c.handle, c.email, c.phone].filter((v) => v != null && v !== '').join(' · ');
}

/** Would this contact be dropped on saving: details given, but no name? */
export function isUnnamedContact(c: ContactForm): boolean {
  return c.name.trim() === '' && (c.handle.trim() !== '' || c.email.trim() !== '' || c.phone.trim() !== '');
}

/**
 * What the store would refuse in a team form (`existing`: the keys of the
 * teams, checked when `isNew`: an existing team's key never changes).
 */
export function teamHints(form: TeamForm, existing: readonly string[], isNew: boolean): string[] {
  const hints: string[] = [];
  const key = form.key.trim();
  if (form.name.trim() === '') hints.push('A team needs a name.');
  if (isNew) {
    if (key === '') hints.push('A team needs a key.');
    else if (!isValidKey(key)) hints.push('A key is lower case letters, digits, ".", "_" or "-", starting with a letter or digit (at most 64).');
    else if (existing.includes(key)) hints.push(`A team with key "${key}" exists already.`);
  }
  return hints;
}

// ---------------------------------------------------------------------------
// Endpoints

export const ENDPOINT_KINDS: readonly EndpointKind[] = [
  'webhook',
  'github_actions',
  'gitlab',
  'jenkins',
  'argocd',
  'prometheus',
];

export const KIND_LABELS: Record<EndpointKind, string> = {
  webhook: 'Webhook',
  github_actions: 'GitHub Actions',
  gitlab: 'GitLab',
  jenkins: 'Jenkins',
  argocd: 'Argo CD',
  prometheus: 'Prometheus',
};

export type KindField = 'repo' | 'project_id' | 'trigger_token' | 'job' | 'app';

export interface KindFieldSpec {
  field: KindField;
  label: string;
  placeholder: string;
  required: boolean;
}

/** The fields each kind has of its own (model.rs: each is accepted only on its own kind). */
export const KIND_FIELDS: Record<EndpointKind, readonly KindFieldSpec[]> = {
  webhook: [],
  github_actions: [{ field: 'repo', label: 'Repository', placeholder: 'owner/name', required: true }],
  gitlab: [
    { field: 'project_id', label: 'Project', placeholder: '1234 or group/project', required: true },
    { field: 'trigger_token', label: 'Trigger token', placeholder: 'keyring:gitlab-trigger (optional)', required: false },
  ],
  jenkins: [{ field: 'job', label: 'Default job', placeholder: 'deploy-api (optional)', required: false }],
  argocd: [{ field: 'app', label: 'Default application', placeholder: 'payments (optional)', required: false }],
  prometheus: [],
};

/**
 * Which token each kind needs, and its least permissions (docs/runbook.md,
 * "Providers"): shown under the endpoint's authentication.
 */
export const TOKEN_HELP: Record<EndpointKind, string> = {
  webhook: 'Whatever your deploy service asks for.',
  github_actions:
    'A token allowed to run workflows: a fine-grained token with "Actions: read and write" on the repository (classic: repo and workflow). Bearer scheme.',
  gitlab:
    'An access token (Header scheme, header PRIVATE-TOKEN, or Bearer). With a trigger token (above) starting the pipelines, the access token needs read_api (api to cancel them); without one, it needs api and starts them itself.',
  jenkins:
    'Basic scheme: your Jenkins user name and an API token (a password also works: the run then fetches a CSRF crumb). The user needs Job/Build, Job/Read and Job/Cancel.',
  argocd:
    'Bearer scheme: an Argo CD account token whose role allows applications get, sync and action on the project (and delete for terminating an operation).',
  prometheus: 'Usually none; a bearer token or basic auth if your Prometheus sits behind a proxy.',
};

/** An example base URL per kind, shown as the field's placeholder. */
export const BASE_URL_PLACEHOLDERS: Record<EndpointKind, string> = {
  webhook: 'https://deploy.example.com/hooks',
  github_actions: 'https://api.github.com',
  gitlab: 'https://gitlab.example.com',
  jenkins: 'https://jenkins.example.com',
  argocd: 'https://argocd.example.com',
  prometheus: 'https://prometheus.example.com',
};

export const AUTH_SCHEMES: readonly AuthScheme[] = ['bearer', 'basic', 'header'];
export const SCHEME_LABELS: Record<AuthScheme, string> = {
  bearer: 'Bearer token',
  basic: 'Basic (user name + secret)',
  header: 'Header (name + secret)',
};

/** The defaults the store applies to an endpoint's unset fields, shown as placeholders. */
export const ENDPOINT_DEFAULTS = { timeout_s: 30, allow_http: false } as const;
/** The range the store accepts for `timeout_s`. */
export const TIMEOUT_RANGE = { min: 1, max: 3600 } as const;

export interface EndpointForm {
  name: string;
  kind: EndpointKind;
  base_url: string;
  /** '' : no authentication. */
  scheme: AuthScheme | '';
  secret: string;
  header: string;
  username: string;
  allow_http: boolean;
  /** '' : the default (30 s). */
  timeout_s: string;
  repo: string;
  project_id: string;
  /** GitLab: the pipeline trigger token's reference; '' : none (the access token creates pipelines). */
  trigger_token: string;
  job: string;
  app: string;
}

export function emptyEndpointForm(kind: EndpointKind = 'webhook'): EndpointForm {
  return {
    name: '',
    kind,
    base_url: '',
    scheme: '',
    secret: '',
    header: '',
    username: '',
    allow_http: false,
    timeout_s: '',
    repo: '',
    project_id: '',
    trigger_token: '',
    job: '',
    app: '',
  };
}

export function endpointFormOf(name: string, e: Endpoint): EndpointForm {
  return {
    name,
    kind: e.kind,
    base_url: e.base_url,
    scheme: e.auth?.scheme ?? '',
    secret: e.auth?.secret ?? '',
    header: e.auth?.header ?? '',
    username: e.auth?.username ?? '',
    allow_http: e.allow_http === true,
    timeout_s: e.timeout_s != null ? String(e.timeout_s) : '',
    repo: e.repo ?? '',
    project_id: e.project_id ?? '',
    trigger_token: e.trigger_token ?? '',
    job: e.job ?? '',
    app: e.app ?? '',
  };
}

/**
 * The endpoint a form describes: only its kind's own field, `auth` only with a
 * scheme (and `header` / `username` only for the scheme that has one),
 * `allow_http` only when ticked, `timeout_s` only when given.
 */
export function endpointOf(form: EndpointForm): Endpoint {
  const e: Endpoint = { kind: form.kind, base_url: form.base_url.trim() };
  if (form.scheme !== '') {
    const auth: Auth = { scheme: form.scheme, secret: form.secret.trim() };
    if (form.scheme === 'header') auth.header = form.header.trim();
    if (form.scheme === 'basic') auth.username = form.username.trim();
    e.auth = auth;
  }
  if (form.allow_http) e.allow_http = true;
  const timeout = form.timeout_s.trim();
  if (timeout !== '') e.timeout_s = Number(timeout);
  for (const spec of KIND_FIELDS[form.kind]) {
    const value = form[spec.field].trim();
    if (value !== '') e[spec.field] = value;
  }
  return e;
}

/** A secret reference, parsed: `env:NAME` (an environment variable) or `keyring:NAME` (the OS keyring). */
export interface SecretRef {
  source: 'env' | 'keyring';
  name: string;
}

/** `env:NAME` or `keyring:NAME` with NAME 1 to 128 of A-Z a-z 0-9 _ . / -, else null. */
export function parseSecretRef(reference: string): SecretRef | null {
  const m = /^(env|keyring):([A-Za-z0-9_./-]{1,128})$/.exec(reference.trim());
  return m ? { source: m[1] as 'env' | 'keyring', name: m[2]! } : null;
}

/** Why a secret reference would be refused, or null when it is a good one. */
export function secretHint(reference: string): string | null {
  const r = reference.trim();
  if (r === '') return 'Give the secret as a reference: env:NAME or keyring:NAME.';
  if (parseSecretRef(r)) return null;
  const colon = r.indexOf(':');
  const prefix = colon < 0 ? '' : r.slice(0, colon);
  if (prefix === 'env' || prefix === 'keyring') {
    return `The name after "${prefix}:" is 1 to 128 of A-Z a-z 0-9 _ . / -.`;
  }
  return 'A secret is a reference, env:NAME or keyring:NAME, never the value itself.';
}

/** What the store would refuse in an endpoint form (`existing`: the other endpoints' names, checked when `isNew`). */
export function endpointHints(form: EndpointForm, existing: readonly string[], isNew: boolean): string[] {
  const hints: string[] = [];
  const name = form.name.trim();
  if (isNew) {
    if (name === '') hints.push('An endpoint needs a name.');
    else if (!isValidKey(name)) hints.push('A name is lower case letters, digits, ".", "_" or "-", starting with a letter or digit (at most 64).');
    else if (existing.includes(name)) hints.push(`An endpoint named "${name}" exists already.`);
  }
  const url = form.base_url.trim();
  if (url === '') hints.push('An endpoint needs a base URL.');
  else if (!/^https?:\/\/[^/\s]+/i.test(url)) hints.push('The base URL is an http(s) URL: https://host/…');
  else if (/^http:/i.test(url) && !form.allow_http && !isLoopback(url)) {
    hints.push('Plain http to a host that is not this machine: use https, or tick "Allow plain http".');
  }
  const timeout = form.timeout_s.trim();
  if (timeout !== '') {
    const n = Number(timeout);
    if (!Number.isInteger(n) || n < TIMEOUT_RANGE.min || n > TIMEOUT_RANGE.max) {
      hints.push(`The timeout is a whole number of seconds from ${TIMEOUT_RANGE.min} to ${TIMEOUT_RANGE.max}.`);
    }
  }
  if (form.scheme !== '') {
    const s = secretHint(form.secret);
    if (s) hints.push(s);
    if (form.scheme === 'header' && form.header.trim() === '') hints.push('Scheme "header" needs the header\'s name.');
    if (form.scheme === 'basic' && form.username.trim() === '') hints.push('Scheme "basic" needs a user name.');
  }
  for (const spec of KIND_FIELDS[form.kind]) {
    const value = form[spec.field].trim();
    if (spec.required && value === '') hints.push(`A ${KIND_LABELS[form.kind]} endpoint needs its ${spec.label.toLowerCase()}.`);
    if (spec.field === 'trigger_token' && value !== '') {
      const t = secretHint(value);
      if (t) hints.push(`Trigger token: ${t}`);
    }
    if (form.kind === 'gitlab' && form.scheme === '') {
      if (spec.field === 'project_id') hints.push('A GitLab endpoint needs authentication: an access token that reads pipelines.');
    }
    if (spec.field === 'repo' && value !== '' && !/^[^/\s]+\/[^/\s]+$/.test(value)) {
      hints.push('The repository is owner/name.');
    }
  }
  return hints;
}

function isLoopback(url: string): boolean {
  const host = /^https?:\/\/(\[[^\]]*\]|[^/:?#]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

/** How an endpoint authenticates, in words, for the list: "Bearer · keyring:ci-token". */
export function authLine(e: Endpoint): string {
  if (!e.auth) return 'None';
  const scheme = e.auth.scheme === 'bearer' ? 'Bearer' : e.auth.scheme === 'basic' ? `Basic (${e.auth.username ?? ''})` : `Header ${e.auth.header ?? ''}`;
  return `${scheme} · ${e.auth.secret}`;
}

/** The kind's own field of an endpoint, for the list: "repo acme/api". */
export function kindDetail(e: Endpoint): string {
  return KIND_FIELDS[e.kind]
    .map((spec) => (e[spec.field] ? `${spec.label.toLowerCase()} ${e[spec.field]}` : ''))
    .filter((s) => s !== '')
    .join(', ');
}

// ---------------------------------------------------------------------------
// Calendar

export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const DAY_LABELS: Record<Day, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
/** The calendar in force when none is set: Monday to Friday, no holidays. */
export const DEFAULT_CALENDAR: { workdays: Day[]; holidays: string[] } = {
  workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  holidays: [],
};

export interface CalendarForm {
  workdays: Record<Day, boolean>;
  holidays: string[];
}

/** The form of the calendar set (null: the default one). */
export function calendarFormOf(c: Calendar | null | undefined): CalendarForm {
  const workdays = (c?.workdays as Day[] | undefined) ?? DEFAULT_CALENDAR.workdays;
  return {
    workdays: Object.fromEntries(DAYS.map((d) => [d, workdays.includes(d)])) as Record<Day, boolean>,
    holidays: [...(c?.holidays ?? [])].sort(),
  };
}

/** The calendar a form describes: work days in week order, holidays sorted and once each. */
export function calendarOf(form: CalendarForm): Calendar {
  return {
    workdays: DAYS.filter((d) => form.workdays[d]),
    holidays: [...new Set(form.holidays.map((h) => h.trim()).filter((h) => h !== ''))].sort(),
  } as Calendar;
}

/** Is `s` a real date written YYYY-MM-DD? */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Why a holiday cannot be added (`holidays`: those listed), or null. */
export function holidayHint(date: string, holidays: readonly string[]): string | null {
  const d = date.trim();
  if (!isIsoDate(d)) return 'A holiday is a date, YYYY-MM-DD.';
  if (holidays.includes(d)) return `${d} is a holiday already.`;
  return null;
}

/** What the store or the schedule would refuse in a calendar form. */
export function calendarHints(form: CalendarForm): string[] {
  return DAYS.some((d) => form.workdays[d]) ? [] : ['At least one day of the week must be a work day.'];
}

/** Do two calendars (null: the default) schedule the same? */
export function sameCalendar(a: Calendar | null | undefined, b: Calendar | null | undefined): boolean {
  const x = calendarOf(calendarFormOf(a));
  const y = calendarOf(calendarFormOf(b));
  return x.workdays.join() === y.workdays.join() && (x.holidays ?? []).join() === (y.holidays ?? []).join();
}
