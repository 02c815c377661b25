/**
 * Vietnamese typed before Unicode, in the TCVN3 (ABC: .VnTime, .VnArial) or VNI (VNI-Times)
 * fonts, survives into PDFs and converted Office files as Latin-1 look-alikes: "ViÖt Nam" (TCVN3),
 * "Vieät Nam" (VNI). Search and screen readers see that garbage, so the job says so: the author
 * should convert the document (Unikey's converter, or Word with the fonts installed) to Unicode.
 */

// TCVN3 puts the accented letters at Latin-1 code points that never follow a Latin letter in
// Vietnamese Unicode text: ¸ µ ¶ · ¹ ¨ ¾ » ¼ ½ Æ © Ê Ç È É Ë ® Ð Ì Î Ï Ñ « Ò Ó Ô Õ Ö ¬ ã ß á â ä.
const TCVN3_WORD = /[A-Za-z]*[\u00a8\u00a9\u00ab\u00ac\u00ae\u00b5-\u00be\u00c6-\u00cb\u00cc\u00ce-\u00d6\u00d8-\u00df\u00e3\u00e5-\u00e9\u00ea-\u00ff][A-Za-z\u00a8-\u00ff]*/g;
// VNI writes a base letter then its marks as separate Latin-1 letters: "eä" (ệ), "aø" (à), "öô" (ươ).
const VNI_WORD = /[A-Za-z]+(?:[\u00f8\u00f9\u00fb\u00f5\u00ef\u00e1\u00e0\u00e5\u00e3\u00e4\u00e2\u00f6\u00f4\u00ee\u00f1])[a-z]*/g;
// Real Vietnamese (Unicode) letters outside Latin-1: their presence means the text is Unicode.
const VIETNAMESE_UNICODE = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]/g;

export function detectLegacyEncoding(text: string): 'tcvn3' | 'vni' | null {
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < 5) return null;
  const unicode = text.match(VIETNAMESE_UNICODE)?.length ?? 0;
  const vni = text.match(VNI_WORD)?.length ?? 0;
  const tcvn3 = text.match(TCVN3_WORD)?.length ?? 0;
  const threshold = Math.max(3, words * 0.1);
  if (unicode > words * 0.2) return null;
  if (vni >= threshold && vni >= tcvn3) return 'vni';
  if (tcvn3 >= threshold) return 'tcvn3';
  return null;
}
