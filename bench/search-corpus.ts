/**
 * A national-scale corpus for bench:search: materials as teachers title and describe them, spread over
 * every level, grade and subject of the taxonomy (src/taxonomy/seed.json) with the skews of a real
 * repository (many lectures, few games; most under CC BY; one series in three). Deterministic.
 */
import { TAXONOMY_SEED } from '../src/taxonomy/taxonomy.service.js';

/** Topics per subject code, as they appear in lesson titles; subjects not listed draw from GENERAL. */
const TOPICS: Record<string, string[]> = {
  toan: ['Phân số', 'Số thập phân', 'Phép nhân và phép chia', 'Phân tích ra thừa số nguyên tố', 'Ước chung lớn nhất', 'Tam giác đồng dạng',
    'Phương trình bậc hai một ẩn', 'Hệ thức Vi-ét', 'Định lí Pythagore', 'Hàm số bậc nhất', 'Tích phân', 'Nguyên hàm', 'Đạo hàm và ứng dụng',
    'Số phức', 'Hình học không gian', 'Xác suất thống kê', 'Lượng giác', 'Cấp số cộng', 'Vectơ trong mặt phẳng', 'Đường tròn'],
  'tieng-viet': ['Học vần', 'Tập đọc: Cây khế', 'Luyện từ và câu', 'Chính tả', 'Tập làm văn: tả cảnh', 'Kể chuyện Thánh Gióng', 'Từ đồng nghĩa', 'Câu ghép'],
  'ngu-van': ['Truyện Kiều – Nguyễn Du', 'Lão Hạc – Nam Cao', 'Chí Phèo', 'Vợ chồng A Phủ', 'Tây Tiến – Quang Dũng', 'Bình Ngô đại cáo',
    'Tuyên ngôn độc lập', 'Bài thơ về tiểu đội xe không kính', 'Văn nghị luận xã hội', 'Ca dao dân ca', 'Truyện cổ tích', 'Chiếc thuyền ngoài xa'],
  'lich-su': ['Cách mạng tháng Tám năm 1945', 'Chiến thắng Điện Biên Phủ', 'Chiến thắng Bạch Đằng', 'Khởi nghĩa Hai Bà Trưng', 'Nhà Trần và kháng chiến chống Mông Nguyên',
    'Chiến tranh thế giới thứ hai', 'Cách mạng công nghiệp', 'Văn minh Đại Việt', 'Đổi mới đất nước từ 1986', 'Chiến dịch Hồ Chí Minh'],
  'dia-li': ['Khí hậu nhiệt đới gió mùa', 'Địa hình Việt Nam', 'Dân số và lao động', 'Vùng Đồng bằng sông Cửu Long', 'Biển Đông và hải đảo', 'Tài nguyên rừng', 'Đô thị hoá'],
  'lich-su-va-dia-li': ['Thăng Long – Hà Nội', 'Thiên nhiên vùng Tây Nguyên', 'Nhà nước Văn Lang – Âu Lạc', 'Bản đồ và cách sử dụng', 'Sông ngòi Việt Nam', 'Các cuộc khởi nghĩa thời Bắc thuộc'],
  'vat-li': ['Dao động điều hoà', 'Điện trường', 'Định luật Ôm', 'Khúc xạ ánh sáng', 'Động lượng', 'Sóng cơ', 'Từ trường', 'Nhiệt động lực học'],
  'hoa-hoc': ['Cấu tạo nguyên tử', 'Phản ứng oxi hoá khử', 'Bảng tuần hoàn', 'Axit, bazơ và muối', 'Hiđrocacbon', 'Điện phân', 'Tốc độ phản ứng'],
  'sinh-hoc': ['Đột biến gen', 'Quang hợp ở thực vật', 'Di truyền Menđen', 'Tế bào nhân thực', 'Hệ sinh thái', 'Tiến hoá', 'Hô hấp tế bào'],
  'khoa-hoc-tu-nhien': ['Tế bào và sự sống', 'Chất và sự biến đổi của chất', 'Năng lượng và sự biến đổi', 'Lực và chuyển động', 'Ánh sáng', 'Hệ Mặt Trời', 'Trao đổi chất ở sinh vật'],
  'khoa-hoc': ['Nước và không khí', 'Ánh sáng và bóng tối', 'Thực vật cần gì để sống', 'Chuỗi thức ăn', 'Âm thanh'],
  'tu-nhien-va-xa-hoi': ['Gia đình em', 'Trường học của em', 'Cây xanh quanh ta', 'Các con vật', 'Bầu trời ban ngày và ban đêm'],
  'giao-duc-cong-dan': ['Bạo lực gia đình', 'Quyền và nghĩa vụ công dân', 'Tiết kiệm', 'Tự lập', 'Phòng chống tệ nạn xã hội', 'Bảo vệ môi trường'],
  'giao-duc-kinh-te-va-phap-luat': ['Thị trường và cơ chế thị trường', 'Ngân sách nhà nước', 'Hiến pháp nước Cộng hoà xã hội chủ nghĩa Việt Nam', 'Lập kế hoạch tài chính cá nhân', 'Quyền bình đẳng của công dân'],
  'tin-hoc': ['Lập trình Python cơ bản', 'Cấu trúc rẽ nhánh', 'Vòng lặp', 'Mạng máy tính và Internet', 'Bảng tính điện tử', 'An toàn thông tin', 'Thuật toán sắp xếp'],
  'ngoai-ngu-1': ['Unit 1: My New School', 'Unit 5: Food and Drink', 'Present Simple Tense', 'Reading: Festivals in Viet Nam', 'Listening practice', 'Writing an email'],
  'cong-nghe': ['Vẽ kĩ thuật', 'Trồng trọt', 'Điện dân dụng', 'Chăn nuôi gia cầm', 'Thiết kế kĩ thuật'],
  'giao-duc-quoc-phong-an-ninh': ['Đội ngũ từng người không có súng', 'Phòng chống vi phạm pháp luật về trật tự an toàn giao thông', 'Kĩ thuật băng bó cứu thương', 'Bảo vệ chủ quyền biển đảo'],
  'giao-duc-mam-non': ['Bé làm quen với chữ cái', 'Nhận biết màu sắc', 'Trò chơi vận động', 'Bé tập đếm đến 10', 'Làm quen với các con vật'],
};
const GENERAL = ['Chủ đề 1', 'Ôn tập cuối học kì I', 'Ôn tập cuối học kì II', 'Kiểm tra giữa kì', 'Tiết học trải nghiệm', 'Dự án học tập', 'Hoạt động nhóm'];

