/** Base64 decoding without `atob` or `Buffer`, so the core needs no host API beyond ECMAScript to load its kernels. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The bytes of a standard (RFC 4648) base64 string; '=' padding is optional. */
export function decodeBase64(text: string): Uint8Array {
  const digits = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) digits[ALPHABET.charCodeAt(i)] = i;
  const body = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = digits[body.charCodeAt(i)] ?? -1;
    if (digit < 0) throw new Error(`decodeBase64: invalid character ${JSON.stringify(body[i])} at position ${i}`);
    // Accumulate 6 bits per character; emit a byte whenever 8 are ready.
    bits = ((bits << 6) | digit) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[at++] = (bits >> count) & 0xff;
    }
  }
  return out;
}
