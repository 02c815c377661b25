/** Creative Commons deeds (in Vietnamese) of the licences the taxonomy offers; the others have none. */
const DEEDS: Record<string, string> = {
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/deed.vi',
  'CC-BY-SA-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/deed.vi',
  'CC-BY-NC-4.0': 'https://creativecommons.org/licenses/by-nc/4.0/deed.vi',
  'CC-BY-NC-SA-4.0': 'https://creativecommons.org/licenses/by-nc-sa/4.0/deed.vi',
  'CC-BY-ND-4.0': 'https://creativecommons.org/licenses/by-nd/4.0/deed.vi',
  'CC-BY-NC-ND-4.0': 'https://creativecommons.org/licenses/by-nc-nd/4.0/deed.vi',
  'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/deed.vi',
};

export function licenceUrl(code: string): string | null {
  return DEEDS[code] ?? null;
}

/**
 * The attribution a reuser copies (TASL: title, author, source, licence), or what to do instead
 * when the licence allows no reuse without asking.
 */
export function attributionText(input: { title: string; author: string; school: string; province: string | null; licenceCode: string; licenceName: string; url: string }): string {
  if (input.licenceCode === 'all-rights-reserved') return `Bảo lưu mọi quyền: muốn sử dụng lại “${input.title}”, hãy xin phép tác giả (${input.author}, ${input.school}).`;
  if (input.licenceCode === 'CC0-1.0') return `“${input.title}” — ${input.author}, ${input.school}. Không bảo lưu quyền (CC0 1.0): được dùng tự do, nên ghi nguồn ${input.url}.`;
  const source = [input.school, input.province].filter(Boolean).join(', ');
  return `“${input.title}” — ${input.author}, ${source}. Nguồn: ${input.url}. Giấy phép ${input.licenceName}.`;
}
