// Writing a stdio call's bytes to its descriptor, shared by the stdio calls
// of bufferevent/libc and the libevent calls that take a FILE *
// (event_base_dump_events). Internal: not exported by bufferevent/libc.
import { writeSync } from "node:fs";
import { describe, typeError } from "../args.js";
import { closedStdio } from "../core/descriptor_os.js";
import { EBADF, EIO, set_errno } from "./errno.js";
import type { FILE } from "./printf.js";

/** The descriptor of the `FILE *` argument `arg` of `fn`. */
export function fileno(fn: string, stream: unknown, arg = "stream"): number {
  const fd = (stream as FILE | null)?.fd;
  if (typeof stream !== "object" || typeof fd !== "number" || !Number.isInteger(fd) || fd < 0)
    throw typeError(fn, arg, `must be a FILE (stdout, stderr or { fd }), got ${describe(stream)}`);
  return fd;
}

/** Writes b to the `FILE *` argument `arg` of `fn` (checked): its length, or -1 with errno set. */
export function writeStream(fn: string, arg: string, stream: unknown, b: Uint8Array): number {
  return emit(fileno(fn, stream, arg), b);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of b to fd; returns its length, or -1 with errno set (a bad format is -1 too). */
export function emit(fd: number, b: Uint8Array | null): number {
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
      set_errno(typeof err.errno === "number" ? Math.abs(err.errno) : EIO);
      return -1;
    }
  }
  return b.length;
}
