import { Type } from 'typebox';
import { BEARER, IdParams, type Route } from '../../../http/types.js';
import type { ChannelSettings } from '../model.js';
import { ChannelSettingsPatch } from './schemas.js';

export const updateChannel: Route = (app, ctx) => {
  app.patch('/api/v1/publishing/youtube/channels/:id', {
    schema: {
      tags: ['publishing'], security: BEARER, params: IdParams, body: Type.Object({ settings: ChannelSettingsPatch }, { additionalProperties: false }),
      summary: 'Cài đặt kênh: mẫu tiêu đề/mô tả, quyền riêng tư mặc định, danh sách phát, "dành cho trẻ em", xử lý phiên bản mới',
    },
  }, async (request) => ctx.youtubeChannels.updateSettings(request.principal, request.params.id, request.body.settings as Partial<ChannelSettings>));
};
