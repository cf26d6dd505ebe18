import { describe, expect, test } from 'vitest';
import { validateRequest } from '../../../../src-main/api/validate.js';

describe('request validation', () => {
  test('accepts a well-formed request and returns typed parameters', () => {
    const v = validateRequest({ type: 'request', id: 3, method: 'instrument.geometry', params: { camera: 'LSTCam' } });
    expect(v).toEqual({ ok: true, request: { id: 3, method: 'instrument.geometry', params: { camera: 'LSTCam' } } });
  });

  test('missing params default to an empty object for methods without parameters', () => {
    const v = validateRequest({ type: 'request', id: 1, method: 'app.info' });
    expect(v.ok).toBe(true);
  });

  test.each([
    [null, null, 'bad-request', /malformed request envelope/],
    ['a string', null, 'bad-request', /malformed request envelope/],
    [{ type: 'request', id: -1, method: 'app.info' }, -1, 'bad-request', /id/],
    [{ type: 'request', id: 5, method: 'no.such' }, 5, 'unknown-method', /unknown method "no.such"/],
    [{ type: 'request', id: 6, method: 'instrument.geometry', params: {} }, 6, 'bad-request', /camera/],
    [{ type: 'request', id: 7, method: 'instrument.geometry', params: { camera: '../../etc/passwd' } }, 7, 'bad-request', /camera/],
    [{ type: 'request', id: 8, method: 'live.configure', params: { rateHz: 1e9 } }, 8, 'bad-request', /rateHz/],
    [{ type: 'request', id: 9, method: 'live.control', params: { action: 'explode' } }, 9, 'bad-request', /action/],
    [{ type: 'request', id: 10, method: 'app.info', params: { extra: 1 } }, 10, 'bad-request', /extra/],
  ])('rejects %j with a clear message', (message, id, code, text) => {
    const v = validateRequest(message);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.id).toBe(id);
    expect(v.code).toBe(code);
    expect(v.message).toMatch(text);
  });
});
