import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, pdfBytes, type World } from '../helpers/world.js';
import { csrfOf, HTML, signInAgent, type Agent } from '../helpers/web.js';

/**
 * The reviewers' pages driven as a browser would: the queue with its tabs and filters, the review
 * screen with claim and release, one winner between two reviewers, the decision form with its
 * required reasons and comment, a stale form refused, and the teacher's side of a request for changes.
 */
let server: TestServer;
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const claimedAtOf = (html: string) => /name="claimedAt" value="([^"]*)"/.exec(html)?.[1];

async function submitted(fields: Record<string, unknown> = {}) {
  const id = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, ...fields }).expect(201)).body.id as string;
  await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(id), 'bai-giang.pdf').expect(201);
  await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
  const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth('reviewerA1')).expect(200);
  return { id, task: list.body.items.find((t: { materialId: string }) => t.materialId === id).id as string };
}

let reviewer: Agent;
let colleague: Agent;
let teacher: Agent;

beforeAll(async () => {
  server = await startTestServer({ workers: false });
  world = await createWorld(server, ['teacherA1', 'teacherReviewerA1', 'reviewerA1', 'reviewerA1bis', 'reviewerGdpt']);
  [reviewer, colleague, teacher] = await Promise.all([signInAgent(server, 'reviewerA1'), signInAgent(server, 'reviewerA1bis'), signInAgent(server, 'teacherA1')]);
}, 60_000);
afterAll(async () => server?.close());

describe('the review queue', () => {
  it('is for reviewers only, links the header to it, and lists its org\'s tasks oldest first with where they come from', async () => {
    const anonymous = await supertest(server.app.server).get('/tham-dinh').set(HTML).expect(303);
    expect(anonymous.headers.location).toBe('/dang-nhap?tiep=%2Ftham-dinh');
    const refused = await teacher.get('/tham-dinh').set(HTML).expect(403);
    expect(refused.text).toContain('Bạn không có quyền thực hiện thao tác này.');
    expect(refused.text).not.toContain('href="/tham-dinh"');

    const older = await submitted({ title: 'Phương trình bậc hai', grades: [9] });
    const newer = await submitted({ title: 'Văn bản nghị luận', subject: 'ngu-van', grades: [9] });
    const page = await reviewer.get('/tham-dinh').set(HTML).expect(200);
    expect(page.text).toContain('<a href="/tham-dinh">Thẩm định</a>');
    expect(page.text).toContain('<span aria-current="page">Chưa ai nhận</span>');
    expect(page.text.indexOf(older.task)).toBeLessThan(page.text.indexOf(newer.task));
    expect(page.text).toContain('Trường THCS A1, Sở GDĐT A');
    const literature = await reviewer.get('/tham-dinh?mon=ngu-van&lop=9&cho-tu=khong-hop-le').set(HTML).expect(200);
    expect(literature.text).toContain(newer.task);
    expect(literature.text).not.toContain(older.task);
    expect(literature.text).toMatch(/<option value="ngu-van" selected/);
  });
});

