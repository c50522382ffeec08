// The POSIX socket calls of bufferevent/libc on real loopback sockets: their
// return values and errno conventions, as Linux gives them (each expectation
// here was checked with a C program against the real calls).
import { expect } from "chai";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { connect as netConnect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fdOf } from "../src/core/descriptor_table.js";
import * as ev from "../src/event2/event.js";
import {
  evbuffer_add,
  evbuffer_free,
  evbuffer_new,
  evbuffer_read,
  evbuffer_write,
} from "../src/event2/buffer.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  EADDRINUSE,
  EAFNOSUPPORT,
  EAGAIN,
  EALREADY,
  EBADF,
  ECONNREFUSED,
  ECONNRESET,
  EFAULT,
  EINPROGRESS,
  EINVAL,
  EISCONN,
  ENOENT,
  ENOTCONN,
  ENOTSOCK,
  EPIPE,
  EPROTONOSUPPORT,
  FD_CLOEXEC,
  FD_SETSIZE,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  INADDR_LOOPBACK,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  MSG_PEEK,
  O_NONBLOCK,
  SHUT_RD,
  SHUT_WR,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  TCP_NODELAY,
  accept,
  bind,
  close,
  connect,
  errno,
  fcntl,
  getpeername,
  getsockname,
  getsockopt,
  htonl,
  htons,
  inet_pton,
  listen,
  ntohs,
  read,
  recv,
  recvfrom,
  send,
  sendto,
  setsockopt,
  shutdown,
  sizeof,
  socket,
  write,
} from "../src/libc/index.js";

type Sa = Record<string, any>;

const dir = mkdtempSync(join(tmpdir(), "socket-calls-"));
let seq = 0;
const opened: number[] = [];

function track(fd: number): number {
  if (fd >= 0) opened.push(fd);
  return fd;
}

function addrOf(family: number): Sa {
  if (family === AF_INET)
    return { sin_family: AF_INET, sin_port: 0, sin_addr: { s_addr: htonl(INADDR_LOOPBACK) } };
  if (family === AF_INET6) {
    const sa: Sa = {
      sin6_family: AF_INET6,
      sin6_port: 0,
      sin6_addr: { s6_addr: new Uint8Array(16) },
    };
    inet_pton(AF_INET6, "::1", sa.sin6_addr);
    return sa;
  }
  return { sun_family: AF_UNIX, sun_path: join(dir, `s${seq++}`) };
}

function listener(family = AF_INET): { fd: number; addr: Sa } {
  const fd = track(socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0));
  const sa = addrOf(family);
  expect(bind(fd, sa, sizeof(sa)), "bind").to.equal(0);
  expect(listen(fd, 16), "listen").to.equal(0);
  const addr: Sa = {};
  getsockname(fd, addr, { value: sizeof(addr) });
  return { fd, addr };
}

/** Runs a loop until `fd` reports `what`; resolves the flags the event got. */
async function ready(fd: number, what: number): Promise<number> {
  const base = ev.event_base_new()!;
  let got = 0;
  expect(ev.event_base_once(base, fd, what, (_f, w) => (got = w), null, null)).to.equal(0);
  await ev.event_base_dispatch(base);
  ev.event_base_free(base);
  return got;
}

/** A connected pair over loopback: [client, accepted server side]. */
async function pair(family = AF_INET): Promise<[number, number, { fd: number; addr: Sa }]> {
  const l = listener(family);
  const c = track(socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0));
  const r = connect(c, l.addr, sizeof(l.addr));
  expect(r === 0 || errno === EINPROGRESS).to.equal(true);
  await ready(l.fd, ev.EV_READ);
  const s = track(accept(l.fd, null, null));
  expect(s).to.be.at.least(0);
  await ready(c, ev.EV_WRITE);
  return [c, s, l];
}

let ipv6 = false;
{
  const fd = socket(AF_INET6, SOCK_STREAM, 0);
  const sa = addrOf(AF_INET6);
  ipv6 = bind(fd, sa, sizeof(sa)) === 0;
  close(fd);
}

const text = (b: Uint8Array, n: number) => Buffer.from(b.subarray(0, n)).toString();

