import { describe, expect, it } from 'vitest';
import {
  authLine,
  calendarFormOf,
  calendarHints,
  calendarOf,
  contactOf,
  deriveKey,
  emptyEndpointForm,
  emptyTeamForm,
  endpointFormOf,
  endpointHints,
  endpointOf,
  ENDPOINT_DEFAULTS,
  ENDPOINT_KINDS,
  holidayHint,
  isIsoDate,
  isUnnamedContact,
  isValidKey,
  KIND_FIELDS,
  TOKEN_HELP,
  kindDetail,
  parseSecretRef,
  sameCalendar,
  secretHint,
  teamFormOf,
  teamHints,
  teamOf,
  type EndpointForm,
} from './workspace_edit';
import type { Endpoint } from './generated';

describe('deriveKey', () => {
  it('lower-cases and joins words with one dash', () => {
    expect(deriveKey('Data pipeline')).toBe('data-pipeline');
    expect(deriveKey('  Payments & Billing (EU) ')).toBe('payments-billing-eu');
    expect(deriveKey('Team #42')).toBe('team-42');
  });

  it('drops leading and trailing separators and keeps at most 64 characters', () => {
    expect(deriveKey('--Ops--')).toBe('ops');
    expect(deriveKey('')).toBe('');
    const long = deriveKey('a'.repeat(63) + ' b');
    expect(long).toBe('a'.repeat(63));
    expect(deriveKey('x'.repeat(100))).toHaveLength(64);
  });

  it('derives keys the store accepts', () => {
    for (const name of ['Data pipeline', 'Mobile (iOS)', '3D rendering', 'Ünïcode team x']) {
      expect(isValidKey(deriveKey(name))).toBe(true);
    }
    expect(isValidKey('Data')).toBe(false);
    expect(isValidKey('-a')).toBe(false);
    expect(isValidKey('a.b_c-d')).toBe(true);
  });
});

describe('teams', () => {
  it('drops empty contact fields and a contact with no name', () => {
    expect(contactOf({ name: ' Ana ', handle: '@ana', email: '', phone: '  ' })).toEqual({ name: 'Ana', handle: '@ana' });
    expect(contactOf({ name: '', handle: '@ghost', email: 'g@x.io', phone: '' })).toBeNull();
  });

  it('omits contacts when there are none, keeps only the named one otherwise', () => {
    const form = { ...emptyTeamForm(), key: 'payments', name: ' Payments ' };
    expect(teamOf(form)).toEqual({ key: 'payments', name: 'Payments' });
    form.backup = { name: 'Bo', handle: '', email: 'bo@x.io', phone: '' };
    form.primary = { name: '', handle: '@nobody', email: '', phone: '' };
    expect(teamOf(form)).toEqual({ key: 'payments', name: 'Payments', contacts: { backup: { name: 'Bo', email: 'bo@x.io' } } });
  });

  it('round-trips a team through its form', () => {
    const team = {
      key: 'api',
      name: 'API',
      contacts: { primary: { name: 'Ana', handle: '@ana', email: 'ana@x.io', phone: '+1 555' }, backup: { name: 'Bo' } },
    };
    expect(teamOf(teamFormOf(team))).toEqual(team);
    expect(teamFormOf({ key: 'k', name: 'K', contacts: null }).primary).toEqual({ name: '', handle: '', email: '', phone: '' });
  });

  it('hints at what the store would refuse', () => {
    expect(teamHints({ ...emptyTeamForm(), key: 'api', name: 'API' }, ['web'], true)).toEqual([]);
    expect(teamHints({ ...emptyTeamForm(), key: 'web', name: 'Web' }, ['web'], true)).toEqual(['A team with key "web" exists already.']);
    expect(teamHints({ ...emptyTeamForm(), key: 'Bad Key', name: '' }, [], true)).toHaveLength(2);
    // An existing team's key is not checked again (it never changes).
    expect(teamHints({ ...emptyTeamForm(), key: 'web', name: 'Web' }, ['web'], false)).toEqual([]);
    expect(teamHints({ ...emptyTeamForm(), key: 'web', name: ' ' }, ['web'], false)).toEqual(['A team needs a name.']);
  });

  it('tells a contact that would be dropped', () => {
    expect(isUnnamedContact({ name: '', handle: '@x', email: '', phone: '' })).toBe(true);
    expect(isUnnamedContact({ name: '', handle: ' ', email: '', phone: '' })).toBe(false);
    expect(isUnnamedContact({ name: 'X', handle: '@x', email: '', phone: '' })).toBe(false);
  });
});

function form(over: Partial<EndpointForm>): EndpointForm {
  return { ...emptyEndpointForm(), name: 'ci', base_url: 'https://ci.example.com', ...over };
}

