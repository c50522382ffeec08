// tcp_many_conns: ../shared/bench-anchors/c/tcp_many_conns.c ported line by
// line to the flat API. NCONN concurrent loopback connections in one
// process, each doing ROUNDS request/response round trips of MSG bytes
// (ping-pong: the client sends MSG bytes, the server echoes them, the client
// reads MSG bytes and sends the next). Reports round trips per second (wall
// time from the first connect to the last response, connection setup
// included), peak RSS (VmHWM from /proc/self/status) and the RSS just
// before the first connect (base_rss_kb: the library loaded, the listener bound).
// usage: node dist/bench/tcp_many_conns.js [nconn] [rounds] [msg_bytes]
import { readFileSync } from "node:fs";
import {
  event_base_dispatch,
  event_base_free,
  event_base_loopexit,
  event_base_new,
  EV_READ,
  EV_WRITE,
  type EventBase,
} from "../src/event2/event.js";
import { evbuffer_add_buffer, evbuffer_get_length, evbuffer_remove } from "../src/event2/buffer.js";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_setcb,
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
import {
  AF_INET,
  EVUTIL_SOCKET_ERROR,
  INADDR_LOOPBACK,
  evutil_socket_error_to_string,
  getsockname,
  htonl,
} from "../src/event2/util.js";
import { perror, sizeof } from "../src/libc/index.js";

let base: EventBase;
let nconn = 0,
  rounds = 0,
  msglen = 0;
const msg = new Uint8Array(65536);
let total_rt = 0;
let connected = 0,
  finished = 0;
let t0 = 0,
  t_connected = 0,
  t1 = 0;

interface Conn {
  bev: BufferEvent | null;
  done: number /* round trips completed */;
}

const now = () => performance.now() / 1e3;

function vm_kb(field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync("/proc/self/status", "latin1"));
  return m ? Number(m[1]) : -1;
}

/* ---- server side: echo ---- */
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
  bufferevent_enable(bev, EV_READ | EV_WRITE);
}

/* ---- client side: ping-pong ---- */
const reply = new Uint8Array(65536);

function client_readcb(bev: BufferEvent, ctx: unknown) {
  const c = ctx as Conn;
  const input = bufferevent_get_input(bev);

  while (evbuffer_get_length(input) >= msglen) {
    evbuffer_remove(input, reply, msglen);
    c.done++;
    total_rt++;
    if (c.done < rounds) {
      bufferevent_write(bev, msg, msglen);
    } else {
      bufferevent_free(bev);
      c.bev = null;
      if (++finished === nconn) {
        t1 = now();
        event_base_loopexit(base, null);
      }
      return;
    }
  }
}

function client_eventcb(bev: BufferEvent, events: number, _ctx: unknown) {
  if (events & BEV_EVENT_CONNECTED) {
    if (++connected === nconn) t_connected = now();
    bufferevent_write(bev, msg, msglen); /* first ping */
  } else if (events & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
    console.error(
      `client: unexpected event 0x${events.toString(16)}: ${evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR())}`,
    );
    process.exit(1);
  }
}

async function main(argv: string[]): Promise<number> {
  const sin: any = {};
  const slen = { value: sizeof(sin) };

  nconn = argv.length > 2 ? Number(argv[2]) : 1000;
  rounds = argv.length > 3 ? Number(argv[3]) : 100;
  msglen = argv.length > 4 ? Number(argv[4]) : 64;
  msg.fill("p".charCodeAt(0));
  const conns: Conn[] = Array.from({ length: nconn }, () => ({ bev: null, done: 0 }));
  base = event_base_new()!;

  sin.sin_family = AF_INET;
  sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };
  sin.sin_port = 0;
  const listener = evconnlistener_new_bind(
    base,
    acceptcb,
    null,
    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
    4096,
    sin,
    sizeof(sin),
  );
  if (!listener) {
    perror("evconnlistener_new_bind");
    return 1;
  }
  getsockname(evconnlistener_get_fd(listener), sin, slen);

  // What the process holds before any connection: the base of per-connection memory.
  const base_rss_kb = vm_kb("VmRSS");
  t0 = now();
  for (let i = 0; i < nconn; i++) {
    const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)!;
    conns[i].bev = bev;
    bufferevent_setcb(bev, client_readcb, null, client_eventcb, conns[i]);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
    if (bufferevent_socket_connect(bev, sin, sizeof(sin)) < 0) {
      console.error(`bufferevent_socket_connect ${i} failed`);
      return 1;
    }
  }

  await event_base_dispatch(base);
  const secs = t1 - t0;
  console.log(
    `bench=tcp_many_conns impl=ts variant=flat_api bytes=${total_rt * msglen} secs=${secs.toFixed(4)} ` +
      `MBps=${((total_rt * msglen) / secs / 1e6).toFixed(2)} ops_per_s=${(total_rt / secs).toFixed(0)} ` +
      `conns=${nconn} rounds=${rounds} msg=${msglen} connect_secs=${(t_connected - t0).toFixed(4)} ` +
      `peak_rss_kb=${vm_kb("VmHWM")} base_rss_kb=${base_rss_kb}`,
  );
  evconnlistener_free(listener);
  event_base_free(base);
  return total_rt === nconn * rounds ? 0 : 1;
}

process.exitCode = await main(process.argv);
