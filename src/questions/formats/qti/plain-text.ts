import { htmlToText } from '../../html.js';

/** HTML as plain text on one line, for a title or an inline choice (which QTI allows no markup in). */
export const plainText = (html: string) => htmlToText(html).replace(/\s+/g, ' ');

// QTI requires a title on every item; ours is optional. A question without a name gets the start
// of its text as title, and a title equal to that is read back as no name (the same for a title
// that only repeats the item's identifier), so a nameless question comes back nameless.

/** The title written for a question without a name; empty when the stem has no text. */
export const titleFromStem = (stem: string) => plainText(stem).slice(0, 80);
