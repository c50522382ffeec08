// The file calls of <fcntl.h>, <sys/stat.h> and <unistd.h> that ported
// programs make (contract item 12), with C's return conventions: -1 and errno
// on failure. open returns the real OS descriptor; the descriptor layer adopts
// it on first use, so read, write, close and event_new work on it as on any
// descriptor. A NULL path or stat buffer is the kernel's EFAULT, as in C.
import { execFileSync } from "node:child_process";
import {
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  rmdirSync,
  statSync,
  unlinkSync,
  type BigIntStats,
} from "node:fs";
import { describe, int, typeError } from "../args.js";
import { descriptorRoom } from "../core/descriptor.js";
import { descriptorOf } from "../core/descriptor_table.js";
import { errnoOf } from "../core/net_handles.js";
import { EBADF, EFAULT, EIO, EISDIR, EMFILE, errno, set_errno } from "./errno.js";
import { strerror } from "./errno_text.js";

export { O_RDWR } from "../core/net_constants.js";
/** <unistd.h>'s standard descriptors. */
export const STDIN_FILENO = 0;
export const STDOUT_FILENO = 1;
export const STDERR_FILENO = 2;

export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o60000;
export const S_IFDIR = 0o40000;
export const S_IFCHR = 0o20000;
export const S_IFIFO = 0o10000;

export const S_IRWXU = 0o700;
export const S_IRUSR = 0o400;
export const S_IWUSR = 0o200;
export const S_IXUSR = 0o100;
export const S_IRWXG = 0o70;
export const S_IRGRP = 0o40;
export const S_IWGRP = 0o20;
export const S_IXGRP = 0o10;
export const S_IRWXO = 0o7;
export const S_IROTH = 0o4;
export const S_IWOTH = 0o2;
export const S_IXOTH = 0o1;

const isType = (fn: string, type: number) => (m: number) =>
  (int(fn, "m", m) & S_IFMT) === type ? 1 : 0;

export const S_ISREG = isType("S_ISREG", S_IFREG);
export const S_ISDIR = isType("S_ISDIR", S_IFDIR);
export const S_ISFIFO = isType("S_ISFIFO", S_IFIFO);
export const S_ISSOCK = isType("S_ISSOCK", S_IFSOCK);
export const S_ISLNK = isType("S_ISLNK", S_IFLNK);
export const S_ISCHR = isType("S_ISCHR", S_IFCHR);
export const S_ISBLK = isType("S_ISBLK", S_IFBLK);

function fail(e: number): -1 {
  set_errno(e);
  return -1;
}

/** Runs a Node fs call: its result, or -1 with errno from Node's error. */
function attempt<T>(call: () => T): T | -1 {
  try {
    return call();
  } catch (e) {
    return fail(errnoOf(e));
  }
}

/** `const char *path`: a string or NUL-terminated bytes; null for NULL (EFAULT). */
function pathArg(fn: string, v: unknown): string | Buffer | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v.split("\0")[0];
  if (v instanceof Uint8Array) {
    const nul = v.indexOf(0);
    return Buffer.from(nul < 0 ? v : v.subarray(0, nul));
  }
  throw typeError(fn, "path", `must be a string, got ${describe(v)}`);
}

/** open(2): the new descriptor, or -1. `mode` (with O_CREAT) defaults to 0666, before the umask. */
export function open(path: string | Uint8Array, flags: number, mode?: number): number {
  const p = pathArg("open", path);
  const f = int("open", "flags", flags);
  const m = mode === undefined ? 0o666 : int("open", "mode", mode) & 0o7777;
  if (p === null) return fail(EFAULT);
  if (!descriptorRoom()) return fail(EMFILE);
  const fd = attempt(() => openSync(p, f, m));
  if (fd >= 0) descriptorOf(fd); // entered in the table now: it counts against RLIMIT_NOFILE
  return fd;
}

export function unlink(path: string | Uint8Array): number {
  const p = pathArg("unlink", path);
  return p === null ? fail(EFAULT) : attempt(() => (unlinkSync(p), 0));
}

/** mkdir(2): the directory made with `mode` less the umask, or -1. */
export function mkdir(path: string | Uint8Array, mode: number): number {
  const p = pathArg("mkdir", path);
  const m = int("mkdir", "mode", mode) & 0o7777;
  return p === null ? fail(EFAULT) : attempt(() => (mkdirSync(p, { mode: m }), 0));
}

