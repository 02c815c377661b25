import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeYouTube } from './youtube-server.js';

/**
 * The fake's protocol, checked with raw HTTP rather than through our client, so that a mistake
 * shared by the client and the fake cannot hide: these are the rules of Google's documentation.
 */

const KiB = 1024;
let fake: FakeYouTube;
let token: string;

beforeEach(async () => {
  fake = await FakeYouTube.start();
  fake.registerClient('client', 'secret');
  const consent = await fetch(`${fake.urls.authUrl}?client_id=client&redirect_uri=${encodeURIComponent('http://app/cb')}&response_type=code&scope=s&access_type=offline`, { redirect: 'manual' });
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  const tokens = await (await fetch(fake.urls.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: 'client', client_secret: 'secret', redirect_uri: 'http://app/cb' }) })).json() as Record<string, unknown>;
  expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3599, scope: 's' });
  token = String(tokens.access_token);
});

afterEach(async () => {
  await fake.stop();
});

async function startSession(total: number): Promise<string> {
  const response = await fetch(`${fake.urls.uploadUrl}/videos?uploadType=resumable&part=snippet,status`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-length': String(total), 'x-upload-content-type': 'video/mp4' },
    body: JSON.stringify({ snippet: { title: 'Bài 1', categoryId: '27' }, status: { privacyStatus: 'private' } }),
  });
  expect(response.status).toBe(200);
  return response.headers.get('location')!;
}

const put = (session: string, contentRange: string, body: Uint8Array = new Uint8Array(0)) => fetch(session, { method: 'PUT', headers: { 'content-range': contentRange }, body: body as Uint8Array<ArrayBuffer> });

describe('fake YouTube: resumable sessions', () => {
  it('answers 308 without Range before any byte, with Range after, and the video resource at the end', async () => {
    const total = 256 * KiB + 100;
    const session = await startSession(total);
    const empty = await put(session, `bytes */${total}`);
    expect(empty.status).toBe(308);
    expect(empty.headers.get('range')).toBeNull();

    const first = await put(session, `bytes 0-${256 * KiB - 1}/${total}`, new Uint8Array(256 * KiB));
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${256 * KiB - 1}`);

    const last = await put(session, `bytes ${256 * KiB}-${total - 1}/${total}`, new Uint8Array(100));
    expect(last.status).toBe(201);
    const video = await last.json() as { id: string; snippet: { title: string }; status: { privacyStatus: string } };
    expect(video).toMatchObject({ snippet: { title: 'Bài 1' }, status: { privacyStatus: 'private' } });

    const after = await put(session, `bytes */${total}`);
    expect(after.status).toBe(201);
    expect((await after.json() as { id: string }).id).toBe(video.id);
  });

  it('refuses a non-final chunk that is not a multiple of 256 KiB, a gap, and an unknown session', async () => {
    const total = 1024 * KiB;
    const session = await startSession(total);
    const odd = await put(session, `bytes 0-99999/${total}`, new Uint8Array(100_000));
    expect(odd.status).toBe(400);
    expect(((await odd.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]!.reason).toBe('badContent');
    const gap = await put(session, `bytes ${256 * KiB}-${512 * KiB - 1}/${total}`, new Uint8Array(256 * KiB));
    expect(gap.status).toBe(400);
    expect((await put(`${fake.urls.uploadUrl}/videos?uploadType=resumable&upload_id=nope`, `bytes */${total}`)).status).toBe(404);
    fake.expireUploadSessions();
    expect((await put(session, `bytes */${total}`)).status).toBe(404);
  });
});

describe('fake YouTube: tokens and errors', () => {
  it('answers Google\'s error JSON for a missing or expired token, with WWW-Authenticate', async () => {
    const missing = await fetch(`${fake.urls.apiUrl}/channels?part=snippet&mine=true`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 401, errors: [{ domain: 'global', reason: 'required', location: 'Authorization' }] } });
    fake.expireAccessTokens();
    const expired = await fetch(`${fake.urls.apiUrl}/channels?part=snippet&mine=true`, { headers: { authorization: `Bearer ${token}` } });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await expired.json()).toMatchObject({ error: { code: 401, errors: [{ reason: 'authError' }] } });
  });

  it('refuses an unknown client, a wrong secret and an unsupported grant the way Google does', async () => {
    const token = (body: Record<string, string>) => fetch(fake.urls.tokenUrl, { method: 'POST', body: new URLSearchParams(body) });
    const unknown = await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'other', client_secret: 'secret' });
    expect([unknown.status, await unknown.json()]).toEqual([401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' }]);
    const wrong = await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'client', client_secret: 'nope' });
    expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);
    const revoked = await token({ grant_type: 'refresh_token', refresh_token: 'never-issued', client_id: 'client', client_secret: 'secret' });
    expect([revoked.status, await revoked.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }]);
    const grant = await token({ grant_type: 'password', client_id: 'client', client_secret: 'secret' });
    expect([grant.status, ((await grant.json()) as { error: string }).error]).toEqual([400, 'unsupported_grant_type']);
  });

  it('answers an injected 503 once, in Google\'s JSON, then serves normally', async () => {
    fake.failNext('api', 503);
    const failed = await fetch(`${fake.urls.apiUrl}/channels?part=snippet&mine=true`, { headers: { authorization: `Bearer ${token}` } });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: { code: 503, errors: [{ reason: 'backendError' }] } });
    const ok = await fetch(`${fake.urls.apiUrl}/channels?part=snippet&mine=true`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(fake.quotaOf('client').units).toBe(1);
  });
});
