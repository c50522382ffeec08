// Builds the C twins of the tests against the system's libevent (Debian's
// libevent-dev, 2.1.12) and runs them. Binaries are cached in build/c/.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, statSync, existsSync } from "node:fs";
import { join, basename, resolve } from "node:path";

const root = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../../..");
const outDir = join(root, "build", "c");

/** Compiles test/c/<name>.c (relative to the project root) and returns the binary's path. */
export function buildC(name: string, extraLibs: string[] = []): string {
  const src = join(root, "test", "c", `${name}.c`);
  mkdirSync(outDir, { recursive: true });
  const bin = join(outDir, basename(name));
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
    execFileSync("cc", ["-O1", "-Wall", "-o", bin, src, "-levent", ...extraLibs, "-lm"], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
  return bin;
}

/** Runs a binary with a time limit and capped output; returns its stdout. */
export function runC(bin: string, args: string[] = [], input?: string, timeoutMs = 20000): string {
  const r = spawnSync(bin, args, {
    input,
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
    encoding: "utf8",
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${bin} exited ${r.status} ${r.signal ?? ""}: ${r.stderr}`);
  return r.stdout;
}

export const projectRoot = root;
