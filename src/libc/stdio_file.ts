// <stdio.h>'s streams on files and reading from streams (contract item 12):
// fopen and fclose, fgets/fgetc/fread/ungetc/fscanf, the indicators, fseek
// and ftell, with C's return conventions (NULL or EOF, errno set). A FILE is
// `{ fd }`; its writes are the unbuffered ones of printf.ts (fprintf, fputs,
// fwrite on a file go there). See stdio_write.ts for how a stream reads.
import { fstatSync } from "node:fs";
import { describe, int, rangeError, size as sizeArg, typeError } from "../args.js";
import { EBADF, EINVAL, set_errno } from "./errno.js";
import { open, O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY } from "./files.js";
import { close } from "./socket.js";
import { cbytes, mem, type CString } from "./cstring.js";
import { stdin, type FILE } from "./printf.js";
import { scan, type ScanInput } from "./scanf.js";
import { consume, fileno as fdOf, fill, openStream, streamOf, type Stream } from "./stdio_write.js";

export const EOF = -1;
/** glibc's BUFSIZ: the size C programs give their line and copy buffers. */
export const BUFSIZ = 8192;
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
const ESPIPE = 29;

interface Mode {
  flags: number;
  readable: boolean;
  writable: boolean;
  append: boolean;
}

/** fopen's mode as glibc reads it: r, w or a, then up to six of "+", "x", "b", "e", ... (others ignored). */
function parseMode(fn: string, mode: unknown): Mode | null {
  if (typeof mode !== "string")
    throw typeError(fn, "mode", `must be a string, got ${describe(mode)}`);
  let acc: number;
  let flags: number;
  const first = mode[0];
  if (first === "r") [acc, flags] = [O_RDONLY, 0];
  else if (first === "w") [acc, flags] = [O_WRONLY, O_CREAT | O_TRUNC];
  else if (first === "a") [acc, flags] = [O_WRONLY, O_CREAT | O_APPEND];
  else return null;
  for (const c of mode.slice(1, 7)) {
    if (c === "\0" || c === ",") break;
    if (c === "+") acc = O_RDWR;
    else if (c === "x") flags |= O_EXCL;
  }
  return {
    flags: acc | flags,
    readable: acc !== O_WRONLY,
    writable: acc !== O_RDONLY,
    append: first === "a",
  };
}

/**
 * fopen(3): a FILE, or null with errno (EINVAL for a bad mode, else open's).
 * Modes "r", "w", "a", each with "+"; "b" is ignored, "x" is O_EXCL.
 */
export function fopen(pathname: CString, mode: string): FILE | null {
  const m = parseMode("fopen", mode);
  if (m === null) {
    set_errno(EINVAL);
    return null;
  }
  const fd = open(pathname, m.flags, 0o666);
  if (fd < 0) return null;
  const fp: FILE = { fd };
  const regular = fstatSync(fd).isFile();
  openStream(fp, {
    readable: m.readable,
    writable: m.writable,
    append: m.append,
    offset: regular ? 0 : null,
  });
  return fp;
}

/** fdopen(3): a FILE on an open descriptor, reading from its offset; null with EBADF or EINVAL. */
export function fdopen(fd: number, mode: string): FILE | null {
  const f = int("fdopen", "fd", fd);
  const m = parseMode("fdopen", mode);
  if (m === null) {
    set_errno(EINVAL);
    return null;
  }
  try {
    fstatSync(f);
  } catch {
    set_errno(EBADF);
    return null;
  }
  const fp: FILE = { fd: f };
  openStream(fp, { readable: m.readable, writable: m.writable, append: m.append, offset: null });
  return fp;
}

/** fclose(3): closes the descriptor; 0, or EOF with errno. The FILE may not be used again. */
export function fclose(stream: FILE): number {
  const s = streamOf("fclose", stream);
  s.closed = true;
  return close(s.fd) < 0 ? EOF : 0;
}

/** fileno(3): the stream's descriptor. */
export function fileno(stream: FILE): number {
  return fdOf("fileno", stream);
}

export function feof(stream: FILE): number {
  return streamOf("feof", stream).eof ? 1 : 0;
}

export function ferror(stream: FILE): number {
  return streamOf("ferror", stream).error ? 1 : 0;
}

/** Clears the end-of-file and error indicators (the end of a file is sticky until then, as in glibc). */
export function clearerr(stream: FILE): void {
  const s = streamOf("clearerr", stream);
  s.eof = s.error = false;
}

/**
 * fgets(3): reads up to size - 1 bytes into `s` (a `char buf[N]` as a
 * Uint8Array), through the first newline, and a NUL; returns `s`, or null at
 * the end of the input (nothing read, `s` untouched) or on an error.
 */
