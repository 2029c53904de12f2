// Small wordings shared by the views.

import { formatDate } from './calendar';

/** "3 Feb 2025", or "—" for no date. */
export function dateOrDash(iso: string | null | undefined): string {
  return iso ? formatDate(iso) : '—';
}

/** "+3 wd", "−2 wd", "0 wd": a signed count of working days. */
export function signedDays(n: number | null | undefined, unit = 'wd'): string {
  if (n === null || n === undefined) return '—';
  if (n === 0) return `0 ${unit}`;
  return `${n > 0 ? '+' : '−'}${Math.abs(n)} ${unit}`;
}

/** A history value as stored (JSON text) in a form a person reads. */
export function historyValue(text: string | null): string {
  if (text === null) return '∅';
  try {
    const v: unknown = JSON.parse(text);
    if (v === null) return '∅';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
    const o = v as Record<string, unknown>;
    if (typeof o.from === 'string' && typeof o.to === 'string') return `${o.from} → ${o.to}`;
    if (typeof o.text === 'string') return o.text;
    return JSON.stringify(v);
  } catch {
    return text;
  }
}

/** "2025-02-03 14:05" from an RFC 3339 time, in local time. */
export function shortTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
