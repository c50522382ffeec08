// getopt against glibc: test/c/getopt_trace.c and its twin below (a script
// importing the built bufferevent/libc) trace the same argument vectors call
// by call, diagnostics included; then the cases C programs rely on, by value.
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildC, projectRoot, runC } from "./support/cc.js";
import {
  getopt,
  optarg,
  opterr,
  optind,
  optopt,
  set_opterr,
  set_optind,
} from "../src/libc/getopt.js";

const lib = pathToFileURL(join(projectRoot, "dist", "src", "libc", "index.js")).href;

// The port of getopt_trace.c, line by line.
const twin = `
import { readFileSync } from "node:fs";
import { argc, argv, getopt, optarg, optind, optopt, printf, set_opterr, set_optind,
  setenv, unsetenv } from "${lib}";

function scan(argc, argv, optstring) {
  let c;
  while ((c = getopt(argc, argv, optstring)) !== -1)
    printf("c=%d optind=%d optopt=%d optarg=%s\\n", c, optind, optopt, optarg ?? "(null)");
  printf("end optind=%d argv:", optind);
  for (let i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\\n");
}

if (argc > 1) scan(argc, argv, "ab:c::");
else
  for (const line of readFileSync(0, "utf8").split("\\n").slice(0, -1)) {
    const [flags, optstring, ...rest] = line.split("\\t");
    const vec = ["prog", ...rest];
    if (flags.includes("P")) setenv("POSIXLY_CORRECT", "1", 1);
    else unsetenv("POSIXLY_CORRECT");
    set_opterr(flags.includes("Q") ? 0 : 1);
    set_optind(0);
    printf("vector %s %s\\n", flags, optstring);
    scan(vec.length, vec, optstring);
    if (flags.includes("R")) {
      set_optind(1);
      printf("rescan\\n");
      scan(vec.length, vec, optstring);
    }
  }
`;

// flags, optstring, argv[1..]: see getopt_trace.c.
const vectors: string[][] = [
  ["-", "ab:c", "-a", "-b", "val", "-c"],
  ["-", "abc", "-abc"],
  ["-", "o:", "-ofile"],
  ["-", "o:", "-o", "file"],
  ["-", "ao:", "-aofile", "-ao", "file"],
  ["-", "ab:", "-ba", "val"],
  ["-", "o:", "-o"],
  ["-", "ao:", "-ao"],
  ["-", ":o:", "-o"],
  ["-", "+:o:", "-o"],
  ["-", ":ab", "-x", "-a"],
  ["-", "ab", "-x", "-a"],
  ["-", "ax", "-axb", "-a"],
  ["Q", "ab", "-x", "-a"],
  ["Q", "o:", "-o"],
  ["-", "ab", "-a", "--", "-b", "file"],
  ["-", "a:", "-a", "--"],
  ["-", "o:", "-o", "-a"],
  ["-", "ab:", "file1", "-a", "file2", "-b", "x", "file3"],
  ["-", "ab", "x", "-a", "--", "-b", "y"],
  ["-", "ab", "x", "y", "--"],
  ["-", "+ab", "-a", "file", "-b"],
  ["P", "ab", "-a", "file", "-b"],
  ["-", "-ab", "x", "-a", "y", "-b"],
  ["-", "-:o:", "x", "-o"],
  ["-", "a", "-", "-a"],
  ["-", "a:b", "-:", "-;", "-b"],
  ["-", "a::", "-afoo", "-a", "bar"],
  ["-", "ab", "--a"],
  ["-", "W;a", "-W", "foo", "-a"],
  ["-", "a"],
  ["-", "a", "", "-a"],
  ["-", "a", "-é", "-a"],
  ["R", "ab:", "x", "-a", "-b", "y", "z"],
  ["R", "ab", "-a", "-b"],
];
const cmdline = ["x", "-a", "-b", "z", "-x", "-cfoo", "-c", "--", "-a"];

/** stdout and stderr together, in the order written. */
const both = (bin: string, args: string[], input?: string) =>
  runC("sh", ["-c", '"$0" "$@" 2>&1', bin, ...args], input);

