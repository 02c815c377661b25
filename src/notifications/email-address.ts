/** An e-mail address as forms, imports and the API accept it: one @, no spaces, a dot in the domain (the mail server has the last word). */
export const EMAIL_PATTERN_SOURCE = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';
export const EMAIL_PATTERN = new RegExp(EMAIL_PATTERN_SOURCE);
