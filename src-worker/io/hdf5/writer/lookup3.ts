/**
 * Bob Jenkins' lookup3 hash (hashlittle), as HDF5 uses it for the checksums
 * of version-2 superblocks, object headers and other metadata
 * (H5_checksum_lookup3 in H5checksum.c).
 */
function rot(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export function lookup3(data: Uint8Array, initval = 0): number {
  let length = data.length;
  let a = (0xdeadbeef + length + initval) >>> 0;
  let b = a;
  let c = a;
  let k = 0;
  while (length > 12) {
    a = (a + (data[k] | (data[k + 1] << 8) | (data[k + 2] << 16) | (data[k + 3] << 24))) >>> 0;
    b = (b + (data[k + 4] | (data[k + 5] << 8) | (data[k + 6] << 16) | (data[k + 7] << 24))) >>> 0;
    c = (c + (data[k + 8] | (data[k + 9] << 8) | (data[k + 10] << 16) | (data[k + 11] << 24))) >>> 0;
    // mix(a, b, c)
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    length -= 12;
    k += 12;
  }
  const L = length;
  if (L === 0) return c;
  if (L >= 12) c = (c + (data[k + 11] << 24)) >>> 0;
  if (L >= 11) c = (c + (data[k + 10] << 16)) >>> 0;
  if (L >= 10) c = (c + (data[k + 9] << 8)) >>> 0;
  if (L >= 9) c = (c + data[k + 8]) >>> 0;
  if (L >= 8) b = (b + (data[k + 7] << 24)) >>> 0;
  if (L >= 7) b = (b + (data[k + 6] << 16)) >>> 0;
  if (L >= 6) b = (b + (data[k + 5] << 8)) >>> 0;
  if (L >= 5) b = (b + data[k + 4]) >>> 0;
  if (L >= 4) a = (a + (data[k + 3] << 24)) >>> 0;
  if (L >= 3) a = (a + (data[k + 2] << 16)) >>> 0;
  if (L >= 2) a = (a + (data[k + 1] << 8)) >>> 0;
  a = (a + data[k]) >>> 0;
  // final(a, b, c)
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  return c;
}
