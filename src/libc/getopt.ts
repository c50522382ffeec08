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
//
// getopt_long and getopt_long_only add glibc's long options: "--name",
// "--name=value", "--name value" for a required argument, unambiguous
// abbreviations, "-W name" when optstring holds "W;", and (long_only) "-name".
// `struct option longopts[]` is an array of { name, has_arg, flag, val }
// ended by an entry whose name is null (`{}`), or by the array's end; `flag`
// is a { value } box or null, `longindex` a box or null.
import { describe, int, rangeError, typeError } from "../args.js";
import { box } from "../event2/checks.js";
import { cbytes } from "./cstring.js";
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
const DASH = 0x2d;
const EQUALS = 0x3d;
const W = 0x57;
/** longOption's answer when a long_only "-x" is no long option but is the short option x. */
const FALL_BACK = -2;

const signedChar = (b: number) => (b << 24) >> 24;
const isNonoption = (a: string) => a[0] !== "-" || a.length === 1;

/** Moves the skipped non-options behind the options that followed them. */
function exchange(argv: string[]): void {
  const moved = argv.splice(firstNonopt, lastNonopt - firstNonopt);
  argv.splice(optind - moved.length, 0, ...moved);
  firstNonopt += optind - lastNonopt;
  lastNonopt = optind;
}

function checkArgs(fn: string, argc: unknown, argv: unknown, optstring: unknown): number {
  const n = int(fn, "argc", argc);
  if (!Array.isArray(argv))
    throw typeError(fn, "argv", `must be an array of strings, got ${describe(argv)}`);
  if (n > argv.length)
    throw rangeError(fn, "argc", `is ${n}, larger than the ${argv.length} elements of argv`);
  for (let i = 0; i < n; i++)
    if (typeof argv[i] !== "string")
      throw typeError(fn, "argv", `element ${i} must be a string, got ${describe(argv[i])}`);
  if (typeof optstring !== "string")
    throw typeError(fn, "optstring", `must be a string, got ${describe(optstring)}`);
  return n;
}

/** <getopt.h>'s has_arg values. */
export const no_argument = 0;
export const required_argument = 1;
export const optional_argument = 2;

/** `struct option`: C's fields; `flag` null (or 0) makes getopt_long return `val`. */
export interface option {
  name?: string | Uint8Array | null;
  has_arg?: number;
  flag?: { value: number } | null | 0;
  val?: number;
}

interface LongOption {
  name: Buffer;
  text: string;
  has_arg: number;
  flag: { value: number } | null;
  val: number;
}

interface LongScan {
  options: LongOption[];
  longindex: { value: number } | null;
  longOnly: boolean;
}

function checkLong(fn: string, longopts: unknown, longindex: unknown, longOnly: boolean): LongScan {
  if (!Array.isArray(longopts))
    throw typeError(fn, "longopts", `must be an array of struct option, got ${describe(longopts)}`);
  const options: LongOption[] = [];
  for (let i = 0; i < longopts.length; i++) {
    const o: unknown = longopts[i];
    const what = `element ${i}`;
    if (o === null || typeof o !== "object")
      throw typeError(fn, "longopts", `${what} must be a struct option object, got ${describe(o)}`);
    const { name, has_arg, flag, val } = o as option;
    if (name === null || name === undefined) break; // the zeroed entry ends the array
    if (typeof name !== "string" && !(name instanceof Uint8Array))
      throw typeError(fn, "longopts", `${what}'s name must be a string, got ${describe(name)}`);
    const bytes = Buffer.from(cbytes(fn, "longopts", name));
    options.push({
      name: bytes,
      text: bytes.toString("utf8"),
      has_arg: has_arg === undefined ? 0 : int(fn, "longopts", has_arg),
      flag: flag === 0 ? null : box<number>(fn, flag, "longopts"),
      val: val === undefined ? 0 : int(fn, "longopts", val),
    });
  }
  return { options, longindex: box<number>(fn, longindex, "longindex"), longOnly };
}

/**
 * The next option's character code; -1 when the options end (optind then
 * indexes the first non-option); '?' for an unknown option or a missing
 * argument (':' for the latter when optstring starts with ':'), with optopt
 * the option. May reorder `argv` in place, as glibc does.
 */
export function getopt(argc: number, argv: string[], optstring: string): number {
  const r = next(checkArgs("getopt", argc, argv, optstring), argv, optstring, null);
  optopt = badOption;
  return r;
}

/**
 * getopt with long options: for one, `val` (or 0, having stored `val` in
 * `flag.value`), `longindex.value` its index in longopts; '?' for an unknown
 * or ambiguous one (optopt 0) or an argument it does not take (optopt its
 * `val`); a missing argument as in getopt.
 */
export function getopt_long(
  argc: number,
  argv: string[],
  optstring: string,
  longopts: readonly option[],
  longindex: { value: number } | null,
): number {
  return getoptLong("getopt_long", argc, argv, optstring, longopts, longindex, false);
}

