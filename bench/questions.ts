/**
 * `npm run bench:questions`: import and export of a generated 10 000-question bank, as Moodle XML
 * (every question with a picture, 100 distinct ones) and as GIFT, through QuestionService against
 * a real Postgres and the file store. Each phase runs in its own process, so its peak RSS is its
 * own (process.resourceUsage().maxRSS), next to the RSS the process had before the phase.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { migrate } from '../src/bootstrap.js';
import { createContext } from '../src/context.js';
import { loadConfig } from '../src/core/config.js';
import { startEmbeddedPostgres } from '../src/core/db/embedded.js';
import { OrgRepository } from '../src/orgs/org.repository.js';
import { UserRepository } from '../src/users/user.repository.js';
import { hashPassword } from '../src/users/user.service.js';
import { writeSection } from './results.js';

const COUNT = Number(process.env.BENCH_QUESTIONS ?? 10_000);
const TARGET_SECONDS = 5;
type Phase = { name: string; kind: 'import' | 'export'; format: 'moodle-xml' | 'gift'; bank: string; file?: string };

async function runPhase(phase: Phase, token: string) {
  const config = loadConfig({ DATA_DIR: process.env.BENCH_DIR!, LOG_LEVEL: 'silent', WORKERS: 'off' });
  const ctx = await createContext(config, process.env.DATABASE_URL!);
  const principal = await ctx.auth.authenticate(token);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  let detail = '';
  if (phase.kind === 'import') {
    const bytes = await fs.readFile(phase.file!);
    const result = await ctx.questions.import(principal, phase.bank, { name: path.basename(phase.file!), bytes }, { format: phase.format, dryRun: false, partial: false });
    detail = `${result.imported} imported, ${(bytes.length / 1024 / 1024).toFixed(1)} MiB`;
  } else {
    const result = await ctx.questions.export(principal, phase.bank, phase.format);
    detail = `${(result.body.length / 1024 / 1024).toFixed(1)} MiB, ${result.report.length} reported`;
  }
  const ms = performance.now() - started;
  await ctx.close();
  console.log(JSON.stringify({ ms, rssBefore, maxRss: process.resourceUsage().maxRSS * 1024, detail }));
}

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** A distinct small PNG per index: the 1×1 picture with a text chunk naming it (valid, different bytes). */
function picture(index: number): string {
  const png = Buffer.from(PNG_1x1, 'base64');
  const text = Buffer.from(`Comment\0hinh-${index}`);
  const chunk = Buffer.alloc(12 + text.length);
  chunk.writeUInt32BE(text.length, 0);
  chunk.write('tEXt', 4);
  text.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([Buffer.from('tEXt'), text])), 8 + text.length);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]).toString('base64');
}
function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) { c ^= b; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); }
  return ~c >>> 0;
}

const TOPICS = ['Đại số/Hàm số', 'Đại số/Phương trình', 'Hình học/Tam giác', 'Hình học/Đường tròn', 'Thống kê/Xác suất'];
const LEVELS = ['nhan-biet', 'thong-hieu', 'van-dung', 'van-dung-cao'];

function moodleXml(count: number): string {
  const pictures = Array.from({ length: 100 }, (_, i) => picture(i));
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>'];
  for (let i = 0; i < count; i++) {
    if (i % 500 === 0) out.push(`<question type="category"><category><text>$course$/top/${TOPICS[(i / 500) % TOPICS.length]}</text></category></question>`);
    const name = `Câu ${i + 1}`;
    const text = `<![CDATA[<p>Câu hỏi số ${i + 1}: tính giá trị của biểu thức \\(x^2 + ${i}x\\) khi x = 2, với hình minh hoạ <img src="@@PLUGINFILE@@/hinh-${i % 100}.png"></p>]]>`;
    const file = `<file name="hinh-${i % 100}.png" path="/" encoding="base64">${pictures[i % 100]}</file>`;
    const tags = `<tags><tag><text>${LEVELS[i % 4]}</text></tag></tags>`;
    const head = `<name><text>${name}</text></name><questiontext format="html"><text>${text}</text>${file}</questiontext><defaultgrade>1</defaultgrade>`;
    if (i % 10 < 6) {
      out.push(`<question type="multichoice">${head}<single>true</single><shuffleanswers>true</shuffleanswers><answernumbering>ABCD</answernumbering>${
        [100, 0, 0, 0].map((f, k) => `<answer fraction="${f}" format="html"><text>${4 + 2 * i + k}</text><feedback format="html"><text>Giải thích ${k}</text></feedback></answer>`).join('')}${tags}</question>`);
    } else if (i % 10 === 6) {
      out.push(`<question type="truefalse">${head}<answer fraction="100"><text>true</text><feedback><text></text></feedback></answer><answer fraction="0"><text>false</text><feedback><text></text></feedback></answer>${tags}</question>`);
    } else if (i % 10 === 7) {
      out.push(`<question type="shortanswer">${head}<usecase>0</usecase><answer fraction="100"><text>Hà Nội ${i}</text><feedback><text></text></feedback></answer>${tags}</question>`);
    } else if (i % 10 === 8) {
      out.push(`<question type="numerical">${head}<answer fraction="100"><text>${4 + 2 * i}</text><tolerance>0.01</tolerance><feedback><text></text></feedback></answer>${tags}</question>`);
    } else {
      out.push(`<question type="essay">${head}${tags}</question>`);
    }
  }
  out.push('</quiz>\n');
  return out.join('\n');
}

