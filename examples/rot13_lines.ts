// A line-based ROT13 server on bufferevents, in the spirit of the libevent
// book's "simpler ROT13 server" (chapter 1), ported line by line from
// examples/c/rot13_lines.c: a raw non-blocking listening socket watched by a
// persistent EV_READ event accepts every waiting connection, each becomes a
// socket bufferevent whose read high watermark bounds a line, complete lines
// come back rotated, and a line that reaches the bound is rotated in place
// through evbuffer_peek and sent on as it is, ended by a newline.
// Descriptors at or above FD_SETSIZE are closed, as a select()-era server
// would.
//
// Usage: node dist/examples/rot13_lines.js [port]   (default 40713; 0 picks a free port)
// Prints "listening on PORT" once it accepts connections.
import {
  EVBUFFER_EOL_LF,
  evbuffer_add,
  evbuffer_add_buffer,
  evbuffer_add_printf,
  evbuffer_get_length,
  evbuffer_peek,
  evbuffer_readln,
  type evbuffer_iovec,
} from "bufferevent/event2/buffer";
import {
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_new,
  type BufferEvent,
} from "bufferevent/event2/bufferevent";
import {
  EV_PERSIST,
  EV_READ,
  EV_WRITE,
  event_add,
  event_base_dispatch,
  event_base_free,
  event_base_new,
  event_free,
  event_new,
} from "bufferevent/event2/event";
import {
  EVUTIL_SOCKET_ERROR,
  evutil_closesocket,
  evutil_make_socket_nonblocking,
  evutil_socket_error_to_string,
} from "bufferevent/event2/util";
import {
  AF_INET,
  EAGAIN,
  EWOULDBLOCK,
  FD_SETSIZE,
  INADDR_ANY,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_REUSEADDR,
  _IONBF,
  accept,
  argc,
  argv,
  atoi,
  bind,
  close,
  errno,
  exit,
  fprintf,
  fputs,
  free,
  getsockname,
  htonl,
  htons,
  listen,
  memset,
  ntohs,
  perror,
  printf,
  setsockopt,
  setvbuf,
  sizeof,
  socket,
  stderr,
  stdout,
} from "bufferevent/libc";

const MAX_LINE = 8192;

function rot13(c: number): number {
  const lower = c | 0x20;
  if (lower >= 0x61 /* 'a' */ && lower <= 0x7a /* 'z' */)
    return ((lower - 0x61 + 13) % 26) + 0x61 - (c & 0x20 ? 0 : 0x20);
  return c;
}

function rotate(p: Uint8Array, n: number): void {
  let i;
  for (i = 0; i < n; ++i) p[i] = rot13(p[i]);
}

function on_read(bev: BufferEvent, ctx: any): void {
  const input = bufferevent_get_input(bev);
  const out = bufferevent_get_output(bev);
  const len = { value: 0 };
  let line;

  while ((line = evbuffer_readln(input, len, EVBUFFER_EOL_LF)) !== null) {
    rotate(line, len.value);
    evbuffer_add_printf(out, "%s\n", line);
    free(line);
  }

  if (evbuffer_get_length(input) >= MAX_LINE) {
    // No newline within the bound: rotate what waits where it lies.
    let i;
    const n = evbuffer_peek(input, -1, null, null, 0);
    const v: evbuffer_iovec[] = []; // calloc(n, sizeof(struct evbuffer_iovec))
    evbuffer_peek(input, -1, null, v, n);
    for (i = 0; i < n; ++i) rotate(v[i].iov_base!, v[i].iov_len);
    free(v);
    evbuffer_add_buffer(out, input);
    evbuffer_add(out, "\n", 1);
  }
}

function on_event(bev: BufferEvent, what: number, ctx: any): void {
  if (what & BEV_EVENT_ERROR)
    fprintf(stderr, "connection error: %s\n", evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
  if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) bufferevent_free(bev);
}

function on_accept(listener: number, what: number, arg: any): void {
  const base = arg;

  for (;;) {
    const ss = {};
    const slen = { value: sizeof(ss) };
    let bev;
    const fd = accept(listener, ss, slen);

    if (fd < 0) {
      if (errno !== EAGAIN && errno !== EWOULDBLOCK) perror("accept");
      return;
    }
    if (fd >= FD_SETSIZE) {
      close(fd);
      continue;
    }
    evutil_make_socket_nonblocking(fd);
    bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE)!;
    bufferevent_setcb(bev, on_read, null, on_event, null);
    bufferevent_setwatermark(bev, EV_READ, 0, MAX_LINE);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
  }
}

const sin: any = {};
const slen = { value: sizeof("struct sockaddr_in") };
const port = argc > 1 ? atoi(argv[1]) : 40713;
const one = { value: 1 };

setvbuf(stdout, null, _IONBF, 0);
const base = event_base_new();
if (!base) {
  fputs("Could not make an event base\n", stderr);
  exit(1);
}

memset(sin, 0, sizeof(sin));
sin.sin_family = AF_INET;
sin.sin_addr = { s_addr: htonl(INADDR_ANY) };
sin.sin_port = htons(port);

const listener = socket(AF_INET, SOCK_STREAM, 0);
evutil_make_socket_nonblocking(listener);
setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, one, sizeof("int"));
if (bind(listener, sin, sizeof(sin)) < 0) {
  perror("bind");
  exit(1);
}
if (listen(listener, 16) < 0) {
  perror("listen");
  exit(1);
}
getsockname(listener, sin, slen);
printf("listening on %d\n", ntohs(sin.sin_port));

const accepting = event_new(base, listener, EV_READ | EV_PERSIST, on_accept, base)!;
event_add(accepting, null);
await event_base_dispatch(base);

event_free(accepting);
evutil_closesocket(listener);
event_base_free(base);
