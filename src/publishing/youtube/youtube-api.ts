import { randomBytes } from 'node:crypto';
import type { YouTubeConfig } from '../../core/config.js';
import type { AccessTokenProvider } from './google-oauth.js';
import type { PrivacyStatus } from './model.js';
import { YouTubeApiError, youTubeErrorFrom } from './youtube-errors.js';

/**
 * The YouTube Data API v3 calls of publishing, other than the video bytes (resumable-upload.ts),
 * with plain fetch against the configured base URLs. Each call is made once: a call that creates
 * something (a playlist, a playlist item, a caption) must not be repeated blindly after a failure,
 * so retrying is the export job's decision. A 401 refreshes the token once and repeats the call:
 * Google refused the request before doing anything.
 */

export interface VideoSnippet {
  title: string;
  description?: string;
  tags?: string[];
  /** 27 = Education. */
  categoryId: string;
  defaultLanguage?: string;
  defaultAudioLanguage?: string;
  channelId?: string;
  publishedAt?: string;
}

export interface VideoStatus {
  privacyStatus: PrivacyStatus;
  /** ISO 8601; YouTube requires privacyStatus `private` with it. */
  publishAt?: string;
  license?: 'youtube' | 'creativeCommon';
  embeddable?: boolean;
  selfDeclaredMadeForKids?: boolean;
  /** Read only: what YouTube decided (it may override the declaration). */
  madeForKids?: boolean;
  /** Read only: `uploaded`, `processed`, `failed`, `rejected`, `deleted`. */
  uploadStatus?: string;
  failureReason?: string;
  rejectionReason?: string;
}

export interface ProcessingDetails {
  processingStatus: 'processing' | 'succeeded' | 'failed' | 'terminated';
  processingFailureReason?: string;
}

/** What we send when inserting or updating a video. `status` replaces the whole part on update: send all of it. */
export interface VideoMetadata {
  snippet: VideoSnippet;
  status: VideoStatus;
}

export interface Video {
  id: string;
  snippet?: VideoSnippet;
  status?: VideoStatus;
  processingDetails?: ProcessingDetails;
}

export interface Playlist {
  id: string;
  snippet: { title: string; description?: string; channelId?: string };
  status?: { privacyStatus: PrivacyStatus };
}

export interface Caption {
  id: string;
  snippet: { videoId: string; language: string; name: string; isDraft?: boolean; status?: string };
}

export type CaptionContentType = 'text/vtt' | 'application/x-subrip' | 'application/octet-stream';

const VIDEO_PARTS = ['snippet', 'status', 'processingDetails'] as const;
// YouTube answers at most 50 items per page.
const MAX_RESULTS = 50;

export class YouTubeApi {
  constructor(
    private readonly endpoints: Pick<YouTubeConfig, 'apiUrl' | 'uploadUrl'>,
    private readonly accessToken: AccessTokenProvider,
  ) {}

  /** The channel the token was granted for (the one chosen on the consent page), or null if the account has none. */
  async myChannel(): Promise<{ id: string; title: string } | null> {
    const page = await this.json<{ items?: Array<{ id: string; snippet: { title: string } }> }>('GET', this.api('channels', { part: 'snippet', mine: 'true' }));
    const channel = page.items?.[0];
    return channel ? { id: channel.id, title: channel.snippet.title } : null;
  }

  /** Videos by id (up to 50); ids YouTube does not know (deleted, or not visible to this channel) are absent. */
  async getVideos(ids: string[], parts: ReadonlyArray<(typeof VIDEO_PARTS)[number]> = VIDEO_PARTS): Promise<Video[]> {
    if (ids.length === 0) return [];
    if (ids.length > MAX_RESULTS) throw new RangeError(`videos.list takes at most ${MAX_RESULTS} ids`);
    const page = await this.json<{ items?: Video[] }>('GET', this.api('videos', { part: parts.join(','), id: ids.join(',') }));
    return page.items ?? [];
  }

  async getVideo(id: string): Promise<Video | null> {
    return (await this.getVideos([id]))[0] ?? null;
  }

  /** Replaces the snippet and status of a video (YouTube resets what a sent part leaves out). */
  async updateVideo(id: string, metadata: VideoMetadata): Promise<Video> {
    return this.json<Video>('PUT', this.api('videos', { part: 'snippet,status' }), { json: { id, ...metadata } });
  }

