// evbuffer_ops: ../shared/bench-anchors/c/evbuffer_ops.c ported line by line
// to the flat API (bufferevent/event2/buffer). Same cases, same data, same
// reps, same output format (impl=ts):
//   add_drain    evbuffer_add 1M x 32 B, then evbuffer_drain everything
//   readln_lf    evbuffer_readln(EVBUFFER_EOL_LF) over 1M lines of 40 B
//   readln_crlf  evbuffer_readln(EVBUFFER_EOL_CRLF) over 1M lines of 41 B ("\r\n")
//   search       evbuffer_search for a 9-byte needle at the end of a 64 MiB
//                buffer built from 4 KiB evbuffer_add calls (text data)
//   remove       evbuffer_remove into a 4 KiB user buffer until a 64 MiB buffer is empty
//   copyout      evbuffer_copyout 4 KiB + evbuffer_drain 4 KiB until empty
//   add_printf   evbuffer_add_printf(buf, "%d %s\n", i, "hello world") 1M times
// usage: node dist/bench/evbuffer_ops.js [reps_scale] [case]
import {
  EVBUFFER_EOL_CRLF,
  EVBUFFER_EOL_LF,
  evbuffer_add,
  evbuffer_add_printf,
  evbuffer_copyout,
  evbuffer_drain,
  evbuffer_free,
  evbuffer_get_length,
  evbuffer_new,
  evbuffer_readln,
  evbuffer_remove,
  evbuffer_search,
} from "../src/event2/buffer.js";
import type { Evbuffer } from "../src/event2/buffer.js";

const N_SMALL = 1000000;
const SMALL = 32;
const N_LINES = 1000000;
const BIG = 64 * 1024 * 1024;
const PIECE = 4096;
const N_PRINTF = 1000000;

let reps = 1;
let scale = 1;
let secs = 0;
let sink = 0; // keeps results observable

function now(): number {
  return performance.now() / 1e3;
}

function reps_for(base_reps: number): number {
  const r = Math.floor(base_reps * scale + 0.5);
  return r < 1 ? 1 : r;
}

function report(name: string, bytes: number, s: number, ops: number): void {
  console.log(
    `bench=evbuffer_${name} impl=ts variant=evbuffer bytes=${bytes} secs=${s.toFixed(4)} ` +
      `MBps=${(bytes / s / 1e6).toFixed(1)} ops_per_s=${(ops / s).toFixed(0)} reps=${reps}`,
  );
}

/* add `len` bytes of `data` to `buf` in PIECE-sized evbuffer_add calls */
function add_in_pieces(buf: Evbuffer, data: Buffer, len: number): void {
  for (let off = 0; off < len; off += PIECE)
    evbuffer_add(buf, data.subarray(off), len - off < PIECE ? len - off : PIECE);
}

/* ---- (a) add 1M small chunks, then drain ---- */
function timed_add_drain(buf: Evbuffer, small: Buffer): void {
  for (let i = 0; i < N_SMALL; i++) evbuffer_add(buf, small, SMALL);
  sink += evbuffer_get_length(buf);
  evbuffer_drain(buf, evbuffer_get_length(buf));
}

function bench_add_drain(): void {
  const small = Buffer.alloc(SMALL, "s");
  const buf = evbuffer_new();
  secs = 0;
  for (let r = 0; r < reps; r++) {
    const t = now();
    timed_add_drain(buf, small);
    secs += now() - t;
  }
  evbuffer_free(buf);
  report("add_drain", reps * N_SMALL * SMALL, secs, reps * N_SMALL);
}

/* ---- (b) readln ---- */
function make_lines(eol: string): Buffer {
  const parts: string[] = new Array(N_LINES);
  for (let i = 0; i < N_LINES; i++)
    parts[i] = `line ${String(i).padStart(7, "0")} abcdefghijklmnopqrstuvwxyz${eol}`;
  return Buffer.from(parts.join(""), "latin1");
}

function timed_readln(buf: Evbuffer, style: number, nlines: { value: number }): number {
  const n = { value: 0 };
  let bytes = 0;
  let line: Buffer | null;
  while ((line = evbuffer_readln(buf, n, style)) !== null) {
    bytes += n.value;
    nlines.value++;
    sink += line.length;
  }
  return bytes;
}

