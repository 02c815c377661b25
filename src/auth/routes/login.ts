import { Type } from 'typebox';
import type { Route } from '../../http/types.js';

const Body = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });

export const login: Route = (app, ctx) => {
  app.post('/api/v1/auth/login', {
    schema: { tags: ['auth'], summary: 'Đăng nhập, nhận mã truy cập (bearer token); đăng nhập sai nhiều lần phải chờ (429, Retry-After)', body: Body },
  }, async (request) => ctx.auth.login(request.body.username, request.body.password, request.ip));
};
