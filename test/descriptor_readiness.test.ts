// The C-vs-TypeScript trace of descriptor readiness: test/c/fd_readiness.c
// run against libevent 2.1.12, and below its line-by-line port, must print
// the same lines.
import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import { cformat } from "../src/core/printf.js";
import * as ev from "../src/event2/event.js";
import {
  evutil_closesocket,
  evutil_make_socket_nonblocking,
  evutil_socketpair,
} from "../src/event2/util_sockets.js";
import {
  AF_INET,
  AF_UNIX,
  EAGAIN,
  EBADF,
  ECONNREFUSED,
  EINPROGRESS,
  ENOTCONN,
  EPIPE,
  F_GETFL,
  INADDR_LOOPBACK,
  MSG_NOSIGNAL,
  O_NONBLOCK,
  SHUT_WR,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ERROR,
  SO_REUSEADDR,
  accept,
  bind,
  connect,
  errno,
  fcntl,
  getsockname,
  getsockopt,
  htonl,
  htons,
  listen,
  ntohs,
  recv,
  send,
  setsockopt,
  shutdown,
  sizeof,
  socket,
} from "../src/libc/index.js";

type Ev = ReturnType<typeof ev.event_new>;

/** The port of fd_readiness.c; `printf` collects the trace. */
async function fd_readiness(printf: (fmt: string, ...a: unknown[]) => void): Promise<void> {
  let base: NonNullable<ReturnType<typeof ev.event_base_new>>;
  let listener: number,
    client: number,
    conn = -1;
  let ev_listen: Ev, ev_client: Ev, ev_conn: Ev;
  const sin: Record<string, any> = {};
  let step = 0,
    got = 0;

  function err_name(e: number): string {
    switch (e) {
      case EAGAIN: return "EAGAIN"; // prettier-ignore
      case EINPROGRESS: return "EINPROGRESS"; // prettier-ignore
      case ECONNREFUSED: return "ECONNREFUSED"; // prettier-ignore
      case ENOTCONN: return "ENOTCONN"; // prettier-ignore
      case EBADF: return "EBADF"; // prettier-ignore
      case EPIPE: return "EPIPE"; // prettier-ignore
      case 0: return "0"; // prettier-ignore
      default: return "other"; // prettier-ignore
    }
  }

  function on_client_read(fd: number, what: number) {
    const buf = new Uint8Array(64);
    const n = recv(fd, buf, sizeof(buf), 0);
    printf("client readable what=0x%x recv %d\n", what, n);
    if (n === 0) {
      ev.event_free(ev_client!);
      evutil_closesocket(client);
      ev.event_free(ev_listen!);
      evutil_closesocket(listener);
      printf("closed client and listener\n");
    }
  }

  function on_conn_writable(fd: number, what: number) {
    printf("conn writable what=0x%x\n", what);
    printf("send %d\n", send(fd, "bye", 3, 0));
    ev.event_free(ev_conn!);
    printf("close in callback %d\n", evutil_closesocket(fd));
    ev_client = ev.event_new(base, client, ev.EV_READ | ev.EV_PERSIST, on_client_read, null);
    ev.event_add(ev_client!, null);
  }

  function on_conn_read(fd: number, what: number) {
    const buf = new Uint8Array(64);
    let n: number;
    printf("conn readable what=0x%x\n", what);
    if (step === 0) {
      for (;;) {
        n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0) {
          printf("recv -1 %s\n", err_name(errno));
          break;
        }
        printf('recv %d "%.*s"\n', n, n, buf);
      }
      step = 1;
      printf("client send %d\n", send(client, "abcdef", 6, 0));
    } else if (step === 1) {
      n = recv(fd, buf, 3, 0);
      printf('recv %d "%.*s"\n', n, n, buf);
      if (++got === 2) {
        step = 2;
        printf("client shutdown %d\n", shutdown(client, SHUT_WR));
      }
    } else {
      n = recv(fd, buf, sizeof(buf), 0);
      printf("recv %d (EOF)\n", n);
      ev.event_free(ev_conn!);
      ev_conn = ev.event_new(base, fd, ev.EV_WRITE, on_conn_writable, null);
      ev.event_add(ev_conn!, null);
    }
  }

  function on_accept(fd: number, what: number) {
    const ss = {};
    const len = { value: sizeof(ss) };
    let s: number;
    let n = 0;
    printf("listener readable what=0x%x\n", what);
    for (;;) {
      len.value = sizeof(ss);
      s = accept(fd, ss, len);
      if (s < 0) {
        printf("accept -1 %s after %d\n", err_name(errno), n);
        break;
      }
      n++;
      printf(
        "accepted: family %d len %d nonblock %d\n",
        (ss as { ss_family: number }).ss_family,
        len.value,
        (fcntl(s, F_GETFL) & O_NONBLOCK) !== 0,
      );
      evutil_make_socket_nonblocking(s);
      printf("now nonblock %d\n", (fcntl(s, F_GETFL) & O_NONBLOCK) !== 0);
      conn = s;
    }
    ev_conn = ev.event_new(
      base,
      conn,
      ev.EV_READ | ev.EV_CLOSED | ev.EV_PERSIST,
      on_conn_read,
      null,
    );
    ev.event_add(ev_conn!, null);
    printf("client send %d\n", send(client, "hello", 5, 0));
  }

  function on_client_connected(fd: number, what: number) {
    const err = { value: -1 };
    const len = { value: sizeof("int") };
    getsockopt(fd, SOL_SOCKET, SO_ERROR, err, len);
    printf("client writable what=0x%x SO_ERROR %s\n", what, err_name(err.value));
    ev.event_free(ev_client!);
    ev.event_add(ev_listen!, null);
  }

  function on_refused(fd: number, what: number) {
    const err = { value: -1 };
    const len = { value: sizeof("int") };
    const buf = new Uint8Array(8);
    let n: number;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, err, len);
    printf("refused socket what=0x%x SO_ERROR %s\n", what, err_name(err.value));
    n = recv(fd, buf, sizeof(buf), 0);
    printf("recv %d %s\n", n, err_name(n < 0 ? errno : 0));
    n = send(fd, "x", 1, MSG_NOSIGNAL);
    printf("send %d %s\n", n, err_name(n < 0 ? errno : 0));
    ev.event_free(ev_client!);
    evutil_closesocket(fd);
  }

  const len = { value: sizeof("struct sockaddr_in") };
  const one = { value: 1 };
  let r: number;
  base = ev.event_base_new()!;
  listener = socket(AF_INET, SOCK_STREAM, 0);
  evutil_make_socket_nonblocking(listener);
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, one, sizeof("int"));
  sin.sin_family = AF_INET;
  sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };
  sin.sin_port = htons(0);
  printf("bind %d\n", bind(listener, sin, sizeof(sin)));
  printf("listen %d\n", listen(listener, 8));
  getsockname(listener, sin, len);
  printf(
    "bound: family %d len %d port nonzero %d\n",
    sin.sin_family,
    len.value,
    ntohs(sin.sin_port) !== 0,
  );
  r = accept(listener, null, null);
  printf("accept on empty queue %d %s\n", r, err_name(errno));
  ev_listen = ev.event_new(base, listener, ev.EV_READ | ev.EV_PERSIST, on_accept, null);

  client = socket(AF_INET, SOCK_STREAM, 0);
  evutil_make_socket_nonblocking(client);
  r = connect(client, sin, sizeof(sin));
  printf("connect %d %s\n", r, err_name(errno));
  ev_client = ev.event_new(base, client, ev.EV_WRITE, on_client_connected, null);
  ev.event_add(ev_client!, null);
  printf("dispatch returned %d\n", await ev.event_base_dispatch(base));

  // The listener is closed now: connecting to its port is refused.
  client = socket(AF_INET, SOCK_STREAM, 0);
  evutil_make_socket_nonblocking(client);
  r = connect(client, sin, sizeof(sin));
  printf("connect %d %s\n", r, err_name(errno));
  ev_client = ev.event_new(base, client, ev.EV_WRITE, on_refused, null);
  ev.event_add(ev_client!, null);
  printf("dispatch returned %d\n", await ev.event_base_dispatch(base));
  ev.event_base_free(base);
}

