// Misuse of the evbuffer API (contract item 3): what would crash or corrupt
// memory in C throws a TypeError/RangeError naming the function and the
// argument; a size C accepts but cannot satisfy gets C's failure value.
import { expect } from "chai";
import * as E from "../src/event2/buffer.js";
import { EV_SIZE_MAX, EV_SSIZE_MAX } from "../src/args.js";
import {
  evbuffer_find,
  evbuffer_readline,
  evbuffer_setcb,
  EVBUFFER_LENGTH,
} from "../compat/buffer_compat.js";

describe("evbuffer misuse", function () {
  it("a freed evbuffer is refused by every function, naming it", function () {
    const b = E.evbuffer_new();
    E.evbuffer_free(b);
    const calls: [string, () => unknown][] = [
      ["evbuffer_add", () => E.evbuffer_add(b, "x")],
      ["evbuffer_get_length", () => E.evbuffer_get_length(b)],
      ["evbuffer_drain", () => E.evbuffer_drain(b, 1)],
      ["evbuffer_remove", () => E.evbuffer_remove(b, new Uint8Array(1), 1)],
      ["evbuffer_readln", () => E.evbuffer_readln(b, null, 0)],
      ["evbuffer_pullup", () => E.evbuffer_pullup(b, -1)],
      ["evbuffer_free", () => E.evbuffer_free(b)],
      ["evbuffer_search_range", () => E.evbuffer_search(b, "x", 1, null)],
      ["evbuffer_peek", () => E.evbuffer_peek(b, -1, null, null, 0)],
      ["evbuffer_add_printf", () => E.evbuffer_add_printf(b, "x")],
      ["evbuffer_add_cb", () => E.evbuffer_add_cb(b, () => {}, null)],
      ["evbuffer_freeze", () => E.evbuffer_freeze(b, 0)],
      ["evbuffer_setcb", () => evbuffer_setcb(b, null, null)],
      ["evbuffer_get_length", () => EVBUFFER_LENGTH(b)],
      ["evbuffer_readln", () => evbuffer_readline(b)],
      ["evbuffer_find", () => evbuffer_find(b, "x", 1)],
    ];
    for (const [name, f] of calls)
      expect(f, name).to.throw(
        TypeError,
        new RegExp(`${name}: argument '\\w+' is a struct evbuffer that was already freed`),
      );
    const live = E.evbuffer_new();
    expect(() => E.evbuffer_add_buffer(live, b)).to.throw(
      TypeError,
      /evbuffer_add_buffer: argument 'inbuf'/,
    );
    expect(() => E.evbuffer_remove_buffer(live, b, 1)).to.throw(
      TypeError,
      /evbuffer_remove_buffer: argument 'dst'/,
    );
  });

  it("NULL and wrong types are TypeErrors naming the argument", function () {
    expect(() => E.evbuffer_add(null as never, "x")).to.throw(
      TypeError,
      /evbuffer_add: argument 'buf' is NULL/,
    );
    expect(() => E.evbuffer_get_length({} as never)).to.throw(
      TypeError,
      /evbuffer_get_length: argument 'buf' must be a struct evbuffer/,
    );
    const b = E.evbuffer_new();
    expect(() => E.evbuffer_add(b, 42 as never)).to.throw(
      TypeError,
      /evbuffer_add: argument 'data_in'/,
    );
    expect(() => E.evbuffer_remove(b, "out" as never, 1)).to.throw(
      TypeError,
      /evbuffer_remove: argument 'data'/,
    );
    expect(() => E.evbuffer_add_cb(b, null as never, null)).to.throw(
      TypeError,
      /evbuffer_add_cb: argument 'cb'/,
    );
    expect(() => E.evbuffer_add_reference(b, "x", 1, 5 as never, null)).to.throw(
      TypeError,
      /'cleanupfn'/,
    );
    expect(() => E.evbuffer_readln(b, null, "lf" as never)).to.throw(
      TypeError,
      /evbuffer_readln: argument 'eol_style'/,
    );
    expect(() => E.evbuffer_peek(b, -1, null, null, 2)).to.throw(
      TypeError,
      /evbuffer_peek: argument 'vec_out'/,
    );
    expect(() => E.evbuffer_reserve_space(b, 10, null as never, 1)).to.throw(TypeError, /'vec'/);
    expect(() => E.evbuffer_search(b, "x", 1, 7 as never)).to.throw(TypeError, /'start'/);
    expect(() => E.evbuffer_ptr_set(b, null as never, 0, 0)).to.throw(
      TypeError,
      /evbuffer_ptr_set: argument 'ptr'/,
    );
    expect(() => E.evbuffer_defer_callbacks(b, {} as never)).to.throw(
      TypeError,
      /evbuffer_defer_callbacks: argument 'base'/,
    );
    expect(() => E.evbuffer_add_file_segment(b, {} as never, 0, 1)).to.throw(TypeError, /'seg'/);
    expect(() => E.evbuffer_cb_set_flags(b, {} as never, 1)).to.throw(
      TypeError,
      /evbuffer_cb_set_flags: argument 'cb'/,
    );
    expect(() => E.evbuffer_add_vprintf(b, "%d", 1 as never)).to.throw(TypeError, /'ap'/);
  });

  it("negative, fractional and NaN sizes are RangeErrors; -1 for a size_t means SIZE_MAX", function () {
    const b = E.evbuffer_new();
    E.evbuffer_add(b, "abcdef");
    expect(() => E.evbuffer_drain(b, -2)).to.throw(RangeError, /evbuffer_drain: argument 'len'/);
    expect(() => E.evbuffer_drain(b, 1.5)).to.throw(RangeError, /evbuffer_drain: argument 'len'/);
    expect(() => E.evbuffer_drain(b, NaN)).to.throw(RangeError, /evbuffer_drain/);
    expect(() => E.evbuffer_add(b, "abc", 2.5)).to.throw(
      RangeError,
      /evbuffer_add: argument 'datlen'/,
    );
    expect(() => E.evbuffer_expand(b, -5)).to.throw(
      RangeError,
      /evbuffer_expand: argument 'datlen'/,
    );
    expect(() => E.evbuffer_pullup(b, 0.5)).to.throw(
      RangeError,
      /evbuffer_pullup: argument 'size'/,
    );
    expect(() => E.evbuffer_peek(b, NaN, null, null, 0)).to.throw(
      RangeError,
      /evbuffer_peek: argument 'len'/,
    );
    expect(() => E.evbuffer_remove_buffer(b, E.evbuffer_new(), -3)).to.throw(
      RangeError,
      /'datlen'/,
    );
    expect(() => E.evbuffer_ptr_set(b, { pos: 0 }, -2, 0)).to.throw(RangeError, /'position'/);
    expect(E.evbuffer_drain(b, -1)).to.equal(0);
    expect(E.evbuffer_get_length(b)).to.equal(0);
  });

  it("a size larger than the memory given is a RangeError; a huge one gets C's failure value", function () {
    const b = E.evbuffer_new();
    expect(() => E.evbuffer_add(b, "abc", 5)).to.throw(
      RangeError,
      /evbuffer_add: argument 'datlen' is 5, larger than the 3 bytes/,
    );
    expect(() => E.evbuffer_prepend(b, "abc", 10)).to.throw(
      RangeError,
      /evbuffer_prepend: argument 'size'/,
    );
    expect(() => E.evbuffer_add_reference(b, "abc", 4, null, null)).to.throw(
      RangeError,
      /evbuffer_add_reference/,
    );
    expect(() => E.evbuffer_search(b, "ab", 4, null)).to.throw(RangeError, /'len'/);
    expect(E.evbuffer_add(b, "abc", EV_SIZE_MAX)).to.equal(-1);
    expect(E.evbuffer_add(b, "abc", 2 ** 40)).to.equal(-1);
    expect(E.evbuffer_prepend(b, "abc", EV_SIZE_MAX)).to.equal(-1);
    expect(E.evbuffer_expand(b, EV_SIZE_MAX)).to.equal(-1);
    expect(E.evbuffer_expand(b, EV_SSIZE_MAX)).to.equal(-1);
    expect(E.evbuffer_reserve_space(b, EV_SSIZE_MAX, [], 1)).to.equal(-1);
    expect(E.evbuffer_get_length(b)).to.equal(0);
    E.evbuffer_add(b, "abcdef");
    // len > EV_SSIZE_MAX: libevent returns the start position as found
    expect(E.evbuffer_search(b, "ab", EV_SIZE_MAX, null).pos).to.equal(0);
  });

  it("output memory too small for what would be written is a RangeError", function () {
    const b = E.evbuffer_new();
    E.evbuffer_add(b, "0123456789");
    expect(() => E.evbuffer_remove(b, new Uint8Array(4), 8)).to.throw(
      RangeError,
      /evbuffer_remove: argument 'data' would receive 8 bytes but holds 4/,
    );
    expect(() => E.evbuffer_copyout(b, new Uint8Array(4), EV_SIZE_MAX)).to.throw(
      RangeError,
      /evbuffer_copyout/,
    );
    // C clips to the buffer's length first: this fits
    expect(E.evbuffer_copyout(b, new Uint8Array(10), EV_SIZE_MAX)).to.equal(10);
    expect(E.evbuffer_remove(b, new Uint8Array(4))).to.equal(4);
    expect(E.evbuffer_get_length(b)).to.equal(6);
  });

  it("an evbuffer_ptr past the end or unset is refused; pos -1 is 'not found'", function () {
    const b = E.evbuffer_new();
    E.evbuffer_add(b, "hello");
    const out = new Uint8Array(10);
    expect(() => E.evbuffer_copyout_from(b, { pos: 9 }, out, 1)).to.throw(
      RangeError,
      /evbuffer_copyout_from: argument 'pos' points at 9/,
    );
    expect(() => E.evbuffer_copyout_from(b, { pos: -1 }, out, 1)).to.throw(RangeError, /'pos'/);
    expect(() => E.evbuffer_ptr_set(b, {} as never, 1, E.EVBUFFER_PTR_ADD)).to.throw(
      TypeError,
      /not a set struct evbuffer_ptr/,
    );
    expect(E.evbuffer_search(b, "l", 1, { pos: -1 }).pos).to.equal(-1);
    expect(E.evbuffer_peek(b, -1, { pos: -1 }, null, 0)).to.equal(0);
    expect(E.evbuffer_search_eol(b, { pos: -1 }, null, 0).pos).to.equal(-1);
    const p = { pos: -1 };
    expect(E.evbuffer_ptr_set(b, p, 1, E.EVBUFFER_PTR_ADD)).to.equal(-1);
    // an unset ptr may be filled by PTR_SET
    const q = {} as E.evbuffer_ptr;
    expect(E.evbuffer_ptr_set(b, q, 2, E.EVBUFFER_PTR_SET)).to.equal(0);
    expect(q.pos).to.equal(2);
  });

  it("reading arrays: n_vecs larger than the array is a RangeError", function () {
    const b = E.evbuffer_new();
    expect(() => E.evbuffer_commit_space(b, [], 1)).to.throw(
      RangeError,
      /evbuffer_commit_space: argument 'vec' has 0 entries/,
    );
    expect(() =>
      E.evbuffer_add_iovec(b, [{ iov_base: Buffer.from("ab"), iov_len: 2 }], 2),
    ).to.throw(RangeError, /'vec'/);
    expect(() =>
      E.evbuffer_add_iovec(b, [{ iov_base: Buffer.from("ab"), iov_len: 3 }], 1),
    ).to.throw(RangeError, /vec\[0\]\.iov_len/);
    expect(() => E.evbuffer_commit_space(b, [{ iov_base: "x" as never, iov_len: 1 }], 1)).to.throw(
      TypeError,
      /vec\[0\]\.iov_base/,
    );
  });

  it("misuse changes nothing", function () {
    const b = E.evbuffer_new();
    E.evbuffer_add(b, "abc");
    const infos: unknown[] = [];
    E.evbuffer_add_cb(b, (_x, i) => infos.push(i), null);
    expect(() => E.evbuffer_add(b, "abc", 5)).to.throw(RangeError);
    expect(() => E.evbuffer_drain(b, -5)).to.throw(RangeError);
    expect(E.evbuffer_get_length(b)).to.equal(3);
    expect(infos).to.deep.equal([]);
  });
});
