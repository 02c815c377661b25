import type { QuestionOption, QuestionType } from '../core/db/schema.js';

/** A question as an importer produces it, before it is stored. */
export interface ParsedQuestion {
  type: QuestionType;
  stem: string;
  options: QuestionOption[];
  points: number;
  generalFeedback?: string;
  cognitiveLevel?: string;
  topic?: string;
  tags?: string[];
  source: { format: string; line?: number; itemId?: string };
}

export interface ImportIssue {
  item: number;
  line?: number;
  code: string;
  message: string;
}

export interface ParseResult {
  questions: Array<ParsedQuestion & { item: number }>;
  errors: ImportIssue[];
}
