/**
 * Comment text is untrusted. Before anything reads it, it is cut to GitHub's own size limit, hidden
 * HTML comments are removed (GitHub does not render them, so a reviewer never sees what they say), and
 * so are invisible, bidirectional, control and tag characters that can hide or reorder text. Every
 * step is linear in the input: a 1 MB body costs milliseconds.
 */
import { stripInvisible } from "../report/escape.ts";

/** GitHub refuses comments longer than this; anything beyond is not from a real comment. */
export const MAX_COMMENT_CHARS = 65_536;

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

/** The visible text of a comment: capped, newlines normalised, hidden parts and invisible characters removed. */
export function sanitizeCommentText(body: string, maxChars = MAX_COMMENT_CHARS): string {
  const capped = body.length > maxChars ? body.slice(0, maxChars) : body;
  const lines = capped.replace(/\r\n?/g, "\n");
  // Comments first (GitHub hides them by the raw text), then the characters, then comments again:
  // removing a zero-width character can join `<!` and `--` into a new opener.
  return stripHtmlComments(stripInvisible(stripHtmlComments(lines))).normalize("NFC");
}