export function fgets(s: Uint8Array, size: number, stream: FILE): Uint8Array | null {
  const buf = mem("fgets", "s", s);
  const n = int("fgets", "size", size);
  const st = streamOf("fgets", stream);
  if (n > buf.length)
    throw rangeError("fgets", "size", `is ${n}, larger than the ${buf.length} bytes of 's'`);
  if (n <= 0) return null;
  if (n === 1) {
    buf[0] = 0;
    return buf;
  }
  const hadError = st.error; // glibc judges this call by its own errors only
  st.error = false;
  let got = 0;
  while (got < n - 1) {
    if (st.buf.length === 0 && !fill(st)) break;
    const want = Math.min(n - 1 - got, st.buf.length);
    const nl = st.buf.subarray(0, want).indexOf(10);
    const k = nl < 0 ? want : nl + 1;
    buf.set(st.buf.subarray(0, k), got);
    consume(st, k);
    got += k;
    if (nl >= 0) break;
  }
  const failed = st.error;
  st.error ||= hadError;
  if (got === 0 || failed) return null;
  buf[got] = 0;
  return buf;
}

/** fgetc(3) and getc: the next byte, or EOF. */
export function fgetc(stream: FILE): number {
  return getByte(streamOf("fgetc", stream));
}

export function getc(stream: FILE): number {
  return getByte(streamOf("getc", stream));
}

export function getchar(): number {
  return getByte(streamOf("getchar", stdin));
}

function getByte(s: Stream): number {
  if (s.buf.length === 0 && !fill(s)) return EOF;
  const c = s.buf[0];
  consume(s, 1);
  return c;
}

/** ungetc(3): pushes the byte back (clearing end-of-file); returns it, or EOF for EOF. */
export function ungetc(c: number, stream: FILE): number {
  const ch = int("ungetc", "c", c);
  const s = streamOf("ungetc", stream);
  if (ch === EOF) return EOF;
  s.buf = Buffer.concat([Uint8Array.of(ch & 0xff), s.buf]);
  if (s.offset !== null) s.offset--;
  s.eof = false;
  return ch & 0xff;
}

/** fread(3): reads nmemb items of size bytes into ptr; the number of whole items read. */
export function fread(ptr: Uint8Array, size: number, nmemb: number, stream: FILE): number {
  const b = mem("fread", "ptr", ptr);
  const sz = sizeArg("fread", "size", size);
  const n = sizeArg("fread", "nmemb", nmemb);
  const s = streamOf("fread", stream);
  const total = sz * n;
  if (total > b.length)
    throw rangeError("fread", "nmemb", `asks for ${total} bytes of a ${b.length}-byte ptr`);
  if (total === 0) return 0;
  let got = 0;
  while (got < total) {
    if (s.buf.length === 0 && !fill(s)) break;
    const k = Math.min(total - got, s.buf.length);
    b.set(s.buf.subarray(0, k), got);
    consume(s, k);
    got += k;
  }
  return Math.floor(got / sz);
}

/**
 * fseek(3) on a file fopen opened: 0, or -1 with EINVAL; clears end-of-file
 * and drops what was read ahead. Other streams read from their descriptor's
 * offset, which Node cannot move: -1 with ESPIPE.
 */
export function fseek(stream: FILE, offset: number, whence: number): number {
  const s = streamOf("fseek", stream);
  const off = int("fseek", "offset", offset);
  const w = int("fseek", "whence", whence);
  if (s.offset === null) {
    set_errno(ESPIPE);
    return -1;
  }
  const base =
    w === SEEK_SET ? 0 : w === SEEK_CUR ? s.offset : w === SEEK_END ? fstatSync(s.fd).size : NaN;
  if (Number.isNaN(base) || base + off < 0) {
    set_errno(EINVAL);
    return -1;
  }
  s.offset = base + off;
  s.buf = Buffer.alloc(0);
  s.eof = false;
  return 0;
}

/** ftell(3): the position of a file fopen opened; -1 with ESPIPE for other streams. */
export function ftell(stream: FILE): number {
  const s = streamOf("ftell", stream);
  if (s.offset === null) {
    set_errno(ESPIPE);
    return -1;
  }
  return s.offset;
}

/** rewind(3): fseek to 0 and clearerr. */
export function rewind(stream: FILE): void {
  const s = streamOf("rewind", stream);
  if (s.offset !== null) fseek(stream, 0, SEEK_SET);
  s.error = false;
}

/** A stream as scanf's input: one byte of lookahead in its buffer. */
function streamInput(s: Stream): ScanInput {
  let taken = 0;
  return {
    peek: () => (s.buf.length > 0 || fill(s) ? s.buf[0] : EOF),
    take: () => {
      consume(s, 1);
      taken++;
    },
    get taken() {
      return taken;
    },
  };
}

/** fscanf(3): sscanf on the stream's bytes, leaving the first byte it did not match unread. */
export function fscanf(stream: FILE, format: CString, ...args: unknown[]): number {
  const s = streamOf("fscanf", stream);
  return scan("fscanf", streamInput(s), cbytes("fscanf", "format", format), args, 3);
}

/** scanf(3): fscanf on stdin. */
export function scanf(format: CString, ...args: unknown[]): number {
  const s = streamOf("scanf", stdin);
  return scan("scanf", streamInput(s), cbytes("scanf", "format", format), args, 2);
}
