import type { SubmissionSnapshot } from '../core/db/schema.js';

/** The metadata a version's editors change, in the order the review page lists them. */
export const SNAPSHOT_FIELDS = ['title', 'description', 'level', 'grades', 'subject', 'series', 'topic', 'license', 'language'] as const;

export interface SnapshotChanges {
  fields: Array<{ field: string; before: unknown; after: unknown }>;
  files: { added: string[]; removed: string[]; replaced: string[] };
  questions: { added: string[]; changed: string[]; removed: string[] };
  /** Nothing at all differs. */
  same: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What differs between two states of a material. Files are matched by name (the same name with other
 * bytes is a replacement); questions by their key (name, else position), a question whose content
 * digest moved being changed, and a question found unchanged under another key (moved) not counted.
 */
export function diffSnapshots(before: SubmissionSnapshot, after: SubmissionSnapshot): SnapshotChanges {
  const fields = SNAPSHOT_FIELDS.filter((field) => !same(before.fields[field], after.fields[field]))
    .map((field) => ({ field, before: before.fields[field] ?? null, after: after.fields[field] ?? null }));

  const oldFiles = new Map(before.files.map((file) => [file.name, file.sha256]));
  const newFiles = new Map(after.files.map((file) => [file.name, file.sha256]));
  const files = {
    added: [...newFiles.keys()].filter((name) => !oldFiles.has(name)),
    removed: [...oldFiles.keys()].filter((name) => !newFiles.has(name)),
    replaced: [...newFiles].filter(([name, sha]) => oldFiles.has(name) && oldFiles.get(name) !== sha).map(([name]) => name),
  };

  const oldDigests = new Set(before.questions.map((q) => q.digest));
  const newDigests = new Set(after.questions.map((q) => q.digest));
  const oldByKey = new Map(before.questions.map((q) => [q.key, q]));
  const newByKey = new Map(after.questions.map((q) => [q.key, q]));
  const questions = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
  for (const question of after.questions) {
    if (oldDigests.has(question.digest)) continue;
    if (oldByKey.has(question.key) && !newDigests.has(oldByKey.get(question.key)!.digest)) questions.changed.push(question.label);
    else questions.added.push(question.label);
  }
  for (const question of before.questions) {
    if (newDigests.has(question.digest)) continue;
    const successor = newByKey.get(question.key);
    if (!successor || oldDigests.has(successor.digest)) questions.removed.push(question.label);
  }

  const nothing = fields.length + files.added.length + files.removed.length + files.replaced.length
    + questions.added.length + questions.changed.length + questions.removed.length === 0;
  return { fields, files, questions, same: nothing };
}
