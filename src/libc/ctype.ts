// <ctype.h> in the C locale: a character is its code (a number, as C passes
// an int) or a one-character string; EOF (-1) is in no class.
import { int, typeError } from "../args.js";

function code(fn: string, c: number | string): number {
  if (typeof c === "string") {
    if (c.length !== 1)
      throw typeError(fn, "c", "must be a character code or a one-character string");
    return c.charCodeAt(0);
  }
  return int(fn, "c", c);
}

const is =
  (fn: string, test: (c: number) => boolean) =>
  (c: number | string): number =>
    test(code(fn, c)) ? 1 : 0;

export const isdigit = is("isdigit", (c) => c >= 0x30 && c <= 0x39);
export const isxdigit = is(
  "isxdigit",
  (c) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66),
);
export const islower = is("islower", (c) => c >= 0x61 && c <= 0x7a);
export const isupper = is("isupper", (c) => c >= 0x41 && c <= 0x5a);
export const isalpha = is("isalpha", (c) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
export const isalnum = is("isalnum", (c) => isalpha(c) === 1 || isdigit(c) === 1);
export const isspace = is("isspace", (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d));
export const isprint = is("isprint", (c) => c >= 0x20 && c <= 0x7e);
export const ispunct = is("ispunct", (c) => c > 0x20 && c <= 0x7e && isalnum(c) === 0);
export const iscntrl = is("iscntrl", (c) => (c >= 0 && c < 0x20) || c === 0x7f);
export const isascii = is("isascii", (c) => (c & ~0x7f) === 0);

/** The low seven bits of c. */
export function toascii(c: number | string): number {
  return code("toascii", c) & 0x7f;
}

/** The upper-case code of c (C returns an int, not a string). */
export function toupper(c: number | string): number {
  const x = code("toupper", c);
  return x >= 0x61 && x <= 0x7a ? x - 0x20 : x;
}

export function tolower(c: number | string): number {
  const x = code("tolower", c);
  return x >= 0x41 && x <= 0x5a ? x + 0x20 : x;
}
