/* eslint prefer-const: "off" -- the C ports declare variables first and assign them later, as C does */
// Socket bufferevents over a socketpair: the port of test/c/bev_socket.c,
// compared with libevent's own trace.
import * as ev from "../src/event2/event.js";
import {
  EV_READ,
  EV_TIMEOUT,
  EV_WRITE,
  EVLOOP_NONBLOCK,
  EVLOOP_ONCE,
} from "../src/event2/event.js";
import { evbuffer_add, evbuffer_drain, evbuffer_get_length } from "../src/event2/buffer.js";
import {
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_getfd,
  bufferevent_set_max_single_read,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_new,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import {
  AF_INET,
  AF_UNIX,
  EVUTIL_SOCKET_ERROR,
  INADDR_LOOPBACK,
  accept,
  bind,
  connect,
  getsockname,
  htonl,
  listen,
  socket,
  MSG_DONTWAIT,
  SHUT_WR,
  SOCK_STREAM,
  evutil_closesocket,
  evutil_make_socket_nonblocking,
  evutil_socket_error_to_string,
  evutil_socketpair,
  recv,
  send,
  shutdown,
} from "../src/event2/util.js";
import {
  EAGAIN,
  EWOULDBLOCK,
  SIGPIPE,
  SIG_IGN,
  errno,
  exit,
  memset,
  perror,
  signal,
  sizeof,
} from "../src/libc/index.js";
import { Trace, cTraceAsync, expectSameTrace } from "./bev_harness.test.js";

/** The line-by-line port of test/c/bev_socket.c. */
async function bev_socket_main(printf: Trace["printf"]): Promise<number> {
  let base: ev.EventBase;
  let drain = 0;

  function readcb(bev: BufferEvent, _ctx: any) {
    const inp = bufferevent_get_input(bev);
    printf("readcb inlen=%zu\n", evbuffer_get_length(inp));
    if (drain) evbuffer_drain(inp, evbuffer_get_length(inp));
  }

  function writecb(bev: BufferEvent, _ctx: any) {
    printf("writecb outlen=%zu\n", evbuffer_get_length(bufferevent_get_output(bev)));
  }

  function eventcb(bev: BufferEvent, what: number, _ctx: any) {
    const err = EVUTIL_SOCKET_ERROR();
    printf(
      "eventcb what=0x%x enabled=%d outlen=%zu",
      what,
      bufferevent_get_enabled(bev),
      evbuffer_get_length(bufferevent_get_output(bev)),
    );
    if (what & BEV_EVENT_ERROR) printf(" err=%s", evutil_socket_error_to_string(err));
    printf("\n");
    ev.event_base_loopbreak(base);
  }

  /* Runs the loop until a callback breaks it, or a second. */
  async function run(label: string) {
    const tv = { tv_sec: 1, tv_usec: 0 };
    printf("run %s\n", label);
    ev.event_base_loopexit(base, tv);
    await ev.event_base_dispatch(base);
  }

  /* Runs the loop for n milliseconds. */
  async function run_for(label: string, n: number) {
    const tv = { tv_sec: 0, tv_usec: n * 1000 };
    printf("run %s\n", label);
    ev.event_base_loopexit(base, tv);
    await ev.event_base_dispatch(base);
  }

  /* Whether fd is still open: a non-blocking read on the peer gives EAGAIN, not EOF. */
  function peer_sees(peer: number): string {
    const c = new Uint8Array(1);
    const n = recv(peer, c, 1, MSG_DONTWAIT);
    if (n < 0 && (errno === EAGAIN || errno === EWOULDBLOCK)) return "open";
    return n === 0 ? "closed" : "data";
  }

  function newpair(fds: number[]) {
    if (evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0) {
      perror("socketpair");
      exit(1);
    }
    evutil_make_socket_nonblocking(fds[0]);
    evutil_make_socket_nonblocking(fds[1]);
  }

  /* A connected loopback TCP pair; non-blocking calls only, the loop turning while it waits. */
  async function tcppair(fds: number[]) {
    const sin: any = {}; // a fresh {} is C's memset struct
    const len = { value: sizeof(sin) };
    const l = socket(AF_INET, SOCK_STREAM, 0);
    let i: number;
    sin.sin_family = AF_INET;
    sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };
    sin.sin_port = 0;
    if (bind(l, sin, sizeof(sin)) < 0 || listen(l, 1) < 0) {
      perror("listen");
      exit(1);
    }
    getsockname(l, sin, len);
    evutil_make_socket_nonblocking(l);
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    evutil_make_socket_nonblocking(fds[0]);
    connect(fds[0], sin, sizeof(sin));
    for (i = 0; i < 1000 && (fds[1] = accept(l, null, null)) < 0; i++)
      await ev.event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
    if (fds[1] < 0) {
      perror("accept");
      exit(1);
    }
    evutil_make_socket_nonblocking(fds[1]);
    evutil_closesocket(l);
  }

  function loopbreak_cb(_fd: number, _what: number, _ctx: any) {
    ev.event_base_loopbreak(base);
  }

  const fds: number[] = [];
  let bev: BufferEvent;
  const buf = new Uint8Array(4096);
  let i: number, n: number;
  const ms50 = { tv_sec: 0, tv_usec: 50000 };

  signal(SIGPIPE, SIG_IGN);
  base = ev.event_base_new()!;

  /* data both ways; getfd; CONNECTED never comes for an accepted fd */
  newpair(fds);
  bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE)!;
  printf(
    "getfd ok=%d enabled=%d\n",
    Number(bufferevent_getfd(bev) === fds[0]),
    bufferevent_get_enabled(bev),
  );
  bufferevent_setcb(bev, readcb, writecb, eventcb, null);
  drain = 1;
  printf("add(input)=%d\n", evbuffer_add(bufferevent_get_input(bev), "x", 1));
  send(fds[1], "hello", 5, 0);
  await run_for("not reading yet", 100);
  bufferevent_enable(bev, EV_READ);
  await run_for("reading", 100);
  bufferevent_write(bev, "pong", 4);
  printf("after write outlen=%zu\n", evbuffer_get_length(bufferevent_get_output(bev)));
  await run_for("writing", 100);
  n = recv(fds[1], buf, buf.length, MSG_DONTWAIT);
  printf("peer got %d\n", n);

  /* enable(EV_WRITE) on an empty output: one writecb with outlen 0 */
  bufferevent_enable(bev, EV_WRITE);
  await run_for("enable write", 100);

  /* max_single_read 3: 10 bytes come as 3,3,3,1 */
  bufferevent_set_max_single_read(bev, 3);
  send(fds[1], "0123456789", 10, 0);
  await run_for("max_single_read 3", 100);
  bufferevent_set_max_single_read(bev, 0);

  /* read high watermark 100: 300 bytes come as 100,100,100 */
  bufferevent_setwatermark(bev, EV_READ, 0, 100);
  memset(buf, "w".charCodeAt(0), 300);
  send(fds[1], buf, 300, 0);
  await run_for("high 100", 100);

  /* low 10: 5 then 5 more gives one readcb at 10 */
  bufferevent_setwatermark(bev, EV_READ, 10, 0);
  send(fds[1], "abcde", 5, 0);
  await run_for("low 10, 5 bytes", 100);
  send(fds[1], "fghij", 5, 0);
  await run_for("low 10, 10 bytes", 100);
  bufferevent_setwatermark(bev, EV_READ, 0, 0);

  /* EOF: reading is disabled before the eventcb */
  send(fds[1], "bye", 3, 0);
  shutdown(fds[1], SHUT_WR);
  await run("eof");
  printf("enabled=%d\n", bufferevent_get_enabled(bev));

  /* CLOSE_ON_FREE: the descriptor is closed once the loop has run */
  bufferevent_free(bev);
  ev.event_base_once(base, -1, EV_TIMEOUT, loopbreak_cb, null, ms50);
  await run("after free");
  printf("peer sees %s\n", peer_sees(fds[1]));
  evutil_closesocket(fds[1]);

  /* without CLOSE_ON_FREE the descriptor stays open */
  newpair(fds);
  bev = bufferevent_socket_new(base, fds[0], 0)!;
  bufferevent_enable(bev, EV_READ);
  bufferevent_free(bev);
  ev.event_base_once(base, -1, EV_TIMEOUT, loopbreak_cb, null, ms50);
  await run("after free, no close");
  printf("peer sees %s\n", peer_sees(fds[1]));
  evutil_closesocket(fds[0]);
  evutil_closesocket(fds[1]);

  /* reset: over TCP, the peer closes with our bytes unread */
  await tcppair(fds);
  bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE)!;
  bufferevent_setcb(bev, readcb, writecb, eventcb, null);
  bufferevent_enable(bev, EV_READ);
  bufferevent_write(bev, "unread", 6);
  await run_for("wrote 6", 100);
  evutil_closesocket(fds[1]);
  await run("reset");

  /* write error: writing after the reset; the output keeps its bytes */
  bufferevent_write(bev, "0123456789", 10);
  await run("write error");
  bufferevent_free(bev);

  /* a peer that does not read: bytes wait in the output, one writecb at 0 once it drains */
  newpair(fds);
  bev = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE)!;
  bufferevent_setcb(bev, null, writecb, eventcb, null);
  memset(buf, "z".charCodeAt(0), buf.length);
  for (i = 0; i < 256; i++) bufferevent_write(bev, buf, buf.length);
  await run_for("peer not reading", 200);
  printf("output waiting=%d\n", Number(evbuffer_get_length(bufferevent_get_output(bev)) > 0));
  for (n = 0, i = 0; i < 2000 && n < 256 * 4096; i++) {
    const r = recv(fds[1], buf, buf.length, MSG_DONTWAIT);
    if (r > 0) n += r;
    else await ev.event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
  }
  printf("peer read %d\n", n);
  await run_for("drained", 100);
  bufferevent_free(bev);
  evutil_closesocket(fds[1]);

  printf("dispatch=%d\n", await ev.event_base_dispatch(base));
  ev.event_base_free(base);
  return 0;
}

describe("socket bufferevents over a socketpair", function () {
  this.timeout(30000);
  it("prints the same trace as libevent (test/c/bev_socket.c)", async () => {
    const t = new Trace();
    await bev_socket_main(t.printf);
    expectSameTrace(t.out, await cTraceAsync("bev_socket"));
  });
});
