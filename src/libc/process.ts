// The process as C's <stdlib.h>, <unistd.h> and <assert.h> see it (contract
// item 12): the program's arguments, its environment, its id and its end.
import { writeSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, int, typeError } from "../args.js";
import { flushWrites } from "../core/stream_net.js";
import { EINVAL, set_errno } from "./errno.js";

export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;

const evaluating = process.execArgv.some((a) => /^(-[a-z]*[ep]|--eval|--print)/.test(a));

/**
 * C's `char *argv[]`: argv[0] is the program — the script's path (`node`
 * itself under `node -e`) — then the arguments after it; argv[argc] is
 * undefined, which ends a `for (i = 1; argv[i]; i++)` loop as NULL does.
 */
export const argv: string[] = evaluating
  ? [process.argv0, ...process.argv.slice(1)]
  : [process.argv[1] ?? process.argv0, ...process.argv.slice(2)];
export const argc: number = argv.length;

/** Ends the process with `status` (output was written synchronously: nothing to flush). */
export function exit(status: number): never {
  const code = int("exit", "status", status);
  flushWrites();
  process.exit(code);
}

/** Ends the process with SIGABRT, as C's abort does (exit status 134 in a shell). */
export function abort(): never {
  if (process.listenerCount("SIGABRT") === 0) process.kill(process.pid, "SIGABRT");
  process.abort(); // a SIGABRT handler returned, or the signal was not yet delivered
}

/** glibc's names for argv[0] and its last component (which assert's and err's messages begin with). */
export const program_invocation_name: string = argv[0] ?? "";
export const program_invocation_short_name: string = basename(program_invocation_name);

/**
 * assert(expression) from <assert.h>: on a false expression prints glibc's
 * message — `prog: file:line: function: Assertion `text' failed.` (prog:
 * program_invocation_short_name) — and aborts.
 * C's message quotes the expression's source; pass it as `text` to get it.
 */
export function assert(expression: unknown, text?: string): void {
  if (text !== undefined && typeof text !== "string")
    throw typeError("assert", "text", `must be a string, got ${describe(text)}`);
  if (expression) return;
  const at: { stack?: string } = {};
  Error.captureStackTrace(at, assert);
  const frame = /at (?:(\S+) \()?(.+?):(\d+):\d+\)?$/.exec(at.stack?.split("\n")[1] ?? "");
  let where = "";
  if (frame) {
    const file = frame[2].startsWith("file:") ? fileURLToPath(frame[2]) : frame[2];
    where = `${file}:${frame[3]}: ${frame[1] ? `${frame[1]}: ` : ""}`;
  }
  const what = text === undefined ? "Assertion failed." : `Assertion \`${text}' failed.`;
  writeSync(2, `${program_invocation_short_name}: ${where}${what}\n`);
  abort();
}

export function getpid(): number {
  return process.pid;
}

/** The variable's value, or null when it is not set. */
export function getenv(name: string): string | null {
  return process.env[envName("getenv", name)] ?? null;
}

/** 0, or -1 with EINVAL for an empty name or one holding '='. */
export function setenv(name: string, value: string, overwrite: number): number {
  const n = envName("setenv", name);
  if (typeof value !== "string")
    throw typeError("setenv", "value", `must be a string, got ${describe(value)}`);
  const replace = int("setenv", "overwrite", overwrite);
  if (!validName(n)) return invalid();
  if (replace !== 0 || process.env[n] === undefined) process.env[n] = value;
  return 0;
}

export function unsetenv(name: string): number {
  const n = envName("unsetenv", name);
  if (!validName(n)) return invalid();
  delete process.env[n];
  return 0;
}

function envName(fn: string, v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) throw typeError(fn, "name", "is NULL (expected a string)");
  throw typeError(fn, "name", `must be a string, got ${describe(v)}`);
}

const validName = (n: string) => n !== "" && !n.includes("=");

function invalid(): number {
  set_errno(EINVAL);
  return -1;
}
