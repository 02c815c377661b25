import { zipOf, type ZipEntry } from './zip.js';

/**
 * The script of a SCO that completes and scores: it finds the LMS API up its parents, starts,
 * reads what was saved (resume), writes status, score, location and more than SCORM 1.2's 4 KB of
 * suspend data, commits and finishes. Before that it tries what a hostile package would: read the
 * app's cookies and page, and call the app's API with the learner's session; what it got goes into
 * its suspend data, for the test to read.
 */
function scoScript(version: '1.2' | '2004', appOrigin: string): string {
  return `
    function findApi(win, name) { for (var i = 0; win && i < 10; i++) { if (win[name]) return win[name]; if (win.parent === win) break; win = win.parent; } return null; }
    var v12 = ${JSON.stringify(version === '1.2')};
    var api = findApi(window, v12 ? 'API' : 'API_1484_11');
    var get = function (k) { return v12 ? api.LMSGetValue(k) : api.GetValue(k); };
    var set = function (k, x) { return v12 ? api.LMSSetValue(k, x) : api.SetValue(k, x); };
    async function probes() {
      var found = { ownCookies: document.cookie, topDocument: 'blocked', apiCall: 'blocked' };
      try { found.topDocument = String(window.top.document.cookie); } catch (e) { found.topDocument = 'blocked'; }
      try {
        var r = await fetch(${JSON.stringify(appOrigin)} + '/api/v1/me', { credentials: 'include' });
        found.apiCall = 'status ' + r.status + ' ' + (await r.text()).slice(0, 200);
      } catch (e) { found.apiCall = 'blocked'; }
      return found;
    }
    (async function () {
      v12 ? api.LMSInitialize('') : api.Initialize('');
      var previous = get('cmi.suspend_data');
      var found = await probes();
      found.entry = get(v12 ? 'cmi.core.entry' : 'cmi.entry');
      found.run = (previous ? JSON.parse(previous).run : 0) + 1;
      found.padding = new Array(5001).join('x');
      set('cmi.suspend_data', JSON.stringify(found));
      if (v12) {
        set('cmi.core.lesson_status', 'passed'); set('cmi.core.score.raw', '80'); set('cmi.core.lesson_location', 'trang-3'); set('cmi.core.session_time', '00:00:05');
      } else {
        set('cmi.completion_status', 'completed'); set('cmi.success_status', 'passed'); set('cmi.score.raw', '80'); set('cmi.score.scaled', '0.8');
        set('cmi.location', 'trang-3'); set('cmi.session_time', 'PT5S');
      }
      v12 ? api.LMSCommit('') : api.Commit('');
      v12 ? api.LMSFinish('') : api.Terminate('');
      document.getElementById('state').textContent = 'Đã hoàn thành lần ' + found.run;
      document.getElementById('found').textContent = JSON.stringify({ ownCookies: found.ownCookies, topDocument: found.topDocument, apiCall: found.apiCall, entry: found.entry });
    })();`;
}

