// Writing a stdio call's bytes to its descriptor, shared by the stdio calls
// of bufferevent/libc and the libevent calls that take a FILE *
// (event_base_dump_events), and the state of a stream: its read-ahead, its
// end-of-file and error indicators, its position in a file fopen opened.
// Internal: not exported by bufferevent/libc.
//
// Writes are unbuffered (each call is one synchronous write, in call order),
// for stdout and stderr as for a file. A file fopen opened reads and writes at
// the stream's own position (pread/pwrite: Node has no lseek), so reading and
// writing one "r+" stream mix as in glibc; stdin and the other streams read
// from the descriptor's offset, 4096 bytes ahead as glibc reads.
import { fstatSync, readSync, writeSync } from "node:fs";
import { describe, typeError } from "../args.js";
import { closedStdio } from "../core/descriptor_os.js";
import { EBADF, EIO, set_errno } from "./errno.js";
import type { FILE } from "./printf.js";

export interface Stream {
  readonly fd: number;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
  /** The position in the file of buf[0] (fopen's files), or null: the descriptor's offset. */
  offset: number | null;
  /** Bytes read and not yet taken. */
  buf: Buffer;
  eof: boolean;
  error: boolean;
  closed: boolean;
}

const streams = new WeakMap<object, Stream>();

/** Enters a stream's state (fopen, fdopen, the standard streams). */
export function openStream(
  fp: FILE,
  s: Omit<Stream, "fd" | "buf" | "eof" | "error" | "closed">,
): Stream {
  const st: Stream = {
    fd: fp.fd,
    buf: Buffer.alloc(0),
    eof: false,
    error: false,
    closed: false,
    ...s,
  };
  streams.set(fp, st);
  return st;
}

/** The state of the `FILE *` argument `arg` of `fn`; a `{ fd }` of the program's reads and writes its descriptor. */
export function streamOf(fn: string, stream: unknown, arg = "stream"): Stream {
  fileno(fn, stream, arg);
  return (
    streams.get(stream as FILE) ??
    openStream(stream as FILE, { readable: true, writable: true, append: false, offset: null })
  );
}

/** The descriptor of the `FILE *` argument `arg` of `fn`. */
export function fileno(fn: string, stream: unknown, arg = "stream"): number {
  const fd = (stream as FILE | null)?.fd;
  if (typeof stream !== "object" || typeof fd !== "number" || !Number.isInteger(fd) || fd < 0)
    throw typeError(fn, arg, `must be a FILE (stdout, stderr or { fd }), got ${describe(stream)}`);
  if (streams.get(stream as FILE)?.closed)
    throw typeError(fn, arg, "is a FILE that fclose already closed");
  return fd;
}

/** Writes b to the `FILE *` argument `arg` of `fn` (checked): its length, or -1 with errno set. */
export function writeStream(
  fn: string,
  arg: string,
  stream: unknown,
  b: Uint8Array | null,
): number {
  const s = streamOf(fn, stream, arg);
  if (b === null) return -1; // a bad format
  if (!s.writable) {
    s.error = true;
    set_errno(EBADF);
    return -1;
  }
  if (s.offset === null) {
    const n = emit(s.fd, b);
    if (n < 0) s.error = true;
    return n;
  }
  // A file of fopen's: at the stream's position, or at the end for "a" modes.
  try {
    if (s.append) {
      emit(s.fd, b, true);
      s.offset = fstatSync(s.fd).size;
    } else {
      for (let off = 0; off < b.length;)
        off += writeSync(s.fd, b, off, b.length - off, s.offset + off);
      s.offset += b.length;
    }
    s.buf = Buffer.alloc(0);
    return b.length;
  } catch (e) {
    s.error = true;
    set_errno(errnoOf(e));
    return -1;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of b to fd; returns its length, or -1 with errno set (a bad format is -1 too). */
export function emit(fd: number, b: Uint8Array | null, rethrow = false): number {
  if (b === null) return -1;
  if (closedStdio.has(fd)) {
    set_errno(EBADF);
    return -1;
  }
  for (let off = 0; off < b.length;) {
    try {
      off += writeSync(fd, b, off, b.length - off);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 1); // a non-blocking pipe is full: wait for the reader
        continue;
      }
      if (rethrow) throw e;
      set_errno(errnoOf(e));
      return -1;
    }
  }
  return b.length;
}

function errnoOf(e: unknown): number {
  const n = (e as NodeJS.ErrnoException).errno;
  return typeof n === "number" ? Math.abs(n) : EIO;
}

/**
 * Reads more of the stream into its buffer: false at the end of the file
 * (which stays, as glibc's has since 2.28, until clearerr) or on an error
 * (the error indicator set, errno the read's; EBADF for a stream not open
 * for reading). Blocks, as C's read does, on a descriptor left non-blocking.
 */
export function fill(s: Stream): boolean {
  if (s.eof) return false;
  if (!s.readable || closedStdio.has(s.fd)) {
    s.error = true;
    set_errno(EBADF);
    return false;
  }
  const chunk = Buffer.allocUnsafe(4096);
  for (;;) {
    try {
      const at = s.offset === null ? null : s.offset + s.buf.length;
      const n = readSync(s.fd, chunk, 0, chunk.length, at);
      if (n === 0) {
        s.eof = true;
        return false;
      }
      s.buf = s.buf.length
        ? Buffer.concat([s.buf, chunk.subarray(0, n)])
        : Buffer.from(chunk.subarray(0, n));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      s.error = true;
      set_errno(errnoOf(e));
      return false;
    }
  }
}

/** Takes n bytes of the stream's buffer. */
export function consume(s: Stream, n: number): void {
  s.buf = s.buf.subarray(n);
  if (s.offset !== null) s.offset += n;
}
