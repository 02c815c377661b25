/*
 * Moodle's category paths, shared by its two text formats (Moodle XML `<category>`, GIFT
 * `$CATEGORY:`). Ports of qformat_default::assemble_category_path and ::split_category_path
 * (question/format.php): names are joined by "/", a "/" inside a name is written "//", and a name
 * that begins or ends with "/" gets a space there so that the path stays unambiguous.
 *
 * A Hoclieu topic is such a path without Moodle's context and `top` levels: "Toán 6//7/Chương 1"
 * is the topic "Chương 1" inside "Toán 6/7".
 */

/** qformat_default::split_category_path: the names of a path, "//" read as "/" and each name trimmed. */
export function splitCategoryPath(path: string): string[] {
  return path.split(/(?<!\/)\/(?!\/)/).map((raw) => raw.replaceAll('//', '/').trim());
}

/** qformat_default::assemble_category_path: the names joined into one path. */
export function assembleCategoryPath(names: string[]): string {
  return names.map((name) => {
    const escaped = name.replaceAll('/', '//');
    return `${escaped.startsWith('/') ? ' ' : ''}${escaped}${escaped.endsWith('/') ? ' ' : ''}`;
  }).join('/');
}

// question_make_default_categories (lib/questionlib.php) names the category every context gets
// get_string('defaultfor', 'question', <context name>): "Default for {$a}" in English,
// "Mặc định cho {$a}" in Moodle's Vietnamese language pack. It is Moodle's, not the teacher's.
const DEFAULT_CATEGORY = /^(?:Default for|Mặc định cho) /;

/**
 * `$course$/top/Default for Toán 6/Đại số//Hình/Chương 1` → "Đại số//Hình/Chương 1": the
 * context token (`$course$`, `$module$`…), the `top` category and the context's default category
 * are Moodle's own levels, not topics.
 */
export function topicFromCategoryPath(path: string): string | undefined {
  const names = splitCategoryPath(path.trim().normalize('NFC')).filter(Boolean);
  if (/^\$[a-z]+\$$/.test(names[0] ?? '')) names.shift();
  if (names[0] === 'top') names.shift();
  if (DEFAULT_CATEGORY.test(names[0] ?? '')) names.shift();
  return names.length ? assembleCategoryPath(names) : undefined;
}

/** A topic as the path Moodle creates it from, under the course's top category. */
export function categoryPathOfTopic(topic: string | undefined): string {
  const names = topic ? splitCategoryPath(topic).filter(Boolean) : [];
  return assembleCategoryPath(['$course$', 'top', ...names]);
}

/**
 * Moodle keeps a question's ID number only while no question of its category has it
 * (qformat_default::importprocess: "We cannot have duplicate idnumbers in a category. Just remove
 * it."). The exporters write each ID number once per topic, and report the later questions that
 * carry it, rather than let Moodle drop it silently.
 */
export function uniqueIdNumbers() {
  const firstUse = new Map<string, number>();
  return {
    /** The ID number to write for the question, or the item that already used it in this topic. */
    claim(question: { idNumber?: string; topic?: string }, item: number): { idNumber?: string; usedBy?: number } {
      const idNumber = question.idNumber?.trim();
      if (!idNumber) return {};
      const key = `${question.topic ?? ''}\u0000${idNumber}`;
      const usedBy = firstUse.get(key);
      if (usedBy !== undefined) return { usedBy };
      firstUse.set(key, item);
      return { idNumber };
    },
  };
}