/** The port of fd_order.c: several events on one descriptor run newest first. */
async function fd_order(printf: (fmt: string, ...a: unknown[]) => void): Promise<void> {
  const show = (fd: number, what: number, arg: any) => printf("%s what=0x%x\n", arg, what);
  const watchdog = (fd: number, what: number, arg: any) => {
    printf("watchdog what=0x%x: loopbreak\n", what);
    ev.event_base_loopbreak(arg);
  };
  const base = ev.event_base_new()!;
  const pair: number[] = [];
  const byte = new Uint8Array(1);

  evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
  evutil_make_socket_nonblocking(pair[0]);
  evutil_make_socket_nonblocking(pair[1]);

  printf("-- a new pair: a writer, a byte sent, a watchdog reader\n");
  const b = ev.event_new(base, pair[0], ev.EV_WRITE, show, "b write")!;
  ev.event_add(b, null);
  send(pair[1], "w", 1, 0);
  const w = ev.event_new(base, pair[0], ev.EV_READ, watchdog, base)!;
  ev.event_add(w, null);
  printf("dispatch %d\n", await ev.event_base_dispatch(base));
  printf("writer still pending 0x%x\n", ev.event_pending(b, ev.EV_WRITE, null));
  printf("recv %d\n", recv(pair[0], byte, 1, 0));
  ev.event_free(w);
  ev.event_del(b);

  const a = ev.event_new(base, pair[0], ev.EV_READ, show, "a read")!;
  const c = ev.event_new(base, pair[0], ev.EV_READ | ev.EV_WRITE, show, "c read|write")!;
  const d = ev.event_new(base, pair[0], ev.EV_READ, show, "d read")!;

  printf("-- bytes sent, then four events added\n");
  send(pair[1], "x", 1, 0);
  ev.event_add(a, null);
  ev.event_add(b, null);
  ev.event_add(c, null);
  ev.event_add(d, null);
  await ev.event_base_loop(base, ev.EVLOOP_ONCE);

  printf("-- three added again, byte still unread\n");
  ev.event_add(b, null);
  ev.event_add(a, null);
  ev.event_add(d, null);
  await ev.event_base_loop(base, ev.EVLOOP_ONCE);

  printf("-- byte read; a and b added, then a byte sent\n");
  printf("recv %d\n", recv(pair[0], byte, 1, 0));
  ev.event_add(a, null);
  ev.event_add(b, null);
  send(pair[1], "y", 1, 0);
  await ev.event_base_loop(base, ev.EVLOOP_ONCE);

  printf("-- two persistent readers, twice\n");
  const x = ev.event_new(base, pair[0], ev.EV_READ | ev.EV_PERSIST, show, "x persist")!;
  const y = ev.event_new(base, pair[0], ev.EV_READ | ev.EV_PERSIST, show, "y persist")!;
  ev.event_add(x, null);
  ev.event_add(y, null);
  await ev.event_base_loop(base, ev.EVLOOP_ONCE);
  await ev.event_base_loop(base, ev.EVLOOP_ONCE);

  for (const e of [a, b, c, d, x, y]) ev.event_free(e);
  evutil_closesocket(pair[0]);
  evutil_closesocket(pair[1]);
  ev.event_base_free(base);
}

describe("descriptor readiness: C trace vs TypeScript port", () => {
  it("fd_order: events on one descriptor run newest first, bytes sent just before (on a new socketpair too) in the same pass", async () => {
    const expected = runC(buildC("fd_order"));
    let out = "";
    await fd_order((fmt, ...a) => {
      out += cformat(fmt, a)!.toString("utf8");
    });
    expect(out).to.equal(expected);
  });

  it("fd_readiness prints the same trace as the C program against libevent", async () => {
    const expected = runC(buildC("fd_readiness"));
    let out = "";
    await fd_readiness((fmt, ...a) => {
      out += cformat(fmt, a)!.toString("utf8");
    });
    expect(out).to.equal(expected);
  });
});
