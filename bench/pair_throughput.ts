// pair_throughput: ../shared/bench-anchors/c/pair_throughput.c ported line by
// line to the flat API. A bufferevent pair; side A's write callback writes
// 16 KiB chunks, side B's read callback drains its input. Moves TOTAL bytes.
// usage: node dist/bench/pair_throughput.js [total_bytes] [chunks_per_writecb]
import {
  event_base_dispatch,
  event_base_free,
  event_base_loopexit,
  event_base_new,
  EV_READ,
  EV_WRITE,
  type EventBase,
} from "../src/event2/event.js";
import { evbuffer_drain, evbuffer_get_length } from "../src/event2/buffer.js";
import {
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_DEFER_CALLBACKS,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_pair_new,
  bufferevent_setcb,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";

const CHUNK = 16384;

let base: EventBase;
const chunk = new Uint8Array(CHUNK);
let total = 0,
  sent = 0,
  received = 0;
let batch = 1;
let nwritecb = 0,
  nreadcb = 0;

const now = () => performance.now() / 1e3;

/* A: runs when A's output has been handed to B (output length <= low watermark 0) */
function writecb(bev: BufferEvent, _ctx: unknown) {
  nwritecb++;
  for (let i = 0; i < batch && sent < total; i++) {
    bufferevent_write(bev, chunk, CHUNK);
    sent += CHUNK;
  }
}

/* B: drain whatever arrived */
function readcb(bev: BufferEvent, _ctx: unknown) {
  const input = bufferevent_get_input(bev);
  const n = evbuffer_get_length(input);
  nreadcb++;
  evbuffer_drain(input, n);
  received += n;
  if (received >= total) event_base_loopexit(base, null);
}

async function main(argv: string[]): Promise<number> {
  const pair: BufferEvent[] = [];
  total = argv.length > 2 ? Number(argv[2]) : 2 ** 30;
  batch = argv.length > 3 ? Number(argv[3]) : 1;
  chunk.fill("x".charCodeAt(0));

  base = event_base_new()!;
  if (bufferevent_pair_new(base, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS, pair) < 0) {
    console.error("bufferevent_pair_new failed");
    return 1;
  }
  bufferevent_setcb(pair[0], null, writecb, null, null);
  bufferevent_setcb(pair[1], readcb, null, null, null);
  bufferevent_enable(pair[0], EV_WRITE);
  bufferevent_enable(pair[1], EV_READ);

  const t0 = now();
  writecb(pair[0], null); /* prime the writer */
  await event_base_dispatch(base);
  const secs = now() - t0;

  console.log(
    `bench=pair_throughput impl=ts variant=flat_api bytes=${received} secs=${secs.toFixed(4)} ` +
      `MBps=${(received / secs / 1e6).toFixed(1)} ops_per_s=${(received / CHUNK / secs).toFixed(0)} ` +
      `chunk=${CHUNK} batch=${batch} writecbs=${nwritecb} readcbs=${nreadcb}`,
  );
  bufferevent_free(pair[0]);
  bufferevent_free(pair[1]);
  event_base_free(base);
  return received === total ? 0 : 1;
}

process.exitCode = await main(process.argv);
