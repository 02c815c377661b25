export { importDocx } from './import.js';
export { exportExamDocxWithReport } from './export.js';
