// getopt_long and getopt_long_only against glibc: test/c/getopt_long_trace.c
// and the script below (its port, importing the built bufferevent/libc) scan
// the same argument vectors against the same table of long options and print
// every result, optind, optopt, optarg, longindex and flag store; the traces,
// diagnostics included, must be identical. Then the checks of the arguments.
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildC, projectRoot, runC } from "./support/cc.js";
import {
  getopt_long,
  no_argument,
  optarg,
  optind,
  required_argument,
  set_opterr,
  set_optind,
} from "../src/libc/getopt.js";

const lib = pathToFileURL(join(projectRoot, "dist", "src", "libc", "index.js")).href;

const twin = `
import { readFileSync } from "node:fs";
import { getopt_long, getopt_long_only, no_argument, optarg, optind, optopt,
  optional_argument, printf, required_argument, set_opterr, set_optind, setenv,
  unsetenv } from "${lib}";

const mode = { value: 0 };
const ch = (s) => s.charCodeAt(0);
const table = [
  { name: "help", has_arg: no_argument, flag: null, val: ch("h") },
  { name: "verbose", has_arg: no_argument, flag: mode, val: 1 },
  { name: "brief", has_arg: no_argument, flag: mode, val: 2 },
  { name: "output", has_arg: required_argument, flag: null, val: ch("o") },
  { name: "color", has_arg: optional_argument, flag: null, val: ch("C") },
  { name: "colour", has_arg: optional_argument, flag: null, val: ch("C") },
  { name: "config", has_arg: required_argument, flag: null, val: ch("c") },
  { name: "verb", has_arg: no_argument, flag: null, val: ch("V") },
  { name: "fubar", has_arg: no_argument, flag: null, val: ch("f") },
  { name: "number", has_arg: required_argument, flag: null, val: 1000 },
  { name: "xa", has_arg: no_argument, flag: null, val: ch("a") },
  { name: "xb", has_arg: no_argument, flag: null, val: ch("b") },
  { name: "xc", has_arg: no_argument, flag: null, val: ch("a") },
  { name: null, has_arg: 0, flag: null, val: 0 },
];

function scan(argc, argv, optstring, flags) {
  const only = flags.includes("L");
  const index = flags.includes("N") ? null : { value: -1 };
  for (;;) {
    if (index) index.value = -1;
    mode.value = 0;
    const c = (only ? getopt_long_only : getopt_long)(argc, argv, optstring, table, index);
    if (c === -1) break;
    printf("c=%d optind=%d optopt=%d optarg=%s index=%d mode=%d\\n", c, optind, optopt,
      optarg ?? "(null)", index ? index.value : -1, mode.value);
  }
  printf("end optind=%d argv:", optind);
  for (let i = 1; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\\n");
}

for (const line of readFileSync(0, "utf8").split("\\n").slice(0, -1)) {
  const [flags, optstring, ...rest] = line.split("\\t");
  const vec = ["prog", ...rest];
  if (flags.includes("P")) setenv("POSIXLY_CORRECT", "1", 1);
  else unsetenv("POSIXLY_CORRECT");
  set_opterr(flags.includes("Q") ? 0 : 1);
  set_optind(0);
  printf("vector %s %s\\n", flags, optstring);
  scan(vec.length, vec, optstring, flags);
}
`;

