// The data callbacks of the libevent book's "Manipulating data in a
// bufferevent" example, in a server of this project's making, ported line by
// line from examples/c/data_callbacks.c: with "upper" each client's bytes
// come back upper-cased, 128 bytes at a time through
// bufferevent_read/bufferevent_write; with "fib" each client gets an endless
// run of Fibonacci numbers (unsigned long, wrapping as C's does), added
// 1 KiB at a time whenever its output buffer has drained.
//
// Usage: node dist/examples/data_callbacks.js upper|fib [port]   (default 0: a free port)
// Prints "listening on PORT" once it accepts connections.
import {
  evbuffer_add_printf,
  evbuffer_free,
  evbuffer_get_length,
  evbuffer_new,
} from "bufferevent/event2/buffer";
import {
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_read,
  bufferevent_setcb,
  bufferevent_socket_new,
  bufferevent_write,
  bufferevent_write_buffer,
  type BufferEvent,
} from "bufferevent/event2/bufferevent";
import { EV_READ, EV_WRITE, event_base_dispatch, event_base_new } from "bufferevent/event2/event";
import {
  LEV_OPT_CLOSE_ON_FREE,
  LEV_OPT_REUSEABLE,
  evconnlistener_get_base,
  evconnlistener_get_fd,
  evconnlistener_new_bind,
  type evconnlistener,
} from "bufferevent/event2/listener";
import {
  AF_INET,
  INADDR_LOOPBACK,
  argc,
  argv,
  atoi,
  exit,
  fprintf,
  free,
  getsockname,
  htonl,
  htons,
  ntohs,
  perror,
  printf,
  sizeof,
  stderr,
  strcmp,
} from "bufferevent/libc";

interface count {
  last_fib: bigint[]; // unsigned long: 64 bits, past what a number holds exactly
}

// <ctype.h>'s toupper in the C locale (bufferevent/libc has no <ctype.h>).
function toupper(c: number): number {
  return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
}

let fib_mode = 0;

function read_callback_uppercase(bev: BufferEvent, ctx: any): void {
  const tmp = new Uint8Array(128);
  let n: number;

  while (true) {
    n = bufferevent_read(bev, tmp, sizeof(tmp));
    if (n <= 0) break; // nothing more for now
    for (let i = 0; i < n; ++i) tmp[i] = toupper(tmp[i]);
    bufferevent_write(bev, tmp, n);
  }
}

function write_callback_fibonacci(bev: BufferEvent, ctx: any): void {
  const c: count = ctx;
  const tmp = evbuffer_new();

  while (evbuffer_get_length(tmp) < 1024) {
    const next = BigInt.asUintN(64, c.last_fib[0] + c.last_fib[1]);
    c.last_fib[0] = c.last_fib[1];
    c.last_fib[1] = next;
    evbuffer_add_printf(tmp, "%lu", next);
  }
  // The whole of tmp moves to the output.
  bufferevent_write_buffer(bev, tmp);
  evbuffer_free(tmp);
}

function on_event(bev: BufferEvent, what: number, ctx: any): void {
  if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
    free(ctx);
    bufferevent_free(bev);
  }
}

function on_accept(lev: evconnlistener, fd: number, sa: object, socklen: number, arg: any): void {
  const base = evconnlistener_get_base(lev);
  const bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE)!;

  if (fib_mode) {
    const c: count = { last_fib: [0n, 1n] };
    bufferevent_setcb(bev, null, write_callback_fibonacci, on_event, c);
    // An empty output is at the write low-watermark: start it off.
    write_callback_fibonacci(bev, c);
  } else {
    bufferevent_setcb(bev, read_callback_uppercase, null, on_event, null);
  }
  bufferevent_enable(bev, EV_READ | EV_WRITE);
}

const sin: any = {};
const slen = { value: sizeof("struct sockaddr_in") };

if (argc < 2 || (strcmp(argv[1], "upper") && strcmp(argv[1], "fib"))) {
  fprintf(stderr, "Usage: %s upper|fib [port]\n", argv[0]);
  exit(1);
}
fib_mode = strcmp(argv[1], "fib") ? 0 : 1;

const base = event_base_new()!;
sin.sin_family = AF_INET;
sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };
sin.sin_port = htons(argc > 2 ? atoi(argv[2]) : 0);

const lev = evconnlistener_new_bind(
  base,
  on_accept,
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
getsockname(evconnlistener_get_fd(lev), sin, slen);
printf("listening on %d\n", ntohs(sin.sin_port));

await event_base_dispatch(base);
