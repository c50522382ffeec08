// The descriptor half of event2/util.h: evutil_socketpair, the
// evutil_make_* socket settings, closing, and socket errors, as libevent
// 2.1.12 behaves on Linux.
import { expect } from "chai";
import * as ev from "../src/event2/event.js";
import * as U from "../src/event2/util_sockets.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  EAFNOSUPPORT,
  EAGAIN,
  ECONNRESET,
  EBADF,
  EINVAL,
  EPIPE,
  EPROTONOSUPPORT,
  FD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  O_NONBLOCK,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_REUSEADDR,
  SO_REUSEPORT,
  close,
  errno,
  fcntl,
  getpeername,
  getsockname,
  getsockopt,
  setsockopt,
  recv,
  send,
  shutdown,
  SHUT_WR,
  socket,
} from "../src/libc/index.js";

const opened: number[] = [];
const track = (fd: number) => (fd >= 0 && opened.push(fd), fd);

function warnings(fn: () => unknown): string[] {
  const out: string[] = [];
  ev.event_set_log_callback((_s, m) => out.push(m));
  try {
    fn();
  } finally {
    ev.event_set_log_callback(null);
  }
  return out;
}

async function ready(fd: number, what: number): Promise<void> {
  const base = ev.event_base_new()!;
  ev.event_base_once(base, fd, what, () => undefined, null, null);
  await ev.event_base_dispatch(base);
  ev.event_base_free(base);
}

