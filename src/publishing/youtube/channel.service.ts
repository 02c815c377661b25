import { requirePrincipal, type Principal } from '../../auth/principal.js';
import type { AuditRepository } from '../../audit/audit.repository.js';
import type { YouTubeConfig } from '../../core/config.js';
import type { SecretBox } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import type { OrgService } from '../../orgs/org.service.js';
import { GoogleOAuth, GoogleOAuthError, RefreshTokenRevokedError } from './google-oauth.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from './model.js';
import { nextQuotaReset, quotaDay } from './quota.js';
import { signOAuthState, verifyOAuthState } from './oauth-state.js';
import { YouTubeApi } from './youtube-api.js';
import type { ChannelRow, YouTubeRepository } from './youtube.repository.js';

export const OAUTH_CALLBACK_PATH = '/api/v1/publishing/youtube/oauth/callback';
/** Where a browser's consent is finished and shown: the publisher console's page action. */
export const CONSOLE_CONSENT_PATH = '/xuat-ban/ket-noi-google';

/**
 * YouTube channels: who may manage and use them, the OAuth consent that gives us a refresh token,
 * and fresh access tokens for the export job. Secrets are sealed at rest and never leave here.
 */
export class ChannelService {
  constructor(
    private readonly repository: YouTubeRepository,
    private readonly orgs: OrgService,
    private readonly audit: AuditRepository,
    private readonly secrets: SecretBox,
    private readonly config: { youtube: YouTubeConfig; publicUrl: string; secretKey: string },
  ) {}

  private get redirectUri() {
    return `${this.config.publicUrl}${OAUTH_CALLBACK_PATH}`;
  }

  oauthOf(channel: ChannelRow): GoogleOAuth {
    return new GoogleOAuth(this.config.youtube, { clientId: channel.clientId, clientSecret: this.secrets.open(channel.clientSecretEnc), redirectUri: this.redirectUri });
  }

  /** Admins, and org-admins of the channel's org or an org above it. */
  private async requireManager(principal: Principal | null, orgId: string): Promise<Principal> {
    const actor = requirePrincipal(principal);
    if (!(await this.orgs.canAdminister(actor, orgId))) throw new AppError('FORBIDDEN');
    return actor;
  }

  /** A channel the caller manages: 404 when they may not even see it, 403 for its publishers. */
  private async managed(principal: Principal | null, id: string): Promise<{ actor: Principal; channel: ChannelRow }> {
    const actor = requirePrincipal(principal);
    const channel = await this.repository.channel(id);
    if (!channel) throw AppError.notFound('channel');
    if (await this.orgs.canAdminister(actor, channel.orgId)) return { actor, channel };
    throw actor.roles.includes('publisher') && actor.orgId === channel.orgId ? new AppError('FORBIDDEN') : AppError.notFound('channel');
  }

  /** Who may publish to a channel: its managers and the publishers of its own org. */
  async canUse(principal: Principal | null, channel: ChannelRow): Promise<boolean> {
    if (!principal) return false;
    if (await this.orgs.canAdminister(principal, channel.orgId)) return true;
    return principal.roles.includes('publisher') && principal.orgId === channel.orgId;
  }

  /** A channel the caller may use; others' channels are 404, not 403, so their existence does not leak. */
  async usable(principal: Principal | null, id: string): Promise<ChannelRow> {
    const actor = requirePrincipal(principal);
    const channel = await this.repository.channel(id);
    if (!channel || !(await this.canUse(actor, channel))) throw AppError.notFound('channel');
    return channel;
  }

  /** Every channel the caller may publish to. */
  async usableChannels(principal: Principal | null): Promise<ChannelRow[]> {
    const actor = requirePrincipal(principal);
    const usable: ChannelRow[] = [];
    for (const channel of await this.repository.channels()) if (await this.canUse(actor, channel)) usable.push(channel);
    return usable;
  }

