// Authoring components on the release page: the key a title makes, the
// quick-add line, a component's duplicate, the deploy-section form (and the
// defaults the runner applies to what the form leaves blank), and the edits
// each form sends. Pure: no Svelte, no backend.

import type { Component, Deploy, Edit, Endpoint, EndpointKind, HttpMethod, Team } from './generated';

// ---------------------------------------------------------------------------
// Keys

/** The plan's key rule (src-tauri/plan/model.rs): `^[a-z0-9][a-z0-9._-]{0,63}$`. */
export const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const KEY_MAX = 64;

/**
 * A key from a title, as the store derives one (src-tauri/views/csv_import.rs
 * `key_from_title`): lower case ASCII letters and digits, every run of anything
 * else as one `-`, none at either end, at most 64 characters.
 * `Data pipeline` → `data-pipeline`. "" when the title has no letter or digit.
 */
export function keyFromTitle(title: string): string {
  let key = '';
  for (const c of title.trim()) {
    if (/^[A-Za-z0-9]$/.test(c)) key += c.toLowerCase();
    else if (key !== '' && !key.endsWith('-')) key += '-';
  }
  return key.replace(/-+$/, '').slice(0, KEY_MAX).replace(/-+$/, '');
}

/** `base` when it is free, else `base-2`, `base-3`, ... (cut so the key stays at most 64 characters). */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = taken instanceof Set ? (taken as Set<string>) : new Set(taken);
  if (base === '' || !used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const stem = base.slice(0, KEY_MAX - suffix.length).replace(/-+$/, '');
    const candidate = stem + suffix;
    if (!used.has(candidate)) return candidate;
  }
}

/** What is wrong with `key` as a new component key, or null. `taken`: the release's keys. */
export function keyProblem(key: string, taken: Iterable<string>): string | null {
  if (key === '') return 'A component needs a key: give the title a letter or digit, or type a key.';
  if (!KEY_PATTERN.test(key))
    return `"${key}" is not a key: lower case letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64.`;
  for (const k of taken) if (k === key) return `The release has a component "${key}" already.`;
  return null;
}

/** The keys of a release's components. */
export function componentKeys(components: readonly { key: string }[]): Set<string> {
  return new Set(components.map((c) => c.key));
}

// ---------------------------------------------------------------------------
// Teams and durations

/** The team a user typed: by key or by name, any case (the key wins over another team's name). */
export function findTeam(teams: readonly Team[], typed: string): Team | null {
  const t = typed.trim().toLowerCase();
  if (t === '') return null;
  return teams.find((x) => x.key.toLowerCase() === t) ?? teams.find((x) => x.name.trim().toLowerCase() === t) ?? null;
}

/** The longest duration the plan allows (working days). */
export const DURATION_MAX = 3650;

