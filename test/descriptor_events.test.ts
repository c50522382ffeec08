// Events on descriptors fire as epoll makes libevent fire them: listening
// sockets, bytes, EOF and EV_CLOSED, room to write, level- and
// edge-triggered, close inside a callback; pipes, FIFOs and stdin; and the
// descriptor layer's bounds and engine calls. All over real loopback.
import { expect } from "chai";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, rmSync, writeFileSync, constants as fsc } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Socket } from "node:net";
import type { Chunk } from "../src/core/chunk.js";
import { fdOf, streamFor } from "../src/core/descriptor_table.js";
import { connectFd, connectStream, socketpairStreams } from "../src/core/net_connect.js";
import * as buf from "../src/event2/buffer.js";
import * as be from "../src/event2/bufferevent.js";
import * as ev from "../src/event2/event.js";
import { evutil_make_socket_nonblocking, evutil_socketpair } from "../src/event2/util_sockets.js";
import {
  AF_INET,
  AF_UNIX,
  EAGAIN,
  EBADF,
  ECONNREFUSED,
  EINPROGRESS,
  INADDR_LOOPBACK,
  SHUT_WR,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  accept,
  bind,
  close,
  connect,
  errno,
  getsockname,
  htonl,
  listen,
  ntohs,
  read,
  recv,
  send,
  shutdown,
  socket,
  write,
} from "../src/libc/index.js";
import { projectRoot } from "./support/cc.js";

type Sa = Record<string, any>;
type Base = NonNullable<ReturnType<typeof ev.event_base_new>>;

const dir = mkdtempSync(join(tmpdir(), "descriptor-events-"));
const opened: number[] = [];
const track = (fd: number) => (fd >= 0 && opened.push(fd), fd);
/** A stream read's bytes as text (it returns a chunk full of them, or a number). */
const text = (r: Chunk | number) =>
  typeof r === "number" ? `(${r})` : r.view(0, r.off).toString("latin1");

function listener(): { fd: number; addr: Sa } {
  const fd = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  const sa = { sin_family: AF_INET, sin_port: 0, sin_addr: { s_addr: htonl(INADDR_LOOPBACK) } };
  expect(bind(fd, sa, 16)).to.equal(0);
  expect(listen(fd, 16)).to.equal(0);
  const addr: Sa = {};
  getsockname(fd, addr, null);
  return { fd, addr };
}

async function ready(fd: number, what: number): Promise<number> {
  const base = ev.event_base_new()!;
  let got = 0;
  ev.event_base_once(base, fd, what, (_f, w) => (got = w), null, null);
  await ev.event_base_dispatch(base);
  ev.event_base_free(base);
  return got;
}

/** A connected TCP pair [client, server], both non-blocking. */
async function tcpPair(): Promise<[number, number]> {
  const l = listener();
  const c = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  expect([connect(c, l.addr, 16), errno]).to.deep.equal([-1, EINPROGRESS]);
  await ready(l.fd, ev.EV_READ);
  const s = track(accept(l.fd, null, null));
  evutil_make_socket_nonblocking(s);
  await ready(c, ev.EV_WRITE);
  return [c, s];
}

/** Bytes queued for reading on `fd`, by peeking (waits until `n` are there). */
async function waitQueued(fd: number, n: number): Promise<void> {
  const b = new Uint8Array(n);
  while (recv(fd, b, n, 2 /* MSG_PEEK */) < n) await ready(fd, ev.EV_READ);
}

