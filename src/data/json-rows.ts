/**
 * A strict, allocation-frugal reader for JSON files of the form `{"<key>": [[0, 255, ...], [...], ...]}`: rows of
 * integers in [0, 255]. It scans the UTF-8 bytes once, writing values straight into one Uint8Array, so a 15 MB file
 * never becomes millions of boxed JavaScript numbers (as `JSON.parse` would make).
 */

export interface ByteRows {
  /** All values, row after row. */
  readonly values: Uint8Array;
  /** Number of values in each row (rows may be empty). */
  readonly rowLengths: readonly number[];
}

const COMMA = 0x2c;
const CLOSE = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;

/** Parses `{"<key>": [[ints], ...]}` from UTF-8 bytes; anything else is an error naming `what` and the byte offset. */
export function parseJsonByteRows(bytes: Uint8Array, key: string, what: string): ByteRows {
  const end = bytes.length;
  let pos = 0;
  for (const token of ['{', `"${key}"`, ':', '[']) pos = expectText(bytes, pos, token, what);
  // Every value takes at least one digit and one separator, which bounds the count.
  const values = new Uint8Array(Math.ceil(end / 2));
  const rowLengths: number[] = [];
  let count = 0;
  pos = skipSpace(bytes, pos);
  if (bytes[pos] === CLOSE)
    pos++; // an empty outer list
  else {
    for (;;) {
      pos = expectText(bytes, pos, '[', what);
      const rowStart = count;
      pos = skipSpace(bytes, pos);
      if (bytes[pos] === CLOSE) pos++;
      else {
        for (;;) {
          pos = skipSpace(bytes, pos);
          // The hot loop: `pos` stays a local (no closure captures it), so the engine keeps it in a register.
          const start = pos;
          let value = 0;
          let byte = pos < end ? (bytes[pos] ?? 0) : 0;
          while (byte >= ZERO && byte <= NINE) {
            value = value * 10 + byte - ZERO;
            pos++;
            byte = pos < end ? (bytes[pos] ?? 0) : 0;
          }
          if (pos === start || value > 255 || (pos - start > 1 && bytes[start] === ZERO)) {
            fail(bytes, start, 'an integer in [0, 255]', what);
          }
          values[count++] = value;
          if (byte !== COMMA && byte !== CLOSE) {
            pos = skipSpace(bytes, pos);
            byte = bytes[pos] ?? 0;
          }
          pos++;
          if (byte === CLOSE) break;
          if (byte !== COMMA) fail(bytes, pos - 1, `',' or ']' in row ${rowLengths.length}`, what);
        }
      }
      rowLengths.push(count - rowStart);
      pos = skipSpace(bytes, pos);
      const byte = bytes[pos];
      pos++;
      if (byte === CLOSE) break;
      if (byte !== COMMA) fail(bytes, pos - 1, `',' or ']' after row ${rowLengths.length - 1}`, what);
    }
  }
  pos = skipSpace(bytes, expectText(bytes, pos, '}', what));
  if (pos !== end) fail(bytes, pos, 'the end of the file', what);
  return { values: values.subarray(0, count), rowLengths };
}

/** Skips whitespace, then matches the token `text` exactly; returns the position after it. */
function expectText(bytes: Uint8Array, from: number, text: string, what: string): number {
  const start = skipSpace(bytes, from);
  for (let i = 0; i < text.length; i++) {
    if (bytes[start + i] !== text.charCodeAt(i)) fail(bytes, start, `'${text}'`, what);
  }
  return start + text.length;
}

/** JSON whitespace: space, tab, line feed, carriage return. */
function skipSpace(bytes: Uint8Array, from: number): number {
  let pos = from;
  for (;;) {
    const byte = bytes[pos];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return pos;
    pos++;
  }
}

function fail(bytes: Uint8Array, pos: number, expected: string, what: string): never {
  const found = pos < bytes.length ? `'${String.fromCharCode(bytes[pos] ?? 0)}'` : 'the end of the file';
  throw new Error(`parseJsonByteRows: ${what}: expected ${expected} at byte ${pos}, found ${found}`);
}
