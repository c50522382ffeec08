// evbuffer_read / evbuffer_write(_atmost) and the descriptor calls under them.
//
// fdRead/fdWrite/fdReadable are the only places that touch a descriptor.
// On their own they do readv/writev on real OS descriptors (files, pipes)
// with Node's synchronous fs calls; the descriptor layer of the library
// plugs its own table in with setDescriptorLookup, so the same evbuffer code
// reads and writes the sockets it manages.
import { readvSync, writevSync } from "node:fs";
import { constants } from "node:os";
import { CHUNK_SENDFILE } from "./chunk.js";
import type { Evbuffer } from "./evbuffer.js";
import type { Iovec } from "./evbuffer_search.js";
import * as space from "./evbuffer_space.js";

/** What a descriptor can do (a managed socket, or a plain OS descriptor). */
export interface DescriptorIO {
  /** readv(2): bytes read, 0 at end of file, -1 with the error recorded (setLastErrno). */
  read(fd: number, vecs: Uint8Array[]): number;
  /** writev(2): bytes written, or -1 with the error recorded. */
  write(fd: number, vecs: Uint8Array[]): number;
  /** ioctl(FIONREAD): bytes readable at once, or -1 if unknown. */
  readable(fd: number): number;
}

/** EVBUFFER_MAX_READ */
const MAX_READ = 4096;
/** NUM_READ_IOVEC */
const NUM_READ_IOVEC = 4;
/** NUM_WRITE_IOVEC */
const NUM_WRITE_IOVEC = 128;
const EAGAIN = constants.errno.EAGAIN;

let lastErrno = 0;

/** The errno of the last failed descriptor call made here. */
export function getLastErrno(): number {
  return lastErrno;
}

export function setLastErrno(e: number): void {
  lastErrno = e;
}

function errnoOf(err: unknown): number {
  const e = err as { errno?: number; code?: string };
  if (typeof e?.errno === "number") return Math.abs(e.errno);
  const byName = e?.code ? (constants.errno as Record<string, number>)[e.code] : undefined;
  return byName ?? constants.errno.EIO;
}

/** Plain OS descriptors, through Node's synchronous fs calls. */
export const osDescriptors: DescriptorIO = {
  read(fd, vecs) {
    if (vecs.length === 0) return 0;
    try {
      return readvSync(fd, vecs);
    } catch (err) {
      lastErrno = errnoOf(err);
      return -1;
    }
  },
  write(fd, vecs) {
    if (vecs.length === 0) return 0;
    try {
      return writevSync(fd, vecs);
    } catch (err) {
      lastErrno = errnoOf(err);
      return -1;
    }
  },
  readable() {
    return -1; // Node offers no FIONREAD on raw descriptors
  },
};

let lookup: ((fd: number) => DescriptorIO | null) | null = null;

/** Installs the library's descriptor table: descriptors it knows use their own I/O. */
export function setDescriptorLookup(fn: ((fd: number) => DescriptorIO | null) | null): void {
  lookup = fn;
}

function io(fd: number): DescriptorIO {
  return (lookup && lookup(fd)) || osDescriptors;
}

export function fdRead(fd: number, vecs: Uint8Array[]): number {
  return io(fd).read(fd, vecs);
}

export function fdWrite(fd: number, vecs: Uint8Array[]): number {
  return io(fd).write(fd, vecs);
}

export function fdReadable(fd: number): number {
  return io(fd).readable(fd);
}

const readVecs: Iovec[] = [];
const views: Uint8Array[] = [];

/** evbuffer_read: reads at most min(howmuch, readable, 4096) bytes. Count, 0 at EOF, or -1. */
export function readFd(buf: Evbuffer, fd: number, howmuch: number): number {
  if (buf.freezeEnd) return -1;
  let n = fdReadable(fd);
  if (n <= 0 || n > MAX_READ) n = MAX_READ;
  if (howmuch < 0 || howmuch > n) howmuch = n;
  buf.gen++;
  if (space.expandFast(buf, howmuch, NUM_READ_IOVEC) === -1) return -1;
  const nvecs = space.setupVecs(buf, howmuch, readVecs, NUM_READ_IOVEC, true);
  views.length = nvecs;
  for (let i = 0; i < nvecs; i++) views[i] = readVecs[i].iov_base!;
  n = fdRead(fd, views);
  views.length = 0;
  for (let i = 0; i < nvecs; i++) readVecs[i].iov_base = null;
  if (n < 0) return -1;
  if (n === 0) return 0;
  space.commitRead(buf, n, nvecs);
  return n;
}

/** evbuffer_write_atmost: writes up to howmuch bytes (all if < 0) and drains them. */
export function writeFd(buf: Evbuffer, fd: number, howmuch: number): number {
  if (buf.freezeStart) return -1;
  if (howmuch < 0 || howmuch > buf.totalLen) howmuch = buf.totalLen;
  let n = -1;
  if (howmuch > 0) {
    const first = buf.first;
    if (first && first.flags & CHUNK_SENDFILE) {
      // sendfile sends the whole first chunk; EAGAIN counts as nothing sent.
      views[0] = first.view(0, first.off);
      views.length = 1;
      n = fdWrite(fd, views);
      if (n < 0 && lastErrno === EAGAIN) n = 0;
    } else {
      let i = 0;
      for (let c = first; c && i < NUM_WRITE_IOVEC && howmuch; c = c.next) {
        if (c.flags & CHUNK_SENDFILE) break;
        if (howmuch >= c.off) {
          views[i++] = c.view(0, c.off);
          howmuch -= c.off;
        } else {
          views[i++] = c.view(0, howmuch);
          break;
        }
      }
      views.length = i;
      n = i ? fdWrite(fd, views) : 0;
    }
    views.length = 0;
  }
  if (n > 0) buf.drain(n);
  return n;
}