function gift(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 500 === 0) out.push(`$CATEGORY: $course$/top/${TOPICS[(i / 500) % TOPICS.length]}\n`);
    const stem = `// [tag:${LEVELS[i % 4]}]\n::Câu ${i + 1}:: [html]<p>Câu hỏi số ${i + 1}\\: tính giá trị của \\(x^2 + ${i}x\\) khi x \\= 2</p>`;
    if (i % 10 < 6) out.push(`${stem} {=${4 + 2 * i} #Đúng ~${5 + 2 * i} #Sai ~${6 + 2 * i} ~${7 + 2 * i}}\n`);
    else if (i % 10 === 6) out.push(`${stem} {T}\n`);
    else if (i % 10 === 7) out.push(`${stem} {=Hà Nội ${i}}\n`);
    else if (i % 10 === 8) out.push(`${stem} {#${4 + 2 * i}:0.01}\n`);
    else out.push(`${stem} {}\n`);
  }
  return out.join('\n');
}

async function main() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-bench-q-'));
  await fs.chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: 55000 + Math.floor(Math.random() * 5000), persistent: false });
  const lines: string[] = [];
  const say = (line = '') => { console.log(line); lines.push(line); };
  try {
    await migrate(pg.url);
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', WORKERS: 'off' });
    const ctx = await createContext(config, pg.url);
    const orgs = new OrgRepository(ctx.db.db);
    const ministry = await orgs.insert({ code: 'bgddt', name: 'Bộ GDĐT', kind: 'ministry' });
    const school = await orgs.insert({ code: 'thpt-bench', name: 'Trường THPT Bench', kind: 'school', parentId: ministry.id });
    await new UserRepository(ctx.db.db).insert({ username: 'bench', passwordHash: await hashPassword('bench-password-1'), displayName: 'Bench', orgId: school.id, roles: ['contributor'] });
    const { token, user } = await ctx.auth.login('bench', 'bench-password-1', '127.0.0.1');
    const bank = async (title: string) => (await ctx.materials.create(user, { type: 'question-bank', title, level: 'thpt', grades: [10], subject: 'toan', license: 'CC-BY-4.0' })).id;
    const xmlBank = await bank('Bench Moodle XML');
    const giftBank = await bank('Bench GIFT');
    await ctx.close();

    const xmlFile = path.join(dir, 'bank.xml');
    const giftFile = path.join(dir, 'bank.gift');
    await fs.writeFile(xmlFile, moodleXml(COUNT));
    await fs.writeFile(giftFile, gift(COUNT));

    const phases: Phase[] = [
      { name: 'import Moodle XML (with pictures)', kind: 'import', format: 'moodle-xml', bank: xmlBank, file: xmlFile },
      { name: 'import GIFT', kind: 'import', format: 'gift', bank: giftBank, file: giftFile },
      { name: 'export Moodle XML (with pictures)', kind: 'export', format: 'moodle-xml', bank: xmlBank },
      { name: 'export GIFT', kind: 'export', format: 'gift', bank: giftBank },
    ];
    say(`Run at ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${COUNT} questions; target < ${TARGET_SECONDS} s each.`);
    say();
    say('| phase | time (s) | RSS before (MB) | peak RSS (MB) | size / result |');
    say('|---|---|---|---|---|');
    for (const phase of phases) {
      const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, 'phase', JSON.stringify(phase), token],
        { env: { ...process.env, DATABASE_URL: pg.url, BENCH_DIR: dir }, maxBuffer: 1 << 20 });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number; rssBefore: number; maxRss: number; detail: string };
      say(`| ${phase.name} | ${(result.ms / 1000).toFixed(2)} | ${(result.rssBefore / 1e6).toFixed(0)} | ${(result.maxRss / 1e6).toFixed(0)} | ${result.detail} |`);
    }
    say();
    say('Peak RSS includes the tsx loader and the process\'s own baseline (the "before" column).');
    if (COUNT === 10_000) await writeSection('questions', ['## Question banks: 10 000-question import and export (`npm run bench:questions`)', '', ...lines]);
  } finally {
    await pg.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'phase') await runPhase(JSON.parse(process.argv[3]!) as Phase, process.argv[4]!);
else await main();