describe('the review screen', () => {
  it('shows the material beside its files; two reviewers claim at once and the loser is told who holds it', async () => {
    const { task } = await submitted({ title: 'Tam giác vuông' });
    const open = await reviewer.get(`/tham-dinh/${task}`).set(HTML).expect(200);
    expect(open.text).toContain('<h1>Tam giác vuông</h1>');
    expect(open.text).toContain('>Nhận thẩm định</button>');
    expect(open.text).toContain('data-preview="document"');
    expect(open.text).toContain('Tải tệp bai-giang.pdf');
    // The working version is not public: the link carries a signature, which a browser's plain link can use without a token.
    const link = /href="(\/api\/v1\/files\/[0-9a-f-]+\/content\?exp=\d+&amp;sig=[^"]+)"/.exec(open.text)![1]!.replace(/&amp;/g, '&');
    const downloaded = await supertest(server.app.server).get(link).expect(200);
    expect(downloaded.body.toString()).toContain('%PDF-1.4');
    await supertest(server.app.server).get(link.replace(/sig=[^&]+/, 'sig=gia-mao')).expect(404);
    expect(open.text).toContain('Đây là vòng thẩm định đầu tiên.');
    expect(open.text).not.toContain('name="claimedAt"');

    const [a, b] = await Promise.all([
      reviewer.post(`/tham-dinh/${task}/nhan`).set(HTML).type('form').send({ _csrf: csrfOf(open.text) }),
      colleague.get(`/tham-dinh/${task}`).set(HTML).then((page) => colleague.post(`/tham-dinh/${task}/nhan`).set(HTML).type('form').send({ _csrf: csrfOf(page.text) })),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const [winner, loser] = a.status === 303 ? [{ agent: reviewer, name: 'reviewerA1' }, b] : [{ agent: colleague, name: 'reviewerA1bis' }, a];
    expect(loser.text).toContain('Nhiệm vụ đang được người khác thẩm định.');
    expect(loser.text).toContain(`Đang được <strong>Người dùng ${winner.name}</strong> thẩm định`);
    expect(loser.text).not.toContain('name="claimedAt"');

    const mine = await winner.agent.get(`/tham-dinh/${task}?thong-bao=da-nhan`).set(HTML).expect(200);
    expect(mine.text).toContain('Bạn đã nhận thẩm định học liệu này.');
    expect(mine.text).toContain('>Trả lại</button>');
    expect(claimedAtOf(mine.text)).toMatch(/^\d{4}-\d\d-\d\dT/);
    const released = await winner.agent.post(`/tham-dinh/${task}/tra-lai`).set(HTML).type('form').send({ _csrf: csrfOf(mine.text) }).expect(303);
    expect(released.headers.location).toBe('/tham-dinh?thong-bao=da-tra-lai');
    expect((await server.http.get(`/api/v1/review/tasks/${task}`).set(auth('reviewerA1')).expect(200)).body.status).toBe('open');
  });

  it('refuses a decision without its reasons or comment, keeping what was typed, and a stale form after the task changed hands', async () => {
    const { id, task } = await submitted({ title: 'Hình thang' });
    const open = await reviewer.get(`/tham-dinh/${task}`).set(HTML).expect(200);
    await reviewer.post(`/tham-dinh/${task}/nhan`).set(HTML).type('form').send({ _csrf: csrfOf(open.text) }).expect(303);
    const page = await reviewer.get(`/tham-dinh/${task}`).set(HTML).expect(200);
    const form = { _csrf: csrfOf(page.text), claimedAt: claimedAtOf(page.text)! };

    const noReason = await reviewer.post(`/tham-dinh/${task}/quyet-dinh`).set(HTML).type('form')
      .send({ ...form, decision: 'request_changes', comment: 'Hình 2 thiếu <b>chú thích</b>.' }).expect(400);
    expect(noReason.text).toContain('Khi yêu cầu chỉnh sửa hoặc không đồng ý, hãy chọn ít nhất một lý do.');
    expect(noReason.text).toContain('Hình 2 thiếu &lt;b>chú thích&lt;/b>.</textarea>');
    expect(noReason.text).toMatch(/value="request_changes" checked/);
    const noComment = await reviewer.post(`/tham-dinh/${task}/quyet-dinh`).set(HTML).type('form')
      .send({ ...form, decision: 'reject', reasons: 'trung-lap' }).expect(400);
    expect(noComment.text).toContain('hãy ghi ý kiến cho người đóng góp');
    expect(noComment.text).toMatch(/value="trung-lap" checked/);
    const noDecision = await reviewer.post(`/tham-dinh/${task}/quyet-dinh`).set(HTML).type('form').send(form).expect(400);
    expect(noDecision.text).toContain('Hãy chọn một quyết định.');

    // The task goes round while this form stays open: someone else holds it now.
    await server.http.post(`/api/v1/review/tasks/${task}/release`).set(auth('reviewerA1')).expect(200);
    await server.http.post(`/api/v1/review/tasks/${task}/claim`).set(auth('reviewerA1bis')).expect(200);
    const stale = await reviewer.post(`/tham-dinh/${task}/quyet-dinh`).set(HTML).type('form').send({ ...form, decision: 'approve' }).expect(409);
    expect(stale.text).toContain('Nhiệm vụ đang được người khác thẩm định.');
    expect(stale.text).toContain('Đang được <strong>Người dùng reviewerA1bis</strong>');
    // Back to the first reviewer under a new claim: the old form is still refused.
    await server.http.post(`/api/v1/review/tasks/${task}/release`).set(auth('reviewerA1bis')).expect(200);
    await server.http.post(`/api/v1/review/tasks/${task}/claim`).set(auth('reviewerA1')).expect(200);
    const changed = await reviewer.post(`/tham-dinh/${task}/quyet-dinh`).set(HTML).type('form').send({ ...form, decision: 'approve' }).expect(409);
    expect(changed.text).toContain('quyết định chưa được ghi. Hãy tải lại trang');
    expect((await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body.status).toBe('in_review');
    expect(claimedAtOf(changed.text)).not.toBe(form.claimedAt);
  });

  it('a request for changes reaches the teacher with its reasons, never the internal note; the resubmission\'s answer and changes reach the reviewer', async () => {
    const { id, task } = await submitted({ title: 'Đường tròn' });
    const open = await reviewer.get(`/tham-dinh/${task}`).set(HTML).expect(200);
    await reviewer.post(`/tham-dinh/${task}/nhan`).set(HTML).type('form').send({ _csrf: csrfOf(open.text) }).expect(303);
    const page = await reviewer.get(`/tham-dinh/${task}`).set(HTML).expect(200);
    const decided = await reviewer.post(`/tham-dinh/${task}/quyet-dinh`).set(HTML).type('form').send({
      _csrf: csrfOf(page.text), claimedAt: claimedAtOf(page.text), decision: 'request_changes', reasons: ['noi-dung-sai', 'ban-quyen'],
      comment: 'Ghi nguồn hình 3.', internalNote: 'NOI-BO: kiểm tra kỹ bản quyền ở vòng sau',
    }).expect(303);
    expect(decided.headers.location).toBe('/tham-dinh?thong-bao=da-quyet-dinh');

    const list = await teacher.get('/cua-toi').set(HTML).expect(200);
    expect(list.text).toContain('Ý kiến người thẩm định: Ghi nguồn hình 3.');
    expect(list.text).toContain('<li>Chưa rõ bản quyền hoặc nguồn của tư liệu</li>');
    const workspace = await teacher.get(`/cua-toi/hoc-lieu/${id}`).set(HTML).expect(200);
    expect(workspace.text).toContain('Quyết định thẩm định: Yêu cầu chỉnh sửa');
    expect(workspace.text).toContain('<li>Nội dung có sai sót kiến thức</li>');
    expect(workspace.text).toContain('<blockquote class="state-note">Ghi nguồn hình 3.</blockquote>');
    for (const view of [list.text, workspace.text]) expect(view).not.toContain('NOI-BO');
    // The reviewer's screen is not the teacher's to open.
    await teacher.get(`/tham-dinh/${task}`).set(HTML).expect(403);

    const csrf = csrfOf(workspace.text);
    await teacher.post(`/cua-toi/hoc-lieu/${id}`).set(HTML).type('form')
      .send({ _csrf: csrf, ...MATERIAL, grades: '8', title: 'Đường tròn (ghi nguồn)', language: 'vi' }).expect(303);
    await teacher.post(`/cua-toi/hoc-lieu/${id}/gui-tham-dinh`).set(HTML).type('form').send({ _csrf: csrf, note: 'Đã ghi nguồn hình 3.' }).expect(303);

    const next = (await server.http.get('/api/v1/review/tasks?status=open').set(auth('reviewerA1')).expect(200)).body.items.find((t: { materialId: string }) => t.materialId === id).id;
    const review = await reviewer.get(`/tham-dinh/${next}`).set(HTML).expect(200);
    expect(review.text).toContain('Vòng 2 (vòng này)');
    expect(review.text).toContain('Người đóng góp trả lời: Đã ghi nguồn hình 3.');
    expect(review.text).toContain('Ý kiến gửi người đóng góp: Ghi nguồn hình 3.');
    expect(review.text).toContain('Ghi chú nội bộ: NOI-BO: kiểm tra kỹ bản quyền ở vòng sau');
    expect(review.text).toContain('Tên học liệu: <del>Đường tròn</del> → <ins>Đường tròn (ghi nguồn)</ins>');
  });

  it('shows a question bank\'s questions with their answers and levels, and keeps a reviewer from their own material', async () => {
    const bank = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'question-bank', title: 'Ngân hàng hình học' }).expect(201)).body.id;
    await server.http.post(`/api/v1/materials/${bank}/questions/import`).query({ format: 'gift' }).set(auth('teacherA1'))
      .attach('file', Buffer.from('// [tag:nhan-biet]\n::Góc vuông:: Góc vuông bằng bao nhiêu độ? {=90 ~45 ~180}'), 'a.gift').expect(200);
    await server.http.post(`/api/v1/materials/${bank}/submit`).set(auth('teacherA1')).expect(200);
    const task = (await server.http.get('/api/v1/review/tasks').set(auth('reviewerA1')).expect(200)).body.items.find((t: { materialId: string }) => t.materialId === bank).id;
    const page = await reviewer.get(`/tham-dinh/${task}`).set(HTML).expect(200);
    expect(page.text).toContain('Câu hỏi (1)');
    expect(page.text).toContain('Góc vuông bằng bao nhiêu độ?');
    expect(page.text).toMatch(/<li data-correct="true"><strong>Đúng: <\/strong><span class="question-html">90<\/span>/);
    expect(page.text).toContain('Mức độ: ');

    const own = (await server.http.post('/api/v1/materials').set(auth('teacherReviewerA1')).send(MATERIAL).expect(201)).body.id;
    await server.http.post(`/api/v1/materials/${own}/files`).set(auth('teacherReviewerA1')).attach('file', pdfBytes('own'), 'a.pdf').expect(201);
    await server.http.post(`/api/v1/materials/${own}/submit`).set(auth('teacherReviewerA1')).expect(200);
    const ownTask = (await server.http.get('/api/v1/review/tasks').set(auth('reviewerA1')).expect(200)).body.items.find((t: { materialId: string }) => t.materialId === own).id;
    const author = await signInAgent(server, 'teacherReviewerA1');
    const queue = await author.get('/tham-dinh').set(HTML).expect(200);
    expect(queue.text).toContain('Bạn là tác giả của phiên bản này nên không thẩm định nó.');
    const refused = await author.get(`/tham-dinh/${ownTask}`).set(HTML).expect(403);
    expect(refused.text).toContain('Không được thẩm định học liệu của chính mình.');
  });
});
