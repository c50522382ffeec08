// Property tests: random command sequences on two evbuffers, checked after
// every step against a model that keeps each buffer as a flat byte array.
import { expect } from "chai";
import fc from "fast-check";
import * as E from "../src/event2/buffer.js";
import type { Evbuffer, evbuffer_iovec } from "../src/event2/buffer.js";

interface Model {
  bufs: number[][];
}
interface Real {
  bufs: Evbuffer[];
}
type Cmd = fc.Command<Model, Real>;

const CR = 13;
const LF = 10;

function contentOf(b: Evbuffer): number[] {
  const v: evbuffer_iovec[] = [];
  const n = E.evbuffer_peek(b, -1, null, v, E.evbuffer_peek(b, -1, null, null, 0));
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < v[i].iov_len; k++) out.push(v[i].iov_base![k]);
  return out;
}

function check(m: Model, r: Real): void {
  for (let i = 0; i < 2; i++) {
    expect(E.evbuffer_get_length(r.bufs[i])).to.equal(m.bufs[i].length);
    expect(contentOf(r.bufs[i])).to.deep.equal(m.bufs[i]);
  }
}

/** Where the model finds the first EOL of `style`: [line length, eol length] or null. */
function modelEol(b: number[], style: number): [number, number] | null {
  switch (style) {
    case E.EVBUFFER_EOL_LF:
    case E.EVBUFFER_EOL_NUL: {
      const i = b.indexOf(style === E.EVBUFFER_EOL_LF ? LF : 0);
      return i < 0 ? null : [i, 1];
    }
    case E.EVBUFFER_EOL_CRLF: {
      const i = b.indexOf(LF);
      if (i < 0) return null;
      return i > 0 && b[i - 1] === CR ? [i - 1, 2] : [i, 1];
    }
    case E.EVBUFFER_EOL_CRLF_STRICT: {
      for (let i = 0; i + 1 < b.length; i++) if (b[i] === CR && b[i + 1] === LF) return [i, 2];
      return null;
    }
    case E.EVBUFFER_EOL_ANY: {
      const i = b.findIndex((x) => x === CR || x === LF);
      if (i < 0) return null;
      let j = i;
      while (j < b.length && (b[j] === CR || b[j] === LF)) j++;
      return [i, j - i];
    }
  }
  return null;
}

function indexOfSeq(b: number[], w: number[], from: number): number {
  if (w.length === 0) return from;
  outer: for (let i = from; i + w.length <= b.length; i++) {
    for (let k = 0; k < w.length; k++) if (b[i + k] !== w[k]) continue outer;
    return i;
  }
  return -1;
}

const which = fc.integer({ min: 0, max: 1 });
// Bytes that make lines and matches likely.
const byteArb = fc.constantFrom(97, 98, 99, CR, LF, 0, 120);
const bytesArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(byteArb, { maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(byteArb, { minLength: 900, maxLength: 5000 }) },
);
const sizeArb = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6000 }));

