// libevent's sample/hello-world.c, ported line by line from
// examples/c/hello_world.c: a TCP listener that greets each client with one
// line, closes the connection once the line is out, and on SIGINT ends the
// loop two seconds later.
//
// Usage: node dist/examples/hello_world.js [port]   (default 9995; 0 picks a free port)
// Prints "listening on PORT" once it accepts connections.
import { evbuffer_get_length } from "bufferevent/event2/buffer";
import {
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_disable,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_output,
  bufferevent_setcb,
  bufferevent_socket_new,
  bufferevent_write,
  type BufferEvent,
} from "bufferevent/event2/bufferevent";
import {
  EV_READ,
  EV_WRITE,
  event_add,
  event_base_dispatch,
  event_base_free,
  event_base_loopbreak,
  event_base_loopexit,
  event_base_new,
  event_free,
  evsignal_new,
  type EventBase,
} from "bufferevent/event2/event";
import {
  LEV_OPT_CLOSE_ON_FREE,
  LEV_OPT_REUSEABLE,
  evconnlistener_free,
  evconnlistener_get_fd,
  evconnlistener_new_bind,
  type evconnlistener,
} from "bufferevent/event2/listener";
import {
  AF_INET,
  SIGINT,
  argc,
  argv,
  atoi,
  errno,
  exit,
  fprintf,
  getsockname,
  htons,
  ntohs,
  printf,
  sizeof,
  stderr,
  strerror,
  strlen,
} from "bufferevent/libc";

const GREETING = "Hello, World!\n";

// Once the output buffer is empty the greeting is with the kernel: hang up.
function on_write(bev: BufferEvent, arg: any): void {
  const out = bufferevent_get_output(bev);
  if (evbuffer_get_length(out) === 0) {
    printf("flushed answer\n");
    bufferevent_free(bev);
  }
}

// Reading is off and there are no timeouts: only EOF or an error lands here.
function on_event(bev: BufferEvent, what: number, arg: any): void {
  if (what & BEV_EVENT_EOF) printf("Connection closed.\n");
  else if (what & BEV_EVENT_ERROR) printf("Got an error on the connection: %s\n", strerror(errno));
  bufferevent_free(bev);
}

function on_accept(lev: evconnlistener, fd: number, sa: object, socklen: number, arg: any): void {
  const base: EventBase = arg;
  const bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);

  if (bev === null) {
    fprintf(stderr, "Error constructing bufferevent!");
    event_base_loopbreak(base);
    return;
  }
  bufferevent_setcb(bev, null, on_write, on_event, null);
  bufferevent_enable(bev, EV_WRITE);
  bufferevent_disable(bev, EV_READ);
  bufferevent_write(bev, GREETING, strlen(GREETING));
}

function on_sigint(sig: number, what: number, arg: any): void {
  const base: EventBase = arg;
  const two_seconds = { tv_sec: 2, tv_usec: 0 };

  printf("Caught an interrupt signal; exiting cleanly in two seconds.\n");
  event_base_loopexit(base, two_seconds);
}

const sin: any = {};
const slen = { value: sizeof("struct sockaddr_in") };

const base = event_base_new();
if (base === null) {
  fprintf(stderr, "Could not initialize libevent!\n");
  exit(1);
}

// memset(&sin, 0, sizeof(sin)): a fresh {} is already all zero.
sin.sin_family = AF_INET;
sin.sin_port = htons(argc > 1 ? atoi(argv[1]) : 9995);

const lev = evconnlistener_new_bind(
  base,
  on_accept,
  base,
  LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE,
  -1,
  sin,
  sizeof(sin),
);
if (lev === null) {
  fprintf(stderr, "Could not create a listener!\n");
  exit(1);
}
getsockname(evconnlistener_get_fd(lev), sin, slen);
printf("listening on %d\n", ntohs(sin.sin_port));

const sigint = evsignal_new(base, SIGINT, on_sigint, base);
if (sigint === null || event_add(sigint, null) < 0) {
  fprintf(stderr, "Could not create/add a signal event!\n");
  exit(1);
}

await event_base_dispatch(base);

evconnlistener_free(lev);
event_free(sigint);
event_base_free(base);

printf("done\n");
