/* eslint prefer-const: "off" -- the C ports declare variables first and assign them later, as C does */
// Filtering bufferevents: the port of test/c/bev_filter.c (compared with
// libevent's own trace), ports of libevent's regression tests for filters,
// and the rules a JavaScript filter adds (what it must return, bad arguments).
import { expect } from "chai";
import * as ev from "../src/event2/event.js";
import { EV_READ, EV_WRITE, EVLOOP_NONBLOCK, EVLOOP_ONCE } from "../src/event2/event.js";
import {
  evbuffer_add,
  evbuffer_copyout,
  evbuffer_drain,
  evbuffer_free,
  evbuffer_get_length,
  evbuffer_new,
  evbuffer_prepend,
  evbuffer_pullup,
  evbuffer_remove,
  evbuffer_remove_buffer,
  type Evbuffer,
} from "../src/event2/buffer.js";
import {
  BEV_ERROR,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_EVENT_READING,
  BEV_EVENT_WRITING,
  BEV_FINISHED,
  BEV_FLUSH,
  BEV_NEED_MORE,
  BEV_NORMAL,
  BEV_OK,
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_DEFER_CALLBACKS,
  BEV_OPT_UNLOCK_CALLBACKS,
  bufferevent_base_set,
  bufferevent_disable,
  bufferevent_enable,
  bufferevent_filter_new,
  bufferevent_flush,
  bufferevent_free,
  bufferevent_get_base,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_get_underlying,
  bufferevent_decref,
  bufferevent_incref,
  bufferevent_getcb,
  bufferevent_getfd,
  bufferevent_pair_get_partner,
  bufferevent_pair_new,
  bufferevent_priority_set,
  bufferevent_read_buffer,
  bufferevent_set_timeouts,
  bufferevent_setcb,
  bufferevent_setfd,
  bufferevent_setwatermark,
  bufferevent_socket_new,
  bufferevent_trigger_event,
  bufferevent_write,
  type BufferEvent,
  type bufferevent_data_cb,
  type bufferevent_event_cb,
} from "../src/event2/bufferevent.js";
import { AF_UNIX, SOCK_STREAM, evutil_socketpair } from "../src/event2/util.js";
import { sizeof } from "../src/libc/index.js";
import { setLogCallback } from "../src/core/log.js";
import { Trace, cTrace, expectSameTrace } from "./bev_harness.test.js";

