// The stdio calls of bufferevent/libc (contract item 12). Streams are
// unbuffered: every call writes its bytes with one synchronous write(2), so
// output appears in call order, stdout and stderr interleave as the calls
// were made, and nothing is lost when the process exits. A stream's
// indicators (ferror) record a failed write, as in C.

import { cformat } from "../core/printf.js";
import { fileno, openStream, streamOf, writeStream } from "./stdio_write.js";
import { bytes, describe, int, rangeError, size as sizeArg, typeError } from "../args.js";
import { EINVAL, errno, set_errno } from "./errno.js";
import { strerror } from "./errno_text.js";

/** `FILE *`: a stream on a descriptor. */
export interface FILE {
  readonly fd: number;
}

export const stdin: FILE = { fd: 0 };
export const stdout: FILE = { fd: 1 };
export const stderr: FILE = { fd: 2 };
openStream(stdin, { readable: true, writable: false, append: false, offset: null });
openStream(stdout, { readable: false, writable: true, append: false, offset: null });
openStream(stderr, { readable: false, writable: true, append: false, offset: null });

const EOF = -1;

export function printf(format: string | Uint8Array, ...args: unknown[]): number {
  return writeStream("printf", "stdout", stdout, format1("printf", format, args));
}

export function vprintf(format: string | Uint8Array, ap: readonly unknown[]): number {
  if (!Array.isArray(ap)) throw typeError("vprintf", "ap", `must be an array, got ${describe(ap)}`);
  return writeStream("vprintf", "stdout", stdout, format1("vprintf", format, ap));
}

export function fprintf(stream: FILE, format: string | Uint8Array, ...args: unknown[]): number {
  streamOf("fprintf", stream);
  return writeStream("fprintf", "stream", stream, format1("fprintf", format, args));
}

/** Writes the output and a NUL into `str`, which must be large enough (C would overflow it). */
export function sprintf(str: Uint8Array, format: string | Uint8Array, ...args: unknown[]): number {
  if (!(str instanceof Uint8Array))
    throw typeError("sprintf", "str", `must be a Uint8Array, got ${describe(str)}`);
  const out = format1("sprintf", format, args);
  if (out === null) return -1;
  if (out.length >= str.length)
    throw rangeError("sprintf", "str", `holds ${str.length} bytes, too few for ${out.length + 1}`);
  str.set(out);
  str[out.length] = 0;
  return out.length;
}

/**
 * Writes at most size - 1 bytes and a NUL into `str`; returns the length the
 * whole output would have had. `str` may be null when `size` is 0.
 */
export function snprintf(
  str: Uint8Array | null,
  size: number,
  format: string | Uint8Array,
  ...args: unknown[]
): number {
  const n = sizeArg("snprintf", "size", size);
  if (str === null) {
    if (n !== 0) throw typeError("snprintf", "str", `is NULL with a size of ${n}`);
  } else if (!(str instanceof Uint8Array)) {
    throw typeError("snprintf", "str", `must be a Uint8Array or null, got ${describe(str)}`);
  } else if (n > str.length) {
    throw rangeError("snprintf", "size", `is ${n}, larger than the ${str.length} bytes of 'str'`);
  }
  const out = format1("snprintf", format, args);
  if (out === null) return -1;
  if (str !== null && n > 0) {
    const len = Math.min(out.length, n - 1);
    str.set(out.subarray(0, len));
    str[len] = 0;
  }
  return out.length;
}

/** Writes the string and a newline; returns the count written, as glibc does. */
export function puts(s: string | Uint8Array): number {
  const b = cstring("puts", "s", s);
  const line = Buffer.allocUnsafe(b.length + 1);
  line.set(b);
  line[b.length] = 10;
  return writeStream("puts", "stdout", stdout, line);
}

/** Returns 1 on success, as glibc does. */
export function fputs(s: string | Uint8Array, stream: FILE): number {
  const b = cstring("fputs", "s", s);
  return writeStream("fputs", "stream", stream, b) < 0 ? EOF : 1;
}

/** Writes nmemb items of size bytes from ptr; returns the number of items written. */
export function fwrite(
  ptr: Uint8Array | string,
  size: number,
  nmemb: number,
  stream: FILE,
): number {
  const b = bytes("fwrite", "ptr", ptr);
  const sz = sizeArg("fwrite", "size", size);
  const n = sizeArg("fwrite", "nmemb", nmemb);
  streamOf("fwrite", stream);
  if (sz * n > b.length)
    throw rangeError("fwrite", "nmemb", `asks for ${sz * n} bytes of a ${b.length}-byte ptr`);
  if (sz === 0 || n === 0) return 0;
  return writeStream("fwrite", "stream", stream, b.subarray(0, sz * n)) < 0 ? 0 : n;
}

/** Writes the byte c; returns it as an unsigned char. */
export function putchar(c: number): number {
  return putByte("putchar", c, stdout);
}

/** putc and fputc: putchar on `stream`. */
export function fputc(c: number, stream: FILE): number {
  streamOf("fputc", stream);
  return putByte("fputc", c, stream);
}

export function putc(c: number, stream: FILE): number {
  streamOf("putc", stream);
  return putByte("putc", c, stream);
}

function putByte(fn: string, c: number, stream: FILE): number {
  const ch = int(fn, "c", c) & 0xff;
  return writeStream(fn, "stream", stream, Uint8Array.of(ch)) < 0 ? EOF : ch;
}

/** Writes "s: <strerror(errno)>\n" to stderr (just the message when s is null or empty). */
export function perror(s?: string | Uint8Array | null): void {
  const msg = Buffer.from(`${strerror(errno)}\n`, "utf8");
  const prefix = s === undefined || s === null ? null : cstring("perror", "s", s);
  writeStream(
    "perror",
    "stderr",
    stderr,
    prefix?.length ? Buffer.concat([prefix, Buffer.from(": "), msg]) : msg,
  );
}

/**
 * Output is never buffered, so there is nothing to write; NULL means all
 * streams. A file's read-ahead is dropped (its position stays where the
 * program read to), as glibc's fflush of an input stream does.
 */
export function fflush(stream: FILE | null): number {
  if (stream !== null) {
    const s = streamOf("fflush", stream);
    if (s.offset !== null) s.buf = Buffer.alloc(0);
  }
  return 0;
}

/** Accepted for C's sake: streams stay unbuffered. */
export function setbuf(stream: FILE, _buf: Uint8Array | null): void {
  fileno("setbuf", stream);
}

export const _IOFBF = 0;
export const _IOLBF = 1;
export const _IONBF = 2;

/** Accepted for C's sake: streams stay unbuffered. Modes are _IOFBF 0, _IOLBF 1, _IONBF 2. */
export function setvbuf(
  stream: FILE,
  _buf: Uint8Array | null,
  mode: number,
  _size: number,
): number {
  fileno("setvbuf", stream);
  const m = int("setvbuf", "mode", mode);
  if (m < 0 || m > 2) {
    set_errno(EINVAL);
    return EOF;
  }
  return 0;
}

function format1(fn: string, format: unknown, args: readonly unknown[]): Buffer | null {
  if (typeof format !== "string" && !(format instanceof Uint8Array))
    throw typeError(fn, "format", `must be a string or Uint8Array, got ${describe(format)}`);
  return cformat(format, args);
}

/** `const char *`: a string (UTF-8) or the bytes up to the first NUL. */
function cstring(fn: string, arg: string, v: unknown): Uint8Array {
  const b = bytes(fn, arg, v);
  const end = b.indexOf(0);
  return end < 0 ? b : b.subarray(0, end);
}