/** getopt_long that also takes "-name" for a long option (a lone "-f" that is a short option stays one). */
export function getopt_long_only(
  argc: number,
  argv: string[],
  optstring: string,
  longopts: readonly option[],
  longindex: { value: number } | null,
): number {
  return getoptLong("getopt_long_only", argc, argv, optstring, longopts, longindex, true);
}

function getoptLong(
  fn: string,
  argc: number,
  argv: string[],
  optstring: string,
  longopts: readonly option[],
  longindex: { value: number } | null,
  longOnly: boolean,
): number {
  const n = checkArgs(fn, argc, argv, optstring);
  const r = next(n, argv, optstring, checkLong(fn, longopts, longindex, longOnly));
  optopt = badOption;
  return r;
}

function next(argc: number, argv: string[], optstring: string, long: LongScan | null): number {
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
    const arg = Buffer.from(argv[optind], "utf8");
    if (long !== null) {
      if (arg[1] === DASH) return longOption(argc, argv, letters, long, arg.subarray(2), "--");
      // long_only: "-f" for a short option f stays that option; "-fu" may abbreviate "--fubar".
      if (long.longOnly && (arg.length > 2 || letters.indexOf(arg[1]) < 0)) {
        const r = longOption(argc, argv, letters, long, arg.subarray(1), "-");
        if (r !== FALL_BACK) return r;
      }
    }
    rest = arg.subarray(1);
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
  if (c === W && letters[at + 1] === SEMICOLON && long !== null) {
    // "-W name" (or "-Wname") is "--name".
    let text: Buffer;
    if (rest.length > 0) text = rest;
    else if (optind === argc) {
      if (printErrors) fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
      badOption = signedChar(c);
      return letters[0] === COLON ? COLON : QUESTION;
    } else text = Buffer.from(argv[optind], "utf8");
    rest = null;
    return longOption(argc, argv, letters, { ...long, longOnly: false }, text, "-W ");
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

/**
 * The long option named by `text` (the argument after its prefix, "=value"
 * included), as glibc resolves it: an exact name first, else a prefix that
 * names one option, or several alike (same has_arg, flag and val).
 */
function longOption(
  argc: number,
  argv: string[],
  letters: Buffer,
  long: LongScan,
  text: Buffer,
  prefix: string,
): number {
  const printErrors = opterr !== 0 && letters[0] !== COLON;
  const eq = text.indexOf(EQUALS);
  const name = eq < 0 ? text : text.subarray(0, eq);
  const opts = long.options;
  let found = opts.findIndex((o) => o.name.equals(name));
  if (found < 0) {
    // Every other prefix match unlike the first makes it ambiguous; glibc lists those and the first.
    const unlike: number[] = [];
    for (let i = 0; i < opts.length; i++) {
      if (opts[i].name.length < name.length || !opts[i].name.subarray(0, name.length).equals(name))
        continue;
      if (found < 0) found = i;
      else if (differs(long, opts[found], opts[i])) unlike.push(i);
    }
    if (unlike.length > 0) {
      if (printErrors) {
        let msg = `${argv[0]}: option '${prefix}${text.toString("utf8")}' is ambiguous; possibilities:`;
        for (const i of [found, ...unlike]) msg += ` '${prefix}${opts[i].text}'`;
        fprintf(stderr, "%s\n", msg);
      }
      rest = null;
      optind++;
      badOption = 0;
      return QUESTION;
    }
    if (found < 0) {
      if (long.longOnly && prefix === "-" && letters.indexOf(text[0]) >= 0) return FALL_BACK;
      if (printErrors)
        fprintf(stderr, "%s: unrecognized option '%s%s'\n", argv[0], prefix, text.toString("utf8"));
      rest = null;
      optind++;
      badOption = 0;
      return QUESTION;
    }
  }
  const o = opts[found];
  optind++;
  rest = null;
  if (eq >= 0) {
    if (o.has_arg === 0) {
      if (printErrors)
        fprintf(stderr, "%s: option '%s%s' doesn't allow an argument\n", argv[0], prefix, o.text);
      badOption = o.val;
      return QUESTION;
    }
    optarg = text.subarray(eq + 1).toString("utf8");
  } else if (o.has_arg === required_argument) {
    if (optind < argc) optarg = argv[optind++];
    else {
      if (printErrors)
        fprintf(stderr, "%s: option '%s%s' requires an argument\n", argv[0], prefix, o.text);
      badOption = o.val;
      return letters[0] === COLON ? COLON : QUESTION;
    }
  }
  if (long.longindex !== null) long.longindex.value = found;
  if (o.flag !== null) {
    o.flag.value = o.val;
    return 0;
  }
  return o.val;
}

function differs(long: LongScan, a: LongOption, b: LongOption): boolean {
  return long.longOnly || a.has_arg !== b.has_arg || a.flag !== b.flag || a.val !== b.val;
}