describe("libc getopt", () => {
  const dir = mkdtempSync(join(tmpdir(), "libc-getopt-"));
  const script = join(dir, "getopt_trace.mjs");
  let bin = "";

  before(() => {
    writeFileSync(script, twin);
    bin = buildC("getopt_trace");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("against glibc (getopt_trace.c)", () => {
    it("traces every vector as glibc does: results, optind, optopt, optarg, messages, argv order", () => {
      const input = vectors.map((v) => v.join("\t") + "\n").join("");
      const c = both(bin, [], input);
      expect(c.split("\n").length).to.be.greaterThan(vectors.length * 2);
      expect(both(process.execPath, [script], input)).to.equal(c);
    });

    it("scans the program's own argv (bufferevent/libc's argv) as C scans its argv", () => {
      const c = both(bin, cmdline).replaceAll(bin, "PROG");
      expect(c).to.include("PROG: invalid option -- 'x'\n");
      expect(both(process.execPath, [script, ...cmdline]).replaceAll(script, "PROG")).to.equal(c);
    });
  });

  describe("by value", () => {
    type Step = [number, string | null, number];

    /** Every getopt result of a fresh scan of ["prog", ...args], with optarg and optind after it. */
    function scan(optstring: string, ...args: string[]): { steps: Step[]; argv: string[] } {
      const argv = ["prog", ...args];
      set_optind(0);
      const steps: Step[] = [];
      let c: number;
      while ((c = getopt(argv.length, argv, optstring)) !== -1) steps.push([c, optarg, optind]);
      steps.push([c, optarg, optind]);
      return { steps, argv };
    }
    const ch = (s: string) => s.charCodeAt(0);

    beforeEach(() => set_opterr(0));
    after(() => set_opterr(1));

    it("clustered options, -ofile and -o file", () => {
      expect(scan("abco:", "-abc", "-ofile", "-o", "file").steps).to.deep.equal([
        [ch("a"), null, 1],
        [ch("b"), null, 1],
        [ch("c"), null, 2],
        [ch("o"), "file", 3],
        [ch("o"), "file", 5],
        [-1, null, 5],
      ]);
    });

    it("an unknown option and a missing argument are '?' with optopt; ':' first makes the latter ':'", () => {
      expect(scan("ao:", "-x", "-o").steps).to.deep.equal([
        [ch("?"), null, 2],
        [ch("?"), null, 3],
        [-1, null, 3],
      ]);
      expect(optopt).to.equal(ch("o"));
      expect(scan(":ao:", "-x")).to.deep.include({
        steps: [
          [ch("?"), null, 2],
          [-1, null, 2],
        ],
      });
      expect(optopt).to.equal(ch("x"));
      expect(scan(":ao:", "-a", "-o").steps).to.deep.equal([
        [ch("a"), null, 2],
        [ch(":"), null, 3],
        [-1, null, 3],
      ]);
    });

    it('"--" ends the options; non-options are moved behind them, or stop the scan with "+"', () => {
      expect(scan("ab", "-a", "--", "-b")).to.deep.equal({
        steps: [
          [ch("a"), null, 2],
          [-1, null, 3],
        ],
        argv: ["prog", "-a", "--", "-b"],
      });
      expect(scan("ab", "one", "-a", "two", "-b")).to.deep.equal({
        steps: [
          [ch("a"), null, 3],
          [ch("b"), null, 5],
          [-1, null, 3],
        ],
        argv: ["prog", "-a", "-b", "one", "two"],
      });
      expect(scan("+ab", "one", "-a").steps).to.deep.equal([[-1, null, 1]]);
    });

    it("set_optind(1) after a scan scans again; opterr and optind are live bindings", () => {
      const argv = ["prog", "-a", "x"];
      set_optind(0);
      expect([getopt(3, argv, "a"), getopt(3, argv, "a"), optind]).to.deep.equal([ch("a"), -1, 2]);
      expect(set_optind(1)).to.equal(1);
      expect([optind, getopt(3, argv, "a"), optind]).to.deep.equal([1, ch("a"), 2]);
      expect([set_opterr(0), opterr]).to.deep.equal([0, 0]);
    });

    it("throws on arguments C could not have passed, naming the argument", () => {
      expect(() => getopt(2, ["prog"], "a")).to.throw(RangeError, /getopt: argument 'argc'/);
      expect(() => getopt(2, ["prog", 7 as any], "a")).to.throw(
        TypeError,
        /getopt: argument 'argv'/,
      );
      expect(() => getopt(1, "prog" as any, "a")).to.throw(TypeError, /getopt: argument 'argv'/);
      expect(() => getopt(1, ["prog"], null as any)).to.throw(
        TypeError,
        /getopt: argument 'optstring'/,
      );
      expect(() => set_optind(1.5)).to.throw(RangeError, /set_optind: argument 'v'/);
    });
  });
});