/** The line-by-line port of test/c/bev_filter.c. */
async function bev_filter_main(printf: Trace["printf"]): Promise<number> {
  let base: ev.EventBase;
  const pair: BufferEvent[] = [];
  let filt: BufferEvent | null = null;
  let in_result = BEV_OK;
  let out_result = BEV_OK;
  let out_calls = 0;
  let write_inside = 0;
  let drain_in_readcb = 0;
  let freed_contexts = 0;

  function name(bev: BufferEvent) {
    if (bev === filt) return "F";
    return bev === pair[0] ? "U" : "P";
  }

  /* Upper-cases what it moves: moves at most lim bytes (all with -1). */
  function in_filter(src: Evbuffer, dst: Evbuffer, lim: number, mode: number, ctx: any): number {
    let n = evbuffer_get_length(src);
    const buf = new Uint8Array(256);
    printf("in_filter src=%zu lim=%zd mode=%d ctx=%s\n", n, lim, mode, ctx);
    if (in_result !== BEV_OK) return in_result;
    if (lim >= 0 && n > lim) n = lim;
    if (n > sizeof(buf)) n = sizeof(buf);
    evbuffer_remove(src, buf, n);
    for (let i = 0; i < n; i++) if (buf[i] >= 0x61 && buf[i] <= 0x7a) buf[i] -= 32;
    evbuffer_add(dst, buf, n);
    return BEV_OK;
  }

  /* Frames each call's bytes as "<...>", at most lim bytes of payload. */
  function out_filter(src: Evbuffer, dst: Evbuffer, lim: number, mode: number, _ctx: any): number {
    let n = evbuffer_get_length(src);
    const buf = new Uint8Array(256);
    out_calls++;
    printf("out_filter src=%zu lim=%zd mode=%d\n", n, lim, mode);
    if (out_result !== BEV_OK) return out_result;
    if (lim >= 0 && n > lim) n = lim;
    if (n > sizeof(buf)) n = sizeof(buf);
    evbuffer_remove(src, buf, n);
    evbuffer_add(dst, "<", 1);
    evbuffer_add(dst, buf, n);
    evbuffer_add(dst, ">", 1);
    if (write_inside) {
      write_inside = 0;
      printf("write inside=%d\n", bufferevent_write(filt!, "in", 2));
      printf("after inside write calls=%d src=%zu\n", out_calls, evbuffer_get_length(src));
    }
    return BEV_OK;
  }

  let freed_context = "none";

  /* Counts, not prints: libevent calls it a loop pass after the free, the port at once. */
  function free_context(ctx: any) {
    freed_contexts++;
    freed_context = ctx;
  }

  function readcb(bev: BufferEvent, _ctx: any) {
    const inp = bufferevent_get_input(bev);
    const buf = new Uint8Array(256);
    const n = evbuffer_copyout(inp, buf, sizeof(buf) - 1);
    buf[n] = 0;
    printf('%s readcb inlen=%zu "%s"\n', name(bev), evbuffer_get_length(inp), buf);
    if (drain_in_readcb) evbuffer_drain(inp, evbuffer_get_length(inp));
  }

  function writecb(bev: BufferEvent, _ctx: any) {
    printf("%s writecb outlen=%zu\n", name(bev), evbuffer_get_length(bufferevent_get_output(bev)));
  }

  function eventcb(bev: BufferEvent, what: number, _ctx: any) {
    printf("%s eventcb what=0x%x\n", name(bev), what);
  }

  /* A buffer's bytes, or its length where copyout refuses (a frozen front). */
  function showbuf(what: string, b: Evbuffer) {
    const buf = new Uint8Array(256);
    const n = evbuffer_copyout(b, buf, sizeof(buf) - 1);
    if (n < 0) {
      printf(" %s:%zu", what, evbuffer_get_length(b));
      return;
    }
    buf[n] = 0;
    printf(' %s="%s"', what, buf);
  }

  function show(label: string, bev: BufferEvent) {
    printf("%s %s", label, name(bev));
    showbuf("in", bufferevent_get_input(bev));
    showbuf("out", bufferevent_get_output(bev));
    printf("\n");
  }

  function lens(label: string) {
    show(label, filt!);
    show(label, pair[0]);
    show(label, pair[1]);
  }

  async function once(label: string) {
    printf("loop %s\n", label);
    await ev.event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
  }

  function drain(bev: BufferEvent) {
    evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
  }

  const rcb = { value: null as bufferevent_data_cb | null };
  const wcb = { value: null as bufferevent_data_cb | null };
  const ecb = { value: null as bufferevent_event_cb | null };
  const arg = { value: null as any };
  let r: number;

  base = ev.event_base_new()!;
  bufferevent_pair_new(base, 0, pair);
  bufferevent_setcb(pair[1], readcb, writecb, eventcb, null);
  bufferevent_enable(pair[1], EV_READ);

  /* creation and accessors */
  printf(
    "filter_new(NULL)=%d\n",
    +(bufferevent_filter_new(null, null, null, 0, null, null) === null),
  );
  printf(
    "filter_new(UNLOCK without DEFER)=%d\n",
    +(bufferevent_filter_new(pair[0], null, null, BEV_OPT_UNLOCK_CALLBACKS, null, null) === null),
  );
  filt = bufferevent_filter_new(pair[0], in_filter, out_filter, 0, free_context, "ctx1");
  printf("enabled F=%d U=%d\n", bufferevent_get_enabled(filt!), bufferevent_get_enabled(pair[0]));
  bufferevent_getcb(pair[0], rcb, wcb, ecb, arg);
  printf(
    "underlying cbs set=%d %d %d arg_is_filter=%d\n",
    +(rcb.value !== null),
    +(wcb.value !== null),
    +(ecb.value !== null),
    +(arg.value === filt),
  );
  r = bufferevent_setfd(filt!, 5);
  printf(
    "get_underlying ok=%d getfd=%d setfd=%d\n",
    +(bufferevent_get_underlying(filt!) === pair[0]),
    bufferevent_getfd(filt!),
    r,
  );
  printf("priority_set=%d", bufferevent_priority_set(filt!, 0));
  printf(
    " base_set=%d base_ok=%d\n",
    bufferevent_base_set(base, filt!),
    +(bufferevent_get_base(filt!) === base),
  );
  printf(
    "frozen: add(F.in)=%d prepend(F.out)=%d\n",
    evbuffer_add(bufferevent_get_input(filt!), "", 0),
    evbuffer_prepend(bufferevent_get_output(filt!), "", 0),
  );
  bufferevent_setcb(filt!, readcb, writecb, eventcb, null);

  /* the output direction: synchronous inside bufferevent_write */
  printf("write=%d\n", bufferevent_write(filt!, "abc", 3));
  lens("wrote abc");
  await once("1");
  lens("after loop");
  drain(pair[1]);

  /* the underlying's write high watermark limits each output call */
  bufferevent_setwatermark(pair[0], EV_WRITE, 0, 4);
  bufferevent_disable(pair[0], EV_WRITE);
  bufferevent_write(filt!, "0123456789", 10);
  lens("U write high 4, U not writing");
  r = bufferevent_flush(filt!, EV_WRITE, BEV_NORMAL);
  printf("flush NORMAL=%d\n", r);
  r = bufferevent_flush(filt!, EV_WRITE, BEV_FLUSH);
  printf("flush FLUSH=%d\n", r);
  lens("after FLUSH");
  bufferevent_setwatermark(pair[0], EV_WRITE, 0, 0);
  bufferevent_enable(pair[0], EV_WRITE);
  await once("2");
  drain(pair[1]);

  /* the filter's write low watermark */
  bufferevent_setwatermark(filt!, EV_WRITE, 5, 0);
  bufferevent_setwatermark(pair[0], EV_WRITE, 0, 3);
  bufferevent_disable(pair[0], EV_WRITE);
  bufferevent_write(filt!, "abcdefghij", 10);
  lens("F write low 5, U write high 3");
  bufferevent_setwatermark(pair[0], EV_WRITE, 0, 0);
  bufferevent_setwatermark(filt!, EV_WRITE, 0, 0);
  bufferevent_enable(pair[0], EV_WRITE);
  await once("3");
  lens("after loop");
  drain(pair[1]);

  /* a write from inside the output filter joins the round under way */
  write_inside = 1;
  out_calls = 0;
  bufferevent_write(filt!, "xy", 2);
  lens("after inside write");
  await once("4");
  drain(pair[1]);

  /* results other than BEV_OK end the loop and leave the bytes */
  out_result = BEV_NEED_MORE;
  bufferevent_write(filt!, "zz", 2);
  out_result = BEV_ERROR;
  bufferevent_write(filt!, "!", 1);
  lens("after NEED_MORE, ERROR");
  printf("enabled F=%d\n", bufferevent_get_enabled(filt!));
  out_result = BEV_OK;
  printf("flush FINISHED=%d\n", bufferevent_flush(filt!, EV_WRITE, BEV_FINISHED));
  lens("after FINISHED");
  await once("5");
  drain(pair[1]);
  printf("flush empty FINISHED=%d\n", bufferevent_flush(filt!, EV_WRITE, BEV_FINISHED));
  await once("6");
  drain(pair[1]);

  /* the input direction: the underlying reads only while the filter does */
  bufferevent_write(pair[1], "hello", 5);
  await once("7");
  lens("F not reading");
  r = bufferevent_enable(filt!, EV_READ);
  printf(
    "enable F read=%d enabled F=%d U=%d\n",
    r,
    bufferevent_get_enabled(filt!),
    bufferevent_get_enabled(pair[0]),
  );
  lens("after enable");
  await once("8");
  lens("after loop");
  drain(filt!);

  /* the filter's read high watermark limits each input call; a readcb that
   * drains leaves what the last call did not take below, until more comes */
  drain_in_readcb = 1;
  bufferevent_setwatermark(filt!, EV_READ, 0, 3);
  bufferevent_write(pair[1], "abcdefg", 7);
  await once("9");
  lens("F high 3");
  await once("10");
  bufferevent_write(pair[1], "h", 1);
  await once("11");
  lens("after one more byte");
  bufferevent_setwatermark(filt!, EV_READ, 0, 0);
  bufferevent_write(pair[1], "i", 1);
  await once("12");
  lens("after clearing high");
  drain_in_readcb = 0;

  /* the read low watermark and input results */
  bufferevent_setwatermark(filt!, EV_READ, 4, 0);
  bufferevent_write(pair[1], "ab", 2);
  await once("13");
  bufferevent_write(pair[1], "cd", 2);
  await once("14");
  drain(filt!);
  bufferevent_setwatermark(filt!, EV_READ, 0, 0);
  in_result = BEV_NEED_MORE;
  bufferevent_write(pair[1], "ef", 2);
  await once("15");
  lens("after NEED_MORE");
  in_result = BEV_OK;
  printf("flush read NORMAL=%d\n", bufferevent_flush(filt!, EV_READ, BEV_NORMAL));
  lens("after read flush");
  drain(filt!);
  r = bufferevent_disable(filt!, EV_READ);
  printf("disable F read=%d enabled U=%d\n", r, bufferevent_get_enabled(pair[0]));
  bufferevent_write(pair[1], "gh", 2);
  await once("16");
  lens("F not reading again");
  bufferevent_enable(filt!, EV_READ);
  await once("17");
  drain(filt!);

  /* events of the underlying reach the filter unchanged */
  bufferevent_flush(pair[1], EV_WRITE, BEV_FINISHED);
  await once("18");
  bufferevent_trigger_event(pair[0], BEV_EVENT_ERROR | BEV_EVENT_WRITING, 0);
  await once("19");

  /* free without CLOSE_ON_FREE: the underlying gets NULL callbacks and reads again */
  bufferevent_free(filt!);
  await once("20");
  filt = null;
  bufferevent_getcb(pair[0], rcb, wcb, ecb, arg);
  printf(
    "after free: cbs null=%d %d %d enabled U=%d contexts=%d %s\n",
    +(rcb.value === null),
    +(wcb.value === null),
    +(ecb.value === null),
    bufferevent_get_enabled(pair[0]),
    freed_contexts,
    freed_context,
  );
  bufferevent_write(pair[1], "late", 4);
  await once("21");
  printf("U.in=%zu\n", evbuffer_get_length(bufferevent_get_input(pair[0])));
  drain(pair[0]);

  /* DEFER: the filter's callbacks run from the loop */
  filt = bufferevent_filter_new(pair[0], null, null, BEV_OPT_DEFER_CALLBACKS, null, null);
  bufferevent_setcb(filt!, readcb, writecb, eventcb, null);
  bufferevent_enable(filt!, EV_READ);
  drain_in_readcb = 1;
  printf("write=%d\n", bufferevent_write(filt!, "defer", 5));
  printf("written\n");
  await once("22");
  drain(pair[1]);
  /* with a deferred readcb, draining a full input filters what waits below */
  bufferevent_setwatermark(filt!, EV_READ, 0, 3);
  bufferevent_write(pair[1], "backlog", 7);
  await once("23");
  lens("deferred, high 3");
  await once("24");
  lens("after loop");
  await once("24b");
  await once("24c");
  lens("after loops");
  drain_in_readcb = 0;

  /* CLOSE_ON_FREE frees the underlying too, its partner gets no event */
  bufferevent_free(filt!);
  filt = bufferevent_filter_new(pair[0], null, null, BEV_OPT_CLOSE_ON_FREE, free_context, "ctx2");
  bufferevent_free(filt!);
  filt = null;
  await once("25");
  printf(
    "partner after close_on_free=%d contexts=%d %s\n",
    +(bufferevent_pair_get_partner(pair[1]) === null),
    freed_contexts,
    freed_context,
  );
  bufferevent_free(pair[1]);
  ev.event_base_free(base);
  printf("done\n");
  return 0;
}

