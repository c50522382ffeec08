// Stand-ins for the <sys/stat.h>, <fcntl.h> and <unistd.h> file calls that
// sample/event-read-fifo.c makes and bufferevent/libc does not offer (yet):
// lstat, mkfifo, open, unlink, with C's return conventions (-1 and errno).
// Node has no mkfifo call, so the mkfifo(1) tool makes the FIFO.
import { execFileSync } from "node:child_process";
import { constants, lstatSync, openSync, unlinkSync } from "node:fs";
import { set_errno } from "bufferevent/libc";

export const O_RDONLY = constants.O_RDONLY;
export const S_IFMT = constants.S_IFMT;
export const S_IFREG = constants.S_IFREG;
export const S_IFIFO = constants.S_IFIFO;
export const EEXIST = 17;

/** Node's errors carry the negative errno; C reports -1 and sets errno. */
function fail(e: unknown): -1 {
  set_errno(-((e as { errno?: number }).errno ?? -5));
  return -1;
}

/** Fills `st.st_mode` (the only field the sample reads). */
export function lstat(path: string, st: { st_mode?: number }): number {
  try {
    st.st_mode = lstatSync(path).mode;
    return 0;
  } catch (e) {
    return fail(e);
  }
}

export function unlink(path: string): number {
  try {
    unlinkSync(path);
    return 0;
  } catch (e) {
    return fail(e);
  }
}

export function mkfifo(path: string, mode: number): number {
  if (lstat(path, {}) === 0) return (set_errno(EEXIST), -1);
  try {
    execFileSync("mkfifo", ["-m", mode.toString(8), "--", path], { stdio: "ignore" });
    return 0;
  } catch {
    return (set_errno(13 /* EACCES: mkfifo(1) says no more than that */), -1);
  }
}

/** A real descriptor: the library adopts it on first use, as epoll would see it. */
export function open(path: string, flags: number, mode = 0): number {
  try {
    return openSync(path, flags, mode);
  } catch (e) {
    return fail(e);
  }
}
