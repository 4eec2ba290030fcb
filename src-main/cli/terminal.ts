// What the CLI prints for people: every string that came from a person or a peer passes through here, so
// control characters (C0, DEL, C1), line and paragraph separators and bidi overrides show as visible
// escapes (\u001b) and cannot move the cursor, recolour the terminal or fake a line. --json output is exact
// JSON and does not pass through here.

const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** `text` with each control character written as a visible `\uXXXX` escape. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A template tag for text output: the literal parts stay as written, every interpolated value is escaped. */
export function term(parts: TemplateStringsArray, ...values: unknown[]): string {
  return parts.reduce((line, part, i) => line + (i === 0 ? '' : escapeControls(String(values[i - 1]))) + part, '');
}