/** Runs `fn` with libevent's warnings collected instead of printed. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  setLogCallback(() => {});
  try {
    return await fn();
  } finally {
    setLogCallback(null);
  }
}

/**
 * The port of libevent's test_bufferevent_filters_impl (regress_bufferevent.c):
 * 8333 bytes through an 'x'-prefixing output filter and an 'x'-stripping
 * input filter; with `disable`, the output filter writes to its own filter
 * and must not be re-entered. Returns test_ok (3, or 4 with disable).
 */
async function filters_impl(use_pair: boolean, disable: boolean): Promise<number> {
  let test_ok = 0;
  const base = ev.event_base_new()!;
  let bev1: BufferEvent | null;
  let bev2: BufferEvent | null;
  const fds: number[] = [];
  const buffer = new Uint8Array(8333);

  function input_filter(src: Evbuffer, dst: Evbuffer): number {
    const buf = evbuffer_pullup(src, evbuffer_get_length(src))!;
    let i: number;
    for (i = 0; i < evbuffer_get_length(src); i += 2) {
      if (buf[i] === 0x2d /* '-' */) continue;
      expect(buf[i]).to.equal(0x78 /* 'x' */);
      evbuffer_add(dst, buf.subarray(i + 1), 1);
    }
    evbuffer_drain(src, i);
    return BEV_OK;
  }

  function output_filter(src: Evbuffer, dst: Evbuffer, _l: number, _m: number, ctx: any): number {
    ++test_ok;
    if (test_ok === 1) {
      const buf = evbuffer_pullup(src, evbuffer_get_length(src))!;
      for (let i = 0; i < evbuffer_get_length(src); ++i) {
        evbuffer_add(dst, "x", 1);
        evbuffer_add(dst, buf.subarray(i), 1);
      }
      evbuffer_drain(src, evbuffer_get_length(src));
    } else return BEV_ERROR;
    if (ctx && test_ok === 1) {
      const prev = ++test_ok;
      bufferevent_write(ctx.value, "-", 1);
      // during this bufferevent_write the output filter is not called again
      expect(test_ok).to.equal(prev);
      --test_ok;
    }
    return BEV_OK;
  }

  function readcb(bev: BufferEvent) {
    if (evbuffer_get_length(bufferevent_get_input(bev)) === 8333) {
      const evbuf = evbuffer_new();
      bufferevent_read_buffer(bev, evbuf);
      bufferevent_disable(bev, EV_READ);
      if (evbuffer_get_length(evbuf) === 8333) test_ok++;
      evbuffer_free(evbuf);
    }
  }
  function writecb(bev: BufferEvent) {
    if (evbuffer_get_length(bufferevent_get_output(bev)) === 0) test_ok++;
  }
  function errorcb() {
    test_ok = -2;
  }

  if (use_pair) {
    const pair: BufferEvent[] = [];
    expect(bufferevent_pair_new(base, 0, pair)).to.equal(0);
    bev1 = pair[0];
    bev2 = pair[1];
  } else {
    expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds)).to.equal(0);
    bev1 = bufferevent_socket_new(base, fds[0], 0);
    bev2 = bufferevent_socket_new(base, fds[1], 0);
  }
  const bev1_base = bev1!;
  const bev2_base = bev2!;
  for (let i = 0; i < buffer.length; i++) buffer[i] = i;
  const bev1box = { value: null as BufferEvent | null };
  bev1 = bufferevent_filter_new(
    bev1,
    null,
    output_filter,
    BEV_OPT_CLOSE_ON_FREE,
    null,
    disable ? bev1box : null,
  );
  bev1box.value = bev1;
  bev2 = bufferevent_filter_new(bev2, input_filter, null, BEV_OPT_CLOSE_ON_FREE, null, null);
  bufferevent_setcb(bev1!, null, writecb, errorcb, null);
  bufferevent_setcb(bev2!, readcb, null, errorcb, null);

  expect(bufferevent_get_underlying(bev1!)).to.equal(bev1_base);
  expect(bufferevent_get_underlying(bev2!)).to.equal(bev2_base);
  expect(bufferevent_getfd(bev1!)).to.equal(bufferevent_getfd(bev1_base));
  expect(bufferevent_getfd(bev2!)).to.equal(bufferevent_getfd(bev2_base));

  bufferevent_disable(bev1!, EV_READ);
  bufferevent_enable(bev2!, EV_READ);
  bufferevent_write(bev1!, buffer, buffer.length);
  await ev.event_base_dispatch(base);

  bufferevent_free(bev1!);
  bufferevent_free(bev2!);
  ev.event_base_free(base);
  return test_ok;
}

