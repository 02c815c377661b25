import { gaxios, OAuth2Client } from 'google-auth-library';
import type { YouTubeConfig } from '../../core/config.js';

/**
 * Google OAuth 2.0 for a YouTube channel (authorisation-code flow with offline access), over
 * google-auth-library with every endpoint from configuration. Each channel keeps its own refresh
 * token; access tokens live an hour and are fetched when needed. Client secrets and tokens never
 * appear in errors or logs.
 */

/** Captions need force-ssl; it covers uploads, metadata, thumbnails and playlists too. */
export const YOUTUBE_SCOPE = 'https://www.googleapis.com/auth/youtube.force-ssl';

/** Google answered `invalid_grant` to a refresh: revoked, expired or unused for six months. The channel needs re-authorisation. */
export class RefreshTokenRevokedError extends Error {
  constructor(readonly description: string) {
    super(`Google refused the refresh token (invalid_grant): ${description}`);
    this.name = 'RefreshTokenRevokedError';
  }
}

/** Any other refusal by Google's token endpoint (`invalid_client`, a used or wrong code…), or no answer. */
export class GoogleOAuthError extends Error {
  constructor(
    /** Google's `error` field (`invalid_client`, `invalid_grant`…), `no_refresh_token`, or `network`. */
    readonly error: string,
    /** HTTP status; 0 when nothing answered. */
    readonly status: number,
    description: string,
  ) {
    super(`Google OAuth ${error}: ${description}`);
    this.name = 'GoogleOAuthError';
  }
}

/**
 * Where an API call gets its access token. `forceRefresh` after a 401 (the token was revoked or
 * expired early): the provider must then ask Google for a new one rather than answer from a cache.
 */
export type AccessTokenProvider = (forceRefresh: boolean) => Promise<string>;

interface AccessToken {
  token: string;
  expiresAt: number;
}

// Refresh a little before Google's expiry so that a token does not die in the middle of a request.
const EXPIRY_MARGIN_MS = 60_000;

export class GoogleOAuth {
  constructor(
    private readonly endpoints: Pick<YouTubeConfig, 'authUrl' | 'tokenUrl'>,
    /** `redirectUri`: our OAuth callback, registered in the Google Cloud project. */
    private readonly client: { clientId: string; clientSecret: string; redirectUri: string },
  ) {}

  /** The consent page URL. `prompt=consent` makes Google return a refresh token even for a channel authorised before. */
  authorizeUrl(state: string, redirectUri = this.client.redirectUri): string {
    return this.oauthClient(redirectUri).generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: [YOUTUBE_SCOPE],
      state,
      include_granted_scopes: true,
    });
  }

  /** Exchanges the code of the consent redirect; `redirectUri` must be the one of the consent URL. */
  async exchangeCode(code: string, redirectUri = this.client.redirectUri): Promise<{ refreshToken: string; accessToken: string; scope: string }> {
    const { tokens } = await this.call(() => this.oauthClient(redirectUri).getToken(code), false);
    if (!tokens.refresh_token) throw new GoogleOAuthError('no_refresh_token', 200, 'Google returned no refresh token (offline access was not granted)');
    if (!tokens.access_token) throw new GoogleOAuthError('no_access_token', 200, 'Google returned no access token');
    return { refreshToken: tokens.refresh_token, accessToken: tokens.access_token, scope: tokens.scope ?? '' };
  }

  /** A fresh access token for a refresh token. Throws RefreshTokenRevokedError when Google refuses the refresh token. */
  async accessToken(refreshToken: string): Promise<string> {
    return (await this.refresh(refreshToken)).token;
  }

  /** An AccessTokenProvider for one channel that reuses its token until shortly before it expires. */
  tokenProvider(refreshToken: string): AccessTokenProvider {
    let current: AccessToken | null = null;
    return async (forceRefresh) => {
      if (forceRefresh || !current || current.expiresAt - EXPIRY_MARGIN_MS <= Date.now()) current = await this.refresh(refreshToken);
      return current.token;
    };
  }

  private async refresh(refreshToken: string): Promise<AccessToken> {
    const client = this.oauthClient(this.client.redirectUri);
    client.setCredentials({ refresh_token: refreshToken });
    const { token } = await this.call(() => client.getAccessToken(), true);
    if (!token) throw new GoogleOAuthError('no_access_token', 200, 'Google returned no access token');
    return { token, expiresAt: client.credentials.expiry_date ?? Date.now() };
  }

  private oauthClient(redirectUri: string): OAuth2Client {
    return new OAuth2Client({
      clientId: this.client.clientId,
      clientSecret: this.client.clientSecret,
      redirectUri,
      endpoints: { oauth2AuthBaseUrl: this.endpoints.authUrl, oauth2TokenUrl: this.endpoints.tokenUrl },
    });
  }

  /**
   * Runs a token request and turns gaxios's errors (which carry the request, with the client
   * secret in its body) into our own, carrying only Google's error code and description.
   */
  private async call<T>(request: () => Promise<T>, isRefresh: boolean): Promise<T> {
    try {
      return await request();
    } catch (cause) {
      if (cause instanceof gaxios.GaxiosError && cause.response) {
        const data = cause.response.data as { error?: unknown; error_description?: unknown } | undefined;
        const error = typeof data?.error === 'string' ? data.error : 'unknown';
        const description = typeof data?.error_description === 'string' ? data.error_description : cause.response.statusText;
        if (isRefresh && error === 'invalid_grant') throw new RefreshTokenRevokedError(description);
        throw new GoogleOAuthError(error, cause.response.status, description);
      }
      // No answer: say so without the request (its body holds the secret).
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new GoogleOAuthError('network', 0, `token endpoint unreachable (${detail.replace(/(client_secret|refresh_token|code)=[^&\s]*/g, '$1=[redacted]')})`);
    }
  }
}
