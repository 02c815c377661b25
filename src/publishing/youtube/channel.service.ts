import type { Principal } from '../../auth/principal.js';
import type { AuditRepository } from '../../audit/audit.repository.js';
import type { YouTubeConfig } from '../../core/config.js';
import type { SecretBox } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import type { OrgService } from '../../orgs/org.service.js';
import type { OrgRepository } from '../../orgs/org.repository.js';
import { GoogleOAuth, RefreshTokenRevokedError } from './google-oauth.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from './model.js';
import { nextQuotaReset, quotaDay } from './quota.js';
import { signOAuthState, verifyOAuthState } from './oauth-state.js';
import { YouTubeApi } from './youtube-api.js';
import type { ChannelRow, YouTubeRepository } from './youtube.repository.js';

export const OAUTH_CALLBACK_PATH = '/api/v1/publishing/youtube/oauth/callback';

/**
 * YouTube channels: who may manage and use them, the OAuth consent that gives us a refresh token,
 * and fresh access tokens for the export job. Secrets are sealed at rest and never leave here.
 */
export class ChannelService {
  constructor(
    private readonly repository: YouTubeRepository,
    private readonly orgs: OrgService,
    private readonly orgRepository: OrgRepository,
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
    if (!principal) throw new AppError('UNAUTHENTICATED');
    if (!(await this.orgs.canAdminister(principal, orgId))) throw new AppError('FORBIDDEN');
    return principal;
  }

  /** Who may publish to a channel: its managers and the publishers of its own org. */
  async canUse(principal: Principal | null, channel: ChannelRow): Promise<boolean> {
    if (!principal) return false;
    if (await this.orgs.canAdminister(principal, channel.orgId)) return true;
    return principal.roles.includes('publisher') && principal.orgId === channel.orgId;
  }

  /** A channel the caller may use; others' channels are 404, not 403, so their existence does not leak. */
  async usable(principal: Principal | null, id: string): Promise<ChannelRow> {
    if (!principal) throw new AppError('UNAUTHENTICATED');
    const channel = await this.repository.channel(id);
    if (!channel || !(await this.canUse(principal, channel))) throw AppError.notFound('channel');
    return channel;
  }

  async create(principal: Principal | null, input: { name: string; clientId: string; clientSecret: string; orgCode?: string; settings?: Partial<ChannelSettings> }) {
    if (!principal) throw new AppError('UNAUTHENTICATED');
    const org = input.orgCode ? await this.orgs.requireByCode(input.orgCode) : { id: principal.orgId };
    const actor = await this.requireManager(principal, org.id);
    const channel = await this.repository.insertChannel({
      orgId: org.id, name: input.name.normalize('NFC'), clientId: input.clientId.trim(), clientSecretEnc: this.secrets.seal(input.clientSecret.trim()),
      settings: { ...DEFAULT_CHANNEL_SETTINGS, ...input.settings }, createdBy: actor.id,
    });
    await this.audit.record({ actorId: actor.id, action: 'youtube_channel_created', orgId: org.id, data: { channelId: channel.id, name: channel.name } });
    return this.present(channel);
  }

  async list(principal: Principal | null) {
    if (!principal) throw new AppError('UNAUTHENTICATED');
    const visible = [];
    for (const channel of await this.repository.channels()) if (await this.canUse(principal, channel)) visible.push(await this.present(channel));
    return { items: visible };
  }

  async get(principal: Principal | null, id: string) {
    return this.present(await this.usable(principal, id));
  }

  async updateSettings(principal: Principal | null, id: string, settings: Partial<ChannelSettings>) {
    const channel = await this.usable(principal, id);
    const actor = await this.requireManager(principal, channel.orgId);
    const merged = { ...channel.settings, ...settings, playlist: { ...channel.settings.playlist, ...settings.playlist } };
    await this.repository.updateChannel(id, { settings: merged });
    await this.audit.record({ actorId: actor.id, action: 'youtube_channel_settings', orgId: channel.orgId, data: { channelId: id, settings } });
    return this.present({ ...channel, settings: merged });
  }

  /** Deleting keeps the row (exports refer to it); waiting exports fail when their job sees it gone. */
  async remove(principal: Principal | null, id: string) {
    const channel = await this.usable(principal, id);
    const actor = await this.requireManager(principal, channel.orgId);
    await this.repository.updateChannel(id, { deletedAt: new Date(), refreshTokenEnc: null });
    await this.repository.failWaitingOfChannel(id, 'kênh YouTube đã bị xoá trước khi xuất bản xong.');
    await this.audit.record({ actorId: actor.id, action: 'youtube_channel_deleted', orgId: channel.orgId, data: { channelId: id } });
  }

  /** The Google consent URL for a channel (offline access, so that Google returns a refresh token). */
  async authorizeUrl(principal: Principal | null, id: string): Promise<string> {
    const channel = await this.usable(principal, id);
    await this.requireManager(principal, channel.orgId);
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
    const tokens = await this.oauthOf(channel).exchangeCode(query.code);
    if (!tokens.refreshToken) throw new AppError('OAUTH_DENIED', { reason: 'Google không trả về refresh token (cần quyền truy cập ngoại tuyến)' });
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

  async present(channel: ChannelRow) {
    const org = await this.orgRepository.findById(channel.orgId);
    const project = await this.repository.project(channel.clientId);
    const now = new Date();
    const today = project.day === quotaDay(now);
    const { quota } = this.config.youtube;
    return {
      id: channel.id, name: channel.name, orgCode: org?.code ?? null, clientId: channel.clientId, status: channel.status,
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
