// getopt(3) as glibc implements it (contract item 12), argv permutation
// included: options are found anywhere, the non-options are moved, in order,
// behind them, and at the end optind indexes the first of them. A "+" before
// the option letters, or POSIXLY_CORRECT in the environment, stops at the
// first non-option instead; a "-" hands each non-option over as option 1
// with it in optarg. "--" ends the options. A ":" (after any "+"/"-") makes a
// missing argument return ':' and silences the diagnostics.
//
// optarg, optind, opterr and optopt are C globals: live bindings here, as
// errno is. An import cannot be assigned, so `optind = 0` (a fresh scan, as
// in glibc) and `opterr = 0` are spelled set_optind(0) and set_opterr(0).
// Option characters are the bytes of an argument's UTF-8 text, returned as
// C returns a `char` (signed), so non-ASCII input behaves as in C.
import { describe, int, rangeError, typeError } from "../args.js";
import { fprintf, stderr } from "./printf.js";

export let optarg: string | null = null;
export let optind = 1;
export let opterr = 1;
/** '?' until the first call; from then on, as in glibc, the last bad option or 0. */
export let optopt = 0x3f;

export function set_optind(v: number): number {
  return (optind = int("set_optind", "v", v));
}

export function set_opterr(v: number): number {
  return (opterr = int("set_opterr", "v", v));
}

const enum Order {
  Permute,
  Require,
  ReturnInOrder,
}

// The scan's state between calls: the option letters left in the current
// argument, and the run of non-options skipped so far [firstNonopt, lastNonopt).
let initialized = false;
let badOption = 0;
let order = Order.Permute;
let rest: Buffer | null = null;
let firstNonopt = 1;
let lastNonopt = 1;

const QUESTION = 0x3f;
const COLON = 0x3a;
const SEMICOLON = 0x3b;

const signedChar = (b: number) => (b << 24) >> 24;
const isNonoption = (a: string) => a[0] !== "-" || a.length === 1;

/** Moves the skipped non-options behind the options that followed them. */
function exchange(argv: string[]): void {
  const moved = argv.splice(firstNonopt, lastNonopt - firstNonopt);
  argv.splice(optind - moved.length, 0, ...moved);
  firstNonopt += optind - lastNonopt;
  lastNonopt = optind;
}

function checkArgs(argc: unknown, argv: unknown, optstring: unknown): number {
  const n = int("getopt", "argc", argc);
  if (!Array.isArray(argv))
    throw typeError("getopt", "argv", `must be an array of strings, got ${describe(argv)}`);
  if (n > argv.length)
    throw rangeError("getopt", "argc", `is ${n}, larger than the ${argv.length} elements of argv`);
  for (let i = 0; i < n; i++)
    if (typeof argv[i] !== "string")
      throw typeError("getopt", "argv", `element ${i} must be a string, got ${describe(argv[i])}`);
  if (typeof optstring !== "string")
    throw typeError("getopt", "optstring", `must be a string, got ${describe(optstring)}`);
  return n;
}

/**
 * The next option's character code; -1 when the options end (optind then
 * indexes the first non-option); '?' for an unknown option or a missing
 * argument (':' for the latter when optstring starts with ':'), with optopt
 * the option. May reorder `argv` in place, as glibc does.
 */
export function getopt(argc: number, argv: string[], optstring: string): number {
  const r = next(checkArgs(argc, argv, optstring), argv, optstring);
  optopt = badOption;
  return r;
}

function next(argc: number, argv: string[], optstring: string): number {
  if (argc < 1) return -1;
  optarg = null;
  let spec = optstring;
  if (optind === 0 || !initialized) {
    if (optind === 0) optind = 1;
    firstNonopt = lastNonopt = optind;
    rest = null;
    if (spec[0] === "-") order = Order.ReturnInOrder;
    else if (spec[0] === "+") order = Order.Require;
    else order = process.env.POSIXLY_CORRECT !== undefined ? Order.Require : Order.Permute;
    initialized = true;
  }
  if (spec[0] === "-" || spec[0] === "+") spec = spec.slice(1);
  const letters = Buffer.from(spec, "utf8");
  const printErrors = opterr !== 0 && letters[0] !== COLON;

  if (rest === null || rest.length === 0) {
    // The program may have moved optind back (or changed argv): keep the run within it.
    lastNonopt = Math.min(lastNonopt, optind);
    firstNonopt = Math.min(firstNonopt, optind);
    if (order === Order.Permute) {
      if (firstNonopt !== lastNonopt && lastNonopt !== optind) exchange(argv);
      else if (lastNonopt !== optind) firstNonopt = optind;
      while (optind < argc && isNonoption(argv[optind])) optind++;
      lastNonopt = optind;
    }
    if (optind !== argc && argv[optind] === "--") {
      optind++;
      if (firstNonopt !== lastNonopt && lastNonopt !== optind) exchange(argv);
      else if (firstNonopt === lastNonopt) firstNonopt = optind;
      lastNonopt = argc;
      optind = argc;
    }
    if (optind === argc) {
      if (firstNonopt !== lastNonopt) optind = firstNonopt;
      return -1;
    }
    if (isNonoption(argv[optind])) {
      if (order === Order.Require) return -1;
      optarg = argv[optind++];
      return 1;
    }
    rest = Buffer.from(argv[optind], "utf8").subarray(1);
  }

  const c = rest[0];
  rest = rest.subarray(1);
  if (rest.length === 0) optind++;
  const at = letters.indexOf(c);
  if (at < 0 || c === COLON || c === SEMICOLON) {
    if (printErrors) fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
    badOption = signedChar(c);
    return QUESTION;
  }
  if (letters[at + 1] !== COLON) return signedChar(c);
  if (letters[at + 2] === COLON) {
    // An optional argument: only the rest of this argument.
    if (rest.length > 0) {
      optarg = rest.toString("utf8");
      optind++;
    }
  } else if (rest.length > 0) {
    optarg = rest.toString("utf8");
    optind++;
  } else if (optind === argc) {
    if (printErrors) fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
    badOption = signedChar(c);
    rest = null;
    return letters[0] === COLON ? COLON : QUESTION;
  } else optarg = argv[optind++];
  rest = null;
  return signedChar(c);
}
