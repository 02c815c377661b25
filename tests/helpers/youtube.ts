import { FakeYouTube } from '../fakes/youtube-server.js';

/**
 * The fake Google (tests/fakes/youtube-server.ts) with one OAuth client registered, and the app's
 * environment that points at it: small upload chunks, quick retries and quick processing polls.
 */
export async function startFakeGoogle(clientId: string, clientSecret: string, processingPollMs = 20): Promise<{ youtube: FakeYouTube; env: Record<string, string> }> {
  const youtube = await FakeYouTube.start();
  youtube.registerClient(clientId, clientSecret);
  const urls = youtube.urls;
  return {
    youtube,
    env: {
      GOOGLE_AUTH_URL: urls.authUrl, GOOGLE_TOKEN_URL: urls.tokenUrl, YOUTUBE_API_URL: urls.apiUrl, YOUTUBE_UPLOAD_URL: urls.uploadUrl,
      YOUTUBE_CHUNK_BYTES: String(256 * 1024), YOUTUBE_RETRY_BASE_MS: '5', YOUTUBE_PROCESSING_POLL_MS: String(processingPollMs),
    },
  };
}