/** rmdir(2). */
export function rmdir(path: string | Uint8Array): number {
  const p = pathArg("rmdir", path);
  return p === null ? fail(EFAULT) : attempt(() => (rmdirSync(p), 0));
}

/** remove(3), as glibc's: unlink, and rmdir when the path is a directory (EISDIR). */
export function remove(path: string | Uint8Array): number {
  const p = pathArg("remove", path);
  if (p === null) return fail(EFAULT);
  if (unlink(p) === 0) return 0;
  return errno === EISDIR ? rmdir(p) : -1;
}

/** chdir(2): the process's working directory, which relative paths start from. */
export function chdir(path: string | Uint8Array): number {
  const p = pathArg("chdir", path);
  return p === null ? fail(EFAULT) : attempt(() => (process.chdir(String(p)), 0));
}

/**
 * mkfifo(3). Node has no mkfifo call: the mkfifo(1) tool makes the FIFO with
 * the permission bits less the umask, as mkfifo(3) would; its message ends in
 * the errno's text.
 */
export function mkfifo(path: string | Uint8Array, mode: number): number {
  const p = pathArg("mkfifo", path);
  const m = int("mkfifo", "mode", mode) & 0o777 & ~process.umask();
  if (p === null) return fail(EFAULT);
  try {
    execFileSync("mkfifo", ["-m", m.toString(8), "--", String(p)], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    });
    return 0;
  } catch (e) {
    const said = String((e as { stderr?: unknown }).stderr ?? "").trim();
    const known = Array.from({ length: 133 }, (_, i) => i + 1);
    return fail(known.find((i) => said.endsWith(`: ${strerror(i)}`)) ?? EIO);
  }
}

/** `struct stat *buf` to fill: the caller's object. */
function statBuf(fn: string, v: unknown): object | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object")
    throw typeError(fn, "buf", `must be a struct stat object to fill, got ${describe(v)}`);
  return v;
}

function timespec(ns: bigint): { tv_sec: number; tv_nsec: number } {
  const nsec = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n; // before 1970 too
  return { tv_sec: Number((ns - nsec) / 1_000_000_000n), tv_nsec: Number(nsec) };
}

/** Fills `buf` with struct stat's fields (st_atime/st_mtime/st_ctime are the seconds of st_atim/...). */
function fill(buf: object, s: BigIntStats): 0 {
  const atim = timespec(s.atimeNs);
  const mtim = timespec(s.mtimeNs);
  const ctim = timespec(s.ctimeNs);
  Object.assign(buf, {
    st_dev: Number(s.dev),
    st_ino: Number(s.ino),
    st_mode: Number(s.mode),
    st_nlink: Number(s.nlink),
    st_uid: Number(s.uid),
    st_gid: Number(s.gid),
    st_rdev: Number(s.rdev),
    st_size: Number(s.size),
    st_blksize: Number(s.blksize),
    st_blocks: Number(s.blocks),
    st_atim: atim,
    st_mtim: mtim,
    st_ctim: ctim,
    st_atime: atim.tv_sec,
    st_mtime: mtim.tv_sec,
    st_ctime: ctim.tv_sec,
  });
  return 0;
}

/** stat(2): 0 and `buf` (a `{}`) filled, or -1. */
export function stat(path: string | Uint8Array, buf: object): number {
  const p = pathArg("stat", path);
  const b = statBuf("stat", buf);
  if (p === null || b === null) return fail(EFAULT);
  return attempt(() => fill(b, statSync(p, { bigint: true })));
}

/** lstat(2): as stat, of a symbolic link itself. */
export function lstat(path: string | Uint8Array, buf: object): number {
  const p = pathArg("lstat", path);
  const b = statBuf("lstat", buf);
  if (p === null || b === null) return fail(EFAULT);
  return attempt(() => fill(b, lstatSync(p, { bigint: true })));
}

/** fstat(2) of a real OS descriptor (a socket not yet bound or connected has none: EBADF). */
export function fstat(fd: number, buf: object): number {
  const f = int("fstat", "fd", fd);
  const b = statBuf("fstat", buf);
  if (b === null) return fail(EFAULT);
  if (f < 0 || f > 0x7fffffff) return fail(EBADF);
  return attempt(() => fill(b, fstatSync(f, { bigint: true })));
}
