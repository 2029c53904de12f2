import { beforeEach, describe, expect, it, vi } from 'vitest';

const core = vi.hoisted(() => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
}));
vi.mock('@tauri-apps/api/core', () => core);

import { listReleases, openSample } from './api';

describe('listReleases', () => {
  beforeEach(() => {
    core.invoke.mockReset();
    core.isTauri.mockReturnValue(true);
  });

  it('calls list_releases and returns its rows', async () => {
    const rows = [{ key: 'q1-2025' }];
    core.invoke.mockResolvedValue(rows);
    await expect(listReleases()).resolves.toBe(rows);
    expect(core.invoke).toHaveBeenCalledWith('list_releases', undefined);
  });

  it('rejects with the backend error as an AppError', async () => {
    core.invoke.mockRejectedValue({ code: 'workspace', message: 'newer than the app', path: '', problems: [] });
    await expect(listReleases()).rejects.toEqual({ code: 'workspace', message: 'newer than the app', path: '' });
  });

  it('rejects with no_backend outside the desktop app, without calling invoke', async () => {
    core.isTauri.mockReturnValue(false);
    await expect(listReleases()).rejects.toMatchObject({ code: 'no_backend', path: '' });
    expect(core.invoke).not.toHaveBeenCalled();
  });
});

describe('openSample', () => {
  beforeEach(() => {
    core.invoke.mockReset();
    core.isTauri.mockReturnValue(true);
  });

  it('calls open_sample and returns the releases after the import', async () => {
    const rows = [{ key: 'q1-2025' }];
    core.invoke.mockResolvedValue(rows);
    await expect(openSample()).resolves.toBe(rows);
    expect(core.invoke).toHaveBeenCalledWith('open_sample', undefined);
  });

  it('rejects with the first problem of an invalid plan', async () => {
    core.invoke.mockRejectedValue({ code: 'bad_value', message: 'name is empty', path: 'teams[0].name', problems: [] });
    await expect(openSample()).rejects.toEqual({ code: 'bad_value', message: 'name is empty', path: 'teams[0].name' });
  });
});