  async create(principal: Principal | null, input: { name: string; clientId: string; clientSecret: string; orgCode?: string; settings?: Partial<ChannelSettings> }) {
    const org = input.orgCode ? await this.orgs.requireByCode(input.orgCode) : { id: requirePrincipal(principal).orgId, code: principal!.orgCode };
    const actor = await this.requireManager(principal, org.id);
    const channel = await this.repository.insertChannel(org.code, {
      orgId: org.id, name: input.name.normalize('NFC'), clientId: input.clientId.trim(), clientSecretEnc: this.secrets.seal(input.clientSecret.trim()),
      settings: { ...DEFAULT_CHANNEL_SETTINGS, ...input.settings }, createdBy: actor.id,
    });
    await this.audit.record({ actorId: actor.id, action: 'youtube_channel_created', orgId: org.id, data: { channelId: channel.id, name: channel.name } });
    return this.present(channel);
  }

  async list(principal: Principal | null) {
    const channels = await this.usableChannels(principal);
    // A few channels share one Google project: each project's usage is read once.
    const projects = new Map(await Promise.all([...new Set(channels.map((c) => c.clientId))].map(async (id) => [id, await this.repository.project(id)] as const)));
    return { items: await Promise.all(channels.map((channel) => this.present(channel, projects.get(channel.clientId)))) };
  }

  async get(principal: Principal | null, id: string) {
    return this.present(await this.usable(principal, id));
  }

  async updateSettings(principal: Principal | null, id: string, settings: Partial<ChannelSettings>) {
    const { actor, channel } = await this.managed(principal, id);
    const merged = { ...channel.settings, ...settings, playlist: { ...channel.settings.playlist, ...settings.playlist } };
    await this.repository.updateChannel(id, { settings: merged });
    await this.audit.record({ actorId: actor.id, action: 'youtube_channel_settings', orgId: channel.orgId, data: { channelId: id, settings } });
    return this.present({ ...channel, settings: merged });
  }

  /** Deleting keeps the row (exports refer to it); its waiting exports end, failed, with the reason. */
  async remove(principal: Principal | null, id: string) {
    const { actor, channel } = await this.managed(principal, id);
    await this.repository.updateChannel(id, { deletedAt: new Date(), refreshTokenEnc: null });
    await this.repository.failWaitingOfChannel(id, 'kênh YouTube đã bị xoá trước khi xuất bản xong.');
    await this.audit.record({ actorId: actor.id, action: 'youtube_channel_deleted', orgId: channel.orgId, data: { channelId: id } });
  }

  /** The Google consent URL for a channel (offline access, so that Google returns a refresh token). */
  async authorizeUrl(principal: Principal | null, id: string): Promise<string> {
    const { channel } = await this.managed(principal, id);
    const { state, nonce } = signOAuthState(this.config.secretKey, channel.id);
    await this.repository.updateChannel(channel.id, { oauthNonce: nonce });
    return this.oauthOf(channel).authorizeUrl(state, this.redirectUri);
  }