describe("bufferevent filter", () => {
  it("prints the same trace as libevent (test/c/bev_filter.c)", async () => {
    const t = new Trace();
    expect(await quietly(() => bev_filter_main(t.printf))).to.equal(0);
    expectSameTrace(t.out, cTrace("bev_filter"));
  });

  for (const use_pair of [false, true])
    for (const disable of [false, true])
      it(`passes libevent's ${use_pair ? "pair_" : ""}filters${disable ? "_disable" : ""} regression test`, async () => {
        expect(await filters_impl(use_pair, disable)).to.equal(disable ? 4 : 3);
      });

  it("leaves no data stuck below a full input (libevent's filter_data_stuck, #362)", async () => {
    // Port of test_bufferevent_filter_data_stuck: a 20-byte header, then 4096
    // bytes, through a filter whose input high watermark is 4096.
    const base = ev.event_base_new()!;
    const options = BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS;
    const header_size = 20;
    let total_read = 0;
    let header_inserted = false;
    const pair: BufferEvent[] = [];
    expect(bufferevent_pair_new(base, options, pair)).to.equal(0);
    bufferevent_setwatermark(pair[0], EV_READ, 0, 4096);
    bufferevent_setwatermark(pair[1], EV_READ, 0, 4096);
    const inputcb = (src: Evbuffer, dst: Evbuffer, dst_limit: number): number => {
      let hs = 0;
      if (!header_inserted) {
        evbuffer_add(dst, new Uint8Array(header_size), header_size);
        hs = header_size;
        header_inserted = true;
      }
      let payload = evbuffer_get_length(src);
      if (payload > dst_limit - hs) payload = dst_limit - hs;
      expect(evbuffer_remove_buffer(src, dst, payload)).to.equal(payload);
      return BEV_OK;
    };
    const filter = bufferevent_filter_new(pair[1], inputcb, null, options, null, null)!;
    bufferevent_setcb(
      filter,
      (bev) => {
        const input = bufferevent_get_input(bev);
        const n = evbuffer_get_length(input);
        evbuffer_drain(input, n);
        total_read += n;
      },
      null,
      null,
      null,
    );
    expect(bufferevent_enable(filter, EV_READ | EV_WRITE)).to.equal(0);
    bufferevent_setwatermark(filter, EV_READ, 0, 4096);
    expect(bufferevent_write(pair[0], new Uint8Array(4096), 4096)).to.equal(0);
    await ev.event_base_dispatch(base);
    expect(total_read).to.equal(4096 + header_size);
    bufferevent_free(pair[0]);
    bufferevent_free(filter);
    ev.event_base_free(base);
  });

  it("over a socket: the descriptor is the underlying's, CLOSE_ON_FREE closes it at once", async () => {
    const fds: number[] = [];
    expect(evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, fds)).to.equal(0);
    const base = ev.event_base_new()!;
    const sock = bufferevent_socket_new(base, fds[0], BEV_OPT_CLOSE_ON_FREE)!;
    const f = bufferevent_filter_new(sock, null, null, BEV_OPT_CLOSE_ON_FREE, null, null)!;
    expect(bufferevent_getfd(f)).to.equal(fds[0]);
    // The peer sees EOF once the filter (and with it the socket) is freed.
    const peer = bufferevent_socket_new(base, fds[1], BEV_OPT_CLOSE_ON_FREE)!;
    const seen: number[] = [];
    bufferevent_setcb(peer, null, null, (_b, what) => seen.push(what), null);
    bufferevent_enable(peer, EV_READ);
    bufferevent_free(f);
    await ev.event_base_dispatch(base);
    expect(seen).to.deep.equal([BEV_EVENT_READING | BEV_EVENT_EOF]);
    bufferevent_free(peer);
    ev.event_base_free(base);
  });

  it("stacks: two filters over a pair end transform twice; FINISHED reaches the partner", async () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    bufferevent_pair_new(base, 0, pair);
    // One add per call: each add to a filter's output runs that filter.
    const wrap =
      (open: string, close: string) =>
      (src: Evbuffer, dst: Evbuffer): number => {
        const n = evbuffer_get_length(src);
        const body = Buffer.from(evbuffer_pullup(src, n) ?? new Uint8Array(0)).toString();
        evbuffer_drain(src, n);
        const framed = open + body + close;
        evbuffer_add(dst, framed, framed.length);
        return BEV_OK;
      };
    const inner = bufferevent_filter_new(pair[0], null, wrap("(", ")"), 0, null, null)!;
    const outer = bufferevent_filter_new(inner, null, wrap("[", "]"), 0, null, null)!;
    const events: number[] = [];
    bufferevent_setcb(pair[1], null, null, (_b, what) => events.push(what), null);
    bufferevent_enable(pair[1], EV_READ);
    bufferevent_write(outer, "hi", 2);
    await ev.event_base_loop(base, EVLOOP_NONBLOCK);
    const got = new Uint8Array(16);
    const n = evbuffer_remove(bufferevent_get_input(pair[1]), got, 16);
    expect(Buffer.from(got.subarray(0, n)).toString()).to.equal("([hi])");
    // Both filters run with an empty output, then the pair flushes: EOF.
    expect(bufferevent_flush(outer, EV_WRITE, BEV_FINISHED)).to.equal(1);
    await ev.event_base_loop(base, EVLOOP_NONBLOCK);
    expect(events).to.deep.equal([BEV_EVENT_READING | BEV_EVENT_EOF]);
    bufferevent_free(outer);
    bufferevent_free(inner);
    bufferevent_free(pair[0]);
    bufferevent_free(pair[1]);
    ev.event_base_free(base);
  });

  it("starts its write timer on enable(EV_WRITE) even with an empty output, as libevent does", async () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    bufferevent_pair_new(base, 0, pair);
    const f = bufferevent_filter_new(pair[0], null, null, 0, null, null)!;
    const events: number[] = [];
    bufferevent_setcb(f, null, null, (_b, what) => events.push(what), null);
    bufferevent_set_timeouts(f, null, { tv_sec: 0, tv_usec: 20000 });
    bufferevent_enable(f, EV_WRITE);
    await ev.event_base_dispatch(base);
    expect(events).to.deep.equal([BEV_EVENT_WRITING | 0x40]);
    expect(bufferevent_get_enabled(f)).to.equal(0);
    bufferevent_free(f);
    bufferevent_free(pair[0]);
    bufferevent_free(pair[1]);
    ev.event_base_free(base);
  });

  it("a filter that returns BEV_OK without moving a byte is not called again in a loop (libevent spins)", async () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    bufferevent_pair_new(base, 0, pair);
    let inCalls = 0;
    let outCalls = 0;
    const f = bufferevent_filter_new(
      pair[0],
      () => (inCalls++, BEV_OK),
      () => (outCalls++, BEV_OK),
      0,
      null,
      null,
    )!;
    const reads: number[] = [];
    bufferevent_setcb(
      f,
      (b) => reads.push(evbuffer_get_length(bufferevent_get_input(b))),
      null,
      null,
    );
    bufferevent_enable(f, EV_READ);
    expect(bufferevent_write(f, "stuck", 5)).to.equal(0);
    expect(outCalls).to.equal(1);
    expect(evbuffer_get_length(bufferevent_get_output(f))).to.equal(5);
    bufferevent_enable(pair[1], EV_READ);
    bufferevent_write(pair[1], "held", 4);
    await ev.event_base_loop(base, EVLOOP_NONBLOCK);
    // One call per trigger; it still counts as success, so the readcb runs (input empty).
    expect(inCalls).to.equal(1);
    expect(reads).to.deep.equal([0]);
    expect(evbuffer_get_length(bufferevent_get_input(pair[0]))).to.equal(4);
    // FLUSH calls it once more, and returns 1 as for any BEV_OK.
    expect(bufferevent_flush(f, EV_WRITE, BEV_FLUSH)).to.equal(1);
    expect(outCalls).to.equal(2);
    bufferevent_free(f);
    bufferevent_free(pair[0]);
    bufferevent_free(pair[1]);
    ev.event_base_free(base);
  });

  it("CLOSE_ON_FREE does not free an underlying the program already freed (its other references stay)", () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    bufferevent_pair_new(base, 0, pair);
    const f = bufferevent_filter_new(pair[0], null, null, BEV_OPT_CLOSE_ON_FREE, null, null)!;
    bufferevent_incref(pair[0]);
    bufferevent_free(pair[0]);
    bufferevent_free(f);
    // The program's incref still holds it: the last decref releases it.
    expect(bufferevent_decref(pair[0])).to.equal(1);
    bufferevent_free(pair[1]);
    ev.event_base_free(base);
  });

  it("refuses bad arguments by name, and a filter that returns no result", async () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    bufferevent_pair_new(base, 0, pair);
    expect(() => bufferevent_filter_new(42 as any, null, null, 0, null, null)).to.throw(
      TypeError,
      /bufferevent_filter_new: argument 'underlying'/,
    );
    expect(() => bufferevent_filter_new(pair[0], "x" as any, null, 0, null, null)).to.throw(
      TypeError,
      /bufferevent_filter_new: argument 'input_filter'/,
    );
    expect(() => bufferevent_filter_new(pair[0], null, null, 0.5, null, null)).to.throw(
      /bufferevent_filter_new: argument 'options'/,
    );
    const f = bufferevent_filter_new(pair[0], null, (() => undefined) as any, 0, null, null)!;
    expect(() => bufferevent_write(f, "a", 1)).to.throw(
      TypeError,
      /output_filter returned undefined/,
    );
    // The bytes stay in the filter's output, and the next write is filtered again.
    expect(evbuffer_get_length(bufferevent_get_output(f))).to.equal(1);
    expect(() => bufferevent_write(f, "b", 1)).to.throw(TypeError, /output_filter/);
    bufferevent_free(f);
    bufferevent_free(pair[1]);
    expect(() => bufferevent_filter_new(pair[1], null, null, 0, null, null)).to.throw(
      TypeError,
      /'underlying' is a struct bufferevent that was already freed/,
    );
    bufferevent_free(pair[0]);
    ev.event_base_free(base);
  });
});
