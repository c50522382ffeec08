// What printf's parser makes of a conversion specification, shared by the
// general formatter (printf.ts) and the compiled direct writers (printf_direct.ts).

export const MINUS = 1;
export const PLUS = 2;
export const SPACE = 4;
export const HASH = 8;
export const ZERO = 16;

export const NONE = -1; // no width / precision given
export const STAR = -2; // width / precision taken from the arguments

// Length modifiers, reduced to what they mean on LP64 Linux.
export const LEN_INT = 0;
export const LEN_CHAR = 1; // hh
export const LEN_SHORT = 2; // h
export const LEN_64 = 3; // l ll q j z t
export const LEN_LDBL = 4; // L: long double for floats, long long for integers

export const INT_MAX = 2147483647;

export interface Spec {
  flags: number;
  width: number;
  prec: number;
  len: number;
  conv: number; // char code of the conversion letter
  direct: number; // how a direct writer prints it (D_* of printf_direct.ts), or 0: it cannot
  // %s: the last string printed and its bytes (a format is usually used in a loop).
  str: string | null;
  strBytes: Bytes | null;
}

/**
 * Bytes to write, as little-endian 32-bit words (the last one holding the
 * length % 4 tail bytes): DataView writes a word as cheaply as a byte.
 */
export class Bytes {
  length = 0;
  readonly words: Int32Array;
  constructor(capacity: number) {
    this.words = new Int32Array((capacity + 3) >> 2);
  }
}
