import { describe, expect, it } from 'vitest';
import {
  componentOfForm,
  deployDefaults,
  deployEdit,
  deployFormOf,
  deployOfForm,
  duplicateComponent,
  emptyComponentForm,
  emptyVerifyRow,
  keyFromTitle,
  keyProblem,
  parseDuration,
  parseQuickAdd,
  renameEdit,
  uniqueKey,
  verifyTimeoutDefault,
} from './component_edit';
import type { Component, Deploy, Endpoint, Team } from './generated';

const teams: Team[] = [
  { key: 'data', name: 'Data Platform' },
  { key: 'web', name: 'Web' },
  { key: 'ops', name: 'data' },
];

describe('keyFromTitle', () => {
  it('lower-cases and joins words with one dash', () => {
    expect(keyFromTitle('Data pipeline')).toBe('data-pipeline');
    expect(keyFromTitle('  Auth: login & SSO!! ')).toBe('auth-login-sso');
    expect(keyFromTitle('--API v2--')).toBe('api-v2');
  });

  it('drops non-ASCII letters as separators and is empty without letters or digits', () => {
    expect(keyFromTitle('Größe')).toBe('gr-e');
    expect(keyFromTitle('!!!')).toBe('');
  });

  it('keeps at most 64 characters, no trailing dash', () => {
    const k = keyFromTitle('a'.repeat(63) + ' b' + 'c'.repeat(10));
    expect(k).toBe('a'.repeat(63));
    expect(keyFromTitle('x'.repeat(100))).toHaveLength(64);
  });
});

describe('uniqueKey', () => {
  it('appends -2, -3 when taken', () => {
    expect(uniqueKey('api', [])).toBe('api');
    expect(uniqueKey('api', ['api'])).toBe('api-2');
    expect(uniqueKey('api', new Set(['api', 'api-2']))).toBe('api-3');
  });

  it('cuts the stem so the key stays within 64 characters', () => {
    const base = 'k'.repeat(64);
    const k = uniqueKey(base, [base]);
    expect(k).toBe('k'.repeat(62) + '-2');
    expect(keyProblem(k, [base])).toBeNull();
  });
});

describe('keyProblem', () => {
  it('names what is wrong', () => {
    expect(keyProblem('', [])).toMatch(/needs a key/);
    expect(keyProblem('Bad Key', [])).toMatch(/not a key/);
    expect(keyProblem('api', ['api'])).toMatch(/already/);
    expect(keyProblem('api.v2_x-1', ['api'])).toBeNull();
  });
});

describe('parseDuration', () => {
  it('reads 5 and 5d', () => {
    expect(parseDuration('5')).toBe(5);
    expect(parseDuration(' 5d ')).toBe(5);
    expect(parseDuration('12 days')).toBe(12);
  });
  it('refuses zero, fractions and words', () => {
    expect(parseDuration('0')).toMatch(/at least 1/);
    expect(parseDuration('2.5')).toMatch(/not a whole number/);
    expect(parseDuration('five')).toMatch(/"five"/);
    expect(parseDuration('')).toMatch(/missing/);
  });
});

describe('parseQuickAdd', () => {
  it('makes a planning component with a derived key', () => {
    expect(parseQuickAdd('Data pipeline, data, 5', teams, [])).toEqual({
      ok: true,
      component: { key: 'data-pipeline', title: 'Data pipeline', team: 'data', status: 'planning', duration_days: 5 },
    });
  });

  it('matches the team by name in any case, the key before another team\'s name', () => {
    const r = parseQuickAdd('Checkout, web, 3d', teams, []);
    expect(r.ok && r.component.team).toBe('web');
    const byName = parseQuickAdd('ETL, DATA PLATFORM, 2', teams, []);
    expect(byName.ok && byName.component.team).toBe('data');
    // "data" is the key of one team and the name of another: the key wins.
    const clash = parseQuickAdd('ETL, Data, 2', teams, []);
    expect(clash.ok && clash.component.team).toBe('data');
  });

  it('keeps commas in the title and makes the key unique', () => {
    const r = parseQuickAdd('Auth, login, web, 4', teams, ['auth-login']);
    expect(r).toMatchObject({ ok: true, component: { key: 'auth-login-2', title: 'Auth, login', team: 'web', duration_days: 4 } });
  });

  it('says what is wrong', () => {
    const err = (line: string) => {
      const r = parseQuickAdd(line, teams, []);
      return r.ok ? null : r.error;
    };
    expect(err('')).toMatch(/Title, team, days/);
    expect(err('Only a title')).toMatch(/team and the duration/);
    expect(err('Title, web')).toMatch(/duration/);
    expect(err(', web, 3')).toMatch(/title is empty/);
    expect(err('X, mobile, 3')).toMatch(/No team "mobile".*data, web, ops/);
    expect(err('X, web, soon')).toMatch(/"soon" is not a whole number/);
    expect(err('X, web, 0')).toMatch(/at least 1/);
    expect(err('!!!, web, 3')).toMatch(/no letter or digit/);
  });
});

