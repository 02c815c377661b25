import { describe, expect, it } from 'vitest';
import { capFileName, storedFileName } from '../../src/files/file-name.js';
import { withoutPaths } from '../../src/media/failure-message.js';

describe('stored file names', () => {
  it('takes the extension of the sniffed type and keeps the base of the name', () => {
    expect(storedFileName('bai-giang.html', 'application/pdf')).toBe('bai-giang.pdf');
    expect(storedFileName('C:\\Users\\co-lan\\Desktop\\giao an.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('giao an.docx');
    expect(storedFileName('../../etc/bai.pdf', 'application/pdf')).toBe('bai.pdf');
    expect(storedFileName('Bài 1. Giới thiệu', 'application/pdf')).toBe('Bài 1. Giới thiệu.pdf');
    expect(storedFileName('so-lieu.csv', 'text/plain')).toBe('so-lieu.csv');
    expect(storedFileName('phu-de.srt', 'text/vtt')).toBe('phu-de.vtt');
    expect(storedFileName('', 'image/png')).toBe('tep.png');
    expect(storedFileName('.pdf', 'application/pdf')).toBe('tep.pdf');
    // NFD (macOS) becomes NFC.
    expect(storedFileName('Đề thi.pdf'.normalize('NFD'), 'application/pdf')).toBe('Đề thi.pdf'.normalize('NFC'));
  });

  it('refuses control characters and bidirectional overrides', () => {
    for (const name of ['a\u0000.pdf', 'a\r\n.pdf', 'a\u0085.pdf', 'bai\u202efdp.exe']) {
      expect(() => storedFileName(name, 'application/pdf')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });

  it('caps names at 255 characters (not bytes), the extension kept', () => {
    expect(capFileName(`${'ệ'.repeat(300)}.pdf`)).toBe(`${'ệ'.repeat(251)}.pdf`);
    expect(Array.from(capFileName('😀'.repeat(400)))).toHaveLength(255);
  });
});

describe('media failure messages', () => {
  it('drop the directories of server paths and keep the rest', () => {
    expect(withoutPaths('Error opening input file /tmp/hoclieu-media-Ab12/source.')).toBe('Error opening input file source.');
    expect(withoutPaths("cannot run /work/main/node_modules/@ffmpeg-installer/linux-x64/ffmpeg: spawn EACCES")).toBe('cannot run ffmpeg: spawn EACCES');
    expect(withoutPaths('[in#0 @ 0x5581] Error opening input: "C:\\hoclieu\\tmp\\source"')).toBe('[in#0 @ 0x5581] Error opening input: "source"');
    expect(withoutPaths('25 fps, 1/25 tbn, see https://ffmpeg.org/a/b')).toBe('25 fps, 1/25 tbn, see https://ffmpeg.org/a/b');
  });
});
