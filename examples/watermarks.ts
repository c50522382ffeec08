// The libevent book's read-watermark example (chapter "Bufferevents:
// concepts and basics", "Callbacks and watermarks"), made whole, ported line
// by line from examples/c/watermarks.c: a bufferevent on one end of a
// socketpair runs its read callback only once 128 bytes wait, and drains
// them; a timer writes 50 bytes into the other end every 50 ms, seven times,
// then closes it. The event callback reports the close and what was left
// below the watermark.
import { evbuffer_drain, evbuffer_get_length } from "bufferevent/event2/buffer";
import {
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_new,
  type BufferEvent,
} from "bufferevent/event2/bufferevent";
import {
  EV_PERSIST,
  EV_READ,
  event_add,
  event_base_dispatch,
  event_base_free,
  event_base_new,
  event_del,
  event_free,
  event_new,
  type Event,
  type EventBase,
} from "bufferevent/event2/event";
import {
  EVUTIL_SOCKET_ERROR,
  evutil_socket_error_to_string,
  evutil_socketpair,
} from "bufferevent/event2/util";
import {
  AF_UNIX,
  SOCK_STREAM,
  close,
  exit,
  free,
  memset,
  perror,
  printf,
  sizeof,
  write,
} from "bufferevent/libc";

interface info {
  name: string;
  total_drained: number;
}

interface writer {
  fd: number;
  writes_left: number;
  tick: Event | null;
}

function read_callback(bev: BufferEvent, ctx: any): void {
  const inf: info = ctx;
  const input = bufferevent_get_input(bev);
  const len = evbuffer_get_length(input);

  if (len) {
    inf.total_drained += len;
    evbuffer_drain(input, len);
    printf("Drained %lu bytes from %s\n", len, inf.name);
  }
}

function event_callback(bev: BufferEvent, events: number, ctx: any): void {
  const inf: info = ctx;
  const input = bufferevent_get_input(bev);
  let finished = 0;

  if (events & BEV_EVENT_EOF) {
    const len = evbuffer_get_length(input);
    printf(
      "Got a close from %s.  We drained %lu bytes from it, and have %lu left.\n",
      inf.name,
      inf.total_drained,
      len,
    );
    finished = 1;
  }
  if (events & BEV_EVENT_ERROR) {
    printf(
      "Got an error from %s: %s\n",
      inf.name,
      evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()),
    );
    finished = 1;
  }
  if (finished) {
    free(ctx);
    bufferevent_free(bev);
  }
}

function on_tick(fd: number, what: number, arg: any): void {
  const w: writer = arg;
  const chunk = new Uint8Array(50);

  memset(chunk, 0x78 /* 'x' */, sizeof(chunk));
  if (write(w.fd, chunk, sizeof(chunk)) !== sizeof(chunk)) perror("write");
  else printf("wrote %d bytes\n", sizeof(chunk));
  if (--w.writes_left === 0) {
    close(w.fd);
    event_del(w.tick!);
  }
}

function setup_bufferevent(base: EventBase, fd: number): BufferEvent {
  // malloc(sizeof(struct info)): a struct is an object.
  const info1: info = { name: "buffer 1", total_drained: 0 };

  const b1 = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE)!;

  // The read callback runs only once at least 128 bytes wait.
  bufferevent_setwatermark(b1, EV_READ, 128, 0);
  bufferevent_setcb(b1, read_callback, null, event_callback, info1);
  bufferevent_enable(b1, EV_READ);
  return b1;
}

const pair: number[] = [];
const every = { tv_sec: 0, tv_usec: 50000 };

const base = event_base_new()!;
if (evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0) {
  perror("evutil_socketpair");
  exit(1);
}
setup_bufferevent(base, pair[0]);

const w: writer = { fd: pair[1], writes_left: 7, tick: null };
w.tick = event_new(base, -1, EV_PERSIST, on_tick, w);
event_add(w.tick!, every);

await event_base_dispatch(base);

event_free(w.tick!);
event_base_free(base);