function manifest(version: '1.2' | '2004'): string {
  const schema = version === '1.2' ? '<schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>' : '<schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>';
  const scormType = version === '1.2' ? 'adlcp:scormtype="sco"' : 'adlcp:scormType="sco"';
  const adlcp = version === '1.2' ? 'http://www.adlnet.org/xsd/adlcp_rootv1p2' : 'http://www.adlnet.org/xsd/adlcp_v1p3';
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="phan-so" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="${adlcp}">
  <metadata>${schema}</metadata>
  <organizations default="org-1">
    <organization identifier="org-0"><title>Không phải mặc định</title><item identifier="i0" identifierref="r-other"><title>Khác</title></item></organization>
    <organization identifier="org-1"><title>Phân số lớp 4</title>
      <item identifier="i1"><title>Chương 1</title><item identifier="i2" identifierref="r-sco"><title>Bài 1</title></item></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r-other" type="webcontent" ${scormType} href="other.html"><file href="other.html"/></resource>
    <resource identifier="r-sco" type="webcontent" ${scormType} href="lesson/index.html"><file href="lesson/index.html"/></resource>
  </resources>
</manifest>`;
}

/** A SCORM package (in a top folder of its own when `folder` is given, as authoring tools often zip it). */
export function scormPackage(version: '1.2' | '2004', appOrigin: string, options: { folder?: string } = {}): Promise<Buffer> {
  const folder = options.folder ?? '';
  const entries: ZipEntry[] = [
    { name: `${folder}imsmanifest.xml`, data: manifest(version) },
    { name: `${folder}other.html`, data: '<!doctype html><title>x</title>' },
    { name: `${folder}lesson/index.html`, data: '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Bài học</title><link rel="stylesheet" href="style.css"></head><body><h1>Phân số</h1><p id="state">Đang học</p><pre id="found"></pre><script src="sco.js"></script></body></html>' },
    { name: `${folder}lesson/sco.js`, data: scoScript(version, appOrigin) },
    { name: `${folder}lesson/style.css`, data: 'body { font-family: sans-serif; }' },
    { name: `${folder}lesson/Ảnh bìa.svg`, data: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>' },
  ];
  return zipOf(entries);
}

/** A SCORM manifest whose default organisation launches a file the package does not have. */
export function scormMissingLaunch(): Promise<Buffer> {
  return zipOf([{ name: 'imsmanifest.xml', data: manifest('1.2') }, { name: 'other.html', data: 'x' }]);
}

export function html5Package(): Promise<Buffer> {
  return zipOf([
    { name: 'index.html', data: '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Mô phỏng</title><script src="js/app.js"></script></head><body>Con lắc</body></html>' },
    { name: 'js/app.js', data: 'document.title = "Con lắc đơn";' },
    { name: 'data/model.json', data: '{"g": 9.8}' },
  ]);
}

/** An H5P file: h5p.json, its content, and the libraries it depends on (one of them depending on another). */
export function h5pPackage(options: { withoutLibrary?: string } = {}): Promise<Buffer> {
  const libraries: ZipEntry[] = [
    { name: 'H5P.MultiChoice-1.16/library.json', data: JSON.stringify({ machineName: 'H5P.MultiChoice', majorVersion: 1, minorVersion: 16, preloadedDependencies: [{ machineName: 'H5P.Question', majorVersion: 1, minorVersion: 5 }] }) },
    { name: 'H5P.MultiChoice-1.16/js/multichoice.js', data: 'var H5P = H5P || {};' },
    { name: 'H5P.Question-1.5/library.json', data: JSON.stringify({ machineName: 'H5P.Question', majorVersion: 1, minorVersion: 5 }) },
  ];
  return zipOf([
    { name: 'h5p.json', data: JSON.stringify({ title: 'Câu hỏi trắc nghiệm', mainLibrary: 'H5P.MultiChoice', language: 'vi', preloadedDependencies: [{ machineName: 'H5P.MultiChoice', majorVersion: 1, minorVersion: 16 }] }) },
    { name: 'content/content.json', data: JSON.stringify({ question: '<p>2 + 2 = ?</p>', answers: [{ text: '4', correct: true }, { text: '5', correct: false }] }) },
    ...libraries.filter((entry) => !options.withoutLibrary || !entry.name.startsWith(options.withoutLibrary)),
  ]);
}

/**
 * A playable H5P file with a content type of its own (H5P.Hello: a runnable library whose script
 * attaches a greeting), since no real content type's libraries are at hand offline.
 */
export function h5pHelloPackage(greeting: string): Promise<Buffer> {
  return zipOf([
    { name: 'h5p.json', data: JSON.stringify({ title: 'Lời chào', mainLibrary: 'H5P.Hello', language: 'vi', embedTypes: ['div'], preloadedDependencies: [{ machineName: 'H5P.Hello', majorVersion: 1, minorVersion: 0 }] }) },
    { name: 'content/content.json', data: JSON.stringify({ greeting }) },
    { name: 'H5P.Hello-1.0/library.json', data: JSON.stringify({ title: 'Hello', machineName: 'H5P.Hello', majorVersion: 1, minorVersion: 0, patchVersion: 0, runnable: 1, embedTypes: ['div'], preloadedJs: [{ path: 'hello.js' }] }) },
    { name: 'H5P.Hello-1.0/hello.js', data: 'var H5P = H5P || {};\nH5P.Hello = function (params) { this.attach = function ($container) { var p = document.createElement("p"); p.id = "hello"; p.textContent = params.greeting; $container.get(0).appendChild(p); }; };\n' },
  ]);
}

/** A package with an entry that climbs out of it. */
export function zipSlipPackage(): Promise<Buffer> {
  return zipOf([{ name: 'index.html', data: 'x' }, { name: '../../etc/cron.d/evil', data: 'x' }]);
}

export function noManifestPackage(): Promise<Buffer> {
  return zipOf([{ name: 'bai-giang/trang-1.html', data: 'x' }, { name: 'readme.txt', data: 'x' }]);
}

/** Two entries with the same name. */
export function duplicatePackage(): Promise<Buffer> {
  return zipOf([{ name: 'index.html', data: 'một' }, { name: 'index.html', data: 'hai' }]);
}

export function nestedArchivePackage(): Promise<Buffer> {
  return zipOf([{ name: 'index.html', data: 'x' }, { name: 'tai-nguyen/ban-sao.zip', data: Buffer.from('PK\x03\x04rest', 'latin1') }]);
}

/** An archive inside, disguised by its name: found from its first inflated bytes. */
export async function disguisedArchivePackage(): Promise<Buffer> {
  return zipOf([{ name: 'index.html', data: 'x' }, { name: 'anh/hinh.png', data: await zipOf([{ name: 'a.txt', data: 'x' }]) }]);
}

/** An entry marked encrypted (general purpose bit 0 set in its local and central headers). */
export async function encryptedPackage(): Promise<Buffer> {
  const bytes = await zipOf([{ name: 'index.html', data: 'x' }]);
  const local = bytes.indexOf(Buffer.from('PK\x03\x04', 'latin1'));
  const central = bytes.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
  bytes.writeUInt16LE(bytes.readUInt16LE(local + 6) | 1, local + 6);
  bytes.writeUInt16LE(bytes.readUInt16LE(central + 8) | 1, central + 8);
  return bytes;
}

/**
 * A bomb whose directory lies: the zeros' entry declares 1 byte (local and central headers), so
 * only counting the bytes actually inflated finds it.
 */
export async function lyingBombPackage(megabytes = 20): Promise<Buffer> {
  const bytes = await zipOf([{ name: 'index.html', data: 'x' }, { name: 'data.bin', data: Buffer.alloc(megabytes * 1024 * 1024) }]);
  const name = Buffer.from('data.bin');
  for (const [signature, sizeAt, nameAt] of [['PK\x03\x04', 22, 30], ['PK\x01\x02', 24, 46]] as const) {
    for (let at = bytes.indexOf(Buffer.from(signature, 'latin1')); at >= 0; at = bytes.indexOf(Buffer.from(signature, 'latin1'), at + 4)) {
      if (bytes.subarray(at + nameAt, at + nameAt + name.length).equals(name)) bytes.writeUInt32LE(1, at + sizeAt);
    }
  }
  return bytes;
}

/** A small zip of a file of zeros that inflates far beyond its size. */
export function bombPackage(megabytes = 20): Promise<Buffer> {
  return zipOf([{ name: 'index.html', data: 'x' }, { name: 'data.bin', data: Buffer.alloc(megabytes * 1024 * 1024) }]);
}
