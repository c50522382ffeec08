/* eslint prefer-const: "off" -- the C ports declare variables first and assign them later, as C does */
// Pair bufferevents: the port of test/c/bev_pair.c (compared with libevent's
// own trace) and conformance tests for the rules of the pair kind.
import { expect } from "chai";
import { EV_SIZE_MAX, EV_SSIZE_MAX } from "../src/args.js";
import * as ev from "../src/event2/event.js";
import { EV_READ, EV_WRITE, EVLOOP_NONBLOCK, EVLOOP_ONCE } from "../src/event2/event.js";
import {
  evbuffer_add,
  evbuffer_drain,
  evbuffer_get_length,
  evbuffer_prepend,
} from "../src/event2/buffer.js";
import * as be from "../src/event2/bufferevent.js";
import {
  BEV_FINISHED,
  BEV_FLUSH,
  BEV_NORMAL,
  BEV_TRIG_IGNORE_WATERMARKS,
  bufferevent_disable,
  bufferevent_enable,
  bufferevent_flush,
  bufferevent_free,
  bufferevent_get_base,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_max_single_read,
  bufferevent_get_max_single_write,
  bufferevent_get_max_to_read,
  bufferevent_get_max_to_write,
  bufferevent_get_output,
  bufferevent_get_priority,
  bufferevent_get_underlying,
  bufferevent_getcb,
  bufferevent_getfd,
  bufferevent_getwatermark,
  bufferevent_pair_get_partner,
  bufferevent_pair_new,
  bufferevent_priority_set,
  bufferevent_base_set,
  bufferevent_read,
  bufferevent_set_max_single_read,
  bufferevent_set_max_single_write,
  bufferevent_setcb,
  bufferevent_setfd,
  bufferevent_setwatermark,
  bufferevent_trigger,
  bufferevent_trigger_event,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import { Trace, cTrace, expectSameTrace } from "./bev_harness.test.js";

/** The line-by-line port of test/c/bev_pair.c. */
async function bev_pair_main(printf: Trace["printf"]): Promise<number> {
  let base: ev.EventBase;
  const pair: BufferEvent[] = [];
  let drain_in_readcb = 0;

  const name = (bev: BufferEvent) => (bev === pair[0] ? "A" : "B");

  function readcb(bev: BufferEvent, ctx: any) {
    const inp = bufferevent_get_input(bev);
    printf("%s readcb inlen=%zu ctx=%s\n", name(bev), evbuffer_get_length(inp), ctx);
    if (drain_in_readcb) evbuffer_drain(inp, evbuffer_get_length(inp));
  }

  function writecb(bev: BufferEvent, _ctx: any) {
    printf("%s writecb outlen=%zu\n", name(bev), evbuffer_get_length(bufferevent_get_output(bev)));
  }

  function eventcb(bev: BufferEvent, what: number, _ctx: any) {
    printf("%s eventcb what=0x%x\n", name(bev), what);
  }

  function lens(label: string) {
    printf(
      "%s: A.out=%zu A.in=%zu B.out=%zu B.in=%zu\n",
      label,
      evbuffer_get_length(bufferevent_get_output(pair[0])),
      evbuffer_get_length(bufferevent_get_input(pair[0])),
      evbuffer_get_length(bufferevent_get_output(pair[1])),
      evbuffer_get_length(bufferevent_get_input(pair[1])),
    );
  }

  async function once(label: string) {
    printf("loop %s\n", label);
    await ev.event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
  }

  const lo = { value: 99 },
    hi = { value: 99 };
  const rcb = { value: null as any },
    wcb = { value: null as any },
    ecb = { value: null as any },
    arg = { value: null as any };
  const buf = new Uint8Array(64);
  let r: number, r2: number;

  base = ev.event_base_new()!;
  printf("pair_new=%d\n", bufferevent_pair_new(base, 0, pair));

  /* defaults */
  printf("enabled A=%d B=%d\n", bufferevent_get_enabled(pair[0]), bufferevent_get_enabled(pair[1]));
  printf(
    "partner ok=%d %d\n",
    Number(bufferevent_pair_get_partner(pair[0]) === pair[1]),
    Number(bufferevent_pair_get_partner(pair[1]) === pair[0]),
  );
  r = bufferevent_getwatermark(pair[0], EV_READ, lo, hi);
  printf("getwatermark read=%d lo=%zu hi=%zu\n", r, lo.value, hi.value);
  lo.value = hi.value = 99;
  r = bufferevent_getwatermark(pair[0], EV_WRITE, lo, hi);
  printf("getwatermark write=%d lo=%zu hi=%zu\n", r, lo.value, hi.value);
  r = bufferevent_getwatermark(pair[0], EV_READ | EV_WRITE, lo, hi);
  printf("getwatermark both=%d none=%d\n", r, bufferevent_getwatermark(pair[0], 0, null, null));
  printf(
    "max_single read=%zd write=%zd\n",
    bufferevent_get_max_single_read(pair[0]),
    bufferevent_get_max_single_write(pair[0]),
  );
  printf(
    "max_to read=%zd write=%zd\n",
    bufferevent_get_max_to_read(pair[0]),
    bufferevent_get_max_to_write(pair[0]),
  );
  r = bufferevent_setfd(pair[0], 3);
  printf(
    "getfd=%d setfd=%d underlying_null=%d\n",
    bufferevent_getfd(pair[0]),
    r,
    Number(bufferevent_get_underlying(pair[0]) === null),
  );
  r = bufferevent_priority_set(pair[0], 0);
  r2 = bufferevent_base_set(base, pair[0]);
  printf(
    "priority_set=%d get_priority=%d base_set=%d base_ok=%d\n",
    r,
    bufferevent_get_priority(pair[0]),
    r2,
    Number(bufferevent_get_base(pair[0]) === base),
  );
  bufferevent_getcb(pair[0], rcb, wcb, ecb, arg);
  printf(
    "getcb null=%d %d %d %d\n",
    Number(rcb.value === null),
    Number(wcb.value === null),
    Number(ecb.value === null),
    Number(arg.value === null),
  );
  bufferevent_setcb(pair[0], readcb, writecb, eventcb, "a");
  bufferevent_setcb(pair[1], readcb, writecb, eventcb, "b");
  bufferevent_getcb(pair[0], rcb, wcb, null, arg);
  printf(
    "getcb set=%d %d %s\n",
    Number(rcb.value === readcb),
    Number(wcb.value === writecb),
    arg.value,
  );
  r = bufferevent_set_max_single_read(pair[0], 3);
  printf("set_max_single_read 3=%d -> %zd\n", r, bufferevent_get_max_single_read(pair[0]));
  r = bufferevent_set_max_single_read(pair[0], 0);
  printf("set_max_single_read 0=%d -> %zd\n", r, bufferevent_get_max_single_read(pair[0]));
  r = bufferevent_set_max_single_write(pair[0], EV_SSIZE_MAX);
  printf(
    "set_max_single_write ssize_max=%d -> max=%d\n",
    r,
    Number(bufferevent_get_max_single_write(pair[0]) === EV_SSIZE_MAX),
  );
  r = bufferevent_set_max_single_write(pair[0], EV_SIZE_MAX);
  printf("set_max_single_write size_max=%d -> %zd\n", r, bufferevent_get_max_single_write(pair[0]));

  /* frozen ends */
  r = evbuffer_add(bufferevent_get_input(pair[0]), "x", 1);
  printf(
    "add(input)=%d prepend(input)=%d\n",
    r,
    evbuffer_prepend(bufferevent_get_input(pair[0]), "", 0),
  );
  printf("prepend(output)=%d\n", evbuffer_prepend(bufferevent_get_output(pair[0]), "x", 1));

  /* transfer rules: B is not reading yet */
  printf("write=%d\n", bufferevent_write(pair[0], "hello", 5));
  lens("A wrote 5, B not reading");
  printf("drain(A.out)=%d\n", evbuffer_drain(bufferevent_get_output(pair[0]), 1));
  await once("1");
  printf("enable B read=%d\n", bufferevent_enable(pair[1], EV_READ));
  lens("after enable");
  printf("enabled A=%d B=%d\n", bufferevent_get_enabled(pair[0]), bufferevent_get_enabled(pair[1]));
  await once("2");
  printf("B read=%zu\n", bufferevent_read(pair[1], buf, buf.length));
  printf("disable A write=%d\n", bufferevent_disable(pair[0], EV_WRITE));
  bufferevent_write(pair[0], "12345", 5);
  lens("A wrote 5 while not writing");
  await once("3");
  printf("enable A write=%d\n", bufferevent_enable(pair[0], EV_WRITE));
  lens("after enable");
  await once("4");

  /* B's read watermarks: high 3, readcb drains */
  drain_in_readcb = 1;
  evbuffer_drain(bufferevent_get_input(pair[1]), 100);
  bufferevent_setwatermark(pair[1], EV_READ, 0, 3);
  bufferevent_getwatermark(pair[1], EV_READ, lo, hi);
  printf("B read wm lo=%zu hi=%zu\n", lo.value, hi.value);
  bufferevent_write(pair[0], "0123456789", 10);
  lens("high 3, wrote 10");
  await once("5");
  lens("after loop");

  /* low 10: two writes of 5 give one readcb */
  bufferevent_setwatermark(pair[1], EV_READ, 10, 0);
  bufferevent_write(pair[0], "abcde", 5);
  await once("6");
  bufferevent_write(pair[0], "fghij", 5);
  await once("7");

  /* A's write low watermark: writecb only when A.out <= 4. B has no readcb
   * (a readcb leaving B at its high watermark would run forever). */
  bufferevent_setcb(pair[1], null, writecb, eventcb, "b");
  bufferevent_setwatermark(pair[1], EV_READ, 0, 6);
  bufferevent_setwatermark(pair[0], EV_WRITE, 4, 0);
  drain_in_readcb = 0;
  bufferevent_write(pair[0], "0123456789ABCDEF", 16);
  lens("B high 6, A low 4, wrote 16");
  await once("8");
  evbuffer_drain(bufferevent_get_input(pair[1]), 6);
  lens("B drained 6");
  await once("9");
  evbuffer_drain(bufferevent_get_input(pair[1]), 6);
  lens("B drained 6");
  await once("10");

  /* flush: NORMAL moves nothing past the watermark, FLUSH ignores it */
  bufferevent_write(pair[0], "0123456789", 10);
  lens("B full, A wrote 10");
  printf("flush normal=%d\n", bufferevent_flush(pair[0], EV_WRITE, BEV_NORMAL));
  lens("after normal");
  printf("flush flush=%d\n", bufferevent_flush(pair[0], EV_WRITE, BEV_FLUSH));
  lens("after flush");
  await once("11");
  evbuffer_drain(bufferevent_get_input(pair[1]), 100);
  bufferevent_setwatermark(pair[1], EV_READ, 0, 0);
  bufferevent_setwatermark(pair[0], EV_WRITE, 0, 0);
  bufferevent_setcb(pair[1], readcb, writecb, eventcb, "b");
  await once("12");

  /* pull: flush EV_READ on B takes A's output */
  bufferevent_disable(pair[1], EV_READ);
  bufferevent_write(pair[0], "pull", 4);
  lens("B not reading, A wrote 4");
  printf("flush B read=%d\n", bufferevent_flush(pair[1], EV_READ, BEV_FLUSH));
  lens("after pull");
  await once("13");

  /* FINISHED: the partner's eventcb gets EOF plus direction bits */
  printf("finished write=%d\n", bufferevent_flush(pair[0], EV_WRITE, BEV_FINISHED));
  await once("14");
  printf("finished read=%d\n", bufferevent_flush(pair[0], EV_READ, BEV_FINISHED));
  await once("15");
  printf("finished both=%d\n", bufferevent_flush(pair[0], EV_READ | EV_WRITE, BEV_FINISHED));
  await once("16");
  printf("finished none=%d\n", bufferevent_flush(pair[0], 0, BEV_FINISHED));
  await once("17");

  /* trigger */
  evbuffer_drain(bufferevent_get_input(pair[1]), 100);
  bufferevent_setwatermark(pair[1], EV_READ, 5, 0);
  bufferevent_trigger(pair[1], EV_READ, 0);
  await once("18");
  bufferevent_trigger(pair[1], EV_READ | EV_WRITE, BEV_TRIG_IGNORE_WATERMARKS);
  await once("19");
  bufferevent_trigger_event(pair[1], 0x1234, 0);
  bufferevent_trigger_event(pair[1], 0x0001, 0);
  await once("20");

  /* freeing one end unlinks the partner */
  bufferevent_free(pair[1]);
  printf("partner after free null=%d\n", Number(bufferevent_pair_get_partner(pair[0]) === null));
  printf("write=%d\n", bufferevent_write(pair[0], "lost", 4));
  r = bufferevent_flush(pair[0], EV_WRITE, BEV_FLUSH);
  printf("A.out=%zu flush=%d\n", evbuffer_get_length(bufferevent_get_output(pair[0])), r);
  await once("21");
  bufferevent_free(pair[0]);
  printf("dispatch=%d\n", await ev.event_base_dispatch(base));
  ev.event_base_free(base);
  return 0;
}

describe("bufferevent pair", () => {
  it("prints the same trace as libevent (test/c/bev_pair.c)", async () => {
    const t = new Trace();
    await bev_pair_main(t.printf);
    expectSameTrace(t.out, cTrace("bev_pair"));
  });

  it("is created with both ends writing, partners linked, DEFER forced", () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    expect(bufferevent_pair_new(base, 0, pair)).to.equal(0);
    expect(pair[0].options & be.BEV_OPT_DEFER_CALLBACKS).to.not.equal(0);
    expect(bufferevent_get_enabled(pair[0])).to.equal(EV_WRITE);
    expect(bufferevent_pair_get_partner(pair[0])).to.equal(pair[1]);
    bufferevent_free(pair[0]);
    bufferevent_free(pair[1]);
  });

  it("writes and reads an integer box as the integer's bytes (a binary length prefix)", async () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    bufferevent_pair_new(base, 0, pair);
    const got: number[] = [];
    be.bufferevent_setcb(
      pair[1],
      (b) => {
        const len = { value: 0 };
        while (bufferevent_read(b, len, 2) === 2) got.push(len.value);
      },
      null,
      null,
      null,
    );
    be.bufferevent_enable(pair[1], EV_READ);
    expect(be.bufferevent_write(pair[0], { value: 0x0102 }, 2)).to.equal(0);
    expect(be.bufferevent_write(pair[0], { value: 0xfffe }, 2)).to.equal(0);
    await ev.event_base_loop(base, EVLOOP_NONBLOCK);
    expect(got).to.deep.equal([0x0102, 0xfffe]);
    expect(() => be.bufferevent_write(pair[0], { value: 1 })).to.throw(
      TypeError,
      /bufferevent_write.*'size'/,
    );
    bufferevent_free(pair[0]);
    bufferevent_free(pair[1]);
    ev.event_base_free(base);
  });

  it("bufferevent_write takes a literal with its NUL (sizeof) and NULL with size 0", async () => {
    const base = ev.event_base_new()!;
    const pair: BufferEvent[] = [];
    bufferevent_pair_new(base, 0, pair);
    bufferevent_enable(pair[1], EV_READ);
    expect(bufferevent_write(pair[0], "hi", 3)).to.equal(0);
    expect(bufferevent_write(pair[0], null as never, 0)).to.equal(0);
    expect(() => bufferevent_write(pair[0], "hi", 4)).to.throw(RangeError, /'size' is 4/);
    await ev.event_base_loop(base, EVLOOP_NONBLOCK);
    const got = new Uint8Array(8);
    expect(be.bufferevent_read(pair[1], got, 8)).to.equal(3);
    expect([...got.subarray(0, 3)]).to.deep.equal([0x68, 0x69, 0]);
    bufferevent_free(pair[0]);
    bufferevent_free(pair[1]);
    ev.event_base_free(base);
  });
});