  /** Sets the custom thumbnail: JPEG or PNG, at most 2 MB. */
  async setThumbnail(videoId: string, image: Uint8Array, contentType: 'image/jpeg' | 'image/png'): Promise<void> {
    await this.json('POST', this.upload('thumbnails/set', { videoId, uploadType: 'media' }), { body: image, contentType });
  }

  /** Uploads a caption track (WebVTT or SubRip) as a multipart/related request: the snippet, then the file. */
  async insertCaption(videoId: string, track: { language: string; name: string; content: Uint8Array | string; contentType: CaptionContentType }): Promise<Caption> {
    const boundary = `hoclieu_${randomBytes(12).toString('hex')}`;
    const snippet = JSON.stringify({ snippet: { videoId, language: track.language, name: track.name, isDraft: false } });
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${snippet}\r\n--${boundary}\r\nContent-Type: ${track.contentType}\r\n\r\n`),
      typeof track.content === 'string' ? Buffer.from(track.content, 'utf8') : track.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.json<Caption>('POST', this.upload('captions', { part: 'snippet', uploadType: 'multipart' }), { body, contentType: `multipart/related; boundary=${boundary}` });
  }

  /** Every playlist of the channel, following the pages. */
  async listPlaylists(): Promise<Playlist[]> {
    const playlists: Playlist[] = [];
    let pageToken: string | undefined;
    do {
      const query: Record<string, string> = { part: 'snippet,status', mine: 'true', maxResults: String(MAX_RESULTS) };
      if (pageToken) query.pageToken = pageToken;
      const page = await this.json<{ items?: Playlist[]; nextPageToken?: string }>('GET', this.api('playlists', query));
      playlists.push(...(page.items ?? []));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return playlists;
  }

  async insertPlaylist(playlist: { title: string; description?: string; privacyStatus: PrivacyStatus; defaultLanguage?: string }): Promise<Playlist> {
    const snippet = { title: playlist.title, description: playlist.description ?? '', ...(playlist.defaultLanguage ? { defaultLanguage: playlist.defaultLanguage } : {}) };
    return this.json<Playlist>('POST', this.api('playlists', { part: 'snippet,status' }), { json: { snippet, status: { privacyStatus: playlist.privacyStatus } } });
  }

  async insertPlaylistItem(playlistId: string, videoId: string): Promise<{ id: string }> {
    return this.json<{ id: string }>('POST', this.api('playlistItems', { part: 'snippet' }), {
      json: { snippet: { playlistId, resourceId: { kind: 'youtube#video', videoId } } },
    });
  }

  private api(resource: string, query: Record<string, string>): string {
    return `${this.endpoints.apiUrl}/${resource}?${new URLSearchParams(query)}`;
  }

  private upload(resource: string, query: Record<string, string>): string {
    return `${this.endpoints.uploadUrl}/${resource}?${new URLSearchParams(query)}`;
  }

  private async json<T>(method: string, url: string, payload?: { json: unknown } | { body: Uint8Array; contentType: string }): Promise<T> {
    const body = !payload ? undefined : 'json' in payload ? JSON.stringify(payload.json) : payload.body;
    const contentType = !payload ? undefined : 'json' in payload ? 'application/json; charset=UTF-8' : payload.contentType;
    let response = await this.send(method, url, false, body, contentType);
    if (response.status === 401) {
      await response.arrayBuffer();
      response = await this.send(method, url, true, body, contentType);
    }
    if (!response.ok) throw await youTubeErrorFrom(response);
    return (await response.json()) as T;
  }

  private async send(method: string, url: string, forceRefresh: boolean, body: string | Uint8Array | undefined, contentType: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.accessToken(forceRefresh)}`, accept: 'application/json' };
    if (contentType) headers['content-type'] = contentType;
    try {
      // Node's fetch takes any Uint8Array; the DOM types (which Preact's JSX types bring in) name only ArrayBuffer-backed ones.
      return await fetch(url, { method, headers, body: body as string | Uint8Array<ArrayBuffer> | undefined });
    } catch (cause) {
      throw YouTubeApiError.network(cause);
    }
  }
}
