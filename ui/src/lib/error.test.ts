import { describe, expect, it } from 'vitest';
import { errorHeading, NO_BACKEND, toAppError, UNEXPECTED } from './error';

describe('toAppError', () => {
  it('keeps the backend payload, dropping fields the banner does not use', () => {
    const payload = {
      code: 'workspace',
      message: 'the database was written by a newer Flotilla',
      path: '',
      problems: [],
    };
    expect(toAppError(payload)).toEqual({
      code: 'workspace',
      message: 'the database was written by a newer Flotilla',
      path: '',
    });
  });

  it('keeps the path of an input fault', () => {
    const payload = { code: 'cycle', message: 'a cycle', path: 'releases[0].dependencies[3]' };
    expect(toAppError(payload).path).toBe('releases[0].dependencies[3]');
  });

  it('gives a payload without a path an empty one', () => {
    expect(toAppError({ code: 'io', message: 'denied' })).toEqual({ code: 'io', message: 'denied', path: '' });
  });

  it('turns a bare string, an Error or anything else into an unexpected error', () => {
    expect(toAppError('command list_releases not found')).toEqual({
      code: UNEXPECTED,
      message: 'command list_releases not found',
      path: '',
    });
    expect(toAppError(new TypeError('boom'))).toEqual({ code: UNEXPECTED, message: 'boom', path: '' });
    expect(toAppError(null)).toEqual({ code: UNEXPECTED, message: 'null', path: '' });
    expect(toAppError({ code: 42, message: 'x' }).code).toBe(UNEXPECTED);
  });
});

describe('errorHeading', () => {
  it('names the failure by its code', () => {
    expect(errorHeading('workspace')).toBe('The workspace could not be opened');
    expect(errorHeading('database')).toBe('The workspace database reported an error');
    expect(errorHeading('io')).toBe('A file could not be read or written');
    expect(errorHeading(NO_BACKEND)).toBe('Not connected to Flotilla');
    expect(errorHeading(UNEXPECTED)).toBe('Something went wrong');
  });

  it('has one heading for codes without their own', () => {
    expect(errorHeading('bad_value')).toBe('Flotilla reported an error');
  });
});
