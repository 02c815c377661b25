import { Type } from 'typebox';

/** Channel codes are lower-case slugs; a channel's XMLTV id is its code and the public host (`vtv7.<host>`). */
export const ChannelCode = Type.String({ maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]*(\\.[a-z0-9-]+)*$', description: 'Mã kênh, ví dụ "vtv7", "vov1", "htv-giao-duc"' });

export const SlotBody = Type.Object({
  channelCode: ChannelCode,
  materialId: Type.String({ format: 'uuid' }),
  start: Type.String({ format: 'date-time', description: 'ISO 8601 có múi giờ, ví dụ 2026-11-25T19:00:00+07:00' }),
  end: Type.Optional(Type.String({ format: 'date-time', description: 'Mặc định: start + thời lượng bài học' })),
}, { additionalProperties: false });