/** A duration in working days: `5`, `5d`, `5 days`. A number, or what is wrong. */
export function parseDuration(raw: string): number | string {
  const s = raw.trim();
  if (s === '') return 'The duration is missing: give the working days, e.g. 5 or 5d.';
  const m = /^(\d+)\s*(d|days?)?$/i.exec(s);
  if (!m) return `The duration "${s}" is not a whole number of working days (e.g. 5 or 5d).`;
  const n = Number(m[1]);
  if (n < 1) return 'The duration must be at least 1 working day.';
  if (n > DURATION_MAX) return `The duration must be at most ${DURATION_MAX} working days.`;
  return n;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateProblem(label: string, raw: string): string | null {
  const s = raw.trim();
  if (s === '' || DATE.test(s)) return null;
  return `${label} "${s}" is not a date: write YYYY-MM-DD.`;
}

// ---------------------------------------------------------------------------
// Quick add: "Title, team, duration"

export type QuickAdd = { ok: true; component: Component } | { ok: false; error: string };

/**
 * A quick-add line: `Title, team, duration`. The last two comma-separated
 * parts are the team (key or name, any case) and the duration (`5` or `5d`);
 * everything before them is the title (so a title may hold commas). The key
 * is derived from the title, made unique among `taken`.
 */
export function parseQuickAdd(line: string, teams: readonly Team[], taken: Iterable<string>): QuickAdd {
  const fail = (error: string): QuickAdd => ({ ok: false, error });
  const parts = line.split(',').map((p) => p.trim());
  if (line.trim() === '') return fail('Type "Title, team, days", e.g. "Data pipeline, data, 5".');
  if (parts.length === 1) return fail('Add the team and the duration after the title: "Title, team, days".');
  if (parts.length === 2) return fail('Add the duration (working days) after the team: "Title, team, days".');
  const durationRaw = parts[parts.length - 1]!;
  const teamRaw = parts[parts.length - 2]!;
  const title = parts.slice(0, -2).join(', ').trim();
  if (title === '') return fail('The title is empty: "Title, team, days".');
  if (teamRaw === '') return fail('The team is empty: give a team key or name.');
  const team = findTeam(teams, teamRaw);
  if (!team) {
    const known = teams.map((t) => t.key).join(', ');
    return fail(known ? `No team "${teamRaw}": use one of ${known} (key or name).` : `No team "${teamRaw}": the workspace has no teams yet.`);
  }
  const duration = parseDuration(durationRaw);
  if (typeof duration === 'string') return fail(duration);
  const base = keyFromTitle(title);
  if (base === '') return fail(`The title "${title}" has no letter or digit to make a key from.`);
  return {
    ok: true,
    component: { key: uniqueKey(base, taken), title, team: team.key, status: 'planning', duration_days: duration },
  };
}

// ---------------------------------------------------------------------------
// The Add component form

export interface ComponentForm {
  title: string;
  team: string;
  duration: string;
  start: string;
  eta: string;
  key: string;
}

export function emptyComponentForm(team = ''): ComponentForm {
  return { title: '', team, duration: '', start: '', eta: '', key: '' };
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** The component a filled form adds, or every problem in it. */
export function componentOfForm(form: ComponentForm, teams: readonly Team[], taken: Iterable<string>): FormResult<Component> {
  const problems: string[] = [];
  const title = form.title.trim();
  if (title === '') problems.push('A component needs a title.');
  const team = teams.find((t) => t.key === form.team) ?? findTeam(teams, form.team);
  if (!team) problems.push(form.team.trim() === '' ? 'Choose a team.' : `No team "${form.team}".`);
  const duration = parseDuration(form.duration);
  if (typeof duration === 'string') problems.push(duration);
  const key = form.key.trim();
  const kp = keyProblem(key, taken);
  if (kp) problems.push(kp);
  for (const [label, raw] of [['Start', form.start], ['ETA', form.eta]] as const) {
    const p = dateProblem(label, raw);
    if (p) problems.push(p);
  }
  if (problems.length > 0 || !team || typeof duration === 'string') return { ok: false, problems };
  const component: Component = { key, title, team: team.key, status: 'planning', duration_days: duration };
  if (form.start.trim()) component.start = form.start.trim();
  if (form.eta.trim()) component.eta = form.eta.trim();
  return { ok: true, value: component };
}

// ---------------------------------------------------------------------------
// Duplicating

/**
 * A copy of `c` to add beside it: a new unique key (`-2`, `-3`...), the title
 * with " (copy)", status planning, and no ETA, done date or status updates.
 * Team, duration, start, labels and the deploy section are kept.
 */
export function duplicateComponent(c: Component, taken: Iterable<string>): Component {
  const copy: Component = JSON.parse(JSON.stringify(c)) as Component;
  copy.key = uniqueKey(c.key, taken);
  copy.title = `${c.title} (copy)`;
  copy.status = 'planning';
  delete copy.eta;
  delete copy.done_on;
  delete copy.updates;
  return copy;
}

// ---------------------------------------------------------------------------
// Edits

export function addComponentEdit(release: string, component: Component): Edit {
  return { op: 'add_component', release, component };
}

/** The rename, or null when the key did not change. */
export function renameEdit(release: string, from: string, to: string): Edit | null {
  const t = to.trim();
  return t === from ? null : { op: 'rename_component', release, from, to: t };
}

export function moveTeamEdit(release: string, component: string, team: string): Edit {
  return { op: 'set_component', release, component, field: 'team', value: team };
}

export function removeComponentEdit(release: string, component: string): Edit {
  return { op: 'remove_component', release, component };
}

/** Sets the whole deploy section; null removes it. */
export function deployEdit(release: string, component: string, deploy: Deploy | null): Edit {
  return { op: 'set_component', release, component, field: 'deploy', value: deploy };
}

// ---------------------------------------------------------------------------
// The deploy-section form

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The kinds a deploy section can use (prometheus only reads metrics). */
export const DEPLOY_KINDS: readonly EndpointKind[] = ['webhook', 'github_actions', 'gitlab', 'jenkins', 'argocd'];

/** A key/value row: github inputs, gitlab variables, jenkins parameters. `json`: the stored value was not a string. */
export interface KvRow {
  key: string;
  value: string;
  json?: boolean;
}

export interface VerifyRow {
  /** "" = the deploy's own endpoint. */
  endpoint: string;
  path: string;
  expect_status: string;
  timeout_s: string;
}

export interface DeployForm {
  endpoint: string;
  trigger: { method: HttpMethod; path: string; body: string };
  status: { path: string; field: string; success: string; failure: string; interval_s: string; timeout_s: string };
  verify: VerifyRow[];
  rollback: { method: HttpMethod; path: string };
  workflow: string;
  ref: string;
  /** github_actions: the input that carries the run's key (found by it when GitHub answers without the run). */
  correlation_input: string;
  job: string;
  app: string;
  revision: string;
  /** inputs (github_actions), variables (gitlab) or parameters (jenkins), by the endpoint's kind. */
  kv: KvRow[];
}

/** Does a deploy section of `kind` hold its own poll timing? (A webhook's is in its status poll.) */
export function pollsOwnTiming(kind: EndpointKind | undefined): boolean {
  return kind === 'github_actions' || kind === 'gitlab' || kind === 'jenkins' || kind === 'argocd';
}

/** The kind-specific key/value field of `kind`, if it has one. */
export function kvField(kind: EndpointKind | undefined): 'inputs' | 'variables' | 'parameters' | null {
  switch (kind) {
    case 'github_actions':
      return 'inputs';
    case 'gitlab':
      return 'variables';
    case 'jenkins':
      return 'parameters';
    default:
      return null;
  }
}

export const emptyVerifyRow = (): VerifyRow => ({ endpoint: '', path: '', expect_status: '', timeout_s: '' });
export const emptyKvRow = (): KvRow => ({ key: '', value: '' });

const num = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

/** The form filled from a deploy section (a blank one when there is none; `endpoint`: the one to preselect). */
export function deployFormOf(d: Deploy | null | undefined, endpoint = ''): DeployForm {
  const kvSource: Record<string, unknown> = d?.inputs ?? d?.variables ?? d?.parameters ?? {};
  return {
    endpoint: d?.endpoint ?? endpoint,
    trigger: {
      method: d?.trigger?.method ?? 'POST',
      path: d?.trigger?.path ?? '',
      body: d?.trigger?.body === undefined || d.trigger.body === null ? '' : JSON.stringify(d.trigger.body, null, 2),
    },
    status: {
      path: d?.status?.path ?? '',
      field: d?.status?.field ?? '',
      success: (d?.status?.success ?? []).join(', '),
      failure: (d?.status?.failure ?? []).join(', '),
      // A webhook's poll timing is in its status; the other kinds' in the section.
      interval_s: num(d?.status?.interval_s ?? d?.interval_s),
      timeout_s: num(d?.status?.timeout_s ?? d?.timeout_s),
    },
    verify: (d?.verify ?? []).map((v) => ({
      endpoint: v.endpoint ?? '',
      path: v.path,
      expect_status: num(v.expect_status),
      timeout_s: num(v.timeout_s),
    })),
    rollback: { method: d?.rollback?.method ?? 'POST', path: d?.rollback?.path ?? '' },
    workflow: d?.workflow ?? '',
    ref: d?.ref ?? '',
    correlation_input: d?.correlation_input ?? '',
    job: d?.job ?? '',
    app: d?.app ?? '',
    revision: d?.revision ?? '',
    kv: Object.entries(kvSource).map(([key, v]) =>
      typeof v === 'string' ? { key, value: v } : { key, value: JSON.stringify(v), json: true },
    ),
  };
}

/** The values the runner uses for what a deploy section leaves out, to show beside the form. */
export interface DeployDefaults {
  status_interval_s: number;
  status_timeout_s: number;
  verify_expect_status: number;
  /** A check's timeout on the deploy's own endpoint: the endpoint's timeout_s, else 30. */
  verify_timeout_s: number;
  /** github_actions: the ref dispatched when none is given. */
  ref: string | null;
  /** jenkins / argocd: the endpoint's own job / app, used when the section names none. */
  job: string | null;
  app: string | null;
}

export const STATUS_INTERVAL_S = 5;
export const STATUS_TIMEOUT_S = 1800;
export const VERIFY_EXPECT_STATUS = 200;
export const ENDPOINT_TIMEOUT_S = 30;
export const GITHUB_DEFAULT_REF = 'main';

/** The timeout of a call to `endpoint` (its own, else 30 s). */
export function endpointTimeout(endpoint: Endpoint | undefined | null): number {
  return endpoint?.timeout_s ?? ENDPOINT_TIMEOUT_S;
}

export function deployDefaults(endpoint: Endpoint | undefined | null): DeployDefaults {
  return {
    status_interval_s: STATUS_INTERVAL_S,
    status_timeout_s: STATUS_TIMEOUT_S,
    verify_expect_status: VERIFY_EXPECT_STATUS,
    verify_timeout_s: endpointTimeout(endpoint),
    ref: endpoint?.kind === 'github_actions' ? GITHUB_DEFAULT_REF : null,
    job: endpoint?.kind === 'jenkins' ? (endpoint.job ?? null) : null,
    app: endpoint?.kind === 'argocd' ? (endpoint.app ?? null) : null,
  };
}

/** A verification check's effective timeout: its endpoint's (the deploy's when blank), else 30 s. */
export function verifyTimeoutDefault(row: VerifyRow, deployEndpoint: string, endpoints: Record<string, Endpoint>): number {
  return endpointTimeout(endpoints[row.endpoint.trim() || deployEndpoint]);
}

function parseCount(label: string, raw: string, problems: string[]): number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if (!/^\d+$/.test(s)) {
    problems.push(`${label} "${s}" is not a whole number.`);
    return undefined;
  }
  return Number(s);
}

const list = (raw: string): string[] =>
  raw
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

function kvRecord(rows: readonly KvRow[], what: string, problems: string[], keepJson: boolean): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  rows.forEach((row, i) => {
    const key = row.key.trim();
    if (key === '' && row.value.trim() === '') return;
    if (key === '') {
      problems.push(`${what} row ${i + 1} has a value but no name.`);
      return;
    }
    if (key in out) {
      problems.push(`${what} "${key}" is given twice.`);
      return;
    }
    let value: unknown = row.value;
    if (keepJson && row.json) {
      try {
        value = JSON.parse(row.value);
      } catch {
        value = row.value;
      }
    }
    out[key] = value;
    any = true;
  });
  return any ? out : undefined;
}

