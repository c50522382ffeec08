// Writes docs/api-status.md: for every header list in test/fixtures/api/, how
// many of its names the built package (dist/) exports, and which functions are
// still missing. Run after a build: `node scripts/api-table.mjs`.
//
// The functions below are also what test/api.test.ts checks with, so the
// table and the test can never disagree about what "exported" means.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import process from "node:process";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const fixtureDir = join(projectRoot, "test", "fixtures", "api");

/** The import specifier of a list: libc.txt → bufferevent/libc, event.txt → bufferevent/event2/event. */
export function subpathOf(file) {
  const base = file.replace(/\.txt$/, "");
  if (base === "openssl" || base === "libc") return `bufferevent/${base}`;
  return `bufferevent/event2/${base}`;
}

/** What a reader calls the list: its C header, or what it stands for. */
export function headerOf(file) {
  const base = file.replace(/\.txt$/, "");
  if (base === "openssl") return "OpenSSL calls";
  if (base === "libc") return "C library calls";
  return `event2/${base}.h`;
}

/** One `NAME KIND [VALUE]` line (format: /work/shared/api/README.md). */
export function parseLine(line) {
  const m = /^(\S+)\s+(fn|macro|const|string|binding|value)(?:\s+(.*))?$/.exec(line.trim());
  if (!m) throw new Error(`bad API line: ${JSON.stringify(line)}`);
  const [, name, kind, raw] = m;
  if (kind === "const") return { name, kind, value: Number(raw) };
  if (kind === "string") return { name, kind, value: JSON.parse(raw) };
  return { name, kind };
}