describe('endpoints', () => {
  it('keeps only the kind\'s own field', () => {
    const all = { repo: 'acme/api', project_id: 'group/api', job: 'deploy', app: 'api' };
    expect(endpointOf(form({ kind: 'github_actions', ...all }))).toEqual({ kind: 'github_actions', base_url: 'https://ci.example.com', repo: 'acme/api' });
    expect(endpointOf(form({ kind: 'gitlab', ...all }))).toEqual({ kind: 'gitlab', base_url: 'https://ci.example.com', project_id: 'group/api' });
    expect(endpointOf(form({ kind: 'jenkins', ...all }))).toEqual({ kind: 'jenkins', base_url: 'https://ci.example.com', job: 'deploy' });
    expect(endpointOf(form({ kind: 'argocd', ...all }))).toEqual({ kind: 'argocd', base_url: 'https://ci.example.com', app: 'api' });
    expect(endpointOf(form({ kind: 'prometheus', ...all }))).toEqual({ kind: 'prometheus', base_url: 'https://ci.example.com' });
    expect(endpointOf(form({ kind: 'webhook', ...all }))).toEqual({ kind: 'webhook', base_url: 'https://ci.example.com' });
    const withToken = { ...all, trigger_token: 'keyring:gl-trigger' };
    expect(endpointOf(form({ kind: 'gitlab', ...withToken }))).toEqual({
      kind: 'gitlab', base_url: 'https://ci.example.com', project_id: 'group/api', trigger_token: 'keyring:gl-trigger',
    });
    expect('trigger_token' in endpointOf(form({ kind: 'github_actions', ...withToken }))).toBe(false);
    for (const kind of ENDPOINT_KINDS) expect(KIND_FIELDS[kind].length).toBeLessThanOrEqual(kind === 'gitlab' ? 2 : 1);
    for (const kind of ENDPOINT_KINDS) expect(TOKEN_HELP[kind].length).toBeGreaterThan(10);
  });

  it('writes auth with only the scheme\'s own field, allow_http only when ticked, timeout only when given', () => {
    const f = form({ scheme: 'bearer', secret: ' env:CI_TOKEN ', header: 'X-Key', username: 'bot', timeout_s: '' });
    expect(endpointOf(f)).toEqual({ kind: 'webhook', base_url: 'https://ci.example.com', auth: { scheme: 'bearer', secret: 'env:CI_TOKEN' } });
    expect(endpointOf({ ...f, scheme: 'header' }).auth).toEqual({ scheme: 'header', secret: 'env:CI_TOKEN', header: 'X-Key' });
    expect(endpointOf({ ...f, scheme: 'basic' }).auth).toEqual({ scheme: 'basic', secret: 'env:CI_TOKEN', username: 'bot' });
    expect(endpointOf({ ...f, scheme: '' }).auth).toBeUndefined();
    const g = endpointOf({ ...f, allow_http: true, timeout_s: '45' });
    expect(g.allow_http).toBe(true);
    expect(g.timeout_s).toBe(45);
    expect('allow_http' in endpointOf(f)).toBe(false);
    expect('timeout_s' in endpointOf(f)).toBe(false);
  });

  it('round-trips an endpoint of each kind', () => {
    const endpoints: Endpoint[] = [
      { kind: 'github_actions', base_url: 'https://api.github.com', repo: 'acme/api', auth: { scheme: 'bearer', secret: 'keyring:gh' } },
      { kind: 'gitlab', base_url: 'https://gitlab.example.com', project_id: '42', timeout_s: 10 },
      { kind: 'gitlab', base_url: 'https://gitlab.example.com', project_id: 'g/a', trigger_token: 'env:GL_TRIGGER', auth: { scheme: 'header', secret: 'env:GL', header: 'PRIVATE-TOKEN' } },
      { kind: 'jenkins', base_url: 'https://jenkins.example.com', job: 'deploy', auth: { scheme: 'basic', secret: 'env:J', username: 'bot' } },
      { kind: 'argocd', base_url: 'https://argo.example.com', app: 'api' },
      { kind: 'prometheus', base_url: 'http://127.0.0.1:9090' },
      { kind: 'webhook', base_url: 'http://hooks.lan', allow_http: true, auth: { scheme: 'header', secret: 'env:H', header: 'X-Token' } },
    ];
    for (const e of endpoints) expect(endpointOf(endpointFormOf('x', e))).toEqual(e);
    expect(endpointFormOf('x', endpoints[1]!).timeout_s).toBe('10');
    expect(ENDPOINT_DEFAULTS.timeout_s).toBe(30);
  });

  it('hints at what the store would refuse', () => {
    expect(endpointHints(form({}), [], true)).toEqual([]);
    expect(endpointHints(form({}), ['ci'], true)).toEqual(['An endpoint named "ci" exists already.']);
    expect(endpointHints(form({}), ['ci'], false)).toEqual([]);
    expect(endpointHints(form({ base_url: 'http://ci.example.com' }), [], true)[0]).toMatch(/plain http/i);
    expect(endpointHints(form({ base_url: 'http://localhost:8080' }), [], true)).toEqual([]);
    expect(endpointHints(form({ base_url: 'http://ci.example.com', allow_http: true }), [], true)).toEqual([]);
    expect(endpointHints(form({ base_url: 'ci.example.com' }), [], true)[0]).toMatch(/http\(s\) URL/);
    expect(endpointHints(form({ timeout_s: '0' }), [], true)[0]).toMatch(/1 to 3600/);
    expect(endpointHints(form({ timeout_s: '3600' }), [], true)).toEqual([]);
    expect(endpointHints(form({ kind: 'github_actions' }), [], true)).toEqual(['A GitHub Actions endpoint needs its repository.']);
    expect(endpointHints(form({ kind: 'github_actions', repo: 'acme' }), [], true)).toEqual(['The repository is owner/name.']);
    // GitLab: its project, and an access token to read pipelines.
    expect(endpointHints(form({ kind: 'gitlab' }), [], true)).toEqual([
      'A GitLab endpoint needs its project.',
      'A GitLab endpoint needs authentication: an access token that reads pipelines.',
    ]);
    expect(
      endpointHints(form({ kind: 'gitlab', project_id: '42', scheme: 'bearer', secret: 'env:GL', trigger_token: 'glptt-123' }), [], true),
    ).toEqual(['Trigger token: A secret is a reference, env:NAME or keyring:NAME, never the value itself.']);
    expect(endpointHints(form({ kind: 'jenkins' }), [], true)).toEqual([]);
    expect(endpointHints(form({ scheme: 'basic', secret: 'hunter2' }), [], true)).toEqual([
      'A secret is a reference, env:NAME or keyring:NAME, never the value itself.',
      'Scheme "basic" needs a user name.',
    ]);
  });

  it('describes auth and kind fields for the list', () => {
    expect(authLine({ kind: 'webhook', base_url: 'https://x' })).toBe('None');
    expect(authLine({ kind: 'webhook', base_url: 'https://x', auth: { scheme: 'bearer', secret: 'keyring:t' } })).toBe('Bearer · keyring:t');
    expect(kindDetail({ kind: 'github_actions', base_url: 'https://x', repo: 'a/b' })).toBe('repository a/b');
    expect(kindDetail({ kind: 'webhook', base_url: 'https://x' })).toBe('');
  });
});

