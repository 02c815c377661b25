import { describe, expect, it } from 'vitest';
import { documentKindOf } from '../../src/documents/document-kind.js';
import { textOfXhtml } from '../../src/documents/epub.js';
import { detectLegacyEncoding } from '../../src/documents/legacy-encoding.js';
import { missingPackages, toolReport, type DocumentTools } from '../../src/documents/tools/availability.js';

describe('legacy Vietnamese encodings', () => {
  it('finds TCVN3 (ABC) text as pdftotext gives it', () => {
    expect(detectLegacyEncoding('Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc. Tr­êng trung häc c¬ së')).toBe('tcvn3');
  });

  it('finds VNI text', () => {
    expect(detectLegacyEncoding('Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp - Töï do - Haïnh phuùc. Tröôøng trung hoïc cô sôû')).toBe('vni');
  });

  it('leaves Unicode Vietnamese, English and short text alone', () => {
    expect(detectLegacyEncoding('Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Trường trung học cơ sở')).toBeNull();
    expect(detectLegacyEncoding('The speed of light in vacuum is a universal physical constant.')).toBeNull();
    expect(detectLegacyEncoding('ViÖt Nam')).toBeNull();
  });
});

describe('EPUB sections', () => {
  it('keeps the text, one block a line, without scripts, styles or markup', () => {
    const xhtml = '<html><head><title>t</title><style>p{color:red}</style></head><body><h1>Chương 1</h1><p>Một &amp; hai&#160;ba &#x1EC7;</p><script>alert(1)</script><p>Cuối</p></body></html>';
    expect(textOfXhtml(xhtml)).toBe('Chương 1\nMột & hai\u00a0ba ệ\nCuối');
  });
});

describe('what a server without the tools says', () => {
  const all: DocumentTools = { soffice: 'soffice', poppler: true, prlimit: true, bwrapInstalled: true, sandbox: true };

  it('previews need poppler for PDFs, LibreOffice (and, when required, bubblewrap) for Office files, nothing for EPUB', () => {
    expect(missingPackages({ ...all, poppler: false }, 'pdf', true)).toEqual(['poppler-utils']);
    expect(missingPackages({ ...all, soffice: null, bwrapInstalled: false, sandbox: false }, 'office', true))
      .toEqual(['libreoffice-writer-nogui', 'libreoffice-impress-nogui', 'libreoffice-calc-nogui', 'bubblewrap']);
    expect(missingPackages({ ...all, sandbox: false }, 'office', false)).toEqual([]);
    expect(missingPackages({ ...all, poppler: false, soffice: null }, 'epub', true)).toEqual([]);
  });

  it('one start-up line names what is missing and how to install it; nothing when all is there', () => {
    expect(toolReport(all, true)).toBeNull();
    expect(toolReport({ ...all, poppler: false }, true)).toBe('Document previews: missing poppler-utils — documents that need them are shown as "preview not available on this server". Install: apt-get install -y poppler-utils');
    expect(toolReport({ ...all, sandbox: false }, false)).toMatch(/^Document previews: bubblewrap is installed but cannot create its namespaces here .* LibreOffice runs without the sandbox/);
  });

  it('knows documents by their sniffed type', () => {
    expect(documentKindOf('application/pdf')).toBe('pdf');
    expect(documentKindOf('application/epub+zip')).toBe('epub');
    expect(documentKindOf('application/vnd.openxmlformats-officedocument.presentationml.presentation')).toBe('office');
    expect(documentKindOf('application/x-cfb')).toBe('office');
    expect(documentKindOf('text/plain')).toBeNull();
    expect(documentKindOf('video/mp4')).toBeNull();
  });
});
