// evbuffer callbacks (reference §3.4): order, cb_info accumulation, flags,
// removal, the obsolete evbuffer_setcb, suspend/unsuspend, and deferred
// callbacks run from the event loop. Expected traces are libevent 2.1.12's
// (regress 'callbacks', and probes of the real library).
import { expect } from "chai";
import * as E from "../src/event2/buffer.js";
import type { Evbuffer, evbuffer_cb_info } from "../src/event2/buffer.js";
import { evbuffer_setcb } from "../compat/buffer_compat.js";
import {
  EVLOOP_NONBLOCK,
  event_base_free,
  event_base_loop,
  event_base_new,
  event_base_priority_init,
} from "../src/event2/event.js";

function logTo(out: Evbuffer) {
  return (_b: Evbuffer, info: evbuffer_cb_info): void => {
    E.evbuffer_add_printf(
      out,
      "%lu->%lu; ",
      info.orig_size,
      info.orig_size + info.n_added - info.n_deleted,
    );
  };
}
const text = (b: Evbuffer) =>
  E.evbuffer_get_length(b) ? E.evbuffer_pullup(b, -1)!.toString() : "";
const infoOf = (i: evbuffer_cb_info) => [i.orig_size, i.n_added, i.n_deleted];

describe("evbuffer callbacks", function () {
  it("logs libevent's exact traces (regress 'callbacks')", function () {
    const buf = E.evbuffer_new();
    const out1 = E.evbuffer_new();
    const out2 = E.evbuffer_new();
    const c1 = E.evbuffer_add_cb(buf, logTo(out1), out1);
    const c2 = E.evbuffer_add_cb(buf, logTo(out2), out2);
    E.evbuffer_add_printf(buf, "The %d magic words are spotty pudding", 2); // 0->36
    E.evbuffer_cb_clear_flags(buf, c2, E.EVBUFFER_CB_ENABLED);
    E.evbuffer_drain(buf, 10); // 36->26
    E.evbuffer_prepend(buf, "Hello", 5); // 26->31
    E.evbuffer_cb_set_flags(buf, c2, E.EVBUFFER_CB_ENABLED);
    E.evbuffer_add_reference(buf, "Goodbye", 7, null, null); // 31->38
    E.evbuffer_remove_cb_entry(buf, c1);
    E.evbuffer_drain(buf, E.evbuffer_get_length(buf)); // 38->0
    E.evbuffer_add(buf, "X", 1); // 0->1
    expect(text(out1)).to.equal("0->36; 36->26; 26->31; 31->38; ");
    expect(text(out2)).to.equal("0->36; 31->38; 38->0; 0->1; ");
  });

  it("evbuffer_remove_cb needs the exact cb and arg", function () {
    const buf = E.evbuffer_new();
    const out = E.evbuffer_new();
    const log = logTo(out);
    E.evbuffer_add_cb(buf, log, out);
    expect(E.evbuffer_remove_cb(buf, log, null)).to.equal(-1);
    expect(E.evbuffer_remove_cb(buf, () => {}, out)).to.equal(-1);
    expect(E.evbuffer_remove_cb(buf, log, out)).to.equal(0);
    expect(E.evbuffer_remove_cb(buf, log, out)).to.equal(-1);
    E.evbuffer_add(buf, "x");
    expect(E.evbuffer_get_length(out)).to.equal(0);
  });

  it("newer callbacks run first; the arg comes back as the same value", function () {
    const buf = E.evbuffer_new();
    const order: string[] = [];
    const arg = { id: 1 };
    E.evbuffer_add_cb(buf, (_b, _i, a) => order.push(a === arg ? "first(arg ok)" : "first"), arg);
    E.evbuffer_add_cb(buf, (b, _i, a) => order.push(b === buf && a === "s" ? "second" : "?"), "s");
    E.evbuffer_add(buf, "x");
    expect(order).to.deep.equal(["second", "first(arg ok)"]);
  });

  it("does not run when nothing changed, nor for pullup/expand/copyout/peek/search", function () {
    const buf = E.evbuffer_new();
    let n = 0;
    E.evbuffer_add_cb(buf, () => n++, null);
    E.evbuffer_add(buf, "", 0);
    E.evbuffer_drain(buf, 10);
    E.evbuffer_prepend(buf, "", 0);
    const v = [{ iov_base: null as Uint8Array | null, iov_len: 0 }];
    E.evbuffer_reserve_space(buf, 10, v, 1);
    v[0].iov_len = 0;
    E.evbuffer_commit_space(buf, v, 1);
    E.evbuffer_add_buffer(buf, E.evbuffer_new());
    expect(n).to.equal(0);
    E.evbuffer_add(buf, "abc");
    expect(n).to.equal(1);
  });

  it("a disabled callback misses changes; re-enabled it sees only later ones", function () {
    const buf = E.evbuffer_new();
    const infos: number[][] = [];
    const e = E.evbuffer_add_cb(buf, (_b, i) => infos.push(infoOf(i)), null);
    E.evbuffer_cb_clear_flags(buf, e, E.EVBUFFER_CB_ENABLED);
    E.evbuffer_add(buf, "12345");
    E.evbuffer_cb_set_flags(buf, e, E.EVBUFFER_CB_ENABLED);
    E.evbuffer_add(buf, "6");
    expect(infos).to.deep.equal([[5, 1, 0]]);
  });

  it("cb_set_flags masks the internal flag bits", function () {
    const buf = E.evbuffer_new();
    const infos: number[][] = [];
    const e = E.evbuffer_add_cb(buf, (_b, i) => infos.push(infoOf(i)), null);
    expect(E.evbuffer_cb_set_flags(buf, e, 0xffff0000 | 1)).to.equal(0);
    expect(e.flags).to.equal(1);
    expect(E.evbuffer_cb_clear_flags(buf, e, 0xffffffff)).to.equal(0);
    E.evbuffer_add(buf, "ab");
    expect(infos).to.deep.equal([]);
  });

  it("add_buffer: src's callbacks, then dst's; remove_buffer: dst's, then src's", function () {
    const a = E.evbuffer_new();
    const b = E.evbuffer_new();
    const order: string[] = [];
    E.evbuffer_add_cb(a, (_x, i) => order.push(`a ${infoOf(i)}`), null);
    E.evbuffer_add_cb(b, (_x, i) => order.push(`b ${infoOf(i)}`), null);
    E.evbuffer_add(b, "hello");
    E.evbuffer_add_buffer(a, b);
    E.evbuffer_remove_buffer(a, b, 2);
    expect(order).to.deep.equal(["b 0,5,0", "b 5,0,5", "a 0,5,0", "b 0,2,0", "a 5,0,2"]);
  });

  it("add_iovec fires one callback per vector", function () {
    const buf = E.evbuffer_new();
    const infos: number[][] = [];
    E.evbuffer_add_cb(buf, (_b, i) => infos.push(infoOf(i)), null);
    E.evbuffer_add_iovec(
      buf,
      [
        { iov_base: Buffer.from("ab"), iov_len: 2 },
        { iov_base: Buffer.from("cde"), iov_len: 3 },
      ],
      2,
    );
    expect(infos).to.deep.equal([
      [0, 2, 0],
      [2, 3, 0],
    ]);
  });

  it("a callback that changes the buffer re-enters, each level with its own info", function () {
    const buf = E.evbuffer_new();
    const seen: string[] = [];
    E.evbuffer_add_cb(
      buf,
      (b, i) => {
        seen.push(`${i.orig_size}->${i.orig_size + i.n_added - i.n_deleted}`);
        if (E.evbuffer_get_length(b) < 3) E.evbuffer_add(b, "x");
      },
      null,
    );
    E.evbuffer_add(buf, "x");
    expect(seen).to.deep.equal(["0->1", "1->2", "2->3"]);
  });

  it("a callback may remove itself", function () {
    const buf = E.evbuffer_new();
    const seen: string[] = [];
    const ent = E.evbuffer_add_cb(
      buf,
      (b) => {
        seen.push("once");
        E.evbuffer_remove_cb_entry(b, ent);
      },
      null,
    );
    E.evbuffer_add_cb(buf, () => seen.push("other"), null);
    E.evbuffer_add(buf, "a");
    E.evbuffer_add(buf, "b");
    expect(seen).to.deep.equal(["other", "once", "other"]);
  });

  it("evbuffer_setcb replaces every callback; a self-draining old-style callback", function () {
    const buf = E.evbuffer_new();
    const out1 = E.evbuffer_new();
    const out2 = E.evbuffer_new();
    E.evbuffer_add_cb(buf, logTo(out1), out1);
    E.evbuffer_add_cb(buf, logTo(out2), out2);
    const drainer = (b: Evbuffer, oldLen: number, newLen: number) => {
      if (newLen > oldLen) E.evbuffer_drain(b, newLen);
    };
    expect(evbuffer_setcb(buf, drainer, null)).to.equal(0);
    E.evbuffer_add_printf(buf, "This should get drained right away.");
    expect(E.evbuffer_get_length(buf)).to.equal(0);
    expect(E.evbuffer_get_length(out1)).to.equal(0);
    expect(E.evbuffer_get_length(out2)).to.equal(0);
    expect(evbuffer_setcb(buf, null, null)).to.equal(0);
    E.evbuffer_add_printf(buf, "This will not.");
    expect(text(buf)).to.equal("This will not.");
  });

  it("old-style callbacks get (buf, old_len, new_len, arg)", function () {
    const buf = E.evbuffer_new();
    const seen: unknown[][] = [];
    evbuffer_setcb(buf, (b, o, n, a) => seen.push([b === buf, o, n, a]), "arg");
    E.evbuffer_add(buf, "abc");
    E.evbuffer_drain(buf, 1);
    expect(seen).to.deep.equal([
      [true, 0, 3, "arg"],
      [true, 3, 2, "arg"],
    ]);
  });

  it("suspend/unsuspend: one call with what was missed (libevent's disabled test of them)", function () {
    const buf = E.evbuffer_new();
    const out1 = E.evbuffer_new();
    const out2 = E.evbuffer_new();
    const cb1 = E.evbuffer_add_cb(buf, logTo(out1), out1);
    const cb2 = E.evbuffer_add_cb(buf, logTo(out2), out2);
    E.evbuffer_cb_suspend(buf, cb2);
    E.evbuffer_prepend(buf, "Hello world", 11); // 0->11
    E.evbuffer_cb_suspend(buf, cb1);
    E.evbuffer_add(buf, "more", 4); // 11->15
    E.evbuffer_cb_unsuspend(buf, cb2);
    E.evbuffer_drain(buf, 4); // 15->11
    E.evbuffer_cb_unsuspend(buf, cb1);
    E.evbuffer_drain(buf, E.evbuffer_get_length(buf)); // 11->0
    expect(text(out1)).to.equal("0->11; 11->11; 11->0; ");
    expect(text(out2)).to.equal("0->15; 15->11; 11->0; ");
  });

  it("an entry that was removed cannot be used again", function () {
    const buf = E.evbuffer_new();
    const e = E.evbuffer_add_cb(buf, () => {}, null);
    E.evbuffer_remove_cb_entry(buf, e);
    expect(() => E.evbuffer_remove_cb_entry(buf, e)).to.throw(
      TypeError,
      /evbuffer_remove_cb_entry.*'ent'/,
    );
    expect(() => E.evbuffer_cb_set_flags(buf, e, 1)).to.throw(TypeError, /evbuffer_cb_set_flags/);
    const other = E.evbuffer_new();
    const f = E.evbuffer_add_cb(buf, () => {}, null);
    expect(() => E.evbuffer_cb_clear_flags(other, f, 1)).to.throw(
      TypeError,
      /not a callback entry of this evbuffer/,
    );
  });

  it("evbuffer_free removes the callbacks", function () {
    const buf = E.evbuffer_new();
    let n = 0;
    E.evbuffer_add_cb(buf, () => n++, null);
    E.evbuffer_add(buf, "abc");
    E.evbuffer_free(buf);
    expect(n).to.equal(1);
    expect(buf.cbHead).to.equal(null);
  });

  describe("deferred (evbuffer_defer_callbacks)", function () {
    it("run once from the loop with summed counters; NODEFER callbacks run at once", async function () {
      const base = event_base_new()!;
      const b = E.evbuffer_new();
      const log: string[] = [];
      expect(E.evbuffer_defer_callbacks(b, base)).to.equal(0);
      E.evbuffer_add_cb(
        b,
        (x, i) => log.push(`A ${infoOf(i)} len=${E.evbuffer_get_length(x)}`),
        null,
      );
      const nd = E.evbuffer_add_cb(
        b,
        (x, i) => log.push(`ND ${infoOf(i)} len=${E.evbuffer_get_length(x)}`),
        null,
      );
      E.evbuffer_cb_set_flags(b, nd, 2); // EVBUFFER_CB_NODEFER
      E.evbuffer_add(b, "abc");
      E.evbuffer_add(b, "de");
      E.evbuffer_drain(b, 1);
      log.push("loop1");
      await event_base_loop(base, EVLOOP_NONBLOCK);
      E.evbuffer_add(b, "x");
      log.push("loop2");
      await event_base_loop(base, EVLOOP_NONBLOCK);
      E.evbuffer_add(b, "y");
      E.evbuffer_remove_cb_entry(b, nd);
      log.push("loop3");
      await event_base_loop(base, EVLOOP_NONBLOCK);
      E.evbuffer_add(b, "z");
      E.evbuffer_free(b);
      log.push("loop4 after free");
      await event_base_loop(base, EVLOOP_NONBLOCK);
      log.push("done");
      // the trace of the same program against libevent 2.1.12
      expect(log).to.deep.equal([
        "ND 0,3,0 len=3",
        "ND 0,5,0 len=5",
        "ND 0,5,1 len=4",
        "loop1",
        "A 0,5,1 len=4",
        "ND 4,1,0 len=5",
        "loop2",
        "A 4,1,0 len=5",
        "ND 5,1,0 len=6",
        "loop3",
        "A 5,1,0 len=6",
        "loop4 after free",
        "A 6,1,0 len=7",
        "done",
      ]);
      expect(b.cbHead).to.equal(null);
      event_base_free(base);
    });

    it("nothing runs before the loop; the run uses the base's deferred priority", async function () {
      const base = event_base_new()!;
      expect(event_base_priority_init(base, 5)).to.equal(0);
      const b = E.evbuffer_new();
      E.evbuffer_defer_callbacks(b, base);
      let n = 0;
      E.evbuffer_add_cb(b, () => n++, null);
      E.evbuffer_add(b, "a");
      expect(n).to.equal(0);
      expect(b.deferred!.priority).to.equal(2);
      await event_base_loop(base, EVLOOP_NONBLOCK);
      expect(n).to.equal(1);
      await event_base_loop(base, EVLOOP_NONBLOCK);
      expect(n).to.equal(1);
      event_base_free(base);
    });

    it("a buffer freed without a pending run cancels nothing and frees at once", function () {
      const base = event_base_new()!;
      const b = E.evbuffer_new();
      E.evbuffer_defer_callbacks(b, base);
      let cleaned = 0;
      E.evbuffer_add_reference(b, "abc", 3, () => cleaned++, null);
      E.evbuffer_free(b);
      expect(cleaned).to.equal(1);
      event_base_free(base);
    });
  });
});
