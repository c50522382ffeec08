// <stdlib.h>'s random number generator as glibc implements it: random(),
// srandom(), rand() and srand() share one additive feedback generator
// (TYPE_3: 31 words, separation 3), seeded with 1 until srandom is called,
// so a seeded program draws the numbers its C original draws.
import * as args from "../args.js";

export const RAND_MAX = 2147483647;

const DEG = 31;
const SEP = 3;
const state = new Int32Array(DEG);
let front = SEP;
let rear = 0;

function next(): number {
  state[front] = (state[front] + state[rear]) | 0;
  const r = (state[front] >>> 1) & 0x7fffffff;
  front = (front + 1) % DEG;
  rear = (rear + 1) % DEG;
  return r;
}

/** srandom(3): restarts the sequence from `seed` (an unsigned int; 0 counts as 1). */
export function srandom(seed: number): void {
  let word = args.int("srandom", "seed", seed) >>> 0 || 1;
  state[0] = word | 0;
  for (let i = 1; i < DEG; i++) {
    // 16807 * word % (2^31 - 1) without overflow, as glibc computes it (Schrage).
    const hi = Math.trunc((word | 0) / 127773);
    const lo = (word | 0) % 127773;
    word = 16807 * lo - 2836 * hi;
    if (word < 0) word += 2147483647;
    state[i] = word;
  }
  front = SEP;
  rear = 0;
  for (let i = 0; i < 10 * DEG; i++) next();
}

/** random(3): the next number, 0 to RAND_MAX. */
export function random(): number {
  return next();
}

/** srand(3): glibc's srand is srandom. */
export function srand(seed: number): void {
  srandom(args.int("srand", "seed", seed));
}

/** rand(3): glibc's rand is random. */
export function rand(): number {
  return next();
}

srandom(1);
