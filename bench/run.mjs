#!/usr/bin/env node
// `npm run bench`: runs the C libevent anchor, the raw-Node anchor and this
// implementation (dist/bench/*.js) for each workload of ../shared/bench-anchors,
// interleaved RUNS times (default 3), and prints median ops/s and the ratios
// ts/C and ts/Node. Benchmarks, not tests: nothing here asserts a timing.
// Env: RUNS, BENCH_ANCHORS (default ../shared/bench-anchors), ONLY=<bench name substring>,
// SCALE=<evbuffer_ops reps scale> (default 1, the anchors' own; all three
// implementations get the same, so a larger one amortizes V8's warm-up alike).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const anchors = resolve(process.env.BENCH_ANCHORS ?? join(root, "..", "shared", "bench-anchors"));
const runs = Number(process.env.RUNS ?? 3);
const only = process.env.ONLY ?? "";
const scale = process.env.SCALE ?? "1";
const GiB = 2 ** 30;

if (!existsSync(join(anchors, "c"))) {
  console.error(`bench: anchors not found at ${anchors} (set BENCH_ANCHORS)`);
  process.exit(1);
}
const bin = join(root, "build", "bench");
mkdirSync(bin, { recursive: true });
const libs = (() => {
  try {
    return execFileSync("pkg-config", ["--libs", "libevent"], { encoding: "utf8" })
      .trim()
      .split(/\s+/);
  } catch {
    return ["-levent"];
  }
})();

// [name, C args, Node anchor args (one run per variant), ts args]. The totals
// are the anchors' own (run.sh: sized for about 1 s each); this package moves
// what raw Node moves, so both pay the same JIT warm-up (some 45 ms for the pair).
const workloads = [
  ["pair_throughput", [`${32 * GiB}`], [[`${6 * GiB}`, "duplexpair_copy"]], [`${6 * GiB}`]],
  ["tcp_echo_throughput", [`${GiB / 2}`], [[`${GiB}`]], [`${GiB}`]],
  ["tcp_many_conns", ["1000", "100", "64"], [["1000", "100", "64"]], ["1000", "100", "64"]],
  ["evbuffer_ops", [scale], [[scale]], [scale]],
].filter(([n]) => n.includes(only));

const results = [];
function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 300_000, maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.error(
      `bench: ${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr.slice(0, 500)}`,
    );
    return;
  }
  for (const line of r.stdout.split("\n").filter((l) => l.startsWith("bench="))) {
    console.log(line);
    results.push(
      Object.fromEntries(
        line
          .trim()
          .split(/\s+/)
          .map((t) => t.split("=")),
      ),
    );
  }
}

for (const [name, cArgs, nodeRuns, tsArgs] of workloads) {
  execFileSync("gcc", ["-O2", "-o", join(bin, name), join(anchors, "c", `${name}.c`), ...libs]);
  const ts = join(root, "dist", "bench", `${name}.js`);
  for (let i = 0; i < runs; i++) {
    run(join(bin, name), cArgs);
    for (const a of nodeRuns) run("node", [join(anchors, "node", `${name}.js`), ...a]);
    if (existsSync(ts)) run("node", [ts, ...tsArgs]);
    else console.error(`bench: ${ts} missing`);
  }
}

// Per-connection memory = (peak RSS - RSS before connecting) / sockets. The
// Node anchor does not print its base, so it is measured as RESULTS.md
// measures it: a node process with a net listener bound.
const NODE_BASE = `const fs = require("node:fs");
  const s = require("node:net").createServer().listen(0, "127.0.0.1", () => {
    console.log(/VmRSS:\\s+(\\d+)/.exec(fs.readFileSync("/proc/self/status", "latin1"))[1]);
    s.close();
  });`;
function nodeBaseKb() {
  const r = spawnSync("node", ["-e", NODE_BASE], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// Primary variant per impl: C's only one, Node's first listed in RESULTS.md, ts's first printed.
const primaryNode = {
  pair_throughput: "duplexpair_copy",
  evbuffer_readln_lf: "copy",
  evbuffer_readln_crlf: "copy",
};
const byBench = new Map();
for (const r of results) {
  if (!byBench.has(r.bench)) byBench.set(r.bench, { c: [], node: new Map(), ts: new Map() });
  const g = byBench.get(r.bench);
  if (r.impl === "c") g.c.push(r);
  else {
    const m = g[r.impl === "node" ? "node" : "ts"];
    if (!m.has(r.variant)) m.set(r.variant, []);
    m.get(r.variant).push(r);
  }
}
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(2));
const metric = (rs) => median(rs.map((r) => Number(r.ops_per_s)));
const rss = (rs) =>
  rs[0]?.peak_rss_kb ? ` rss=${median(rs.map((r) => Number(r.peak_rss_kb)))}kB` : "";
const perConn = [];
console.log(
  "\n| bench | C ops/s | Node ops/s | ts ops/s | ts/C | ts/Node |\n| --- | --- | --- | --- | --- | --- |",
);
for (const [bench, g] of byBench) {
  const nodeRs = g.node.get(primaryNode[bench]) ?? [...g.node.values()][0] ?? [];
  for (const [variant, tsRs] of g.ts) {
    const c = g.c.length ? metric(g.c) : NaN;
    const n = nodeRs.length ? metric(nodeRs) : NaN;
    const t = metric(tsRs);
    console.log(
      `| ${bench} (${variant}) | ${fmt(c)}${rss(g.c)} | ${fmt(n)}${rss(nodeRs)} | ${fmt(t)}${rss(tsRs)} | ` +
        `${(t / c).toFixed(2)} | ${(t / n).toFixed(2)} |`,
    );
    if (tsRs[0]?.base_rss_kb && nodeRs.length) perConn.push([bench, variant, nodeRs, tsRs]);
  }
}
if (perConn.length) {
  const nodeBase = median([0, 1, 2].map(nodeBaseKb));
  const sockets = (r) => 2 * Number(r.conns);
  const kbPer = (rs, base) =>
    median(rs.map((r) => (Number(r.peak_rss_kb) - (base ?? Number(r.base_rss_kb))) / sockets(r)));
  console.log("\n| bench | Node kB/socket | ts kB/socket | ts/Node |\n| --- | --- | --- | --- |");
  for (const [bench, variant, nodeRs, tsRs] of perConn) {
    const n = kbPer(nodeRs, nodeBase);
    const t = kbPer(tsRs);
    console.log(
      `| ${bench} (${variant}) | ${n.toFixed(1)} | ${t.toFixed(1)} | ${(t / n).toFixed(2)} |`,
    );
  }
}