describe('secret references', () => {
  it('parses env: and keyring: references', () => {
    expect(parseSecretRef('env:CI_TOKEN')).toEqual({ source: 'env', name: 'CI_TOKEN' });
    expect(parseSecretRef(' keyring:team/ci.token-1 ')).toEqual({ source: 'keyring', name: 'team/ci.token-1' });
    expect(parseSecretRef('keyring:')).toBeNull();
    expect(parseSecretRef('vault:x')).toBeNull();
    expect(parseSecretRef('env:has space')).toBeNull();
    expect(parseSecretRef('env:' + 'a'.repeat(129))).toBeNull();
    expect(parseSecretRef('ghp_abcdef')).toBeNull();
  });

  it('says why a reference is refused', () => {
    expect(secretHint('env:X')).toBeNull();
    expect(secretHint('')).toMatch(/env:NAME or keyring:NAME/);
    expect(secretHint('keyring:bad name')).toMatch(/after "keyring:"/);
    expect(secretHint('s3cr3t')).toMatch(/never the value/);
  });
});

describe('calendar', () => {
  it('shows the default calendar when none is set', () => {
    const f = calendarFormOf(null);
    expect(f.workdays).toEqual({ mon: true, tue: true, wed: true, thu: true, fri: true, sat: false, sun: false });
    expect(f.holidays).toEqual([]);
  });

  it('writes work days in week order and holidays sorted, once each', () => {
    const f = calendarFormOf({ workdays: ['sun', 'mon'], holidays: ['2025-12-25', '2025-01-01'] } as never);
    expect(f.workdays.sun).toBe(true);
    expect(f.workdays.tue).toBe(false);
    f.holidays.push('2025-01-01', '2025-05-01');
    expect(calendarOf(f)).toEqual({ workdays: ['mon', 'sun'], holidays: ['2025-01-01', '2025-05-01', '2025-12-25'] });
  });

  it('needs a work day', () => {
    const f = calendarFormOf(null);
    expect(calendarHints(f)).toEqual([]);
    for (const d of Object.keys(f.workdays)) f.workdays[d as keyof typeof f.workdays] = false;
    expect(calendarHints(f)).toHaveLength(1);
  });

  it('checks a holiday before adding it', () => {
    expect(isIsoDate('2025-02-28')).toBe(true);
    expect(isIsoDate('2025-02-30')).toBe(false);
    expect(isIsoDate('2025-2-3')).toBe(false);
    expect(holidayHint('2025-12-25', [])).toBeNull();
    expect(holidayHint('2025-12-25', ['2025-12-25'])).toMatch(/already/);
    expect(holidayHint('Christmas', [])).toMatch(/YYYY-MM-DD/);
  });

  it('compares calendars, null being the default', () => {
    expect(sameCalendar(null, { workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] } as never)).toBe(true);
    expect(sameCalendar(null, { workdays: ['mon'], holidays: [] } as never)).toBe(false);
  });
});