const KV_LABEL = { inputs: 'Input', variables: 'Variable', parameters: 'Parameter' } as const;

/**
 * The deploy section a form describes for an endpoint of `kind`, or the
 * problems that keep it from being one (a body that is not JSON, a number
 * that is not one). Blank fields are left out, so the runner's defaults
 * apply; only the fields of `kind` are written. What the plan's rules refuse
 * (a webhook without a trigger, a path without a leading /) is the store's to
 * say, with the field's path.
 */
export function deployOfForm(form: DeployForm, kind: EndpointKind | undefined): FormResult<Deploy> {
  const problems: string[] = [];
  const endpoint = form.endpoint.trim();
  if (endpoint === '') problems.push('Choose the endpoint that deploys this component.');
  const d: Deploy = { endpoint };

  if (kind === 'webhook') {
    const t = form.trigger;
    if (t.path.trim() !== '' || t.body.trim() !== '') {
      d.trigger = { method: t.method, path: t.path.trim() };
      if (t.body.trim() !== '') {
        try {
          d.trigger.body = JSON.parse(t.body);
        } catch (e) {
          problems.push(`The trigger body is not JSON: ${(e as Error).message}`);
        }
      }
    }
    const s = form.status;
    if ([s.path, s.field, s.success, s.failure, s.interval_s, s.timeout_s].some((x) => x.trim() !== '')) {
      const success = list(s.success);
      if (s.path.trim() === '') problems.push('The status poll needs a path.');
      if (s.field.trim() === '') problems.push('The status poll needs the field to read (e.g. status or data.state).');
      if (success.length === 0) problems.push('The status poll needs at least one success value.');
      d.status = { path: s.path.trim(), field: s.field.trim(), success };
      const failure = list(s.failure);
      if (failure.length > 0) d.status.failure = failure;
      const interval = parseCount('The poll interval', s.interval_s, problems);
      if (interval !== undefined) d.status.interval_s = interval;
      const timeout = parseCount('The poll timeout', s.timeout_s, problems);
      if (timeout !== undefined) d.status.timeout_s = timeout;
    }
    if (form.rollback.path.trim() !== '') d.rollback = { method: form.rollback.method, path: form.rollback.path.trim() };
  }
  if (kind === 'github_actions') {
    if (form.workflow.trim()) d.workflow = form.workflow.trim();
    if (form.ref.trim()) d.ref = form.ref.trim();
    if (form.correlation_input.trim()) d.correlation_input = form.correlation_input.trim();
  }
  if (pollsOwnTiming(kind)) {
    // How often the run polls, and when it gives up and cancels.
    const interval = parseCount('The poll interval', form.status.interval_s, problems);
    if (interval !== undefined) d.interval_s = interval;
    const timeout = parseCount('The timeout', form.status.timeout_s, problems);
    if (timeout !== undefined) d.timeout_s = timeout;
  }
  if (kind === 'gitlab' && form.ref.trim()) d.ref = form.ref.trim();
  if (kind === 'jenkins' && form.job.trim()) d.job = form.job.trim();
  if (kind === 'argocd') {
    if (form.app.trim()) d.app = form.app.trim();
    if (form.revision.trim()) d.revision = form.revision.trim();
  }
  const kvf = kvField(kind);
  if (kvf) {
    const rec = kvRecord(form.kv, KV_LABEL[kvf], problems, kvf === 'inputs');
    if (rec) {
      if (kvf === 'inputs') d.inputs = rec;
      else d[kvf] = rec as Record<string, string>;
    }
  }

  const verify = [];
  for (const [i, row] of form.verify.entries()) {
    const blank = [row.endpoint, row.path, row.expect_status, row.timeout_s].every((x) => x.trim() === '');
    if (blank) continue;
    if (row.path.trim() === '') problems.push(`Check ${i + 1} needs a path (e.g. /health).`);
    const v: NonNullable<Deploy['verify']>[number] = { path: row.path.trim() };
    if (row.endpoint.trim()) v.endpoint = row.endpoint.trim();
    const status = parseCount(`Check ${i + 1}'s expected status`, row.expect_status, problems);
    if (status !== undefined) v.expect_status = status;
    const timeout = parseCount(`Check ${i + 1}'s timeout`, row.timeout_s, problems);
    if (timeout !== undefined) v.timeout_s = timeout;
    verify.push(v);
  }
  if (verify.length > 0) d.verify = verify;

  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: d };
}