/** Sends until the send buffer stays full across Node turns; returns the bytes accepted. */
async function fillUp(fd: number, data: Uint8Array, sent: Buffer[]): Promise<number> {
  let total = 0;
  for (let idle = 0; idle < 3;) {
    const n = send(fd, data, data.length, 0);
    if (n > 0) {
      sent.push(Buffer.from(data.subarray(0, n)));
      total += n;
      idle = 0;
      continue;
    }
    expect(errno).to.equal(EAGAIN);
    idle++;
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
  return total;
}

function logs(fn: () => unknown): string[] {
  const out: string[] = [];
  ev.event_set_log_callback((_s, m) => out.push(m));
  try {
    fn();
  } finally {
    ev.event_set_log_callback(null);
  }
  return out;
}

describe("descriptor events", () => {
  let base: Base;
  beforeEach(() => {
    base = ev.event_base_new()!;
  });
  afterEach(() => {
    ev.event_base_free(base);
    for (const fd of opened.splice(0)) close(fd);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a listening socket is readable while connections wait; accept until EAGAIN takes them all", async () => {
    const l = listener();
    for (let i = 0; i < 3; i++)
      connect(track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)), l.addr, 16);
    const perCall: number[] = [];
    const ends: number[] = [];
    const e = ev.event_new(
      base,
      l.fd,
      ev.EV_READ | ev.EV_PERSIST,
      (fd, what) => {
        expect(what).to.equal(ev.EV_READ);
        let n = 0;
        for (let s; (s = accept(fd, null, null)) >= 0; n++) track(s);
        ends.push(errno);
        perCall.push(n);
        if (perCall.reduce((a, b) => a + b) === 3) ev.event_free(e);
      },
      null,
    )!;
    ev.event_add(e, null);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(perCall.every((n) => n >= 1)).to.equal(true);
    expect(ends.every((x) => x === EAGAIN)).to.equal(true);
  });

  it("level-triggered: a callback that leaves bytes queued is called again", async () => {
    const [c, s] = await tcpPair();
    send(c, "abcdefghij", 10, 0);
    await waitQueued(s, 10);
    const reads: string[] = [];
    const e = ev.event_new(
      base,
      s,
      ev.EV_READ | ev.EV_PERSIST,
      (fd, what) => {
        expect(what).to.equal(ev.EV_READ);
        const b = new Uint8Array(3);
        const n = recv(fd, b, 3, 0);
        reads.push(Buffer.from(b.subarray(0, n)).toString());
        if (reads.join("").length === 10) ev.event_free(e);
      },
      null,
    )!;
    ev.event_add(e, null);
    await ev.event_base_dispatch(base);
    expect(reads).to.deep.equal(["abc", "def", "ghi", "j"]);
  });

  it("EV_ET: called once per arrival, with EV_ET in what, not again while bytes remain", async () => {
    const [c, s] = await tcpPair();
    send(c, "abcdefghij", 10, 0);
    await waitQueued(s, 10);
    const whats: number[] = [];
    const e = ev.event_new(
      base,
      s,
      ev.EV_READ | ev.EV_ET | ev.EV_PERSIST,
      (fd, what) => {
        whats.push(what);
        recv(fd, new Uint8Array(1), 1, 0);
        if (whats.length === 1) send(c, "k", 1, 0);
        else ev.event_base_loopexit(base, { tv_sec: 0, tv_usec: 50000 });
      },
      null,
    )!;
    ev.event_add(e, null);
    await ev.event_base_dispatch(base);
    ev.event_free(e);
    expect(whats).to.deep.equal([ev.EV_READ | ev.EV_ET, ev.EV_READ | ev.EV_ET]);
  });

  it("EV_ET: one epoll entry per descriptor and base — news it asks for, a new kind of event, or a state change wakes all its events", async () => {
    // The order and counts below are what libevent 2.1.12 prints for the same steps.
    const p: number[] = [];
    expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, p)).to.equal(0);
    p.forEach((fd) => evutil_make_socket_nonblocking(track(fd)));
    const got: string[] = [];
    const watch = (name: string, what: number) => {
      const e = ev.event_new(
        base,
        p[1],
        what | ev.EV_ET | ev.EV_PERSIST,
        (_f, w) => got.push(`${name} 0x${w.toString(16)}`),
        null,
      )!;
      ev.event_add(e, null);
      return e;
    };
    const steps = async (label: string, act: () => void) => {
      got.push(label);
      act();
      for (let i = 0; i < 2; i++)
        await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK | ev.EVLOOP_ONCE);
    };
    let wr: ev.Event, rd: ev.Event, rd2: ev.Event;
    await steps("add write", () => (wr = watch("write", ev.EV_WRITE)));
    await steps("bytes", () => send(p[0], "a", 1, 0)); // not asked for by a write-only entry
    await steps("add read", () => (rd = watch("read", ev.EV_READ))); // new kind: the entry is re-armed
    await steps("add a second read", () => (rd2 = watch("read2", ev.EV_READ))); // nothing new asked: no report
    await steps("bytes", () => send(p[0], "b", 1, 0));
    await steps("peer closes", () => {
      ev.event_free(rd);
      ev.event_free(rd2);
      close(p[0]);
    });
    ev.event_free(wr!);
    expect(got).to.deep.equal([
      "add write",
      "write 0x24",
      "bytes",
      "add read",
      "read 0x22",
      "write 0x24",
      "add a second read",
      "bytes",
      "read2 0x22",
      "read 0x22",
      "write 0x24",
      "peer closes",
      "write 0x24",
    ]);
  });

  it("EOF: EV_READ, EV_READ|EV_CLOSED and EV_CLOSED watchers each get theirs, newest first, every pass", async () => {
    const [c, s] = await tcpPair();
    const trace: string[] = [];
    const evs: ev.Event[] = [];
    const watch = (name: string, what: number) => {
      const e = ev.event_new(
        base,
        s,
        what | ev.EV_PERSIST,
        (_fd, got) => {
          trace.push(`${name} 0x${got.toString(16)}`);
          if (trace.length === 6) evs.forEach((x) => ev.event_free(x));
        },
        null,
      )!;
      evs.push(e);
      ev.event_add(e, null);
    };
    watch("read", ev.EV_READ);
    watch("read|closed", ev.EV_READ | ev.EV_CLOSED);
    watch("closed", ev.EV_CLOSED);
    expect(shutdown(c, SHUT_WR)).to.equal(0);
    await ev.event_base_dispatch(base);
    expect(trace).to.deep.equal([
      "closed 0x80",
      "read|closed 0x82",
      "read 0x2",
      "closed 0x80",
      "read|closed 0x82",
      "read 0x2",
    ]);
    expect(recv(s, new Uint8Array(4), 4, 0)).to.equal(0);
  });

  describe("a non-blocking pass sees what the program's own calls did, as epoll_wait(0) would", () => {
    /** A fresh socketpair: what `act` does to pair[0], then one EVLOOP_NONBLOCK pass on pair[1]. */
    async function onePass(events: number, act: (fd: number) => void): Promise<[number, number[]]> {
      const p: number[] = [];
      expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, p)).to.equal(0);
      p.forEach((fd) => evutil_make_socket_nonblocking(track(fd)));
      const got: number[] = [];
      const e = ev.event_new(
        base,
        p[1],
        events,
        (fd, w) => {
          got.push(w);
          recv(fd, new Uint8Array(1), 1, 0);
        },
        null,
      )!;
      ev.event_add(e, null);
      act(p[0]);
      const r = await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK);
      ev.event_free(e);
      return [r, got];
    }

    it("bytes sent to a socketpair made just before", async () => {
      expect(await onePass(ev.EV_READ, (fd) => send(fd, "x", 1, 0))).to.deep.equal([
        1,
        [ev.EV_READ],
      ]);
    });

    it("a shutdown or a close of the peer: EV_CLOSED", async () => {
      expect(await onePass(ev.EV_CLOSED, (fd) => shutdown(fd, SHUT_WR))).to.deep.equal([
        1,
        [ev.EV_CLOSED],
      ]);
      const closed = await onePass(ev.EV_CLOSED, (fd) => close(fd));
      expect(closed).to.deep.equal([1, [ev.EV_CLOSED]]);
    });

    it("a shutdown behind bytes the peer never reads does not hold the pass up", async () => {
      const p: number[] = [];
      expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, p)).to.equal(0);
      p.forEach((fd) => evutil_make_socket_nonblocking(track(fd)));
      await fillUp(p[0], new Uint8Array(65536), []);
      expect(shutdown(p[0], SHUT_WR)).to.equal(0);
      const t = ev.evtimer_new(base, () => {}, null)!;
      ev.evtimer_add(t, { tv_sec: 5, tv_usec: 0 });
      const late = new Promise((r) => setTimeout(() => r("still waiting"), 2000).unref());
      expect(await Promise.race([ev.event_base_loop(base, ev.EVLOOP_NONBLOCK), late])).to.equal(0);
      ev.event_free(t);
    });

    it("EV_ET: bytes and the EOF behind them are one edge, as both wait before the poll", async () => {
      const p: number[] = [];
      expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, p)).to.equal(0);
      p.forEach((fd) => evutil_make_socket_nonblocking(track(fd)));
      expect(send(p[0], "abc", 3, 0)).to.equal(3);
      expect(shutdown(p[0], SHUT_WR)).to.equal(0);
      const got: number[] = [];
      const e = ev.event_new(
        base,
        p[1],
        ev.EV_READ | ev.EV_ET | ev.EV_PERSIST,
        (fd, w) => {
          got.push(w);
          recv(fd, new Uint8Array(1), 1, 0);
        },
        null,
      )!;
      ev.event_add(e, null);
      expect(await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK | ev.EVLOOP_ONCE)).to.equal(0);
      expect(await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK | ev.EVLOOP_ONCE)).to.equal(0);
      ev.event_free(e);
      expect(got).to.deep.equal([ev.EV_READ | ev.EV_ET]);
    });
  });

  it("hung up after the peer's EOF (both directions shut): EV_CLOSED still fires, as libevent maps HUP with RDHUP", async () => {
    const [c, s] = await tcpPair();
    expect(shutdown(s, SHUT_WR)).to.equal(0);
    expect(shutdown(c, SHUT_WR)).to.equal(0);
    const got: string[] = [];
    const closed = ev.event_new(
      base,
      s,
      ev.EV_CLOSED,
      (_f, w) => got.push(`closed 0x${w.toString(16)}`),
      null,
    )!;
    const rd = ev.event_new(
      base,
      s,
      ev.EV_READ,
      (_f, w) => got.push(`read 0x${w.toString(16)}`),
      null,
    )!;
    ev.event_add(closed, null);
    ev.event_add(rd, null);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(got).to.deep.equal(["read 0x2", "closed 0x80"]);
    ev.event_free(closed);
    ev.event_free(rd);
  });

  it("a socket is writable at once; once its send buffer is full, only after the peer reads", async () => {
    const [c, s] = await tcpPair();
    expect(await ready(c, ev.EV_WRITE)).to.equal(ev.EV_WRITE);
    const sent: Buffer[] = [];
    const total = await fillUp(
      c,
      new Uint8Array(65536).map((_, i) => i * 7),
      sent,
    );
    // Nothing unbounded hides in Node: the sender holds at most its send buffer, the receiver its receive buffer.
    expect(streamFor(c)!.unflushed).to.be.at.most(128 * 1024);
    expect(streamFor(s)!.pending).to.be.below(256 * 1024 + 65536);
    const trace: string[] = [];
    const got: Buffer[] = [];
    let n = 0;
    const w = ev.event_new(
      base,
      c,
      ev.EV_WRITE | ev.EV_PERSIST,
      () => {
        trace.push("writable");
        ev.event_free(w);
      },
      null,
    )!;
    const r = ev.event_new(
      base,
      s,
      ev.EV_READ | ev.EV_PERSIST,
      (fd) => {
        const b = new Uint8Array(4096);
        const k = recv(fd, b, 4096, 0);
        if (k > 0) {
          if (trace.at(-1) !== "read") trace.push("read");
          got.push(Buffer.from(b.subarray(0, k)));
          n += k;
        }
        if (n === total) ev.event_free(r);
      },
      null,
    )!;
    ev.event_add(w, null);
    ev.event_add(r, null);
    await ev.event_base_dispatch(base);
    expect(trace[0]).to.equal("read");
    expect(trace).to.include("writable");
    expect(Buffer.concat(got).equals(Buffer.concat(sent))).to.equal(true);
  });

  it("an unconnected socket is reported readable and writable (hung up), as epoll reports it", async () => {
    const fd = track(socket(AF_INET, SOCK_STREAM, 0));
    expect(await ready(fd, ev.EV_READ | ev.EV_WRITE)).to.equal(ev.EV_READ | ev.EV_WRITE);
  });

  it("a refused connect wakes its EV_READ and EV_WRITE events, newest first", async () => {
    const l = listener();
    const addr = { ...l.addr };
    close(l.fd);
    const c = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    connect(c, addr, 16);
    const trace: string[] = [];
    const w = ev.event_new(base, c, ev.EV_WRITE, (_f, what) => trace.push(`w ${what}`), null)!;
    const r = ev.event_new(base, c, ev.EV_READ, (_f, what) => trace.push(`r ${what}`), null)!;
    ev.event_add(w, null);
    ev.event_add(r, null);
    await ev.event_base_dispatch(base);
    expect(trace).to.deep.equal([`r ${ev.EV_READ}`, `w ${ev.EV_WRITE}`]);
    expect(streamFor(c)!.connectError).to.equal(ECONNREFUSED);
  });

  it("closing a descriptor inside its callback: no callbacks in later passes, EBADF after, event_add refused with a warning", async () => {
    const [c, s] = await tcpPair();
    send(c, "x", 1, 0);
    let closed = false;
    let lateWrites = 0;
    let warnings: string[] = [];
    const w = ev.event_new(
      base,
      s,
      ev.EV_WRITE | ev.EV_PERSIST,
      () => closed && lateWrites++,
      null,
    )!;
    const r = ev.event_new(
      base,
      s,
      ev.EV_READ | ev.EV_PERSIST,
      (fd) => {
        expect(close(fd)).to.equal(0);
        closed = true;
        expect([recv(fd, new Uint8Array(1), 1, 0), errno]).to.deep.equal([-1, EBADF]);
        const again = ev.event_new(base, fd, ev.EV_READ, () => undefined, null)!;
        warnings = logs(() => expect(ev.event_add(again, null)).to.equal(-1));
        ev.event_free(again);
        ev.event_base_loopexit(base, { tv_sec: 0, tv_usec: 20000 });
      },
      null,
    )!;
    ev.event_add(w, null);
    ev.event_add(r, null);
    await ev.event_base_dispatch(base);
    ev.event_free(w);
    ev.event_free(r);
    opened.splice(opened.indexOf(s), 1);
    // An event already active in the pass of the close still runs (libevent does not cancel it); none after.
    expect(lateWrites).to.be.at.most(1);
    expect(warnings.join("\n")).to.contain(`${s}`);
  });

  it("a regular file cannot be watched: event_add is -1 with libevent's epoll warning, word for word", () => {
    const path = join(dir, "plain");
    writeFileSync(path, "x");
    const fd = track(openSync(path, "r"));
    const e = ev.event_new(base, fd, ev.EV_READ, () => undefined, null)!;
    const said = (bits: number, r: number, w: number, c: number) =>
      `Epoll ADD(${bits}) on fd ${fd} failed. Old events were 0; ` +
      `read change was ${r} (${r ? "add" : "none"}); write change was ${w} (${w ? "add" : "none"}); ` +
      `close change was ${c} (${c ? "add" : "none"}): Operation not permitted`;
    let w = logs(() => expect(ev.event_add(e, null)).to.equal(-1));
    expect(w).to.deep.equal([said(1, 1, 0, 0)]);
    // The same after the descriptor layer has read from it.
    expect(read(fd, new Uint8Array(1), 1)).to.equal(1);
    w = logs(() => expect(ev.event_add(e, null)).to.equal(-1));
    expect(w).to.deep.equal([said(1, 1, 0, 0)]);
    // epoll's bits as a signed int, and each change (EV_ET marks a change with 0x20).
    for (const [what, expected] of [
      [ev.EV_WRITE, said(4, 0, 1, 0)],
      [ev.EV_READ | ev.EV_WRITE | ev.EV_PERSIST, said(5, 1, 1, 0)],
      [ev.EV_CLOSED, said(8192, 0, 0, 1)],
      [ev.EV_WRITE | ev.EV_CLOSED, said(8196, 0, 1, 1)],
      [ev.EV_READ | ev.EV_ET, said(-2147483647, 33, 0, 0)],
    ] as const) {
      const x = ev.event_new(base, fd, what, () => undefined, null)!;
      expect(logs(() => expect(ev.event_add(x, null)).to.equal(-1))).to.deep.equal([expected]);
      ev.event_free(x);
    }
    ev.event_free(e);
    expect(streamFor(fd)).to.equal(null);
  });

  it("a FIFO carries EV_READ: what is written to it is read back", async () => {
    const path = join(dir, "fifo");
    execFileSync("mkfifo", [path]);
    const fd = track(openSync(path, fsc.O_RDWR));
    expect(write(fd, "through a fifo", 14)).to.equal(14);
    let got = "";
    const e = ev.event_new(
      base,
      fd,
      ev.EV_READ | ev.EV_PERSIST,
      (f, what) => {
        expect(what).to.equal(ev.EV_READ);
        const b = new Uint8Array(64);
        const n = read(f, b, 64);
        got += Buffer.from(b.subarray(0, n)).toString();
        if (got.length === 14) ev.event_free(e);
      },
      null,
    )!;
    ev.event_add(e, null);
    await ev.event_base_dispatch(base);
    expect(got).to.equal("through a fifo");
    expect([read(fd, new Uint8Array(4), 4), errno]).to.deep.equal([-1, EAGAIN]);
  });

  describe("in a child process", () => {
    const dist = join(projectRoot, "dist", "src");
    const run = (code: string, input?: string) =>
      spawnSync(process.execPath, ["--input-type=module", "-e", code], {
        input,
        encoding: "utf8",
        timeout: 15000,
      });

    it("fd 0 (stdin, a pipe) carries EV_READ and read() takes its lines until EOF", () => {
      const r = run(
        `import * as ev from "${dist}/event2/event.js";
         import { read, printf } from "${dist}/libc/index.js";
         const base = ev.event_base_new();
         const e = ev.event_new(base, 0, ev.EV_READ | ev.EV_PERSIST, (fd) => {
           const b = new Uint8Array(100);
           const n = read(fd, b, 100);
           if (n <= 0) { printf("eof %d\\n", n); ev.event_free(e); }
           else printf("got %d\\n", n);
         }, null);
         ev.event_add(e, null);
         printf("dispatch %d\\n", await ev.event_base_dispatch(base));`,
        "hello\n",
      );
      expect(r.stdout).to.equal("got 6\neof 0\ndispatch 1\n");
    });

    it("sockets the library holds never keep Node alive once no loop runs", () => {
      const r = run(
        `import * as ev from "${dist}/event2/event.js";
         import * as L from "${dist}/libc/index.js";
         import { evutil_socketpair } from "${dist}/event2/util_sockets.js";
         const ls = L.socket(L.AF_INET, L.SOCK_STREAM, 0);
         const sa = { sin_family: L.AF_INET, sin_port: 0, sin_addr: { s_addr: L.htonl(L.INADDR_LOOPBACK) } };
         L.bind(ls, sa, 16); L.listen(ls, 4); L.getsockname(ls, sa, null);
         const c = L.socket(L.AF_INET, L.SOCK_STREAM | L.SOCK_NONBLOCK, 0);
         L.connect(c, sa, 16);
         const pair = [];
         evutil_socketpair(L.AF_UNIX, L.SOCK_STREAM, 0, pair);
         L.send(pair[0], "unread", 6, 0);
         const base = ev.event_base_new();
         const e = ev.event_new(base, ls, ev.EV_READ, (fd) => { L.accept(fd, null, null); }, null);
         ev.event_add(e, null);
         L.printf("dispatch %d\\n", await ev.event_base_dispatch(base));`,
      );
      expect([r.status, r.stdout]).to.deep.equal([0, "dispatch 1\n"]);
    });
  });

  it("bulk bytes both ways over TCP and an AF_UNIX socketpair arrive intact", async () => {
    const pairs: [number, number][] = [await tcpPair()];
    const sp: number[] = [];
    expect(evutil_socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp)).to.equal(0);
    pairs.push([track(sp[0]), track(sp[1])]);
    const SIZE = 3 << 20;
    const data = Buffer.alloc(SIZE);
    for (let i = 0; i < SIZE; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
    const digest = (b: Buffer) => createHash("sha1").update(b).digest("hex");
    let live = 0;
    const results: string[] = [];
    const flow = (from: number, to: number) => {
      let off = 0;
      const got: Buffer[] = [];
      let n = 0;
      live++;
      const w = ev.event_new(
        base,
        from,
        ev.EV_WRITE | ev.EV_PERSIST,
        (fd) => {
          while (off < SIZE) {
            const k = send(fd, data.subarray(off), SIZE - off, 0);
            if (k < 0) return;
            off += k;
          }
          ev.event_free(w);
          shutdown(fd, SHUT_WR);
        },
        null,
      )!;
      const r = ev.event_new(
        base,
        to,
        ev.EV_READ | ev.EV_PERSIST,
        (fd) => {
          const b = new Uint8Array(65536);
          const k = recv(fd, b, b.length, 0);
          if (k > 0) {
            got.push(Buffer.from(b.subarray(0, k)));
            n += k;
          } else if (k === 0) {
            ev.event_free(r);
            results.push(`${n} ${digest(Buffer.concat(got))}`);
            live--;
          }
        },
        null,
      )!;
      ev.event_add(w, null);
      ev.event_add(r, null);
    };
    for (const [a, b] of pairs) {
      flow(a, b);
      flow(b, a);
    }
    await ev.event_base_dispatch(base);
    expect(live).to.equal(0);
    expect(results).to.deep.equal(Array(4).fill(`${SIZE} ${digest(data)}`));
  });

  it("a TCP receive queue read through any mix of recv, MSG_PEEK, evbuffer_read and a bufferevent gives back the bytes sent", async () => {
    // The receive queue holds each arrival as an evbuffer chunk; partial
    // reads split or consume them. Whatever mix reads it, in whatever sizes,
    // the bytes come back in order, each once.
    const op = fc.record({
      how: fc.constantFrom("recv", "peek", "evbuffer_read"),
      n: fc.integer({ min: 1, max: 3000 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 12 }),
        fc.array(op, { maxLength: 12 }),
        fc.integer({ min: 1, max: 5000 }),
        async (sizes, ops, maxRead) => {
          const [c, s] = await tcpPair();
          let seq = 0;
          const sent = Buffer.concat(
            sizes.map((n) => Buffer.from(Array.from({ length: n }, () => seq++ % 251))),
          );
          let off = 0;
          for (const n of sizes) {
            expect(send(c, sent.subarray(off, off + n), n, 0)).to.equal(n);
            off += n;
            await new Promise((r) => setImmediate(r));
          }
          const got: Buffer[] = [];
          let have = 0;
          const take = (b: Uint8Array) => (got.push(Buffer.from(b)), (have += b.length));
          const inp = buf.evbuffer_new()!;
          for (const { how, n } of ops) {
            if (have === sent.length) break;
            await waitQueued(s, 1);
            const b = new Uint8Array(n);
            if (how === "evbuffer_read") {
              const r = buf.evbuffer_read(inp, s, n);
              expect(r).to.be.within(1, n);
              const out = new Uint8Array(r);
              expect(buf.evbuffer_remove(inp, out, r)).to.equal(r);
              take(out);
            } else {
              const r = recv(s, b, n, how === "peek" ? 2 /* MSG_PEEK */ : 0);
              expect(r).to.be.within(1, n);
              if (how === "peek")
                expect(
                  Buffer.from(b.subarray(0, r)).equals(sent.subarray(have, have + r)),
                ).to.equal(true);
              else take(b.subarray(0, r));
            }
          }
          buf.evbuffer_free(inp);
          // The rest through a bufferevent on the same descriptor.
          const base = ev.event_base_new()!;
          const bev = be.bufferevent_socket_new(base, s, 0)!;
          be.bufferevent_set_max_single_read(bev, maxRead);
          be.bufferevent_setcb(
            bev,
            (b) => {
              const input = be.bufferevent_get_input(b);
              const out = new Uint8Array(buf.evbuffer_get_length(input));
              buf.evbuffer_remove(input, out, out.length);
              expect(out.length).to.be.at.most(maxRead);
              take(out);
              if (have >= sent.length) ev.event_base_loopbreak(base);
            },
            null,
            null,
            null,
          );
          be.bufferevent_enable(bev, ev.EV_READ);
          if (have < sent.length) await ev.event_base_dispatch(base);
          be.bufferevent_free(bev);
          ev.event_base_free(base);
          expect(Buffer.concat(got).equals(sent)).to.equal(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("evbuffer_write and evbuffer_read move bytes through managed sockets", async () => {
    const [c, s] = await tcpPair();
    const out = buf.evbuffer_new();
    buf.evbuffer_add(out, "first ");
    buf.evbuffer_add(out, "second");
    expect(buf.evbuffer_write(out, c)).to.equal(12);
    expect(buf.evbuffer_get_length(out)).to.equal(0);
    await waitQueued(s, 12);
    const inp = buf.evbuffer_new();
    expect(buf.evbuffer_read(inp, s, -1)).to.equal(12);
    const b = new Uint8Array(12);
    buf.evbuffer_remove(inp, b, 12);
    expect(Buffer.from(b).toString()).to.equal("first second");
    expect([buf.evbuffer_read(inp, s, -1), errno]).to.deep.equal([-1, EAGAIN]);
    shutdown(c, SHUT_WR);
    await ready(s, ev.EV_READ);
    expect(buf.evbuffer_read(inp, s, -1)).to.equal(0);
    buf.evbuffer_free(out);
    buf.evbuffer_free(inp);
  });

  describe("engine: streams for the socket bufferevent", () => {
    it("socketpairStreams: connected at once; bytes readable at once as chunks, -EAGAIN, then 0 at EOF", async () => {
      const [a, b] = socketpairStreams();
      opened.push(a.fd, b.fd);
      expect([a.connecting, b.connecting, a.connectError]).to.deep.equal([false, false, 0]);
      expect(b.read(100)).to.equal(-EAGAIN);
      expect(a.write(Buffer.from("ping"))).to.equal(4);
      expect(b.write(Buffer.from("pong"))).to.equal(4);
      // In the peer's receive queue within the call, as socketpair(2) moves them.
      expect(text(b.read(2))).to.equal("pi");
      expect([b.pending, text(b.read(100))]).to.deep.equal([2, "ng"]);
      expect(b.read(100)).to.equal(-EAGAIN);
      await ready(a.fd, ev.EV_READ);
      expect(text(a.read(100))).to.equal("pong");
      expect(a.shutdown(SHUT_WR)).to.equal(0);
      await ready(b.fd, ev.EV_READ);
      expect(b.read(100)).to.equal(0);
      expect(streamFor(a.fd)).to.equal(a);
    });

    it("connectStream: connecting until EV_WRITE, then connectError 0; refused: connectError ECONNREFUSED", async () => {
      const l = listener();
      const s = connectStream(l.addr);
      if (typeof s === "number") throw new Error(`connectStream failed: ${s}`);
      opened.push(s.fd);
      expect([s.connecting, s.write(Buffer.from("x"))]).to.deep.equal([true, -EAGAIN]);
      await ready(s.fd, ev.EV_WRITE);
      expect([s.connecting, s.connectError]).to.deep.equal([false, 0]);
      expect(s.write(Buffer.from("x"))).to.equal(1);
      close(l.fd);
      const r = connectStream(l.addr);
      if (typeof r === "number") throw new Error(`connectStream failed: ${r}`);
      opened.push(r.fd);
      await ready(r.fd, ev.EV_WRITE);
      expect([r.connecting, r.connectError]).to.deep.equal([false, ECONNREFUSED]);
      expect(connectStream({ sa_family: 99 })).to.equal(-97);
    });

    it("connectFd: connect(2) on a descriptor, -EINPROGRESS; -EBADF and -ENOTSOCK for what is no socket", async () => {
      const l = listener();
      const fd = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
      expect(connectFd(fd, l.addr, 16)).to.equal(-EINPROGRESS);
      expect(streamFor(fd)!.connecting).to.equal(true);
      await ready(fd, ev.EV_WRITE);
      expect(streamFor(fd)!.connecting).to.equal(false);
      expect(connectFd(123456, l.addr)).to.equal(-EBADF);
      const path = join(dir, "not-a-socket");
      writeFileSync(path, "");
      expect(connectFd(track(openSync(path, "r")), l.addr)).to.equal(-88);
    });

    it("fdOf gives a net.Socket one stable descriptor, and streamFor its stream", async () => {
      const l = listener();
      const sock = new Socket();
      sock.connect(ntohs(l.addr.sin_port), "127.0.0.1");
      const fd = fdOf(sock);
      opened.push(fd);
      expect(fdOf(sock)).to.equal(fd);
      const st = streamFor(fd)!;
      expect(st.connecting).to.equal(false);
      await ready(fd, ev.EV_WRITE);
      expect(st.write(Buffer.from("hi"))).to.equal(2);
      await ready(l.fd, ev.EV_READ);
      const peer = track(accept(l.fd, null, null));
      await ready(peer, ev.EV_READ);
      const b = new Uint8Array(2);
      expect(recv(peer, b, 2, 0)).to.equal(2);
    });
  });
});
