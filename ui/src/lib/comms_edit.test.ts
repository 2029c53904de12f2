import { describe, expect, it } from 'vitest';
import {
  audiencesOnlyOn,
  channelFormOf,
  channelOfForm,
  channelSummary,
  commsValue,
  emptyChannelForm,
  emptyComms,
  putAudience,
  putChannel,
  removeChannel,
  setTemplate,
} from './comms_edit';

describe('channel form', () => {
  it('makes a chat channel with its URL from a secret', () => {
    const f = { ...emptyChannelForm('slack'), key: 'eng', urlSecret: 'env:SLACK_URL' };
    expect(channelOfForm(f)).toEqual({ key: 'eng', channel: { kind: 'slack', url_secret: 'env:SLACK_URL' } });
  });

  it('makes a mail channel with its recipients and port', () => {
    const f = { ...emptyChannelForm('email'), key: 'mail', smtpHost: 'smtp.example.com', smtpPort: '587', from: 'rel@example.com', to: 'a@example.com, b@example.com ,' };
    expect(channelOfForm(f)).toEqual({
      key: 'mail',
      channel: { kind: 'email', smtp_host: 'smtp.example.com', smtp_port: 587, smtp_tls: 'starttls', from: 'rel@example.com', to: ['a@example.com', 'b@example.com'] },
    });
  });

  it('names each field that is missing or wrong', () => {
    const r = channelOfForm({ ...emptyChannelForm('email'), key: 'Mail!', smtpPort: '70000' });
    expect(Object.keys((r as { problems: Record<string, string> }).problems).sort()).toEqual(['from', 'key', 'smtpHost', 'smtpPort']);
  });

  it('reads a channel back into the form unchanged', () => {
    const ch = { kind: 'webhook' as const, url: 'http://127.0.0.1:8787/messages', timeout_s: 5 };
    expect(channelOfForm(channelFormOf('room', ch))).toEqual({ key: 'room', channel: ch });
  });
});

describe('the plan', () => {
  const base = putAudience(
    putChannel(putChannel(emptyComms(), null, 'a', { kind: 'slack', url_secret: 'env:A' }), null, 'b', { kind: 'webhook', url: 'http://127.0.0.1/x' }),
    { key: 'eng', name: 'Engineering', channels: ['a', 'b'], events: ['run_started'] },
    null,
  );

  it('renames a channel in the audiences, in its place', () => {
    const c = putChannel(base, 'a', 'chat', { kind: 'slack', url_secret: 'env:A' });
    expect(Object.keys(c.channels)).toEqual(['chat', 'b']);
    expect(c.audiences[0]!.channels).toEqual(['chat', 'b']);
  });

  it('removes a channel from the audiences and says who would be left with none', () => {
    const only = putAudience(base, { key: 'st', name: 'Stakeholders', channels: ['b'], events: ['run_finished'] }, null);
    expect(audiencesOnlyOn(only, 'b')).toEqual(['Stakeholders']);
    expect(removeChannel(only, 'b').audiences.map((a) => a.channels)).toEqual([['a'], []]);
  });

  it('keeps a template only when it has text, and stores nothing for an empty plan', () => {
    const t = setTemplate(base, 'run_started', 'Starting {release}');
    expect(t.templates).toEqual({ run_started: 'Starting {release}' });
    expect(setTemplate(t, 'run_started', ' ').templates).toBeUndefined();
    expect(commsValue(emptyComms())).toBeNull();
    expect(commsValue(base)).toBe(base);
  });

  it('never shows a chat URL in a summary', () => {
    expect(channelSummary({ kind: 'webhook', url: 'https://hooks.example.com/secret' })).toBe('URL in the plan');
    expect(channelSummary({ kind: 'email', smtp_host: 'mail', to: ['x@example.com'] })).toBe('mail via mail to x@example.com');
  });
});
