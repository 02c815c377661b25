export { importDocx } from './import.js';
export { exportExamDocx, exportExamDocxWithReport } from './export.js';
