import fs from 'node:fs';
import { importMoodleXml } from '/work/main/src/questions/formats/moodle-xml/import.js';
import { importGift } from '/work/main/src/questions/formats/gift/import.js';
import { sanitizeQuestionHtml, extractDataUriImages } from '/work/main/src/questions/html.js';
import { fileTypeFromBuffer } from 'file-type';
const xml = fs.readFileSync(process.argv[2]!);
let t = performance.now();
const r = await importMoodleXml({ bytes: xml, fileName: 'x.xml' });
console.log('parse xml', (performance.now() - t).toFixed(0), r.questions.length, r.errors.length);
t = performance.now();
let n = 0;
for (const q of r.questions) { sanitizeQuestionHtml(q.stem); n++; for (const o of q.options) { sanitizeQuestionHtml(o.text); if (o.feedback) sanitizeQuestionHtml(o.feedback); n++; } }
console.log('sanitize', (performance.now() - t).toFixed(0), n);
t = performance.now();
for (const q of r.questions) for (const a of q.assets ?? []) await fileTypeFromBuffer(a.bytes);
console.log('sniff', (performance.now() - t).toFixed(0));