const commands: fc.Arbitrary<Cmd>[] = [
  fc.tuple(which, bytesArb).map(([i, d]): Cmd => ({
    check: () => true,
    run(m, r) {
      expect(E.evbuffer_add(r.bufs[i], Uint8Array.from(d))).to.equal(0);
      m.bufs[i].push(...d);
      check(m, r);
    },
    toString: () => `add(${i}, ${d.length})`,
  })),
  fc.tuple(which, bytesArb).map(([i, d]): Cmd => ({
    check: () => true,
    run(m, r) {
      expect(E.evbuffer_prepend(r.bufs[i], Uint8Array.from(d))).to.equal(0);
      m.bufs[i].unshift(...d);
      check(m, r);
    },
    toString: () => `prepend(${i}, ${d.length})`,
  })),
  fc.tuple(which, bytesArb).map(([i, d]): Cmd => ({
    check: () => true,
    run(m, r) {
      const mem = Uint8Array.from(d);
      expect(E.evbuffer_add_reference(r.bufs[i], mem, mem.length, null, null)).to.equal(0);
      m.bufs[i].push(...d);
      check(m, r);
    },
    toString: () => `add_reference(${i}, ${d.length})`,
  })),
  fc.tuple(which, sizeArb).map(([i, n]): Cmd => ({
    check: () => true,
    run(m, r) {
      expect(E.evbuffer_drain(r.bufs[i], n)).to.equal(0);
      m.bufs[i].splice(0, n);
      check(m, r);
    },
    toString: () => `drain(${i}, ${n})`,
  })),
  fc.tuple(which, sizeArb, fc.boolean()).map(([i, n, destructive]): Cmd => ({
    check: () => true,
    run(m, r) {
      const out = new Uint8Array(n);
      const got = destructive
        ? E.evbuffer_remove(r.bufs[i], out, n)
        : E.evbuffer_copyout(r.bufs[i], out, n);
      const want = m.bufs[i].slice(0, n);
      expect(got).to.equal(want.length);
      expect(Array.from(out.subarray(0, got))).to.deep.equal(want);
      if (destructive) m.bufs[i].splice(0, n);
      check(m, r);
    },
    toString: () => `${destructive ? "remove" : "copyout"}(${i}, ${n})`,
  })),
  fc.tuple(which, fc.nat(), sizeArb).map(([i, at, n]): Cmd => ({
    check: () => true,
    run(m, r) {
      const pos = m.bufs[i].length ? at % (m.bufs[i].length + 1) : 0;
      const p = { pos: 0 };
      expect(E.evbuffer_ptr_set(r.bufs[i], p, pos, E.EVBUFFER_PTR_SET)).to.equal(0);
      const out = new Uint8Array(n);
      const got = E.evbuffer_copyout_from(r.bufs[i], p, out, n);
      const want = m.bufs[i].slice(pos, pos + n);
      expect(Array.from(out.subarray(0, got))).to.deep.equal(want);
    },
    toString: () => `copyout_from(${i}, ${at}, ${n})`,
  })),
  fc.tuple(which, fc.constantFrom("add", "prepend", "remove", "reference")).chain(([i, op]) =>
    sizeArb.map((n): Cmd => ({
      check: () => true,
      run(m, r) {
        const [d, s] = [r.bufs[i], r.bufs[1 - i]];
        const [md, ms] = [m.bufs[i], m.bufs[1 - i]];
        if (op === "add") {
          expect(E.evbuffer_add_buffer(d, s)).to.equal(0);
          md.push(...ms.splice(0));
        } else if (op === "prepend") {
          expect(E.evbuffer_prepend_buffer(d, s)).to.equal(0);
          md.unshift(...ms.splice(0));
        } else if (op === "remove") {
          const moved = ms.splice(0, n);
          expect(E.evbuffer_remove_buffer(s, d, n)).to.equal(moved.length);
          md.push(...moved);
        } else {
          if (E.evbuffer_add_buffer_reference(d, s) === 0) md.push(...ms);
        }
        check(m, r);
      },
      toString: () => `${op}_buffer(${i} <- ${1 - i}, ${n})`,
    })),
  ),
  fc.tuple(which, fc.integer({ min: -1, max: 6000 })).map(([i, n]): Cmd => ({
    check: () => true,
    run(m, r) {
      const p = E.evbuffer_pullup(r.bufs[i], n);
      const len = m.bufs[i].length;
      const size = n < 0 ? len : n;
      if (size === 0 || size > len) expect(p).to.equal(null);
      else {
        expect(Array.from(p!)).to.deep.equal(m.bufs[i].slice(0, size));
        expect(E.evbuffer_get_contiguous_space(r.bufs[i])).to.be.at.least(size);
      }
      check(m, r);
    },
    toString: () => `pullup(${i}, ${n})`,
  })),
  fc.tuple(which, fc.integer({ min: 0, max: 4 })).map(([i, style]): Cmd => ({
    check: () => true,
    run(m, r) {
      const n = { value: -1 };
      const line = E.evbuffer_readln(r.bufs[i], n, style);
      const e = modelEol(m.bufs[i], style);
      if (e === null) expect(line).to.equal(null);
      else {
        expect(line).to.not.equal(null);
        expect(n.value).to.equal(e[0]);
        expect(Array.from(line!)).to.deep.equal(m.bufs[i].slice(0, e[0]));
        m.bufs[i].splice(0, e[0] + e[1]);
      }
      check(m, r);
    },
    toString: () => `readln(${i}, ${style})`,
  })),
  fc.tuple(which, fc.array(byteArb, { maxLength: 4 }), fc.nat()).map(([i, w, at]): Cmd => ({
    check: () => true,
    run(m, r) {
      const b = m.bufs[i];
      const from = b.length ? at % (b.length + 1) : 0;
      const p = { pos: 0 };
      E.evbuffer_ptr_set(r.bufs[i], p, from, E.EVBUFFER_PTR_SET);
      const got = E.evbuffer_search(r.bufs[i], Uint8Array.from(w), w.length, p).pos;
      expect(got).to.equal(indexOfSeq(b, w, from));
    },
    toString: () => `search(${i}, [${w}], ${at})`,
  })),
  fc
    .tuple(which, sizeArb, fc.integer({ min: 1, max: 4 }), fc.nat())
    .map(([i, size, nvec, used]): Cmd => ({
      check: () => true,
      run(m, r) {
        const v: evbuffer_iovec[] = [];
        const got = E.evbuffer_reserve_space(r.bufs[i], size, v, nvec);
        expect(got).to.be.within(nvec > 1 && size === 0 ? 0 : 1, nvec);
        const total = v.slice(0, got).reduce((a, x) => a + x.iov_len, 0);
        expect(total).to.be.at.least(size);
        let left = total ? used % (total + 1) : 0;
        const added: number[] = [];
        for (let k = 0; k < got; k++) {
          const take = Math.min(left, v[k].iov_len);
          for (let j = 0; j < take; j++) v[k].iov_base![j] = (j * 7 + k) & 0xff;
          for (let j = 0; j < take; j++) added.push((j * 7 + k) & 0xff);
          v[k].iov_len = take;
          left -= take;
        }
        expect(E.evbuffer_commit_space(r.bufs[i], v, got)).to.equal(0);
        m.bufs[i].push(...added);
        check(m, r);
      },
      toString: () => `reserve_commit(${i}, ${size}, ${nvec}, ${used})`,
    })),
  fc.tuple(which, sizeArb).map(([i, n]): Cmd => ({
    check: () => true,
    run(m, r) {
      expect(E.evbuffer_expand(r.bufs[i], n)).to.equal(0);
      check(m, r);
    },
    toString: () => `expand(${i}, ${n})`,
  })),
];

