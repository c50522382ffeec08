/* eslint prefer-const: "off" -- the C ports declare variables first and assign them later, as C does */
// bufferevent_socket_connect and _connect_hostname: the port of
// test/c/bev_connect.c, compared with libevent's own trace.
import * as ev from "../src/event2/event.js";
import { EV_PERSIST, EV_READ, EV_WRITE } from "../src/event2/event.js";
import { evbuffer_drain, evbuffer_get_length } from "../src/event2/buffer.js";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_DEFER_CALLBACKS,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_getfd,
  bufferevent_setcb,
  bufferevent_socket_connect,
  bufferevent_socket_connect_hostname,
  bufferevent_socket_get_dns_error,
  bufferevent_socket_new,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import {
  AF_INET,
  AF_UNIX,
  AF_UNSPEC,
  EVUTIL_SOCKET_ERROR,
  INADDR_LOOPBACK,
  SHUT_WR,
  SOCK_STREAM,
  accept,
  bind,
  evutil_closesocket,
  evutil_make_listen_socket_reuseable,
  evutil_make_socket_nonblocking,
  evutil_socket_error_to_string,
  getsockname,
  htonl,
  listen,
  ntohs,
  send,
  shutdown,
  socket,
} from "../src/event2/util.js";
import { SIGPIPE, SIG_IGN, perror, signal, sizeof } from "../src/libc/index.js";
import { Trace, cTraceAsync, expectSameTrace } from "./bev_harness.test.js";