// flags, optstring, argv[1..]: see getopt_long_trace.c.
const vectors: string[][] = [
  // exact names, "=value", a required argument in the next element
  ["-", "ho:", "--help", "--output=x", "--output", "y", "--number", "7", "--number=-3"],
  // abbreviations: unique, alike aliases (color/colour), ambiguous, exact beats longer
  ["-", "", "--he", "--col", "--colo=3", "--co", "--verb", "--verbo", "--v", "--x", "--xb"],
  // flag stores, optional arguments only through "="
  ["-", "", "--verbose", "--brief", "--color", "red", "--color=", "--colour=blue"],
  // unknown, argument not allowed, missing argument (and ':' first), "--" alone
  ["-", "", "--nope", "--nope=1", "--help=2", "--=x", "--", "--help"],
  ["-", "", "--output"],
  ["-", ":", "--output"],
  ["-", ":", "--nope", "--help=1"],
  ["Q", "", "--nope", "--co", "--help=1", "--output"],
  // permutation with long options and their arguments
  ["-", "ab:", "file1", "--output", "out", "file2", "-a", "--help", "file3", "-b", "x"],
  ["-", "+a", "-a", "file", "--help"],
  ["P", "a", "--help", "file", "--help"],
  ["-", "-a", "x", "--help", "y", "--output=z"],
  ["-", "a", "--help", "--", "--output", "-a"],
  // short and long mixed, the longindex box NULL
  ["N", "hvo:", "-hv", "--help", "-ofile", "--output", "f2"],
  // -W name with "W;"
  ["-", "W;a", "-W", "help", "-Woutput=x", "-W", "col", "-W", "nope", "-a", "-W"],
  ["-", ":W;", "-W"],
  ["-", "W;", "-W", "output"],
  // getopt_long_only
  ["L", "fa", "-help", "-fu", "-f", "-a", "-output", "x", "-v", "-x", "-xa", "--help"],
  ["L", "h", "-h", "-he", "-nope", "-q", "-co", "-verb", "-color=1"],
  ["L", "", "-xyz", "-hx", "--verb"],
  ["L", "a:", "-a", "val", "-aval", "-an"],
  // non-ASCII and empty arguments
  ["-", "", "--hé", "--", ""],
  ["-", "a", "", "-a", "--help"],
];

/** stdout and stderr together, in the order written. */
const both = (bin: string, args: string[], input: string) =>
  runC("sh", ["-c", '"$0" "$@" 2>&1', bin, ...args], input);

describe("libc getopt_long", () => {
  const dir = mkdtempSync(join(tmpdir(), "libc-getopt-long-"));
  const script = join(dir, "getopt_long_trace.mjs");
  let bin = "";

  before(() => {
    writeFileSync(script, twin);
    bin = buildC("getopt_long_trace");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("traces every vector as glibc does (getopt_long_trace.c): results, optind, optopt, optarg, longindex, flag, messages, argv order", () => {
    const input = vectors.map((v) => v.join("\t") + "\n").join("");
    const c = both(bin, [], input);
    expect(c).to.include("is ambiguous; possibilities:");
    expect(c).to.include("unrecognized option");
    expect(both(process.execPath, [script], input)).to.equal(c);
  });

  describe("by value", () => {
    beforeEach(() => set_opterr(0));
    after(() => set_opterr(1));

    it("struct option arrays may end with {} or at the array's end; flag may be 0", () => {
      const flag = { value: 0 };
      const opts = [
        { name: "go", has_arg: required_argument, flag: 0 as const, val: 7 },
        { name: "set", has_arg: no_argument, flag, val: 9 },
      ];
      const argv = ["prog", "--go", "x", "--set", "--se"];
      const index = { value: -1 };
      set_optind(0);
      expect(getopt_long(5, argv, "", opts, index)).to.equal(7);
      expect([optarg, optind, index.value]).to.deep.equal(["x", 3, 0]);
      expect(getopt_long(5, argv, "", [...opts, {}], index)).to.equal(0);
      expect([flag.value, index.value]).to.deep.equal([9, 1]);
      flag.value = 0;
      expect(getopt_long(5, argv, "", opts, null)).to.equal(0);
      expect(flag.value).to.equal(9);
      expect(getopt_long(5, argv, "", opts, index)).to.equal(-1);
    });

    it("throws on arguments C could not have passed, naming the argument", () => {
      const argv = ["prog", "--a"];
      expect(() => getopt_long(2, argv, "", null as any, null)).to.throw(
        TypeError,
        /getopt_long: argument 'longopts'/,
      );
      expect(() => getopt_long(2, argv, "", [7 as any], null)).to.throw(
        TypeError,
        /getopt_long: argument 'longopts' element 0/,
      );
      expect(() => getopt_long(2, argv, "", [{ name: 5 as any }], null)).to.throw(
        TypeError,
        /getopt_long: argument 'longopts'/,
      );
      expect(() => getopt_long(2, argv, "", [{ name: "a", flag: 3 as any }], null)).to.throw(
        TypeError,
        /getopt_long: argument 'longopts'/,
      );
      expect(() => getopt_long(2, argv, "", [], 5 as any)).to.throw(
        TypeError,
        /getopt_long: argument 'longindex'/,
      );
      expect(() => getopt_long(3, argv, "", [], null)).to.throw(
        RangeError,
        /getopt_long: argument 'argc'/,
      );
    });
  });
});
