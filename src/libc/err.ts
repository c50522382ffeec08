// BSD's <err.h> as glibc has it, which server programs use to report and
// die: warn/warnx print "prog: message" (warn adds ": strerror(errno)") to
// stderr; err/errx do the same, then exit with the status given. `prog` is
// glibc's program_invocation_short_name, the last component of argv[0].
// The v* forms take the arguments as an array, as vprintf does.
import { describe, int, typeError } from "../args.js";
import { cformat } from "../core/printf.js";
import { errno } from "./errno.js";
import { strerror } from "./errno_text.js";
import { exit, program_invocation_short_name } from "./process.js";
import { emit } from "./stdio_write.js";

type Format = string | Uint8Array | null;

function report(fn: string, withErrno: boolean, format: unknown, ap: unknown): void {
  const e = errno; // formatting must not change what is reported
  if (format !== null && typeof format !== "string" && !(format instanceof Uint8Array))
    throw typeError(fn, "fmt", `must be a string, a Uint8Array or null, got ${describe(format)}`);
  if (!Array.isArray(ap)) throw typeError(fn, "ap", `must be an array, got ${describe(ap)}`);
  const parts: Uint8Array[] = [Buffer.from(`${program_invocation_short_name}: `)];
  if (format !== null) {
    const msg = cformat(format, ap);
    if (msg !== null) parts.push(msg);
    if (withErrno) parts.push(Buffer.from(": "));
  }
  parts.push(Buffer.from(withErrno ? `${strerror(e)}\n` : "\n"));
  emit(2, Buffer.concat(parts));
}

export function vwarn(fmt: Format, ap: readonly unknown[]): void {
  report("vwarn", true, fmt, ap);
}

export function vwarnx(fmt: Format, ap: readonly unknown[]): void {
  report("vwarnx", false, fmt, ap);
}

/** "prog: <fmt>: <strerror(errno)>\n" on stderr ("prog: <strerror(errno)>\n" when fmt is NULL). */
export function warn(fmt: Format, ...args: unknown[]): void {
  report("warn", true, fmt, args);
}

/** "prog: <fmt>\n" on stderr. */
export function warnx(fmt: Format, ...args: unknown[]): void {
  report("warnx", false, fmt, args);
}

export function verr(status: number, fmt: Format, ap: readonly unknown[]): never {
  const code = int("verr", "eval", status);
  report("verr", true, fmt, ap);
  return exit(code);
}

export function verrx(status: number, fmt: Format, ap: readonly unknown[]): never {
  const code = int("verrx", "eval", status);
  report("verrx", false, fmt, ap);
  return exit(code);
}

/** warn, then exit(eval). */
export function err(status: number, fmt: Format, ...args: unknown[]): never {
  const code = int("err", "eval", status);
  report("err", true, fmt, args);
  return exit(code);
}

/** warnx, then exit(eval). */
export function errx(status: number, fmt: Format, ...args: unknown[]): never {
  const code = int("errx", "eval", status);
  report("errx", false, fmt, args);
  return exit(code);
}