function bench_readln(name: string, eol: string, style: number): void {
  const text = make_lines(eol);
  const nlines = { value: 0 };
  let got = 0;
  secs = 0;
  for (let r = 0; r < reps; r++) {
    const buf = evbuffer_new();
    add_in_pieces(buf, text, text.length);
    const t = now();
    got += timed_readln(buf, style, nlines);
    secs += now() - t;
    evbuffer_free(buf);
  }
  if (nlines.value !== reps * N_LINES) {
    console.error(`${name}: got ${nlines.value} lines`);
    process.exit(1);
  }
  sink += got;
  report(name, reps * text.length, secs, nlines.value);
}

/* ---- (c) search ---- */
const needle = Buffer.from("lazy cat!", "latin1");

function make_text(len: number): Buffer {
  const text = Buffer.alloc(len, "The quick brown fox jumps over the lazy dog. ", "latin1");
  needle.copy(text, len - PIECE - 4); /* straddles a 4 KiB boundary */
  return text;
}

function timed_search(buf: Evbuffer): number {
  const p = evbuffer_search(buf, needle, needle.length, null);
  return p.pos;
}

function bench_search(): void {
  const text = make_text(BIG);
  const buf = evbuffer_new();
  add_in_pieces(buf, text, BIG);
  secs = 0;
  for (let r = 0; r < reps; r++) {
    const t = now();
    const pos = timed_search(buf);
    secs += now() - t;
    if (pos !== BIG - PIECE - 4) {
      console.error(`search: pos ${pos}`);
      process.exit(1);
    }
    sink += pos;
  }
  evbuffer_free(buf);
  report("search", reps * BIG, secs, reps);
}

/* ---- (d) remove / copyout into a user buffer ---- */
function timed_remove(buf: Evbuffer, user: Uint8Array): number {
  let total = 0;
  let n: number;
  while ((n = evbuffer_remove(buf, user, PIECE)) > 0) {
    total += n;
    sink += user[0];
  }
  return total;
}

function timed_copyout(buf: Evbuffer, user: Uint8Array): number {
  let total = 0;
  let n: number;
  while ((n = evbuffer_copyout(buf, user, PIECE)) > 0) {
    evbuffer_drain(buf, n);
    total += n;
    sink += user[0];
  }
  return total;
}

function bench_remove(name: string, fn: (buf: Evbuffer, user: Uint8Array) => number): void {
  const text = make_text(BIG);
  const user = new Uint8Array(PIECE);
  secs = 0;
  for (let r = 0; r < reps; r++) {
    const buf = evbuffer_new();
    add_in_pieces(buf, text, BIG);
    const t = now();
    const got = fn(buf, user);
    secs += now() - t;
    if (got !== BIG) {
      console.error(`${name}: got ${got}`);
      process.exit(1);
    }
    evbuffer_free(buf);
  }
  report(name, reps * BIG, secs, reps * (BIG / PIECE));
}

/* ---- (e) add_printf ---- */
function timed_add_printf(buf: Evbuffer): void {
  for (let i = 0; i < N_PRINTF; i++) evbuffer_add_printf(buf, "%d %s\n", i, "hello world");
}

function bench_add_printf(): void {
  let bytes = 0;
  secs = 0;
  for (let r = 0; r < reps; r++) {
    const buf = evbuffer_new();
    const t = now();
    timed_add_printf(buf);
    secs += now() - t;
    bytes += evbuffer_get_length(buf);
    evbuffer_free(buf);
  }
  report("add_printf", bytes, secs, reps * N_PRINTF);
}

function main(argv: string[]): void {
  const which = argv.length > 3 ? argv[3] : "all";
  const all = which === "all";
  scale = argv.length > 2 ? Number(argv[2]) : 1;

  if (all || which === "add_drain") {
    reps = reps_for(10);
    bench_add_drain();
  }
  if (all || which === "readln_lf") {
    reps = reps_for(5);
    bench_readln("readln_lf", "\n", EVBUFFER_EOL_LF);
  }
  if (all || which === "readln_crlf") {
    reps = reps_for(5);
    bench_readln("readln_crlf", "\r\n", EVBUFFER_EOL_CRLF);
  }
  if (all || which === "search") {
    reps = reps_for(20);
    bench_search();
  }
  if (all || which === "remove") {
    reps = reps_for(10);
    bench_remove("remove", timed_remove);
  }
  if (all || which === "copyout") {
    reps = reps_for(10);
    bench_remove("copyout", timed_copyout);
  }
  if (all || which === "add_printf") {
    reps = reps_for(3);
    bench_add_printf();
  }
  if (sink === 0) console.error("sink is 0"); /* keeps the results observable */
}

main(process.argv);