/** Every list in `dir`, in file-name order, each with its parsed entries. */
export function readFixtures(dir = fixtureDir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((file) => ({
      file,
      header: headerOf(file),
      subpath: subpathOf(file),
      entries: readFileSync(join(dir, file), "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map(parseLine),
    }));
}

/** null when `ns` exports `entry` with the right kind and value, else what is wrong. */
export function problemOf(ns, entry) {
  if (!(entry.name in ns) || ns[entry.name] === undefined) return "missing";
  const v = ns[entry.name];
  switch (entry.kind) {
    case "fn":
    case "macro":
      return typeof v === "function" ? null : `is ${describe(v)}, expected a function`;
    case "const":
      return v === entry.value ? null : `is ${describe(v)}, expected ${entry.value}`;
    case "string":
      return v === entry.value
        ? null
        : `is ${describe(v)}, expected ${JSON.stringify(entry.value)}`;
    default:
      return null; // binding, value: defined is all the list promises
  }
}

function describe(v) {
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (typeof v === "function") return "a function";
  if (v === null) return "null";
  return `${typeof v} ${String(v)}`;
}

async function load(spec) {
  try {
    return { ns: await import(spec) };
  } catch (e) {
    return { error: `import("${spec}") failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Checks one list against its subpath and the root: every name must be there
 * with the right kind, and be the same binding in both (a name two faces
 * defined differently would vanish from the root's `export *`).
 */
export async function checkFixture(fx) {
  const [sub, root] = await Promise.all([load(fx.subpath), load("bufferevent")]);
  const rows = fx.entries.map((entry) => {
    const inSub = sub.ns ? problemOf(sub.ns, entry) : "subpath not importable";
    const inRoot = root.ns ? problemOf(root.ns, entry) : "root not importable";
    const where = [];
    if (inSub) where.push(`${fx.subpath}: ${inSub}`);
    if (inRoot) where.push(`bufferevent: ${inRoot}`);
    if (!inSub && !inRoot && sub.ns[entry.name] !== root.ns[entry.name])
      where.push("the subpath and the root export different bindings");
    return { entry, onSubpath: !inSub, problem: where.length ? where.join("; ") : null };
  });
  return { ...fx, rows, importErrors: [sub.error, root.error].filter(Boolean) };
}

/**
 * The names README.md's "Differences from libevent 2.1.12" table mentions in
 * backticks (a call's leading identifier; `evthread_*` covers a prefix).
 */
export function documentedDifferences(readme) {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => /^#+\s+Differences from libevent 2\.1\.12/.test(l));
  if (start < 0) return () => false;
  const level = /^#+/.exec(lines[start])[0].length;
  const exact = new Set();
  const prefixes = [];
  for (const line of lines.slice(start + 1)) {
    // The section ends at the next heading of its level or above; its subsections belong to it.
    const h = /^(#+)\s/.exec(line);
    if (h && h[1].length <= level) break;
    if (!line.startsWith("|")) continue;
    for (const [, code] of line.matchAll(/`([^`]+)`/g)) {
      const id = /^[A-Za-z_][A-Za-z0-9_]*(\*)?/.exec(code);
      if (!id) continue;
      if (id[1]) prefixes.push(id[0].slice(0, -1));
      else exact.add(id[0]);
    }
  }
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}

export function renderTable(reports, documented) {
  const out = [
    "# API status",
    "",
    "Generated by `node scripts/api-table.mjs` from `test/fixtures/api/*.txt` and the",
    "built package (`dist/`); do not edit by hand. A name counts as exported when its",
    "subpath exports it with the listed kind and value; `(n not from the root)` counts names the",
    "subpath exports but the root `bufferevent` lacks or exports as a different binding (test/api.test.ts",
    "requires both). A name counts as a documented difference when README.md's",
    '"Differences from libevent 2.1.12" table names it in backticks.',
    "",
    "| header | subpath | exported / total | documented differences |",
    "| --- | --- | --- | --- |",
  ];
  let done = 0;
  let total = 0;
  for (const r of reports) {
    const ok = r.rows.filter((row) => row.onSubpath).length;
    const notRoot = r.rows.filter((row) => row.onSubpath && row.problem).length;
    const docs = r.rows.filter((row) => documented(row.entry.name)).map((row) => row.entry.name);
    done += ok;
    total += r.rows.length;
    const count = `${ok} / ${r.rows.length}${notRoot ? ` (${notRoot} not from the root)` : ""}`;
    const docCell = docs.length ? docs.map((n) => `\`${n}\``).join(", ") : "—";
    out.push(`| ${r.header} | \`${r.subpath}\` | ${count} | ${docCell} |`);
  }
  out.push(`| **all** | | **${done} / ${total}** | |`, "");
  for (const r of reports) {
    out.push(`## ${r.header} — \`${r.subpath}\``, "");
    for (const e of r.importErrors) out.push(`> ${e.split("\n")[0]}`, "");
    for (const row of r.rows.filter((x) => x.entry.kind === "fn" || x.entry.kind === "macro")) {
      const mark = row.onSubpath ? "✅ implemented" : "❌ missing";
      const root = row.onSubpath && row.problem ? " (not from the root)" : "";
      const note = documented(row.entry.name) ? " (see Differences from libevent)" : "";
      out.push(`- ${mark} \`${row.entry.name}\`${root}${note}`);
    }
    const others = r.rows.filter(
      (x) => !x.onSubpath && x.entry.kind !== "fn" && x.entry.kind !== "macro",
    );
    if (others.length)
      out.push("", `Other names missing: ${others.map((x) => `\`${x.entry.name}\``).join(", ")}`);
    out.push("");
  }
  return out.join("\n");
}

async function main() {
  const reports = [];
  for (const fx of readFixtures()) reports.push(await checkFixture(fx));
  const documented = documentedDifferences(readFileSync(join(projectRoot, "README.md"), "utf8"));
  const target = join(projectRoot, "docs", "api-status.md");
  mkdirSync(dirname(target), { recursive: true });
  const table = renderTable(reports, documented);
  writeFileSync(target, table);
  // The README carries the per-header summary between its markers.
  const readmePath = join(projectRoot, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const begin = "<!-- api-status:begin -->";
  const end = "<!-- api-status:end -->";
  const summary = table
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .join("\n");
  if (readme.includes(begin) && readme.includes(end))
    writeFileSync(
      readmePath,
      readme.slice(0, readme.indexOf(begin) + begin.length) +
        "\n" +
        summary +
        "\n" +
        readme.slice(readme.indexOf(end)),
    );
  const ok = reports.reduce((n, r) => n + r.rows.filter((x) => x.onSubpath).length, 0);
  const all = reports.reduce((n, r) => n + r.rows.length, 0);
  process.stdout.write(
    `wrote docs/api-status.md: ${ok} / ${all} names exported by their subpaths\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  await main();