/** The line-by-line port of test/c/bev_connect.c. */
async function bev_connect_main(printf: Trace["printf"]): Promise<number> {
  let base: ev.EventBase;
  const served: number[] = [];
  let nserved = 0;

  function readcb(bev: BufferEvent, ctx: any) {
    const inp = bufferevent_get_input(bev);
    printf("%s readcb inlen=%zu\n", ctx, evbuffer_get_length(inp));
    evbuffer_drain(inp, evbuffer_get_length(inp));
  }

  function writecb(bev: BufferEvent, ctx: any) {
    printf("%s writecb outlen=%zu\n", ctx, evbuffer_get_length(bufferevent_get_output(bev)));
    ev.event_base_loopbreak(base);
  }

  function eventcb(bev: BufferEvent, what: number, ctx: any) {
    const err = EVUTIL_SOCKET_ERROR();
    printf("%s eventcb what=0x%x enabled=%d", ctx, what, bufferevent_get_enabled(bev));
    if (what & BEV_EVENT_ERROR) printf(" err=%s", evutil_socket_error_to_string(err));
    if (what & BEV_EVENT_CONNECTED) printf(" fd_ok=%d", Number(bufferevent_getfd(bev) >= 0));
    printf("\n");
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) ev.event_base_loopbreak(base);
  }

  function accept_cb(l: number, _what: number, _ctx: any) {
    const s = accept(l, null, null);
    if (s < 0) return;
    send(s, "hello", 5, 0);
    shutdown(s, SHUT_WR);
    served[nserved++] = s;
  }

  async function run(label: string) {
    const tv = { tv_sec: 2, tv_usec: 0 };
    printf("run %s\n", label);
    ev.event_base_loopexit(base, tv);
    await ev.event_base_dispatch(base);
  }

  function client(name: string, options: number, enable: number): BufferEvent {
    const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE | options)!;
    bufferevent_setcb(bev, readcb, writecb, eventcb, name);
    if (enable) bufferevent_enable(bev, enable);
    return bev;
  }

  const sin: any = {},
    dead: any = {};
  const len = { value: sizeof(sin) };
  let l: number, d: number;
  let accepting: ev.Event;
  let bev: BufferEvent;
  let i: number, r: number;

  signal(SIGPIPE, SIG_IGN);
  base = ev.event_base_new()!;

  sin.sin_family = AF_INET;
  sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };
  sin.sin_port = 0;
  l = socket(AF_INET, SOCK_STREAM, 0);
  evutil_make_listen_socket_reuseable(l);
  if (bind(l, sin, sizeof(sin)) < 0 || listen(l, 16) < 0) {
    perror("listen");
    return 1;
  }
  getsockname(l, sin, len);
  evutil_make_socket_nonblocking(l);
  accepting = ev.event_new(base, l, EV_READ | EV_PERSIST, accept_cb, null)!;
  ev.event_add(accepting, null);

  /* a port nobody listens on */
  Object.assign(dead, sin);
  d = socket(AF_INET, SOCK_STREAM, 0);
  dead.sin_port = 0;
  bind(d, dead, sizeof(dead));
  len.value = sizeof(dead);
  getsockname(d, dead, len);
  evutil_closesocket(d);

  /* connect and read: CONNECTED (no writecb, the output is empty), data, EOF */
  bev = client("A", 0, EV_READ);
  r = bufferevent_socket_connect(bev, sin, sizeof(sin));
  printf("connect=%d enabled=%d\n", r, bufferevent_get_enabled(bev));
  await run("A");
  bufferevent_free(bev);

  /* the same with deferred callbacks */
  bev = client("B", BEV_OPT_DEFER_CALLBACKS, EV_READ);
  r = bufferevent_socket_connect(bev, sin, sizeof(sin));
  printf("connect=%d\n", r);
  await run("B");
  bufferevent_free(bev);

  /* bytes written before the connect go once it completes, then the writecb */
  bev = client("C", 0, 0);
  bufferevent_write(bev, "early", 5);
  r = bufferevent_socket_connect(bev, sin, sizeof(sin));
  printf("connect=%d outlen=%zu\n", r, evbuffer_get_length(bufferevent_get_output(bev)));
  await run("C");
  bufferevent_free(bev);

  /* refused: ERROR alone; the enabled bits stay */
  bev = client("D", 0, EV_READ | EV_WRITE);
  r = bufferevent_socket_connect(bev, dead, sizeof(dead));
  printf("connect=%d\n", r);
  await run("D");
  bufferevent_free(bev);
  bev = client("E", BEV_OPT_DEFER_CALLBACKS, EV_READ | EV_WRITE);
  r = bufferevent_socket_connect(bev, dead, sizeof(dead));
  printf("connect=%d\n", r);
  await run("E");
  bufferevent_free(bev);

  /* no descriptor and no address */
  bev = client("F", 0, 0);
  printf("connect(NULL)=%d\n", bufferevent_socket_connect(bev, null, 0));
  printf(
    "bad family=%d\n",
    bufferevent_socket_connect_hostname(bev, null, AF_UNIX, "127.0.0.1", 80),
  );
  printf("port 0=%d\n", bufferevent_socket_connect_hostname(bev, null, AF_INET, "127.0.0.1", 0));
  printf(
    "port 65536=%d\n",
    bufferevent_socket_connect_hostname(bev, null, AF_INET, "127.0.0.1", 65536),
  );
  bufferevent_free(bev);

  /* connect_hostname with a numeric host and with localhost */
  bev = client("G", 0, EV_READ);
  r = bufferevent_socket_connect_hostname(bev, null, AF_INET, "127.0.0.1", ntohs(sin.sin_port));
  printf("connect_hostname=%d\n", r);
  await run("G");
  printf("dns error=%d\n", bufferevent_socket_get_dns_error(bev));
  bufferevent_free(bev);
  bev = client("H", 0, EV_READ);
  r = bufferevent_socket_connect_hostname(bev, null, AF_UNSPEC, "localhost", ntohs(sin.sin_port));
  printf("connect_hostname=%d\n", r);
  await run("H");
  printf("dns error=%d\n", bufferevent_socket_get_dns_error(bev));
  bufferevent_free(bev);

  for (i = 0; i < nserved; i++) evutil_closesocket(served[i]);
  printf("served %d\n", nserved);
  ev.event_free(accepting);
  evutil_closesocket(l);
  ev.event_base_free(base);
  return 0;
}

describe("bufferevent_socket_connect over loopback TCP", function () {
  this.timeout(30000);
  it("prints the same trace as libevent (test/c/bev_connect.c)", async () => {
    const t = new Trace();
    await bev_connect_main(t.printf);
    expectSameTrace(t.out, await cTraceAsync("bev_connect"));
  });
});