describe("socket calls", () => {
  afterEach(() => {
    for (const fd of opened.splice(0)) close(fd);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("socket()", () => {
    it("hands out a number no real descriptor can have, with SOCK_NONBLOCK and SOCK_CLOEXEC as fcntl reports", () => {
      const a = track(socket(AF_INET, SOCK_STREAM, 0));
      const b = track(socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
      expect(a).to.be.at.least(1 << 20);
      expect(b).to.not.equal(a);
      expect([fcntl(a, F_GETFL), fcntl(a, F_GETFD)]).to.deep.equal([2, 0]);
      expect([fcntl(b, F_GETFL), fcntl(b, F_GETFD)]).to.deep.equal([2 | O_NONBLOCK, FD_CLOEXEC]);
    });

    it("refuses what Linux refuses, and datagram sockets with a warning", () => {
      expect([socket(99, SOCK_STREAM, 0), errno]).to.deep.equal([-1, EAFNOSUPPORT]);
      expect([socket(AF_INET, 99, 0), errno]).to.deep.equal([-1, EINVAL]);
      expect([socket(AF_INET, SOCK_STREAM, 17), errno]).to.deep.equal([-1, EPROTONOSUPPORT]);
      expect([socket(AF_UNIX, SOCK_STREAM, IPPROTO_TCP), errno]).to.deep.equal([
        -1,
        EPROTONOSUPPORT,
      ]);
      // In Linux's order: type flags, family, type range, protocol, type of the family.
      expect([socket(99, 99, 0), errno]).to.deep.equal([-1, EINVAL]);
      expect([socket(0, SOCK_STREAM, 0), errno]).to.deep.equal([-1, EAFNOSUPPORT]);
      expect([socket(AF_INET, 11, 0), errno]).to.deep.equal([-1, EINVAL]);
      expect([socket(AF_INET, SOCK_STREAM, -1), errno]).to.deep.equal([-1, EINVAL]);
      expect([socket(AF_INET6, 0, 0), errno]).to.deep.equal([-1, 94 /* ESOCKTNOSUPPORT */]);
      expect([socket(AF_UNIX, 0, 0), errno]).to.deep.equal([-1, 94]);
      expect([socket(AF_UNIX, 0, 6), errno]).to.deep.equal([-1, EPROTONOSUPPORT]);
      const u = socket(AF_UNIX, SOCK_STREAM, 1 /* PF_UNIX */);
      expect(u).to.be.above(-1);
      close(u);
      const logs: string[] = [];
      ev.event_set_log_callback((_s, m) => logs.push(m));
      try {
        expect([socket(AF_UNIX, SOCK_DGRAM, 0), errno]).to.deep.equal([-1, EPROTONOSUPPORT]);
        expect([socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), errno]).to.deep.equal([
          -1,
          EPROTONOSUPPORT,
        ]);
      } finally {
        ev.event_set_log_callback(null);
      }
      expect(logs.join()).to.match(/SOCK_DGRAM/);
    });
  });

  it("accepted sockets are numbered below FD_SETSIZE, as the book's servers check", () => {
    expect(FD_SETSIZE).to.equal(1024);
    const { fd: l, addr } = listener();
    const c = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    connect(c, addr, sizeof(addr));
    return new Promise<void>((resolve, reject) => {
      const poll = () => {
        const fd = accept(l, null, null);
        if (fd < 0) return void setTimeout(poll, 5);
        track(fd);
        try {
          expect(fd).to.be.below(FD_SETSIZE);
          resolve();
        } catch (e) {
          reject(e);
        }
      };
      poll();
    });
  });

  it("an unconnected socket answers as Linux's does", () => {
    const fd = track(socket(AF_INET, SOCK_STREAM, 0));
    expect([send(fd, "x", 1, 0), errno]).to.deep.equal([-1, EPIPE]);
    expect([recv(fd, new Uint8Array(4), 4, 0), errno]).to.deep.equal([-1, ENOTCONN]);
    expect([shutdown(fd, SHUT_WR), errno]).to.deep.equal([-1, ENOTCONN]);
    expect([getpeername(fd, {}, { value: 128 }), errno]).to.deep.equal([-1, ENOTCONN]);
    expect([accept(fd, null, null), errno]).to.deep.equal([-1, EINVAL]);
    const sa: Sa = {};
    const len = { value: 128 };
    expect(getsockname(fd, sa, len)).to.equal(0);
    expect([sa.sin_family, sa.sin_port, sa.sin_addr.s_addr, len.value]).to.deep.equal([
      AF_INET,
      0,
      0,
      16,
    ]);
    const u = track(socket(AF_UNIX, SOCK_STREAM, 0));
    expect([listen(u, 1), errno]).to.deep.equal([-1, EINVAL]);
  });

  describe("socket options", () => {
    const get = (fd: number, level: number, name: number) => {
      const v = { value: -1 };
      const len = { value: 4 };
      const r = getsockopt(fd, level, name, v, len);
      return r < 0 ? [r, errno] : v.value;
    };

    it("have Linux's defaults, and SO_RCVBUF/SO_SNDBUF read back doubled with Linux's floors", () => {
      const fd = track(socket(AF_INET, SOCK_STREAM, 0));
      expect(get(fd, SOL_SOCKET, SO_RCVBUF)).to.equal(131072);
      expect(get(fd, SOL_SOCKET, SO_SNDBUF)).to.equal(16384);
      for (const o of [SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_ERROR])
        expect(get(fd, SOL_SOCKET, o)).to.equal(0);
      expect(get(fd, IPPROTO_TCP, TCP_NODELAY)).to.equal(0);
      const l: Sa = {};
      const len = { value: 8 };
      expect(getsockopt(fd, SOL_SOCKET, SO_LINGER, l, len)).to.equal(0);
      expect([l.l_onoff, l.l_linger, len.value]).to.deep.equal([0, 0, 8]);
      expect(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, { value: 1000 }, 4)).to.equal(0);
      expect(get(fd, SOL_SOCKET, SO_RCVBUF)).to.equal(2304);
      expect(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, { value: 10 }, 4)).to.equal(0);
      expect(get(fd, SOL_SOCKET, SO_SNDBUF)).to.equal(4608);
      expect(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, { value: 50000 }, 4)).to.equal(0);
      expect(get(fd, SOL_SOCKET, SO_SNDBUF)).to.equal(100000);
    });

    it("take &one as a { value } box, a number, a boolean or an Int32Array; getsockopt fills either", () => {
      const fd = track(socket(AF_INET, SOCK_STREAM, 0));
      expect(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, { value: 1 }, 4)).to.equal(0);
      expect(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1, 4)).to.equal(0);
      expect(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, true)).to.equal(0);
      expect(setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, Int32Array.of(7), 4)).to.equal(0);
      const out = new Int32Array(1);
      for (const [lv, o] of [
        [SOL_SOCKET, SO_REUSEADDR],
        [SOL_SOCKET, SO_KEEPALIVE],
        [IPPROTO_TCP, TCP_NODELAY],
        [SOL_SOCKET, SO_REUSEPORT],
      ]) {
        expect(getsockopt(fd, lv, o, out, { value: 4 })).to.equal(0);
        expect(out[0]).to.equal(1);
      }
      expect(setsockopt(fd, SOL_SOCKET, SO_LINGER, { l_onoff: 1, l_linger: 5 }, 8)).to.equal(0);
      const box = { value: null as unknown };
      expect(getsockopt(fd, SOL_SOCKET, SO_LINGER, box, { value: 8 })).to.equal(0);
      expect(box.value).to.deep.equal({ l_onoff: 1, l_linger: 5 });
    });

    it("refuse as Linux does: short optlen, unknown options, TCP options on AF_UNIX, IPV6_V6ONLY after bind", () => {
      const fd = track(socket(AF_INET, SOCK_STREAM, 0));
      expect([setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, { value: 1 }, 2), errno]).to.deep.equal([
        -1,
        EINVAL,
      ]);
      expect([
        setsockopt(fd, SOL_SOCKET, SO_LINGER, { l_onoff: 1, l_linger: 0 }, 4),
        errno,
      ]).to.deep.equal([-1, EINVAL]);
      expect([setsockopt(fd, SOL_SOCKET, 9999, 1, 4), errno]).to.deep.equal([-1, 92]);
      expect([setsockopt(fd, 9999, 1, 1, 4), errno]).to.deep.equal([-1, 92]);
      expect([setsockopt(fd, SOL_SOCKET, SO_ERROR, 1, 4), errno]).to.deep.equal([-1, 92]);
      expect([setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, 4), errno]).to.deep.equal([-1, 92]);
      expect([setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, null, 4), errno]).to.deep.equal([
        -1,
        EFAULT,
      ]);
      const u = track(socket(AF_UNIX, SOCK_STREAM, 0));
      expect([setsockopt(u, IPPROTO_TCP, TCP_NODELAY, 1, 4), errno]).to.deep.equal([-1, 95]);
      expect(get(u, IPPROTO_TCP, TCP_NODELAY)).to.deep.equal([-1, 95]);
      expect(get(u, SOL_SOCKET, SO_SNDBUF)).to.equal(212992);
      const s6 = track(socket(AF_INET6, SOCK_STREAM, 0));
      expect(setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, 1, 4)).to.equal(0);
      expect(get(s6, IPPROTO_IPV6, IPV6_V6ONLY)).to.equal(1);
      const any6 = {
        sin6_family: AF_INET6,
        sin6_port: 0,
        sin6_addr: { s6_addr: new Uint8Array(16) },
      };
      expect(bind(s6, any6, 28)).to.equal(0);
      expect([setsockopt(s6, IPPROTO_IPV6, IPV6_V6ONLY, 0, 4), errno]).to.deep.equal([-1, EINVAL]);
    });
  });

  describe("bind and listen", () => {
    it("refuse a short socklen, a second bind, another family and NULL", () => {
      const fd = track(socket(AF_INET, SOCK_STREAM, 0));
      const sa = addrOf(AF_INET);
      expect([bind(fd, sa, 8), errno]).to.deep.equal([-1, EINVAL]);
      expect([bind(fd, addrOf(AF_UNIX), 110), errno]).to.deep.equal([-1, EAFNOSUPPORT]);
      expect([bind(fd, null as never, 16), errno]).to.deep.equal([-1, EFAULT]);
      expect([bind(fd, { sa_family: 99 }, 16), errno]).to.deep.equal([-1, EAFNOSUPPORT]);
      expect(bind(fd, sa, sizeof(sa))).to.equal(0);
      expect([bind(fd, sa, sizeof(sa)), errno]).to.deep.equal([-1, EINVAL]);
    });

    it("an address another socket listens on is EADDRINUSE, even with SO_REUSEADDR", () => {
      const l = listener(AF_INET);
      const fd = track(socket(AF_INET, SOCK_STREAM, 0));
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, { value: 1 }, 4);
      expect([bind(fd, l.addr, 16), errno]).to.deep.equal([-1, EADDRINUSE]);
      const u = listener(AF_UNIX);
      const fu = track(socket(AF_UNIX, SOCK_STREAM, 0));
      expect([bind(fu, u.addr, 110), errno]).to.deep.equal([-1, EADDRINUSE]);
    });

    it("getsockname after bind reports the port the kernel chose; listen on an unbound TCP socket binds one", () => {
      const l = listener(AF_INET);
      expect(l.addr.sin_family).to.equal(AF_INET);
      expect(ntohs(l.addr.sin_port)).to.be.above(0);
      expect(l.addr.sin_addr.s_addr).to.equal(htonl(INADDR_LOOPBACK));
      const fd = track(socket(AF_INET, SOCK_STREAM, 0));
      expect(listen(fd, 4)).to.equal(0);
      const sa: Sa = {};
      getsockname(fd, sa, { value: 128 });
      expect([sa.sin_addr.s_addr, ntohs(sa.sin_port) > 0]).to.deep.equal([0, true]);
      expect(listen(fd, 8)).to.equal(0);
    });
  });

  describe("accept and connect", () => {
    it("accept on an empty queue is -1/EAGAIN; accept fills the peer sockaddr and its socklen", async () => {
      const l = listener(AF_INET);
      expect([accept(l.fd, null, null), errno]).to.deep.equal([-1, EAGAIN]);
      const c = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
      expect([connect(c, l.addr, 16), errno]).to.deep.equal([-1, EINPROGRESS]);
      expect(await ready(l.fd, ev.EV_READ)).to.equal(ev.EV_READ);
      const peer: Sa = {};
      const len = { value: sizeof(peer) };
      const s = track(accept(l.fd, peer, len));
      expect(s).to.be.within(0, (1 << 20) - 1); // the real OS descriptor
      expect([accept(l.fd, null, null), errno]).to.deep.equal([-1, EAGAIN]);
      const mine: Sa = {};
      getsockname(c, mine, { value: 128 });
      expect([peer.ss_family, len.value, peer.sin_port]).to.deep.equal([
        AF_INET,
        16,
        mine.sin_port,
      ]);
      expect(fcntl(s, F_GETFL) & O_NONBLOCK).to.equal(0); // not inherited, as on Linux
    });

    it("accept of connections reset before it fills an AF_INET sockaddr (0.0.0.0:0 once the peer is gone)", async () => {
      const l = listener(AF_INET);
      const port = ntohs(l.addr.sin_port);
      const gone = Array.from(
        { length: 8 },
        () =>
          new Promise<void>((resolve) => {
            const c = netConnect(port, "127.0.0.1");
            c.on("connect", () => c.resetAndDestroy());
            c.on("error", () => {});
            c.on("close", () => resolve());
          }),
      );
      await Promise.all(gone);
      await ready(l.fd, ev.EV_READ);
      let n = 0;
      for (;;) {
        const peer: Sa = {};
        const len = { value: sizeof(peer) };
        const s = accept(l.fd, peer, len);
        if (s < 0) break;
        track(s);
        n++;
        expect([peer.sin_family, len.value, typeof peer.sin_addr?.s_addr]).to.deep.equal([
          AF_INET,
          16,
          "number",
        ]);
      }
      expect(n).to.be.above(0);
    });

    it("connect: EINPROGRESS, EALREADY while under way, 0 once it completed, then EISCONN", async () => {
      const l = listener(AF_INET);
      const c = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
      expect([connect(c, l.addr, 16), errno]).to.deep.equal([-1, EINPROGRESS]);
      expect([connect(c, l.addr, 16), errno]).to.deep.equal([-1, EALREADY]);
      expect([send(c, "x", 1, 0), errno]).to.deep.equal([-1, EAGAIN]);
      expect([recv(c, new Uint8Array(1), 1, 0), errno]).to.deep.equal([-1, EAGAIN]);
      expect(await ready(c, ev.EV_WRITE)).to.equal(ev.EV_WRITE);
      expect(connect(c, l.addr, 16)).to.equal(0);
      expect([connect(c, l.addr, 16), errno]).to.deep.equal([-1, EISCONN]);
      expect([listen(c, 1), errno]).to.deep.equal([-1, EINVAL]);
      expect([connect(l.fd, l.addr, 16), errno]).to.deep.equal([-1, EISCONN]);
    });

    it("a refused connect: readable and writable, SO_ERROR ECONNREFUSED once, then recv 0 and send EPIPE", async () => {
      const l = listener(AF_INET);
      const addr = { ...l.addr, sin_addr: { ...l.addr.sin_addr } };
      close(l.fd);
      const c = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
      expect([connect(c, addr, 16), errno]).to.deep.equal([-1, EINPROGRESS]);
      expect(await ready(c, ev.EV_READ | ev.EV_WRITE)).to.equal(ev.EV_READ | ev.EV_WRITE);
      const err = { value: -1 };
      expect(getsockopt(c, SOL_SOCKET, SO_ERROR, err, { value: 4 })).to.equal(0);
      expect(err.value).to.equal(ECONNREFUSED);
      getsockopt(c, SOL_SOCKET, SO_ERROR, err, { value: 4 });
      expect(err.value).to.equal(0);
      expect(recv(c, new Uint8Array(4), 4, 0)).to.equal(0);
      expect([send(c, "x", 1, 0), errno]).to.deep.equal([-1, EPIPE]);
      expect([getpeername(c, {}, null), errno]).to.deep.equal([-1, ENOTCONN]);
    });

    it("a refused connect not yet seen by SO_ERROR fails the next recv with ECONNREFUSED", async () => {
      const l = listener(AF_INET);
      const addr = { ...l.addr };
      close(l.fd);
      const c = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
      connect(c, addr, 16);
      await ready(c, ev.EV_WRITE);
      expect([recv(c, new Uint8Array(4), 4, 0), errno]).to.deep.equal([-1, ECONNREFUSED]);
      expect(recv(c, new Uint8Array(4), 4, 0)).to.equal(0);
    });

    it("AF_UNIX connect answers at once: 0 for a listener, ENOENT for no such path", () => {
      const l = listener(AF_UNIX);
      const c = track(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
      expect(connect(c, l.addr, 110)).to.equal(0);
      const none = track(socket(AF_UNIX, SOCK_STREAM, 0));
      expect([
        connect(none, { sun_family: AF_UNIX, sun_path: join(dir, "none") }, 110),
        errno,
      ]).to.deep.equal([-1, ENOENT]);
    });

    for (const family of [AF_INET, AF_UNIX])
      it(`a socket closed while its connect is under way still sends what it was given (${family === AF_INET ? "TCP" : "AF_UNIX"}), then EOF`, async () => {
        const l = listener(family);
        const c = socket(family, SOCK_STREAM, 0);
        expect(connect(c, l.addr, sizeof(l.addr))).to.equal(0);
        expect(send(c, "last words", 10, 0)).to.equal(10);
        expect(close(c)).to.equal(0);
        await ready(l.fd, ev.EV_READ);
        const s = track(accept(l.fd, null, null));
        const b = new Uint8Array(16);
        expect(await ready(s, ev.EV_READ)).to.equal(ev.EV_READ);
        expect(text(b, recv(s, b, 16, 0))).to.equal("last words");
        await ready(s, ev.EV_READ);
        expect(recv(s, b, 16, 0)).to.equal(0);
      });

    it("a blocking connect returns 0 at once; what is sent meanwhile arrives once it completes", async () => {
      const l = listener(AF_INET);
      const c = track(socket(AF_INET, SOCK_STREAM, 0));
      expect(connect(c, l.addr, 16)).to.equal(0);
      expect(send(c, "early", 5, 0)).to.equal(5);
      await ready(l.fd, ev.EV_READ);
      const s = track(accept(l.fd, null, null));
      expect(await ready(s, ev.EV_READ)).to.equal(ev.EV_READ);
      const b = new Uint8Array(16);
      expect(text(b, recv(s, b, 16, 0))).to.equal("early");
    });
    it("a blocking connect to a port of this host with no listener fails at once: -1/ECONNREFUSED, and the socket can try again", async function () {
      const l = listener(AF_INET);
      const addr = { ...l.addr };
      close(l.fd);
      const c = track(socket(AF_INET, SOCK_STREAM, 0));
      expect([connect(c, addr, 16), errno]).to.deep.equal([-1, ECONNREFUSED]);
      const soError = { value: -1 };
      expect(getsockopt(c, SOL_SOCKET, SO_ERROR, soError, { value: 4 })).to.equal(0);
      expect(soError.value).to.equal(0);
      // The unspecified address reaches the loopback, as Linux routes it.
      const any = { sin_family: AF_INET, sin_port: addr.sin_port, sin_addr: { s_addr: 0 } };
      expect([connect(c, any, 16), errno]).to.deep.equal([-1, ECONNREFUSED]);
      const again = listener(AF_INET);
      expect(connect(c, again.addr, 16)).to.equal(0);
      await ready(again.fd, ev.EV_READ);
      expect(track(accept(again.fd, null, null))).to.be.at.least(0);
      if (!ipv6) return;
      // A listener on :: takes IPv4 too; one on 127.0.0.1 does not take ::1.
      const six = track(socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0));
      const wild = {
        sin6_family: AF_INET6,
        sin6_port: 0,
        sin6_addr: { s6_addr: new Uint8Array(16) },
      };
      expect([bind(six, wild, 28), listen(six, 4)]).to.deep.equal([0, 0]);
      const bound: Sa = {};
      getsockname(six, bound, { value: 28 });
      const port = ntohs(bound.sin6_port);
      const v4 = track(socket(AF_INET, SOCK_STREAM, 0));
      const to4 = {
        sin_family: AF_INET,
        sin_port: htons(port),
        sin_addr: { s_addr: htonl(INADDR_LOOPBACK) },
      };
      expect(connect(v4, to4, 16)).to.equal(0);
      const v6 = track(socket(AF_INET6, SOCK_STREAM, 0));
      const loop6 = { ...addrOf(AF_INET6), sin6_port: again.addr.sin_port };
      expect([connect(v6, loop6, 28), errno]).to.deep.equal([-1, ECONNREFUSED]);
    });
  });

  describe("names", () => {
    for (const [name, family] of [
      ["IPv4", AF_INET],
      ["IPv6", AF_INET6],
      ["AF_UNIX", AF_UNIX],
    ] as const) {
      it(`getsockname and getpeername of a ${name} connection`, async function () {
        if (family === AF_INET6 && !ipv6) this.skip(); // a machine without IPv6 loopback cannot run it
        const [c, s, l] = await pair(family);
        const cs: Sa = {};
        const cp: Sa = {};
        const ss: Sa = {};
        const sp: Sa = {};
        const lens = [0, 0, 0, 0].map(() => ({ value: 128 }));
        expect(getsockname(c, cs, lens[0])).to.equal(0);
        expect(getpeername(c, cp, lens[1])).to.equal(0);
        expect(getsockname(s, ss, lens[2])).to.equal(0);
        expect(getpeername(s, sp, lens[3])).to.equal(0);
        for (const sa of [cs, cp, ss, sp]) expect(sa.sa_family).to.equal(family);
        if (family === AF_UNIX) {
          expect([cs.sun_path, cp.sun_path, ss.sun_path, sp.sun_path]).to.deep.equal([
            "",
            l.addr.sun_path,
            l.addr.sun_path,
            "",
          ]);
          expect(lens.map((x) => x.value)).to.deep.equal([
            2,
            3 + l.addr.sun_path.length,
            3 + l.addr.sun_path.length,
            2,
          ]);
        } else {
          const port = family === AF_INET ? "sin_port" : "sin6_port";
          expect(cp).to.deep.equal(ss);
          expect(sp).to.deep.equal(cs);
          expect(cp[port]).to.equal(l.addr[port]);
          expect(lens.map((x) => x.value)).to.deep.equal(
            Array(4).fill(family === AF_INET ? 16 : 28),
          );
        }
      });
    }

    it("a filled sockaddr answers sa_family and ss_family; refilling with another family drops the old fields", async () => {
      const ss: Sa = { stale: 1 };
      const l4 = listener(AF_INET);
      getsockname(l4.fd, ss, null);
      expect([ss.sa_family, ss.ss_family, ss.stale]).to.deep.equal([AF_INET, AF_INET, 1]);
      ss.sa_family = 77;
      expect(ss.sin_family).to.equal(77);
      const lu = listener(AF_UNIX);
      getsockname(lu.fd, ss, null);
      expect(Object.keys(ss).sort()).to.deep.equal(["stale", "sun_family", "sun_path"]);
      expect(ss.sa_family).to.equal(AF_UNIX);
      expect(sizeof(ss)).to.equal(128);
      expect([getsockname(l4.fd, null as never, null), errno]).to.deep.equal([-1, EFAULT]);
    });
  });

  describe("moving bytes", () => {
    it("recv/read/send/write move bytes both ways; MSG_PEEK leaves them queued", async () => {
      const [c, s] = await pair();
      expect(send(c, "hello", 5, 0)).to.equal(5);
      expect(write(c, new TextEncoder().encode(" world"), 6)).to.equal(6);
      await ready(s, ev.EV_READ);
      const b = new Uint8Array(64);
      const n = recv(s, b, 64, MSG_PEEK);
      expect(text(b, n)).to.equal("hello world".slice(0, n));
      let got = "";
      while (got.length < 11) {
        const k = read(s, b, 64);
        if (k < 0) {
          expect(errno).to.equal(EAGAIN);
          await ready(s, ev.EV_READ);
        } else got += text(b, k);
      }
      expect(got).to.equal("hello world");
      expect([recv(s, b, 64, 0), errno]).to.deep.equal([-1, EAGAIN]);
      expect(recv(s, b, 0, 0)).to.equal(0);
      expect(write(s, "back", 4)).to.equal(4);
      await ready(c, ev.EV_READ);
      expect(text(b, recv(c, b, 64, 0))).to.equal("back");
    });

    it("close with writes still queued: bytes the peer sends then are answered with a reset", async function () {
      this.timeout(20000);
      const [c, s] = await pair();
      const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
      // The receiver reads nothing, so the sender's bytes back up past the kernel.
      expect(setsockopt(s, SOL_SOCKET, SO_RCVBUF, { value: 4096 }, 4)).to.equal(0);
      const big = new Uint8Array(65536);
      for (let idle = 0, rounds = 0; idle < 3 && rounds < 1000; rounds++) {
        let n = 0;
        for (let k; (k = send(c, big, big.length, 0)) > 0;) n += k;
        idle = n ? 0 : idle + 1;
        await wait(5);
      }
      close(c);
      expect(send(s, "x", 1, 0)).to.equal(1);
      let r = 1;
      for (let i = 0; i < 10 && r > 0; i++) {
        await wait(20);
        r = send(s, "y", 1, 0);
      }
      expect([r, errno]).to.deep.equal([-1, ECONNRESET]);
    });

    it("a read finds what a send just put in the kernel, with no loop turn between (AF_UNIX)", async () => {
      const [c, s] = await pair(AF_UNIX);
      const b = new Uint8Array(64);
      expect(send(c, "hello", 5, 0)).to.equal(5);
      expect(recv(s, b, 64, 0)).to.equal(5);
      expect(send(s, "abc", 3, 0)).to.equal(3);
      expect(send(s, "def", 3, 0)).to.equal(3);
      expect(text(b, recv(c, b, 64, MSG_PEEK))).to.equal("abcdef");
      expect(text(b, read(c, b, 64))).to.equal("abcdef");
      const out = evbuffer_new();
      const got = evbuffer_new();
      evbuffer_add(out, "xyz", 3);
      expect(evbuffer_write(out, c)).to.equal(3);
      expect(evbuffer_read(got, s, -1)).to.equal(3);
      expect([recv(s, b, 64, 0), errno]).to.deep.equal([-1, EAGAIN]);
      close(c);
      expect(recv(s, b, 64, 0)).to.equal(0);
      evbuffer_free(out);
      evbuffer_free(got);
    });

    it("a string's size may count C's terminating NUL (strlen + 1), and no byte more", async () => {
      const [c, s] = await pair();
      expect(write(c, "hi", 3)).to.equal(3);
      expect(send(c, "yo", 3, 0)).to.equal(3);
      expect(() => write(c, "hi", 4)).to.throw(RangeError, /write: argument 'count' is 4/);
      expect(() => write(c, new Uint8Array(2), 3)).to.throw(RangeError);
      const b = new Uint8Array(16);
      let got: number[] = [];
      while (got.length < 6) {
        await ready(s, ev.EV_READ);
        const k = read(s, b, 16);
        if (k > 0) got = got.concat([...b.subarray(0, k)]);
      }
      expect(got).to.deep.equal([0x68, 0x69, 0, 0x79, 0x6f, 0]);
    });

    it("a send larger than the send buffer returns the part accepted; then -1/EAGAIN", async () => {
      const [c] = await pair();
      const big = new Uint8Array(8 << 20);
      let total = 0;
      let n = send(c, big, big.length, 0);
      expect(n).to.be.above(0).and.below(big.length);
      while (n > 0) {
        total += n;
        n = send(c, big, big.length, 0);
      }
      expect([n, errno]).to.deep.equal([-1, EAGAIN]);
      expect(total).to.be.below(big.length);
    });

    it("a blocking socket's send takes every byte, as C's blocking send returns only when it has", async () => {
      const [c, s] = await pair();
      expect(fcntl(c, F_SETFL, fcntl(c, F_GETFL) & ~O_NONBLOCK)).to.equal(0);
      const big = new Uint8Array(4 << 20).map((_, i) => i * 7);
      expect(send(c, big, big.length, 0)).to.equal(big.length);
      const got = new Uint8Array(big.length);
      let n = 0;
      while (n < big.length) {
        await ready(s, ev.EV_READ);
        const r = recv(s, got.subarray(n), big.length - n, 0);
        expect(r).to.be.above(0);
        n += r;
      }
      expect(Buffer.from(got).equals(Buffer.from(big))).to.equal(true);
    });

    it("a string's length plus one sends its NUL too, as a C literal's storage holds one", async () => {
      const [c, s] = await pair();
      expect(send(c, "hi", 3, 0)).to.equal(3);
      await ready(s, ev.EV_READ);
      const b = new Uint8Array(8);
      expect([...b.subarray(0, recv(s, b, 8, 0))]).to.deep.equal([0x68, 0x69, 0]);
      expect(() => send(c, "hi", 4, 0)).to.throw(RangeError, /send: argument 'len' is 4/);
    });

    it("every send is the kernel's answer at once: to a closed AF_UNIX peer, the next send is EPIPE", async () => {
      const [c, s] = await pair(AF_UNIX);
      expect(send(c, "a", 1, 0)).to.equal(1);
      expect(send(c, "b", 1, 0)).to.equal(1);
      expect(close(s)).to.equal(0);
      expect([send(c, "c", 1, 0), errno]).to.deep.equal([-1, EPIPE]);
    });

    it("shutdown(SHUT_WR): the peer reads EOF, a send after it is EPIPE; SHUT_RD makes recv return 0", async () => {
      const [c, s] = await pair();
      expect(shutdown(c, SHUT_WR)).to.equal(0);
      expect([send(c, "x", 1, 0), errno]).to.deep.equal([-1, EPIPE]);
      expect(await ready(s, ev.EV_READ)).to.equal(ev.EV_READ);
      expect(recv(s, new Uint8Array(4), 4, 0)).to.equal(0);
      expect(send(s, "still", 5, 0)).to.equal(5);
      expect(shutdown(s, SHUT_RD)).to.equal(0);
      expect(recv(s, new Uint8Array(4), 4, 0)).to.equal(0);
      expect([shutdown(s, 7), errno]).to.deep.equal([-1, EINVAL]);
    });

    it("SO_LINGER {1, 0}: close resets, and the peer's recv fails with ECONNRESET, then reads 0", async () => {
      const [c, s] = await pair();
      expect(setsockopt(c, SOL_SOCKET, SO_LINGER, { l_onoff: 1, l_linger: 0 }, 8)).to.equal(0);
      expect(close(c)).to.equal(0);
      expect(await ready(s, ev.EV_READ)).to.equal(ev.EV_READ);
      expect([recv(s, new Uint8Array(4), 4, 0), errno]).to.deep.equal([-1, ECONNRESET]);
      expect(recv(s, new Uint8Array(4), 4, 0)).to.equal(0);
    });

    it("closing with unread bytes resets the connection, as Linux does", async () => {
      const [c, s] = await pair();
      send(c, "unread", 6, 0);
      await ready(s, ev.EV_READ);
      close(s);
      expect(await ready(c, ev.EV_READ)).to.equal(ev.EV_READ);
      expect([recv(c, new Uint8Array(4), 4, 0), errno]).to.deep.equal([-1, ECONNRESET]);
    });
  });

  describe("descriptors that are not sockets, or not open", () => {
    it("a descriptor that is not open is -1/EBADF for every call, never a throw", () => {
      const b = new Uint8Array(4);
      const closed = socket(AF_INET, SOCK_STREAM, 0);
      close(closed);
      for (const fd of [123456, closed, -1]) {
        const calls: (() => number)[] = [
          () => recv(fd, b, 4, 0),
          () => send(fd, b, 4, 0),
          () => read(fd, b, 4),
          () => write(fd, b, 4),
          () => close(fd),
          () => bind(fd, addrOf(AF_INET), 16),
          () => listen(fd, 1),
          () => accept(fd, null, null),
          () => connect(fd, addrOf(AF_INET), 16),
          () => getsockname(fd, {}, null),
          () => getpeername(fd, {}, null),
          () => setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1, 4),
          () => getsockopt(fd, SOL_SOCKET, SO_ERROR, { value: 0 }, null),
          () => shutdown(fd, SHUT_WR),
          () => fcntl(fd, F_GETFL),
        ];
        for (const call of calls)
          expect([call(), errno], call.toString()).to.deep.equal([-1, EBADF]);
      }
    });

    it("a regular file: read, write and close work; the socket calls are ENOTSOCK", () => {
      const path = join(dir, "file");
      writeFileSync(path, "contents");
      const fd = openSync(path, "r+");
      const b = new Uint8Array(16);
      expect(text(b, read(fd, b, 16))).to.equal("contents");
      expect(write(fd, "!", 1)).to.equal(1);
      expect([recv(fd, b, 4, 0), errno]).to.deep.equal([-1, ENOTSOCK]);
      expect([send(fd, b, 4, 0), errno]).to.deep.equal([-1, ENOTSOCK]);
      expect([getsockname(fd, {}, null), errno]).to.deep.equal([-1, ENOTSOCK]);
      expect(close(fd)).to.equal(0);
      expect(() => closeSync(fd)).to.throw(/EBADF/);
    });

    it("fcntl sets O_NONBLOCK and FD_CLOEXEC; an unknown command is EINVAL", () => {
      const fd = track(socket(AF_INET, SOCK_STREAM, 0));
      expect(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)).to.equal(0);
      expect(fcntl(fd, F_GETFL)).to.equal(2 | O_NONBLOCK);
      expect(fcntl(fd, F_SETFL, 0)).to.equal(0);
      expect(fcntl(fd, F_GETFL)).to.equal(2);
      expect(fcntl(fd, F_SETFD, FD_CLOEXEC)).to.equal(0);
      expect(fcntl(fd, F_GETFD)).to.equal(FD_CLOEXEC);
      expect([fcntl(fd, 1234), errno]).to.deep.equal([-1, EINVAL]);
    });
  });

  it("a net.Socket stands for its descriptor in every call", async () => {
    const l = listener(AF_INET);
    const sock: Socket = netConnect(ntohs(l.addr.sin_port), "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    await ready(l.fd, ev.EV_READ);
    const s = track(accept(l.fd, null, null));
    expect(send(sock, "via net.Socket", 14, 0)).to.equal(14);
    const peer: Sa = {};
    expect(getpeername(sock, peer, null)).to.equal(0);
    expect(peer.sin_port).to.equal(l.addr.sin_port);
    await ready(s, ev.EV_READ);
    const b = new Uint8Array(32);
    expect(text(b, recv(s, b, 32, 0))).to.equal("via net.Socket");
    send(s, "reply", 5, 0);
    await ready(fdOf(sock), ev.EV_READ);
    expect(text(b, recv(sock, b, 32, 0))).to.equal("reply");
    expect(close(sock)).to.equal(0);
    expect(sock.destroyed).to.equal(true);
  });

  it("misuse C would crash on throws, naming the call and the argument", () => {
    const fd = track(socket(AF_INET, SOCK_STREAM, 0));
    expect(() => recv(fd, "text" as never, 4, 0)).to.throw(TypeError, /recv: argument 'buf'/);
    expect(() => recv(fd, new Uint8Array(2), 4, 0)).to.throw(RangeError, /recv: argument 'len'/);
    expect(() => read(fd, new Uint8Array(2), 3)).to.throw(RangeError, /read: argument 'count'/);
    expect(() => send(fd, new Uint8Array(2), 3, 0)).to.throw(RangeError, /send: argument 'len'/);
    expect(() => bind(fd, 42 as never, 16)).to.throw(TypeError, /bind: argument 'addr'/);
    expect(() => socket("inet" as never, SOCK_STREAM, 0)).to.throw(
      TypeError,
      /socket: argument 'domain'/,
    );
    expect(() => setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, "yes", 4)).to.throw(
      TypeError,
      /setsockopt: argument 'optval'/,
    );
    expect(() => getsockopt(fd, SOL_SOCKET, SO_ERROR, 5, null)).to.throw(
      TypeError,
      /getsockopt: argument 'optval'/,
    );
    expect(() => recv("fd" as never, new Uint8Array(1), 1, 0)).to.throw(
      TypeError,
      /recv: argument 'fd'/,
    );
  });
});

