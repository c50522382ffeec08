// tcp_echo_throughput: ../shared/bench-anchors/c/tcp_echo_throughput.c ported
// line by line to the flat API. Loopback TCP in one process: an
// evconnlistener accepts; the server bufferevent echoes everything it reads
// (evbuffer_add_buffer input -> output). One client bufferevent writes 16 KiB
// chunks, keeping its output evbuffer topped up to HIGH bytes (write low
// watermark LOW), and counts the echoed bytes in its read callback. Reports
// echoed bytes per second (each byte crosses loopback twice).
// usage: node dist/bench/tcp_echo_throughput.js [total_bytes] [max_single_read_write]
import {
  event_base_dispatch,
  event_base_free,
  event_base_loopexit,
  event_base_new,
  EV_READ,
  EV_WRITE,
  type EventBase,
} from "../src/event2/event.js";
import { evbuffer_add_buffer, evbuffer_drain, evbuffer_get_length } from "../src/event2/buffer.js";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_set_max_single_read,
  bufferevent_set_max_single_write,
  bufferevent_setcb,
  bufferevent_setwatermark,
  bufferevent_socket_connect,
  bufferevent_socket_new,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import {
  LEV_OPT_CLOSE_ON_FREE,
  LEV_OPT_REUSEABLE,
  evconnlistener_free,
  evconnlistener_get_fd,
  evconnlistener_new_bind,
  type evconnlistener,
} from "../src/event2/listener.js";
import { AF_INET, INADDR_LOOPBACK, getsockname, htonl } from "../src/event2/util.js";
import { perror, sizeof } from "../src/libc/index.js";

const CHUNK = 16384;
const HIGH = 256 * 1024; /* keep up to this much queued in the client's output */
const LOW = 128 * 1024; /* client write callback fires when output <= LOW */

let base: EventBase;
const chunk = new Uint8Array(CHUNK);
let total = 0,
  sent = 0,
  received = 0;
let t0 = 0,
  t1 = 0;
let maxio = 0;

const now = () => performance.now() / 1e3;

/* ---- server side ---- */
function echo_readcb(bev: BufferEvent, _ctx: unknown) {
  evbuffer_add_buffer(bufferevent_get_output(bev), bufferevent_get_input(bev));
}

function echo_eventcb(bev: BufferEvent, events: number, _ctx: unknown) {
  if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) bufferevent_free(bev);
}

function acceptcb(
  _listener: evconnlistener,
  fd: number,
  _sa: object,
  _socklen: number,
  _ctx: unknown,
) {
  const bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE)!;
  bufferevent_setcb(bev, echo_readcb, null, echo_eventcb, null);
  if (maxio) {
    bufferevent_set_max_single_read(bev, maxio);
    bufferevent_set_max_single_write(bev, maxio);
  }
  bufferevent_enable(bev, EV_READ | EV_WRITE);
}

/* ---- client side ---- */
function client_writecb(bev: BufferEvent, _ctx: unknown) {
  const output = bufferevent_get_output(bev);
  while (sent < total && evbuffer_get_length(output) < HIGH) {
    bufferevent_write(bev, chunk, CHUNK);
    sent += CHUNK;
  }
}

function client_readcb(bev: BufferEvent, _ctx: unknown) {
  const input = bufferevent_get_input(bev);
  const n = evbuffer_get_length(input);
  evbuffer_drain(input, n);
  received += n;
  if (received >= total) {
    t1 = now();
    bufferevent_free(bev);
    event_base_loopexit(base, null);
  }
}

function client_eventcb(bev: BufferEvent, events: number, ctx: unknown) {
  if (events & BEV_EVENT_CONNECTED) {
    t0 = now();
    client_writecb(bev, ctx);
  } else if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
    console.error(`client: unexpected event 0x${events.toString(16)}`);
    process.exit(1);
  }
}

async function main(argv: string[]): Promise<number> {
  const sin: any = {};
  const slen = { value: sizeof(sin) };

  total = argv.length > 2 ? Number(argv[2]) : 2 ** 30;
  maxio = argv.length > 3 ? Number(argv[3]) : 0;
  chunk.fill("x".charCodeAt(0));
  base = event_base_new()!;

  sin.sin_family = AF_INET;
  sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };
  sin.sin_port = 0;
  const listener = evconnlistener_new_bind(
    base,
    acceptcb,
    null,
    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
    -1,
    sin,
    sizeof(sin),
  );
  if (!listener) {
    perror("evconnlistener_new_bind");
    return 1;
  }
  getsockname(evconnlistener_get_fd(listener), sin, slen);

  const client = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)!;
  bufferevent_setcb(client, client_readcb, client_writecb, client_eventcb, null);
  bufferevent_setwatermark(client, EV_WRITE, LOW, 0);
  if (maxio) {
    bufferevent_set_max_single_read(client, maxio);
    bufferevent_set_max_single_write(client, maxio);
  }
  bufferevent_enable(client, EV_READ | EV_WRITE);
  if (bufferevent_socket_connect(client, sin, sizeof(sin)) < 0) {
    console.error("bufferevent_socket_connect failed");
    return 1;
  }

  await event_base_dispatch(base);
  const secs = t1 - t0;
  console.log(
    `bench=tcp_echo_throughput impl=ts variant=flat_api bytes=${received} secs=${secs.toFixed(4)} ` +
      `MBps=${(received / secs / 1e6).toFixed(1)} ops_per_s=${(received / CHUNK / secs).toFixed(0)} ` +
      `chunk=${CHUNK} max_single_rw=${maxio ? maxio : 16384}`,
  );
  evconnlistener_free(listener);
  event_base_free(base);
  return received === total ? 0 : 1;
}

process.exitCode = await main(process.argv);
