/** An IDX file written by hand: 0x00 0x00 0x08 <dims>, big-endian uint32 sizes, then the bytes. */
export function idx(shape: number[], values: number[], magic = 0x0800 | shape.length): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * shape.length + values.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  shape.forEach((dim, i) => view.setUint32(4 + 4 * i, dim));
  bytes.set(values, 4 + 4 * shape.length);
  return bytes;
}