describe("UDP sockets (SOCK_DGRAM)", () => {
  it("bind and getsockname at once, sendto and recvfrom whole datagrams, EAGAIN when none waits", async () => {
    const a = socket(AF_INET, SOCK_DGRAM, 0);
    const b = socket(AF_INET, SOCK_DGRAM, 0);
    const lo = { sin_family: AF_INET, sin_port: 0, sin_addr: { s_addr: htonl(0x7f000001) } };
    expect(bind(a, lo, 16)).to.equal(0);
    const addr: any = {};
    const len = { value: 128 };
    expect(getsockname(a, addr, len)).to.equal(0);
    expect(len.value).to.equal(16);
    expect(ntohs(addr.sin_port)).to.be.greaterThan(0);
    expect(bind(a, lo, 16)).to.equal(-1);
    expect(errno).to.equal(EINVAL);
    const buf = new Uint8Array(4);
    expect([recvfrom(a, buf, 4, 0, null, null), errno]).to.deep.equal([-1, EAGAIN]);
    expect(sendto(b, "hello", 5, 0, addr, 16)).to.equal(5);
    expect(sendto(b, "", 0, 0, addr, 16)).to.equal(0);
    const from: any = {};
    const fromLen = { value: 128 };
    for (let i = 0; i < 100 && recvfrom(a, buf, 4, MSG_PEEK, null, null) < 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    // Cut to the buffer; the rest of the datagram is gone.
    expect(recvfrom(a, buf, 4, 0, from, fromLen)).to.equal(4);
    expect(Buffer.from(buf).toString()).to.equal("hell");
    expect(fromLen.value).to.equal(16);
    const bAddr: any = {};
    getsockname(b, bAddr, null);
    expect(from.sin_port).to.equal(bAddr.sin_port);
    for (let i = 0; i < 100 && recvfrom(a, buf, 4, MSG_PEEK, null, null) < 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(recvfrom(a, buf, 4, 0, null, null)).to.equal(0);
    expect([send(b, "x", 1, 0), errno]).to.deep.equal([-1, 89]);
    expect(close(a)).to.equal(0);
    expect(close(b)).to.equal(0);
  });
});