  /**
   * Google's redirect after consent: the code becomes a refresh token, sealed and stored; the
   * channel's identity is read once. Exports that waited for (re-)authorisation become due.
   */
  async completeAuthorization(query: { code?: string; state?: string; error?: string }) {
    const verified = query.state ? verifyOAuthState(this.config.secretKey, query.state) : null;
    if (!verified) throw new AppError('OAUTH_STATE_INVALID');
    // The nonce is consumed whatever happens next: a state works once, and only the latest one.
    const channel = await this.repository.takeOAuthNonce(verified.channelId, verified.nonce);
    if (!channel) throw new AppError('OAUTH_STATE_INVALID');
    if (query.error || !query.code) throw new AppError('OAUTH_DENIED', { reason: query.error ?? 'không có mã uỷ quyền' });
    const tokens = await this.oauthOf(channel).exchangeCode(query.code).catch((error: unknown) => {
      // Google refused the code (used twice, wrong client secret) or gave no refresh token: a 400 for the admin, not a 500.
      if (error instanceof GoogleOAuthError) throw new AppError('OAUTH_DENIED', { reason: error.error === 'no_refresh_token' ? 'Google không trả về refresh token (cần quyền truy cập ngoại tuyến)' : error.error });
      throw error;
    });
    const api = new YouTubeApi(this.config.youtube, async () => tokens.accessToken);
    const identity = await api.myChannel();
    // Re-authorising must not quietly move the channel's queue to another YouTube channel.
    if (channel.youtubeChannelId && identity?.id !== channel.youtubeChannelId) {
      throw new AppError('OAUTH_DENIED', { reason: `tài khoản Google đã chọn kênh "${identity?.title ?? '?'}", không phải kênh "${channel.youtubeTitle ?? channel.youtubeChannelId}" đã kết nối trước đây` });
    }
    await this.repository.updateChannel(channel.id, {
      refreshTokenEnc: this.secrets.seal(tokens.refreshToken), status: 'active',
      youtubeChannelId: identity?.id ?? null, youtubeTitle: identity?.title ?? null,
    });
    await this.repository.wakeDeferredOfChannel(channel.id);
    await this.audit.record({ actorId: null, action: 'youtube_channel_authorized', orgId: channel.orgId, data: { channelId: channel.id, youtubeChannelId: identity?.id } });
    return this.present({ ...channel, status: 'active', youtubeChannelId: identity?.id ?? null, youtubeTitle: identity?.title ?? null });
  }

  /**
   * Access tokens for the export job, refreshed as they expire. A refresh token Google refuses
   * (revoked, expired) marks the channel as needing re-authorisation and becomes
   * CHANNEL_NOT_AUTHORIZED: the job defers its export, losing nothing.
   */
  tokenProvider(channel: ChannelRow): (forceRefresh: boolean) => Promise<string> {
    if (!channel.refreshTokenEnc || channel.status !== 'active') return async () => { throw new AppError('CHANNEL_NOT_AUTHORIZED', { name: channel.name }); };
    const provider = this.oauthOf(channel).tokenProvider(this.secrets.open(channel.refreshTokenEnc));
    return async (forceRefresh) => {
      try {
        return await provider(forceRefresh);
      } catch (error) {
        throw await this.revokedAsNotAuthorized(channel, error);
      }
    };
  }

  private async revokedAsNotAuthorized(channel: ChannelRow, error: unknown): Promise<unknown> {
    if (!(error instanceof RefreshTokenRevokedError)) return error;
    await this.repository.updateChannel(channel.id, { status: 'needs_reauthorization' });
    await this.audit.record({ actorId: null, action: 'youtube_channel_revoked', orgId: channel.orgId, data: { channelId: channel.id } });
    return new AppError('CHANNEL_NOT_AUTHORIZED', { name: channel.name });
  }

  async present(channel: ChannelRow, project?: Awaited<ReturnType<YouTubeRepository['project']>>) {
    project ??= await this.repository.project(channel.clientId);
    const now = new Date();
    const today = project.day === quotaDay(now);
    const { quota } = this.config.youtube;
    return {
      id: channel.id, name: channel.name, orgCode: channel.orgCode, clientId: channel.clientId, status: channel.status,
      youtubeChannelId: channel.youtubeChannelId, youtubeTitle: channel.youtubeTitle,
      settings: channel.settings,
      pausedUntil: channel.pausedUntil && channel.pausedUntil > now ? channel.pausedUntil : null,
      project: {
        unitsUsed: today ? project.unitsUsed : 0, dailyUnits: quota.dailyUnits,
        uploadsUsed: today ? project.uploadsUsed : 0, dailyUploads: quota.dailyUploads,
        pausedUntil: project.pausedUntil && project.pausedUntil > now ? project.pausedUntil : null,
        nextReset: nextQuotaReset(now),
        // YouTube locks uploads of unaudited API projects to private: the publisher must know why.
        unverified: project.unverifiedAt !== null,
      },
    };
  }
}