describe('componentOfForm', () => {
  const form = { ...emptyComponentForm('web'), title: 'Checkout', duration: '5', key: 'checkout' };

  it('adds the optional dates only when given', () => {
    expect(componentOfForm(form, teams, [])).toEqual({
      ok: true,
      value: { key: 'checkout', title: 'Checkout', team: 'web', status: 'planning', duration_days: 5 },
    });
    const r = componentOfForm({ ...form, start: '2025-01-06', eta: '2025-01-20' }, teams, []);
    expect(r.ok && [r.value.start, r.value.eta]).toEqual(['2025-01-06', '2025-01-20']);
  });

  it('lists every problem', () => {
    const r = componentOfForm({ ...form, title: ' ', team: '', duration: 'x', start: '6/1/2025' }, teams, ['checkout']);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(5);
      expect(r.problems.join('\n')).toMatch(/title[\s\S]*team[\s\S]*"x"[\s\S]*already[\s\S]*YYYY-MM-DD/);
    }
  });
});

describe('duplicateComponent', () => {
  const c: Component = {
    key: 'api',
    title: 'API',
    team: 'web',
    status: 'testing',
    duration_days: 4,
    start: '2025-01-06',
    eta: '2025-01-10',
    done_on: '2025-01-09',
    labels: ['core'],
    updates: [{ date: '2025-01-07', text: 'going' }],
    deploy: { endpoint: 'ci', workflow: 'deploy.yml' },
  };

  it('is a planning copy under a new key, without eta, done date or updates', () => {
    const d = duplicateComponent(c, ['api', 'api-2']);
    expect(d).toEqual({
      key: 'api-3',
      title: 'API (copy)',
      team: 'web',
      status: 'planning',
      duration_days: 4,
      start: '2025-01-06',
      labels: ['core'],
      deploy: { endpoint: 'ci', workflow: 'deploy.yml' },
    });
    // A deep copy: changing it leaves the original alone.
    d.deploy!.workflow = 'other.yml';
    d.labels!.push('x');
    expect(c.deploy!.workflow).toBe('deploy.yml');
    expect(c.labels).toEqual(['core']);
  });
});

describe('edits', () => {
  it('renames only when the key changed', () => {
    expect(renameEdit('q1', 'api', ' api ')).toBeNull();
    expect(renameEdit('q1', 'api', 'api-gw')).toEqual({ op: 'rename_component', release: 'q1', from: 'api', to: 'api-gw' });
  });

  it('sets or removes the deploy section', () => {
    expect(deployEdit('q1', 'api', null)).toEqual({ op: 'set_component', release: 'q1', component: 'api', field: 'deploy', value: null });
  });
});

describe('deploy defaults', () => {
  const endpoints: Record<string, Endpoint> = {
    hook: { kind: 'webhook', base_url: 'https://deploy.example.com', timeout_s: 12 },
    health: { kind: 'webhook', base_url: 'https://health.example.com' },
    jk: { kind: 'jenkins', base_url: 'https://ci.example.com', job: 'deploy-all' },
    gh: { kind: 'github_actions', base_url: 'https://api.github.com', repo: 'o/r' },
  };

  it('shows the runner\'s values for what is left blank', () => {
    expect(deployDefaults(endpoints.hook)).toMatchObject({
      status_interval_s: 5,
      status_timeout_s: 1800,
      verify_expect_status: 200,
      verify_timeout_s: 12,
    });
    expect(deployDefaults(endpoints.health).verify_timeout_s).toBe(30);
    expect(deployDefaults(endpoints.jk).job).toBe('deploy-all');
    expect(deployDefaults(endpoints.gh).ref).toBe('main');
    expect(deployDefaults(undefined).verify_timeout_s).toBe(30);
  });

  it('takes a check\'s timeout from the endpoint it calls', () => {
    expect(verifyTimeoutDefault(emptyVerifyRow(), 'hook', endpoints)).toBe(12);
    expect(verifyTimeoutDefault({ ...emptyVerifyRow(), endpoint: 'health' }, 'hook', endpoints)).toBe(30);
  });
});