describe("evbuffer against a flat byte-array model (fast-check)", function () {
  this.timeout(30000);

  it("random command sequences keep every buffer equal to its model", function () {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
        const setup = () => ({
          model: { bufs: [[], []] } as Model,
          real: { bufs: [E.evbuffer_new(), E.evbuffer_new()] },
        });
        fc.modelRun(setup, cmds);
      }),
      { numRuns: 1000 },
    );
  });

  it("callback infos always add up to the length changes", function () {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("add", "drain", "prepend", "readln"), sizeArb), {
          maxLength: 40,
        }),
        (ops) => {
          const b = E.evbuffer_new();
          let last = 0;
          let ok = true;
          E.evbuffer_add_cb(
            b,
            (x, info) => {
              if (info.orig_size !== last) ok = false;
              last = info.orig_size + info.n_added - info.n_deleted;
              if (last !== E.evbuffer_get_length(x)) ok = false;
            },
            null,
          );
          for (const [op, n] of ops) {
            if (op === "add") E.evbuffer_add(b, Buffer.alloc(n, 10));
            else if (op === "prepend") E.evbuffer_prepend(b, Buffer.alloc(n, 97));
            else if (op === "drain") E.evbuffer_drain(b, n);
            else E.evbuffer_readln(b, null, E.EVBUFFER_EOL_LF);
          }
          return ok && last === E.evbuffer_get_length(b);
        },
      ),
      { numRuns: 200 },
    );
  });
});
