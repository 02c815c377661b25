import fs from 'node:fs';
import { importMoodleXml } from '/work/main/src/questions/formats/moodle-xml/import.js';
const xml = fs.readFileSync('/tmp/prof/bank.xml');
const r = await importMoodleXml({ bytes: xml, fileName: 'x.xml' });
console.log(r.questions.length);
