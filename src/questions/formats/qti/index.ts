export { exportQti21, exportQti30 } from './export.js';
export { importQti, looksLikeQti, type QtiParseResult } from './import.js';
