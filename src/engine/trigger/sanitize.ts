/**
 * Comment text is untrusted. Before anything reads it, it is cut to GitHub's own size limit, hidden
 * HTML comments are removed (GitHub does not render them, so a reviewer never sees what they say), and
 * so are invisible, bidirectional, control and tag characters that can hide or reorder text. Every
 * step is linear in the input: a 1 MB body costs milliseconds.
 */

/** GitHub refuses comments longer than this; anything beyond is not from a real comment. */
export const MAX_COMMENT_CHARS = 65_536;

/**
 * Control characters except tab and newline, format characters (zero-width, bidi embeddings and
 * isolates, soft hyphen, word joiners, BOM, Unicode tags used for "ASCII smuggling"), private-use and
 * lone surrogates, variation selectors, and the Hangul fillers that render as blanks.
 */
const INVISIBLE =
  /(?![\t\n])(?:[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u115F\u1160\u2800\u3164\uFFA0]|[\u17B4\u17B5]|[\u180B-\u180F]|[\u{FE00}-\u{FE0F}]|[\u{E0100}-\u{E01EF}]|\u034F)/gu;

/** Removes `<!-- … -->`; an unterminated `<!--` hides everything after it (as on GitHub). */
export function stripHtmlComments(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const open = text.indexOf("<!--", at);
    if (open < 0) return out + text.slice(at);
    out += text.slice(at, open);
    const close = text.indexOf("-->", open + 4);
    if (close < 0) return out;
    at = close + 3;
  }
}

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/** The visible text of a comment: capped, newlines normalised, hidden parts and invisible characters removed. */
export function sanitizeCommentText(body: string, maxChars = MAX_COMMENT_CHARS): string {
  const capped = body.length > maxChars ? body.slice(0, maxChars) : body;
  const lines = capped.replace(/\r\n?/g, "\n");
  // Comments first (GitHub hides them by the raw text), then the characters, then comments again:
  // removing a zero-width character can join `<!` and `--` into a new opener.
  return stripHtmlComments(stripInvisible(stripHtmlComments(lines))).normalize("NFC");
}
