// The <fcntl.h>/<sys/stat.h>/<unistd.h> file calls: real descriptors that
// read, write, close and event_new accept, C's -1/errno failures, struct stat
// filled in place as fs.statSync sees the file, and FIFOs.
import { expect } from "chai";
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ev from "../src/event2/event.js";
import {
  EBADF,
  EEXIST,
  EFAULT,
  EISDIR,
  ENOENT,
  ENOTDIR,
  O_APPEND,
  O_CREAT,
  O_EXCL,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_ISDIR,
  S_ISFIFO,
  S_ISREG,
  close,
  errno,
  fstat,
  lstat,
  chdir,
  ENOTEMPTY,
  mkdir,
  mkfifo,
  open,
  read,
  remove,
  rmdir,
  set_errno,
  stat,
  strerror,
  unlink,
  write,
} from "../src/libc/index.js";

const dir = mkdtempSync(join(tmpdir(), "libc-files-"));
const umask = process.umask();

/** The call's result and errno (cleared first). */
function call(f: () => number): [number, number] {
  set_errno(0);
  const r = f();
  return [r, errno];
}

function readAll(fd: number): string {
  const b = new Uint8Array(64);
  const n = read(fd, b, 64);
  return Buffer.from(b.subarray(0, n)).toString();
}

describe("libc file calls", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("has Linux's values for the flags and the errno constants it adds", () => {
    expect([
      O_RDONLY,
      O_WRONLY,
      O_RDWR,
      O_CREAT,
      O_EXCL,
      O_TRUNC,
      O_APPEND,
      O_NONBLOCK,
    ]).to.deep.equal([0, 1, 2, 0o100, 0o200, 0o1000, 0o2000, 0o4000]);
    expect([EEXIST, ENOTDIR, EISDIR].map((e) => [e, strerror(e)])).to.deep.equal([
      [17, "File exists"],
      [20, "Not a directory"],
      [21, "Is a directory"],
    ]);
  });

  it("open, write and close a new file, then open and read it back", () => {
    const path = join(dir, "data");
    const w = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o640);
    expect(w).to.be.at.least(3);
    expect(write(w, "hello, ", 7)).to.equal(7);
    expect(write(w, "file", 4)).to.equal(4);
    expect(close(w)).to.equal(0);
    expect(readFileSync(path, "utf8")).to.equal("hello, file");
    expect(statSync(path).mode & 0o777).to.equal(0o640 & ~umask);

    const a = open(path, O_WRONLY | O_APPEND);
    expect(write(a, "!", 1)).to.equal(1);
    expect(close(a)).to.equal(0);

    const r = open(path, O_RDONLY);
    expect(readAll(r)).to.equal("hello, file!");
    expect(read(r, new Uint8Array(4), 4)).to.equal(0); // end of file
    expect(call(() => write(r, "x", 1))).to.deep.equal([-1, EBADF]); // opened read-only
    expect(close(r)).to.equal(0);
    expect(call(() => close(r))).to.deep.equal([-1, EBADF]);
  });

  it("O_CREAT|O_EXCL on an existing file, a missing path, a directory: -1 and errno", () => {
    const path = join(dir, "exists");
    writeFileSync(path, "x");
    expect(call(() => open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600))).to.deep.equal([-1, EEXIST]);
    expect(call(() => open(join(dir, "missing"), O_RDONLY))).to.deep.equal([-1, ENOENT]);
    expect(call(() => open(join(path, "below"), O_RDONLY))).to.deep.equal([-1, ENOTDIR]);
    expect(call(() => open(dir, O_WRONLY))).to.deep.equal([-1, EISDIR]);
    expect(call(() => open(null as any, O_RDONLY))).to.deep.equal([-1, EFAULT]);
  });

  it("takes a NUL-terminated byte path as C's char * is", () => {
    const path = join(dir, "bytes");
    writeFileSync(path, "via bytes");
    const fd = open(Buffer.from(path + "\0garbage"), O_RDONLY);
    expect(readAll(fd)).to.equal("via bytes");
    expect(close(fd)).to.equal(0);
  });

  it("stat, lstat and fstat fill the caller's struct as fs.statSync sees the file", () => {
    const path = join(dir, "statted");
    writeFileSync(path, "twelve bytes");
    const link = join(dir, "link");
    symlinkSync(path, link);
    const want = statSync(path, { bigint: true });
    const st: any = {};
    expect(stat(path, st)).to.equal(0);
    expect(st).to.include({
      st_dev: Number(want.dev),
      st_ino: Number(want.ino),
      st_mode: Number(want.mode),
      st_nlink: Number(want.nlink),
      st_uid: Number(want.uid),
      st_gid: Number(want.gid),
      st_size: 12,
      st_blocks: Number(want.blocks),
      st_mtime: Number(want.mtimeNs / 1_000_000_000n),
    });
    expect(st.st_mtim).to.deep.equal({
      tv_sec: st.st_mtime,
      tv_nsec: Number(want.mtimeNs % 1_000_000_000n),
    });
    expect([S_ISREG(st.st_mode), S_ISDIR(st.st_mode), st.st_mode & S_IFMT]).to.deep.equal([
      1,
      0,
      S_IFREG,
    ]);

    const viaLink: any = {};
    expect(stat(link, viaLink)).to.equal(0);
    expect(viaLink.st_ino).to.equal(st.st_ino);
    const ofLink: any = {};
    expect(lstat(link, ofLink)).to.equal(0);
    expect([ofLink.st_mode & S_IFMT, ofLink.st_ino]).to.deep.equal([
      S_IFLNK,
      Number(lstatSync(link, { bigint: true }).ino),
    ]);

    const fd = open(path, O_RDONLY);
    const ofFd: any = {};
    expect(fstat(fd, ofFd)).to.equal(0);
    expect(ofFd).to.deep.equal(st);
    expect(close(fd)).to.equal(0);
    expect(call(() => fstat(fd, {}))).to.deep.equal([-1, EBADF]);

    const d: any = {};
    expect([stat(dir, d), S_ISDIR(d.st_mode)]).to.deep.equal([0, 1]);
    expect(call(() => stat(join(dir, "missing"), {}))).to.deep.equal([-1, ENOENT]);
    expect(call(() => lstat(join(path, "x"), {}))).to.deep.equal([-1, ENOTDIR]);
    expect(call(() => stat(path, null as any))).to.deep.equal([-1, EFAULT]);
  });

  it("unlink removes a file; a missing one is ENOENT, a directory EISDIR", () => {
    const path = join(dir, "doomed");
    writeFileSync(path, "");
    expect(unlink(path)).to.equal(0);
    expect(call(() => stat(path, {}))).to.deep.equal([-1, ENOENT]);
    expect(call(() => unlink(path))).to.deep.equal([-1, ENOENT]);
    expect(call(() => unlink(dir))).to.deep.equal([-1, EISDIR]);
  });

  it("mkdir makes a directory with the mode less the umask; rmdir, remove and chdir as glibc's", () => {
    const d = join(dir, "made");
    expect(call(() => mkdir(Buffer.from(d + "\0junk"), 0o751))).to.deep.equal([0, 0]);
    expect(statSync(d).mode & 0o7777).to.equal(0o751 & ~umask);
    expect(call(() => mkdir(d, 0o700))).to.deep.equal([-1, EEXIST]);
    expect(call(() => mkdir(join(dir, "no", "such"), 0o700))).to.deep.equal([-1, ENOENT]);
    writeFileSync(join(d, "f"), "x");
    expect(call(() => rmdir(d))).to.deep.equal([-1, ENOTEMPTY]);
    expect(call(() => remove(join(d, "f")))).to.deep.equal([0, 0]); // a file: unlink
    expect(call(() => remove(join(d, "f")))).to.deep.equal([-1, ENOENT]);
    const here = process.cwd();
    try {
      expect(call(() => chdir(d))).to.deep.equal([0, 0]);
      expect(open("rel", O_WRONLY | O_CREAT, 0o600)).to.be.at.least(0); // relative to the new directory
      expect(statSync(join(d, "rel")).isFile()).to.equal(true);
      expect(call(() => chdir(join(dir, "no-such")))).to.deep.equal([-1, ENOENT]);
      expect(call(() => chdir(join(d, "rel")))).to.deep.equal([-1, ENOTDIR]);
    } finally {
      process.chdir(here);
    }
    unlink(join(d, "rel"));
    // a directory: unlink fails with EISDIR, then rmdir succeeds, leaving errno EISDIR as glibc does
    expect(call(() => remove(d))).to.deep.equal([0, EISDIR]);
    expect(() => statSync(d)).to.throw(/ENOENT/);
    expect(call(() => rmdir(null as any))).to.deep.equal([-1, EFAULT]);
  });

  it("mkfifo makes a FIFO with the mode less the umask; an existing path is EEXIST", () => {
    const path = join(dir, "fifo");
    expect(mkfifo(path, 0o666)).to.equal(0);
    const st: any = {};
    expect(stat(path, st)).to.equal(0);
    expect([S_ISFIFO(st.st_mode), st.st_mode & S_IFMT, st.st_mode & 0o777]).to.deep.equal([
      1,
      S_IFIFO,
      0o666 & ~umask,
    ]);
    expect(call(() => mkfifo(path, 0o600))).to.deep.equal([-1, EEXIST]);
    expect(call(() => mkfifo(join(dir, "no", "such"), 0o600))).to.deep.equal([-1, ENOENT]);
    expect(unlink(path)).to.equal(0);
  });

  it("event_new with EV_READ on an opened FIFO fires when a writer writes, then sees EOF", async () => {
    const path = join(dir, "events.fifo");
    expect(mkfifo(path, 0o600)).to.equal(0);
    const fd = open(path, O_RDONLY | O_NONBLOCK);
    const writer = open(path, O_WRONLY);
    expect(write(writer, "through the fifo", 16)).to.equal(16);
    expect(close(writer)).to.equal(0);
    const base = ev.event_base_new()!;
    const seen: string[] = [];
    const e = ev.event_new(
      base,
      fd,
      ev.EV_READ | ev.EV_PERSIST,
      (f, what) => {
        const b = new Uint8Array(64);
        const n = read(f, b, 64);
        seen.push(`${what}:${n > 0 ? Buffer.from(b.subarray(0, n)).toString() : n}`);
        if (n <= 0) ev.event_del(e);
      },
      null,
    )!;
    expect(ev.event_add(e, null)).to.equal(0);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(seen).to.deep.equal([`${ev.EV_READ}:through the fifo`, `${ev.EV_READ}:0`]);
    ev.event_free(e);
    ev.event_base_free(base);
    expect(close(fd)).to.equal(0);
    expect(unlink(path)).to.equal(0);
  });

  it("throws on arguments C could not have passed, naming the call and the argument", () => {
    expect(() => open(42 as any, O_RDONLY)).to.throw(TypeError, /open: argument 'path'/);
    expect(() => open(join(dir, "x"), "r" as any)).to.throw(TypeError, /open: argument 'flags'/);
    expect(() => open(join(dir, "x"), O_CREAT, 1.5)).to.throw(RangeError, /open: argument 'mode'/);
    expect(() => stat(join(dir, "x"), 5 as any)).to.throw(TypeError, /stat: argument 'buf'/);
    expect(() => lstat({} as any, {})).to.throw(TypeError, /lstat: argument 'path'/);
    expect(() => fstat("0" as any, {})).to.throw(TypeError, /fstat: argument 'fd'/);
    expect(() => mkfifo(join(dir, "x"), "600" as any)).to.throw(
      TypeError,
      /mkfifo: argument 'mode'/,
    );
    expect(call(() => unlink(undefined as any))).to.deep.equal([-1, EFAULT]);
    expect(() => S_ISREG("x" as any)).to.throw(TypeError, /S_ISREG: argument 'm'/);
  });
});
