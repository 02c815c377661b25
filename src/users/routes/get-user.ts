import { BEARER, IdParams, type Route } from '../../http/types.js';

export const getUser: Route = (app, ctx) => {
  app.get('/api/v1/users/:id', {
    schema: { tags: ['users'], summary: 'Một tài khoản (quản trị; quản trị đơn vị trong cây đơn vị của mình)', security: BEARER, params: IdParams },
  }, async (request) => ctx.users.get(request.principal, request.params.id));
};