describe('deploy form', () => {
  const webhook: Deploy = {
    endpoint: 'hook',
    trigger: { method: 'POST', path: '/deploy', body: { service: 'api', version: 3 } },
    status: { path: '/status', field: 'data.state', success: ['done', 'ok'], failure: ['failed'], interval_s: 10 },
    verify: [{ path: '/health' }, { endpoint: 'health', path: '/ready', expect_status: 204, timeout_s: 5 }],
    rollback: { method: 'DELETE', path: '/deploy' },
  };

  it('round-trips a webhook section', () => {
    const form = deployFormOf(webhook);
    expect(form.status.success).toBe('done, ok');
    expect(form.status.timeout_s).toBe('');
    expect(deployOfForm(form, 'webhook')).toEqual({ ok: true, value: webhook });
  });

  it('round-trips the kind fields with their key/value rows', () => {
    const gh: Deploy = { endpoint: 'gh', workflow: 'deploy.yml', ref: 'release', inputs: { env: 'prod', dry_run: false } };
    expect(deployOfForm(deployFormOf(gh), 'github_actions')).toEqual({ ok: true, value: gh });
    const gl: Deploy = { endpoint: 'gl', ref: 'main', variables: { ENV: 'prod' } };
    expect(deployOfForm(deployFormOf(gl), 'gitlab')).toEqual({ ok: true, value: gl });
    const jk: Deploy = { endpoint: 'jk', job: 'api', parameters: { TAG: 'v3' }, verify: [{ path: '/health' }] };
    expect(deployOfForm(deployFormOf(jk), 'jenkins')).toEqual({ ok: true, value: jk });
    const argo: Deploy = { endpoint: 'argo', app: 'api', revision: 'v3' };
    expect(deployOfForm(deployFormOf(argo), 'argocd')).toEqual({ ok: true, value: argo });
  });

  it('round-trips the poll timing and the correlation input of the kinds without a status poll', () => {
    const gh: Deploy = { endpoint: 'gh', workflow: 'deploy.yml', correlation_input: 'flotilla_key', interval_s: 10, timeout_s: 3600 };
    const form = deployFormOf(gh);
    expect([form.status.interval_s, form.status.timeout_s, form.correlation_input]).toEqual(['10', '3600', 'flotilla_key']);
    expect(deployOfForm(form, 'github_actions')).toEqual({ ok: true, value: gh });
    const gl: Deploy = { endpoint: 'gl', ref: 'main', timeout_s: 5400 };
    expect(deployOfForm(deployFormOf(gl), 'gitlab')).toEqual({ ok: true, value: gl });
    // Not a GitHub field elsewhere; a bad number is said.
    const jk = deployFormOf({ endpoint: 'jk', job: 'api' });
    jk.correlation_input = 'x';
    jk.status.timeout_s = 'soon';
    expect(deployOfForm(jk, 'jenkins')).toEqual({ ok: false, problems: ['The timeout "soon" is not a whole number.'] });
  });

  it('writes only the fields of the endpoint\'s kind and leaves blanks out', () => {
    const form = deployFormOf(webhook);
    form.endpoint = 'argo';
    form.app = 'api';
    form.kv = [{ key: 'X', value: '1' }];
    // The poll interval typed for the webhook's status is Argo CD's poll interval.
    expect(deployOfForm(form, 'argocd')).toEqual({
      ok: true,
      value: { endpoint: 'argo', app: 'api', interval_s: 10, verify: webhook.verify },
    });
    const blank = deployFormOf(null, 'hook');
    blank.trigger.path = '/go';
    blank.verify = [emptyVerifyRow()];
    expect(deployOfForm(blank, 'webhook')).toEqual({ ok: true, value: { endpoint: 'hook', trigger: { method: 'POST', path: '/go' } } });
  });

  it('refuses what cannot be written: bad JSON, bad numbers, a half status poll, a row without a name', () => {
    const form = deployFormOf(null, '');
    form.trigger = { method: 'POST', path: '/go', body: '{oops' };
    form.status.success = 'done';
    form.status.interval_s = 'fast';
    form.verify = [{ ...emptyVerifyRow(), expect_status: '200' }];
    const r = deployOfForm(form, 'webhook');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const all = r.problems.join('\n');
      expect(all).toMatch(/endpoint/);
      expect(all).toMatch(/body is not JSON/);
      expect(all).toMatch(/needs a path/);
      expect(all).toMatch(/field to read/);
      expect(all).toMatch(/"fast" is not a whole number/);
      expect(all).toMatch(/Check 1 needs a path/);
    }
    const kv = deployFormOf({ endpoint: 'jk' });
    kv.kv = [{ key: '', value: 'v' }, { key: 'A', value: '1' }, { key: 'A', value: '2' }];
    const k = deployOfForm(kv, 'jenkins');
    expect(k.ok ? [] : k.problems).toEqual(['Parameter row 1 has a value but no name.', 'Parameter "A" is given twice.']);
  });
});
