import supertest from 'supertest';
import type { TestServer } from './server.js';
import { PASSWORD } from './world.js';

/** What a browser asks for when it opens a page. */
export const HTML = { accept: 'text/html,application/xhtml+xml' };

/** A client that keeps its cookies between requests, as a browser does. */
export type Agent = ReturnType<typeof supertest.agent>;

/** The CSRF token in a page's forms (their hidden `_csrf` field). */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/** The CSRF token of the page at `path`, as its forms carry it. */
export async function csrfFrom(agent: Agent, path: string): Promise<string> {
  return csrfOf((await agent.get(path).set(HTML).expect(200)).text);
}

/** Signs in through the sign-in page as a browser does: the form's CSRF token, then the session cookie the agent keeps. */
export async function signInAgent(server: TestServer, username: string): Promise<Agent> {
  const agent = supertest.agent(server.app.server);
  const form = await agent.get('/dang-nhap').set(HTML).expect(200);
  await agent.post('/dang-nhap').set(HTML).type('form').send({ _csrf: csrfOf(form.text), username, password: PASSWORD }).expect(303);
  return agent;
}
