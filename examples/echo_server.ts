// The libevent book's bufferevent echo server (chapter "Connection
// listeners"), ported line by line from examples/c/echo_server.c: an
// evconnlistener hands each accepted socket to a bufferevent whose read
// callback moves its input, whole, onto its output. A listener error ends
// the loop.
//
// Usage: node dist/examples/echo_server.js [port]   (default 9876; 0 picks a free port)
// Prints "listening on PORT" once it accepts connections.
import { evbuffer_add_buffer } from "bufferevent/event2/buffer";
import {
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_setcb,
  bufferevent_socket_new,
  type BufferEvent,
} from "bufferevent/event2/bufferevent";
import {
  EV_READ,
  EV_WRITE,
  event_base_dispatch,
  event_base_loopexit,
  event_base_new,
} from "bufferevent/event2/event";
import {
  LEV_OPT_CLOSE_ON_FREE,
  LEV_OPT_REUSEABLE,
  evconnlistener_get_base,
  evconnlistener_get_fd,
  evconnlistener_new_bind,
  evconnlistener_set_error_cb,
  type evconnlistener,
} from "bufferevent/event2/listener";
import { EVUTIL_SOCKET_ERROR, evutil_socket_error_to_string } from "bufferevent/event2/util";
import {
  AF_INET,
  argc,
  argv,
  atoi,
  exit,
  fprintf,
  getsockname,
  htonl,
  htons,
  ntohs,
  perror,
  printf,
  puts,
  sizeof,
  stderr,
} from "bufferevent/libc";

function echo_read(bev: BufferEvent, ctx: any): void {
  const input = bufferevent_get_input(bev);
  const output = bufferevent_get_output(bev);

  // No copy: the chain moves from one buffer to the other.
  evbuffer_add_buffer(output, input);
}

function echo_event(bev: BufferEvent, events: number, ctx: any): void {
  if (events & BEV_EVENT_ERROR) perror("Error from bufferevent");
  if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) bufferevent_free(bev);
}

function accept_conn(
  lev: evconnlistener,
  fd: number,
  address: object,
  socklen: number,
  ctx: any,
): void {
  const base = evconnlistener_get_base(lev);
  const bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE)!;

  bufferevent_setcb(bev, echo_read, null, echo_event, null);
  bufferevent_enable(bev, EV_READ | EV_WRITE);
}

function accept_error(lev: evconnlistener, ctx: any): void {
  const base = evconnlistener_get_base(lev);
  const err = EVUTIL_SOCKET_ERROR();

  fprintf(
    stderr,
    "Got an error %d (%s) on the listener. Shutting down.\n",
    err,
    evutil_socket_error_to_string(err),
  );
  event_base_loopexit(base, null);
}

const sin: any = {};
const slen = { value: sizeof("struct sockaddr_in") };
let port = 9876;

if (argc > 1) port = atoi(argv[1]);
if (port < 0 || port > 65535) {
  puts("Invalid port");
  exit(1);
}

const base = event_base_new();
if (!base) {
  puts("Couldn't open event base");
  exit(1);
}

// Listen on 0.0.0.0:port.
sin.sin_family = AF_INET;
sin.sin_addr = { s_addr: htonl(0) };
sin.sin_port = htons(port);

const lev = evconnlistener_new_bind(
  base,
  accept_conn,
  null,
  LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
  -1,
  sin,
  sizeof(sin),
);
if (!lev) {
  perror("Couldn't create listener");
  exit(1);
}
evconnlistener_set_error_cb(lev, accept_error);

getsockname(evconnlistener_get_fd(lev), sin, slen);
printf("listening on %d\n", ntohs(sin.sin_port));

await event_base_dispatch(base);
