import fs from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
const text = fs.readFileSync('/tmp/prof/bank.xml', 'utf8');
let t = performance.now(); XMLValidator.validate(text); console.log('validate', (performance.now() - t).toFixed(0));
t = performance.now(); new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: true, htmlEntities: false }).parse(text); console.log('parse', (performance.now() - t).toFixed(0));
t = performance.now(); new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: false, htmlEntities: false }).parse(text); console.log('parse noent', (performance.now() - t).toFixed(0));