/** Material types with their share of a real repository, and how a title of that type starts. */
const TYPES: Array<[string, number, string[]]> = [
  ['lecture', 30, ['Bài giảng', 'Bài giảng điện tử', 'Bài']], ['video', 12, ['Video bài giảng', 'Video']], ['question-bank', 14, ['Đề kiểm tra 15 phút', 'Ngân hàng câu hỏi', 'Đề thi học kì', 'Phiếu bài tập']],
  ['document', 12, ['Tài liệu tham khảo', 'Chuyên đề']], ['lesson-plan', 10, ['Giáo án', 'Kế hoạch bài dạy']], ['tv-lesson', 5, ['Dạy học trên truyền hình:']],
  ['ebook', 3, ['Sách điện tử']], ['elearning', 4, ['Bài giảng e-learning']], ['simulation', 3, ['Thí nghiệm ảo']], ['game', 2, ['Trò chơi học tập']],
  ['image', 2, ['Tranh minh hoạ']], ['audio', 2, ['Bài học phát thanh']], ['lab-guide', 1, ['Hướng dẫn thực hành']],
];
const LICENSES: Array<[string, number]> = [['CC-BY-4.0', 70], ['CC-BY-SA-4.0', 12], ['CC-BY-NC-4.0', 10], ['CC0-1.0', 8]];
const PURPOSES = ['giúp học sinh nắm vững kiến thức trọng tâm', 'có ví dụ minh hoạ và bài tập vận dụng', 'dùng cho tiết ôn tập', 'phù hợp dạy học trực tuyến',
  'kèm đáp án và hướng dẫn chấm', 'theo chương trình giáo dục phổ thông 2018', 'dành cho học sinh khá giỏi', 'có hoạt động khởi động và luyện tập'];

function weighted<T>(items: Array<[T, number, ...unknown[]]>, r: number): [T, number, ...unknown[]] {
  const total = items.reduce((s, i) => s + i[1], 0);
  let x = r * total;
  for (const item of items) if ((x -= item[1]) < 0) return item;
  return items[items.length - 1]!;
}

/** mulberry32: small, fast, and the same corpus on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CorpusMaterial {
  type: string; title: string; description: string; level: string; grades: number[]; subject: string; series: string | null; license: string;
  school: number; daysAgo: number; downloads: number;
}

const subjectsWithLevel = TAXONOMY_SEED.subjects.flatMap((subject) => TAXONOMY_SEED.levels
  .filter((level) => level.code !== 'gdtx' && (subject.grades.length === 0 ? level.code === 'mam-non' : subject.grades.some((g) => level.grades.includes(g))))
  .map((level) => ({ subject, level, grades: subject.grades.filter((g) => level.grades.includes(g)) })));
// Main subjects carry more materials than optional ones.
const subjectWeight = (code: string) => (['toan', 'ngu-van', 'tieng-viet', 'ngoai-ngu-1', 'khoa-hoc-tu-nhien'].includes(code) ? 6 : TOPICS[code] ? 3 : 1);

export function* corpus(count: number, schools: number, seed = 42): Generator<CorpusMaterial> {
  const next = random(seed);
  const pickSubject = subjectsWithLevel.map((s) => [s, subjectWeight(s.subject.code)] as [typeof s, number]);
  const series = TAXONOMY_SEED.series.filter((s) => s.grades.length > 1);
  for (let i = 0; i < count; i++) {
    const [{ subject, level, grades }] = weighted(pickSubject, next());
    const [type, , prefixes] = weighted(TYPES, next()) as [string, number, string[]];
    const topics = TOPICS[subject.code] ?? GENERAL;
    const topic = topics[Math.floor(next() * topics.length)]!;
    const grade = grades.length ? grades[Math.floor(next() * grades.length)]! : null;
    const prefix = prefixes[Math.floor(next() * prefixes.length)]!;
    const numbered = prefix === 'Bài' ? `Bài ${1 + Math.floor(next() * 40)}: ${topic}` : `${prefix} ${topic}`;
    const title = next() < 0.4 && grade ? `${numbered} – ${subject.name} ${grade}` : numbered;
    const purpose = PURPOSES[Math.floor(next() * PURPOSES.length)]!;
    const description = `${topic}${grade ? ` (${subject.name} lớp ${grade})` : ''}: ${purpose}. ${next() < 0.5 ? `Nội dung liên quan: ${topics[Math.floor(next() * topics.length)]!.toLowerCase()}.` : ''}`.trim();
    yield {
      type, title, description, level: level.code, grades: grade ? [grade] : [], subject: subject.code,
      series: grade && next() < 0.35 ? series[Math.floor(next() * series.length)]!.code : null,
      license: weighted(LICENSES, next())[0], school: Math.floor(next() ** 1.5 * schools), daysAgo: Math.floor(next() * 1500),
      downloads: Math.floor(next() ** 4 * 5000),
    };
  }
}
