import { sql } from 'drizzle-orm';
import type { AppContext } from '../src/context.js';
import { materials, materialVersions } from '../src/core/db/schema.js';

// Vocabulary for plausible Vietnamese titles and descriptions.
const TOPICS = [
  'Tam giác đồng dạng', 'Phương trình bậc hai một ẩn', 'Hệ thức Vi-ét', 'Đột biến gen', 'Lịch sử Việt Nam thời Lý', 'Địa lí Việt Nam',
  'Tế bào và sự sống', 'Điện trường', 'Dao động điều hòa', 'Hình học không gian', 'Tiếng Anh giao tiếp', 'Văn học dân gian',
  'Cấu tạo nguyên tử', 'Phản ứng oxi hóa khử', 'Quang hợp ở thực vật', 'Thơ Đường luật', 'Số phức', 'Đạo hàm và ứng dụng',
  'Chiến tranh thế giới thứ hai', 'Khí hậu nhiệt đới gió mùa', 'Lập trình Python cơ bản', 'Giáo dục công dân: pháp luật',
];
const KINDS = ['Bài giảng', 'Ôn tập', 'Bài tập', 'Đề kiểm tra', 'Video', 'Thí nghiệm', 'Chuyên đề'];
const SUBJECTS: Array<[string, string, number[]]> = [
  ['toan', 'thcs', [6, 7, 8, 9]], ['toan', 'thpt', [10, 11, 12]], ['vat-li', 'thpt', [10, 11, 12]], ['hoa-hoc', 'thpt', [10, 11, 12]],
  ['sinh-hoc', 'thpt', [10, 11, 12]], ['lich-su', 'thpt', [10, 11, 12]], ['dia-li', 'thpt', [10, 11, 12]], ['ngu-van', 'thcs', [6, 7, 8, 9]],
  ['khoa-hoc-tu-nhien', 'thcs', [6, 7, 8, 9]], ['tieng-viet', 'tieu-hoc', [1, 2, 3, 4, 5]], ['tin-hoc', 'thpt', [10, 11, 12]],
];
const TYPES = ['lecture', 'video', 'document', 'question-bank', 'ebook', 'tv-lesson'];

/**
 * Inserts `count` published materials (material, version 1, published) in batches and indexes
 * them through the same path as `npm run reindex`.
 */
export async function generatePublishedMaterials(ctx: AppContext, options: { count: number; ownerId: string; orgId: string }) {
  const batch = 2000;
  for (let start = 0; start < options.count; start += batch) {
    const n = Math.min(batch, options.count - start);
    await ctx.db.transaction(async (tx) => {
      const rows = await tx.db.insert(materials).values(Array.from({ length: n }, (_, i) => ({
        ownerId: options.ownerId, orgId: options.orgId, type: TYPES[(start + i) % TYPES.length]!, status: 'published' as const, version: 1, publishedVersion: 1,
      }))).returning({ id: materials.id });
      await tx.db.insert(materialVersions).values(rows.map(({ id }, i) => {
        const k = start + i;
        const [subject, level, grades] = SUBJECTS[k % SUBJECTS.length]!;
        const topic = TOPICS[(k * 7) % TOPICS.length]!;
        return {
          materialId: id, version: 1, title: `${KINDS[k % KINDS.length]} ${topic} ${k % 97 === 0 ? 'nâng cao' : ''}`.trim(),
          description: `${topic}: tài liệu số ${k} dành cho học sinh lớp ${grades[k % grades.length]}, ${TOPICS[(k * 3) % TOPICS.length]!.toLowerCase()}.`,
          level, grades: [grades[k % grades.length]!], subject, license: 'CC-BY-4.0', publishedAt: new Date(Date.UTC(2024, 0, 1) + k * 60_000),
        };
      }));
    });
  }
  await ctx.db.db.execute(sql`ANALYZE`);
  for await (const page of ctx.searchDocuments.all(5000)) await ctx.searchIndex.upsertMany(page);
  await ctx.db.db.execute(sql`ANALYZE`);
}
