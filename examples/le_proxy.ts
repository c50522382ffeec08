// libevent's sample/le-proxy.c in plain TCP mode (no SSL), ported line by
// line from examples/c/le_proxy.c: every connection accepted on one address
// is paired with a new connection to another; each side's input is moved
// onto the other side's output. When one side's output passes MAX_OUTPUT its
// partner stops reading until that output drains to half; when one side
// ends, what it sent is flushed to the other before that one is closed too.
//
// Usage: node dist/examples/le_proxy.js <listen-on-addr> <connect-to-addr>
//   e.g. le_proxy 127.0.0.1:8888 1.2.3.4:80; a bare port listens on
//   127.0.0.1, an address without a port picks a free one.
// Prints "listening on PORT" once it accepts connections.
import {
  evbuffer_add_buffer,
  evbuffer_drain,
  evbuffer_get_length,
} from "bufferevent/event2/buffer";
import {
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_DEFER_CALLBACKS,
  bufferevent_disable,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_connect,
  bufferevent_socket_new,
  type BufferEvent,
} from "bufferevent/event2/bufferevent";
import {
  EV_READ,
  EV_WRITE,
  event_base_dispatch,
  event_base_free,
  event_base_new,
  type EventBase,
} from "bufferevent/event2/event";
import {
  LEV_OPT_CLOSE_ON_EXEC,
  LEV_OPT_CLOSE_ON_FREE,
  LEV_OPT_REUSEABLE,
  evconnlistener_free,
  evconnlistener_get_fd,
  evconnlistener_new_bind,
  type evconnlistener,
} from "bufferevent/event2/listener";
import { evutil_parse_sockaddr_port } from "bufferevent/event2/util";
import {
  AF_INET,
  argc,
  argv,
  atoi,
  errno,
  exit,
  fprintf,
  fputs,
  getsockname,
  htonl,
  htons,
  ntohs,
  perror,
  printf,
  sizeof,
  stderr,
} from "bufferevent/libc";

const MAX_OUTPUT = 512 * 1024;

let base: EventBase;
const connect_to_addr: any = {};
const connect_to_addrlen = { value: 0 };

function on_read(bev: BufferEvent, ctx: any): void {
  const partner: BufferEvent | null = ctx;
  const src = bufferevent_get_input(bev);

  if (partner === null) {
    // The other side is gone: nowhere to send this.
    evbuffer_drain(src, evbuffer_get_length(src));
    return;
  }
  const dst = bufferevent_get_output(partner);
  evbuffer_add_buffer(dst, src);

  if (evbuffer_get_length(dst) >= MAX_OUTPUT) {
    // The partner cannot pass it on as fast as we read: stop
    // reading until its output is down to MAX_OUTPUT/2.
    bufferevent_setcb(partner, on_read, on_drained, on_event, bev);
    bufferevent_setwatermark(partner, EV_WRITE, MAX_OUTPUT / 2, MAX_OUTPUT);
    bufferevent_disable(bev, EV_READ);
  }
}

function on_drained(bev: BufferEvent, ctx: any): void {
  const partner: BufferEvent | null = ctx;

  bufferevent_setcb(bev, on_read, null, on_event, partner);
  bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
  if (partner) bufferevent_enable(partner, EV_READ);
}

function close_when_flushed(bev: BufferEvent, ctx: any): void {
  if (evbuffer_get_length(bufferevent_get_output(bev)) === 0) bufferevent_free(bev);
}

function on_event(bev: BufferEvent, what: number, ctx: any): void {
  const partner: BufferEvent | null = ctx;

  if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))) return;
  if (what & BEV_EVENT_ERROR && errno) perror("connection error");

  if (partner) {
    // Hand over what is still in our input, then let the partner
    // finish writing it before it is closed as well.
    on_read(bev, ctx);
    if (evbuffer_get_length(bufferevent_get_output(partner))) {
      bufferevent_setcb(partner, null, close_when_flushed, on_event, null);
      bufferevent_disable(partner, EV_READ);
    } else {
      bufferevent_free(partner);
    }
  }
  bufferevent_free(bev);
}

function on_accept(lev: evconnlistener, fd: number, a: object, slen: number, arg: any): void {
  const b_in = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS)!;
  const b_out = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS)!;
  if (bufferevent_socket_connect(b_out, connect_to_addr, connect_to_addrlen.value) < 0) {
    perror("bufferevent_socket_connect");
    bufferevent_free(b_out);
    bufferevent_free(b_in);
    return;
  }

  bufferevent_setcb(b_in, on_read, null, on_event, b_out);
  bufferevent_setcb(b_out, on_read, null, on_event, b_in);
  bufferevent_enable(b_in, EV_READ | EV_WRITE);
  bufferevent_enable(b_out, EV_READ | EV_WRITE);
}

function syntax(): never {
  fputs("Syntax:\n", stderr);
  fputs("   le_proxy <listen-on-addr> <connect-to-addr>\n", stderr);
  fputs("Example:\n", stderr);
  fputs("   le_proxy 127.0.0.1:8888 1.2.3.4:80\n", stderr);
  exit(1);
}

const listen_on_addr: any = {};
const socklen = { value: sizeof(listen_on_addr) };

if (argc !== 3) syntax();

if (evutil_parse_sockaddr_port(argv[1], listen_on_addr, socklen) < 0) {
  // A bare port: listen on the loopback address.
  const sin = listen_on_addr;
  const p = atoi(argv[1]);
  if (p < 1 || p > 65535) syntax();
  sin.sin_family = AF_INET;
  sin.sin_port = htons(p);
  sin.sin_addr = { s_addr: htonl(0x7f000001) };
  socklen.value = sizeof("struct sockaddr_in");
}

connect_to_addrlen.value = sizeof(connect_to_addr);
if (evutil_parse_sockaddr_port(argv[2], connect_to_addr, connect_to_addrlen) < 0) syntax();

const b = event_base_new();
if (!b) {
  perror("event_base_new()");
  exit(1);
}
base = b;

const lev = evconnlistener_new_bind(
  base,
  on_accept,
  null,
  LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
  -1,
  listen_on_addr,
  socklen.value,
);
if (!lev) {
  fprintf(stderr, "Couldn't open listener.\n");
  event_base_free(base);
  exit(1);
}
const boundlen = { value: sizeof(listen_on_addr) };
getsockname(evconnlistener_get_fd(lev), listen_on_addr, boundlen);
printf("listening on %d\n", ntohs(listen_on_addr.sin_port));

await event_base_dispatch(base);

evconnlistener_free(lev);
event_base_free(base);