describe("event2/util: descriptors", () => {
  afterEach(() => {
    for (const fd of opened.splice(0)) close(fd);
  });

  it("evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair): 0 and two connected, blocking, unnamed sockets", async () => {
    const pair: number[] = [];
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair)).to.equal(0);
    pair.forEach(track);
    expect(pair[0]).to.not.equal(pair[1]);
    for (const fd of pair) {
      expect([fcntl(fd, F_GETFL), fcntl(fd, F_GETFD)]).to.deep.equal([2, 0]);
      const me: Record<string, any> = {};
      const len = { value: 110 };
      expect(getsockname(fd, me, len)).to.equal(0);
      expect([me.sa_family, me.sun_path, len.value]).to.deep.equal([AF_UNIX, "", 2]);
      expect(getpeername(fd, me, len)).to.equal(0);
      expect(len.value).to.equal(2);
    }
    expect(send(pair[0], "to one", 6, 0)).to.equal(6);
    expect(send(pair[1], "to zero", 7, 0)).to.equal(7);
    const b = new Uint8Array(16);
    await ready(pair[1], ev.EV_READ);
    expect(Buffer.from(b.subarray(0, recv(pair[1], b, 16, 0))).toString()).to.equal("to one");
    await ready(pair[0], ev.EV_READ);
    expect(Buffer.from(b.subarray(0, recv(pair[0], b, 16, 0))).toString()).to.equal("to zero");
  });

  for (const writer of [0, 1])
    it(`a pair end closed right after a send (end ${writer}): the other reads the bytes, then EOF`, async () => {
      const pair: number[] = [];
      expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair)).to.equal(0);
      const [w, r] = [pair[writer], pair[1 - writer]];
      track(r);
      expect(send(w, "last words", 10, 0)).to.equal(10);
      expect(close(w)).to.equal(0);
      const b = new Uint8Array(16);
      await ready(r, ev.EV_READ);
      expect(Buffer.from(b.subarray(0, recv(r, b, 16, 0))).toString()).to.equal("last words");
      await ready(r, ev.EV_READ);
      expect(recv(r, b, 16, 0)).to.equal(0);
    });

  it("a pair moves bytes within the call: recv right after send finds them, and a non-blocking loop reports them", async () => {
    const pair: number[] = [];
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair)).to.equal(0);
    pair.forEach(track);
    const b = new Uint8Array(16);
    expect([recv(pair[1], b, 16, 0), errno]).to.deep.equal([-1, EAGAIN]);
    expect(send(pair[0], "now", 3, 0)).to.equal(3);
    expect(Buffer.from(b.subarray(0, recv(pair[1], b, 16, 0))).toString()).to.equal("now");
    const base = ev.event_base_new()!;
    const seen: number[] = [];
    const e = ev.event_new(base, pair[0], ev.EV_READ, (_fd, what) => seen.push(what), null)!;
    ev.event_add(e, null);
    expect(send(pair[1], "back", 4, 0)).to.equal(4);
    expect(await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK | ev.EVLOOP_ONCE)).to.equal(0);
    expect(seen).to.deep.equal([ev.EV_READ]);
    ev.event_free(e);
    ev.event_base_free(base);
  });

  it("a send from inside a callback makes the other end readable for the next loop, not the running one (libevent's bench.c counts one read per EVLOOP_ONCE)", async () => {
    const [p, q]: number[][] = [[], []];
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, p)).to.equal(0);
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, q)).to.equal(0);
    [...p, ...q].forEach(track);
    const base = ev.event_base_new()!;
    const trace: string[] = [];
    const b = new Uint8Array(4);
    const onP = ev.event_new(
      base,
      p[0],
      ev.EV_READ | ev.EV_PERSIST,
      (fd) => {
        trace.push(`p${recv(fd, b, 4, 0)}`);
        send(q[1], "q", 1, 0);
      },
      null,
    )!;
    const onQ = ev.event_new(
      base,
      q[0],
      ev.EV_READ | ev.EV_PERSIST,
      (fd) => {
        trace.push(`q${recv(fd, b, 4, 0)}`);
      },
      null,
    )!;
    ev.event_add(onP, null);
    ev.event_add(onQ, null);
    send(p[1], "p", 1, 0);
    expect(await ev.event_base_loop(base, ev.EVLOOP_ONCE | ev.EVLOOP_NONBLOCK)).to.equal(0);
    expect(trace).to.deep.equal(["p1"]);
    expect(await ev.event_base_loop(base, ev.EVLOOP_ONCE | ev.EVLOOP_NONBLOCK)).to.equal(0);
    expect(trace).to.deep.equal(["p1", "q1"]);
    ev.event_free(onP);
    ev.event_free(onQ);
    ev.event_base_free(base);
  });

  it("a pair end closed with bytes unread: the other's send is EPIPE, its recv reads what it was sent, then ECONNRESET, then 0", () => {
    const pair: number[] = [];
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair)).to.equal(0);
    track(pair[1]);
    expect(send(pair[1], "unread", 6, 0)).to.equal(6);
    expect(send(pair[0], "zz", 2, 0)).to.equal(2);
    expect(close(pair[0])).to.equal(0);
    expect([send(pair[1], "x", 1, 0), errno]).to.deep.equal([-1, EPIPE]);
    const b = new Uint8Array(16);
    expect(recv(pair[1], b, 16, 0)).to.equal(2);
    expect([recv(pair[1], b, 16, 0), errno]).to.deep.equal([-1, ECONNRESET]);
    expect(recv(pair[1], b, 16, 0)).to.equal(0);
  });

  it("a pair's send and receive bounds: sends take bytes until the other end's queue and this end's buffer are full, then EAGAIN; room returning is EV_WRITE", async () => {
    const pair: number[] = [];
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair)).to.equal(0);
    pair.forEach(track);
    const chunk = new Uint8Array(4096);
    let total = 0;
    let r: number;
    while ((r = send(pair[0], chunk, 4096, 0)) > 0) total += r;
    expect([r, errno]).to.deep.equal([-1, EAGAIN]);
    expect(total).to.be.above(65536);
    const b = new Uint8Array(65536);
    let got = 0;
    while ((r = recv(pair[1], b, b.length, 0)) > 0) got += r;
    expect(got).to.equal(total);
    await ready(pair[0], ev.EV_WRITE);
    expect(send(pair[0], chunk, 4096, 0)).to.equal(4096);
  });

  it("once one end of a pair is closed, a send on the other is -1/EPIPE from that call", () => {
    for (const closed of [0, 1]) {
      const pair: number[] = [];
      expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair)).to.equal(0);
      track(pair[1 - closed]);
      expect(send(pair[1 - closed], "x", 1, 0)).to.equal(1);
      expect(close(pair[closed])).to.equal(0);
      expect([send(pair[1 - closed], "y", 1, 0), errno]).to.deep.equal([-1, EPIPE]);
    }
  });

  it("a new socketpair carries bytes, SHUT_WR and close at once, before any loop turn", () => {
    const text = (b: Uint8Array, n: number) => Buffer.from(b.subarray(0, n)).toString();
    const b = new Uint8Array(16);
    const p: number[] = [];
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p)).to.equal(0);
    p.forEach(track);
    expect(send(p[0], "ab", 2, 0)).to.equal(2);
    expect(text(b, recv(p[1], b, 16, 0))).to.equal("ab");
    expect([recv(p[1], b, 16, 0), errno]).to.deep.equal([-1, EAGAIN]);
    expect(send(p[1], "xyz", 3, 0)).to.equal(3);
    expect(text(b, recv(p[0], b, 16, 0))).to.equal("xyz");
    expect(shutdown(p[0], SHUT_WR)).to.equal(0);
    expect(recv(p[1], b, 16, 0)).to.equal(0);
    const q: number[] = [];
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, q)).to.equal(0);
    track(q[1]);
    expect(send(q[0], "bye", 3, 0)).to.equal(3);
    expect(U.evutil_closesocket(q[0])).to.equal(0);
    expect([text(b, recv(q[1], b, 16, 0)), recv(q[1], b, 16, 0)]).to.deep.equal(["bye", 0]);
  });

  it("evutil_socketpair takes SOCK_NONBLOCK|SOCK_CLOEXEC and an Int32Array", () => {
    const pair = new Int32Array(2);
    expect(
      U.evutil_socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair),
    ).to.equal(0);
    pair.forEach(track);
    for (const fd of pair)
      expect([fcntl(fd, F_GETFL), fcntl(fd, F_GETFD)]).to.deep.equal([2 | O_NONBLOCK, FD_CLOEXEC]);
    expect([recv(pair[0], new Uint8Array(1), 1, 0), errno]).to.deep.equal([-1, EAGAIN]);
  });

  it("evutil_socketpair fails as Linux's socketpair does", () => {
    const pair: number[] = [];
    expect([U.evutil_socketpair(AF_INET, SOCK_STREAM, 0, pair), errno]).to.deep.equal([-1, 95]);
    expect([U.evutil_socketpair(AF_INET6, SOCK_STREAM, 0, pair), errno]).to.deep.equal([-1, 95]);
    expect([U.evutil_socketpair(99, SOCK_STREAM, 0, pair), errno]).to.deep.equal([
      -1,
      EAFNOSUPPORT,
    ]);
    expect([U.evutil_socketpair(AF_UNIX, 99, 0, pair), errno]).to.deep.equal([-1, EINVAL]);
    expect([U.evutil_socketpair(AF_UNIX, SOCK_STREAM, 6, pair), errno]).to.deep.equal([
      -1,
      EPROTONOSUPPORT,
    ]);
    // Linux creates the two sockets first, so their own checks come before EOPNOTSUPP.
    expect([U.evutil_socketpair(AF_INET, SOCK_STREAM, 1, pair), errno]).to.deep.equal([-1, 93]);
    expect([U.evutil_socketpair(AF_INET, 0, 0, pair), errno]).to.deep.equal([-1, 94]);
    expect([U.evutil_socketpair(AF_INET, SOCK_DGRAM, 0, pair), errno]).to.deep.equal([-1, 95]);
    expect([U.evutil_socketpair(AF_INET6, SOCK_STREAM, -1, pair), errno]).to.deep.equal([
      -1,
      EINVAL,
    ]);
    expect([U.evutil_socketpair(0, SOCK_STREAM, 0, pair), errno]).to.deep.equal([-1, EAFNOSUPPORT]);
    expect([U.evutil_socketpair(99, 99, 0, pair), errno]).to.deep.equal([-1, EINVAL]);
    expect([U.evutil_socketpair(AF_UNIX, 0, 0, pair), errno]).to.deep.equal([-1, 94]);
    expect([U.evutil_socketpair(AF_UNIX, 0, 6, pair), errno]).to.deep.equal([-1, EPROTONOSUPPORT]);
    expect(pair).to.deep.equal([]);
    // Protocol 1 (PF_UNIX) is AF_UNIX's own, as good as 0.
    expect(U.evutil_socketpair(AF_UNIX, SOCK_STREAM, 1, pair)).to.equal(0);
    for (const fd of pair.splice(0)) close(fd);
    const w = warnings(() =>
      expect(U.evutil_socketpair(AF_UNIX, SOCK_DGRAM, 0, pair)).to.equal(-1),
    );
    expect(w.join()).to.match(/SOCK_DGRAM/);
    expect(pair).to.deep.equal([]);
    expect(() => U.evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, null as never)).to.throw(
      TypeError,
      /evutil_socketpair: argument 'fd'/,
    );
  });

  it("evutil_make_socket_nonblocking and _closeonexec set the flags; on a bad descriptor -1 and libevent's warning", () => {
    const fd = track(socket(AF_INET, SOCK_STREAM, 0));
    expect(U.evutil_make_socket_nonblocking(fd)).to.equal(0);
    expect(U.evutil_make_socket_nonblocking(fd)).to.equal(0);
    expect(fcntl(fd, F_GETFL) & O_NONBLOCK).to.equal(O_NONBLOCK);
    expect(U.evutil_make_socket_closeonexec(fd)).to.equal(0);
    expect(fcntl(fd, F_GETFD)).to.equal(FD_CLOEXEC);
    let w = warnings(() => expect(U.evutil_make_socket_nonblocking(123456)).to.equal(-1));
    expect(w).to.deep.equal(["fcntl(123456, F_GETFL): Bad file descriptor"]);
    w = warnings(() => expect(U.evutil_make_socket_closeonexec(123456)).to.equal(-1));
    expect(w).to.deep.equal(["fcntl(123456, F_GETFD): Bad file descriptor"]);
  });

  it("the listen-socket settings set their options; deferred accept is TCP's only", () => {
    const fd = track(socket(AF_INET6, SOCK_STREAM, 0));
    const v = { value: 0 };
    expect(U.evutil_make_listen_socket_reuseable(fd)).to.equal(0);
    getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, v, null);
    expect(v.value).to.equal(1);
    expect(U.evutil_make_listen_socket_reuseable_port(fd)).to.equal(0);
    getsockopt(fd, SOL_SOCKET, SO_REUSEPORT, v, null);
    expect(v.value).to.equal(1);
    expect(U.evutil_make_listen_socket_ipv6only(fd)).to.equal(0);
    getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, v, null);
    expect(v.value).to.equal(1);
    expect(U.evutil_make_tcp_listen_socket_deferred(fd)).to.equal(0);
    getsockopt(fd, IPPROTO_TCP, 9 /* TCP_DEFER_ACCEPT */, v, null);
    expect(v.value).to.equal(1);
    const u = track(socket(AF_UNIX, SOCK_STREAM, 0));
    expect([U.evutil_make_tcp_listen_socket_deferred(u), errno]).to.deep.equal([-1, 95]);
    expect([U.evutil_make_listen_socket_ipv6only(u), errno]).to.deep.equal([-1, 95]);
    // Linux reuses ports of inet sockets only; clearing the flag is accepted anywhere.
    expect([U.evutil_make_listen_socket_reuseable_port(u), errno]).to.deep.equal([-1, 95]);
    expect(setsockopt(u, SOL_SOCKET, SO_REUSEPORT, { value: 0 }, 4)).to.equal(0);
    expect(U.evutil_make_listen_socket_reuseable(u)).to.equal(0);
    const v4 = track(socket(AF_INET, SOCK_STREAM, 0));
    expect([U.evutil_make_listen_socket_ipv6only(v4), errno]).to.deep.equal([-1, 92]);
    expect([U.evutil_make_listen_socket_reuseable(123456), errno]).to.deep.equal([-1, EBADF]);
  });

  it("evutil_closesocket / EVUTIL_CLOSESOCKET close; a second close is -1/EBADF", () => {
    const a = socket(AF_INET, SOCK_STREAM, 0);
    const b = socket(AF_INET, SOCK_STREAM, 0);
    expect(U.evutil_closesocket(a)).to.equal(0);
    expect(U.EVUTIL_CLOSESOCKET(b)).to.equal(0);
    expect([U.evutil_closesocket(a), errno]).to.deep.equal([-1, EBADF]);
    expect(U.EVUTIL_INVALID_SOCKET).to.equal(-1);
  });

  it("EVUTIL_SOCKET_ERROR is the positive errno of the last socket error; SET sets it; to_string words it", () => {
    const fd = track(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    recv(fd, new Uint8Array(1), 1, 0);
    expect(U.EVUTIL_SOCKET_ERROR()).to.equal(107);
    expect(U.evutil_socket_geterror(fd)).to.equal(107);
    expect(U.evutil_socket_error_to_string(U.EVUTIL_SOCKET_ERROR())).to.equal(
      "Transport endpoint is not connected",
    );
    U.EVUTIL_SET_SOCKET_ERROR(EAGAIN);
    expect([U.EVUTIL_SOCKET_ERROR(), errno]).to.deep.equal([EAGAIN, EAGAIN]);
    expect(U.evutil_socket_error_to_string(EAGAIN)).to.equal("Resource temporarily unavailable");
    expect(U.evutil_socket_error_to_string(0)).to.equal("Success");
  });
});
