// Streams on files and stdin against glibc: test/c/libc_stdio_file.c takes
// fopen, fgets, fread, fwrite, fputs, fprintf, fseek, ungetc, fscanf, scanf
// and the indicators through a sequence of steps in a scratch directory,
// then reads its stdin; the script below is its port, step for step, and the
// two must print the same lines and leave the same files.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildC, projectRoot, runC } from "./support/cc.js";
import { fclose, fgets, fopen, fprintf, fputs, fread } from "../src/libc/index.js";

const lib = pathToFileURL(join(projectRoot, "dist", "src", "libc", "index.js")).href;

const twin = `
import * as c from "${lib}";
const { EOF, SEEK_CUR, SEEK_END, SEEK_SET, argv, clearerr, fclose, feof, ferror, fflush, fgetc,
  fgets, fileno, fopen, fprintf, fputc, fputs, fread, fscanf, fseek, ftell, fwrite, getc, getchar,
  memset, printf, putchar, rewind, scanf, set_errno, snprintf, stderr, stdin, stdout, ungetc } = c;
const errno = () => c.errno;

const path = new Uint8Array(4096), other = new Uint8Array(4096);

function show(label, s, n) {
  printf("%s [", label);
  for (let i = 0; i < n; i++) {
    const b = s[i];
    if (b >= 32 && b < 127 && b !== 0x5c) putchar(b);
    else printf("\\\\x%02x", b);
  }
  printf("]\\n");
}

function state(label, fp) {
  printf("%s feof=%d ferror=%d errno=%d\\n", label, feof(fp), ferror(fp), errno());
  set_errno(0);
}

function line(label, fp, size) {
  const buf = new Uint8Array(64);
  memset(buf, ".".charCodeAt(0), 64);
  const r = fgets(buf, size, fp);
  printf("%s fgets(%d) %s", label, size, r === null ? "NULL" : r === buf ? "buf" : "?");
  show("", buf, size > 0 ? size : 1);
}

function opened(label, fp) {
  printf("%s %s errno=%d\\n", label, fp ? "FILE" : "NULL", errno());
  set_errno(0);
}

let fp, r, c1;
const buf = new Uint8Array(64);
const i = { value: 0 }, d = { value: 0 };

snprintf(path, 4096, "%s/one.txt", argv[1]);
snprintf(other, 4096, "%s/two.bin", argv[1]);
set_errno(0);

opened("missing", fopen("/nonexistent/x", "r"));
opened("mode z", fopen(path, "z"));
opened("mode empty", fopen(path, ""));
opened("dir w", fopen(argv[1], "w"));

fp = fopen(path, "w");
opened("w", fp);
printf("fputs %d\\n", fputs("line one\\n", fp));
printf("fprintf %d\\n", fprintf(fp, "%d %s\\n", 42, "two"));
printf("fwrite %zu\\n", fwrite("abc", 1, 3, fp));
printf("fputc %d\\n", fputc(0x0a, fp));
printf("fileno>2 %d\\n", fileno(fp) > 2 ? 1 : 0);
line("w", fp, 10);
state("w after fgets", fp);
clearerr(fp);
state("w cleared", fp);
printf("fclose %d\\n", fclose(fp));

fp = fopen(path, "r");
opened("r", fp);
line("r", fp, 64);
line("r", fp, 4);
line("r", fp, 4);
line("r", fp, 1);
line("r", fp, 0);
line("r", fp, 64);
line("r", fp, 64);
state("r at end", fp);
line("r", fp, 64);
printf("fwrite %zu\\n", fwrite("x", 1, 1, fp));
state("r after fwrite", fp);
printf("fputs %d\\n", fputs("x", fp));
printf("fprintf %d\\n", fprintf(fp, "x"));
printf("fputc %d\\n", fputc(0x78, fp));
state("r after writes", fp);
printf("fclose %d\\n", fclose(fp));

fp = fopen(path, "a");
printf("fputs %d\\n", fputs("appended\\n", fp));
printf("ftell %ld\\n", ftell(fp));
fclose(fp);
fp = fopen(path, "rb");
memset(buf, 0, 64);
r = fread(buf, 1, 64, fp);
printf("fread %d\\n", r);
show("all", buf, r);
state("rb", fp);
fclose(fp);

fp = fopen(path, "r+");
line("r+", fp, 64);
printf("ftell %ld\\n", ftell(fp));
printf("fseek %d\\n", fseek(fp, 0, SEEK_CUR));
printf("fputs %d\\n", fputs("XY", fp));
printf("ftell %ld\\n", ftell(fp));
printf("fseek %d\\n", fseek(fp, -3, SEEK_END));
line("r+", fp, 64);
r = fseek(fp, -100, SEEK_SET);
printf("fseek %d errno=%d\\n", r, errno());
set_errno(0);
r = fseek(fp, 0, 7);
printf("fseek %d errno=%d\\n", r, errno());
set_errno(0);
rewind(fp);
memset(buf, 0, 64);
r = fread(buf, 1, 64, fp);
show("r+ all", buf, r);
fclose(fp);

fp = fopen(other, "w+b");
printf("fwrite %zu\\n", fwrite("hello world", 1, 11, fp));
rewind(fp);
memset(buf, 0, 64);
printf("fread %zu\\n", fread(buf, 2, 6, fp));
show("w+", buf, 12);
state("w+", fp);
printf("fread %zu\\n", fread(buf, 2, 6, fp));
fclose(fp);

fp = fopen(path, "a+");
line("a+", fp, 64);
printf("fputs %d\\n", fputs("end\\n", fp));
printf("fseek %d", fseek(fp, 0, SEEK_END));
printf(" ftell %ld\\n", ftell(fp));
rewind(fp);
let n = 0;
while ((c1 = fgetc(fp)) !== EOF) n += c1 === 0x0a ? 1 : 0;
printf("lines %d\\n", n);
state("a+", fp);
fclose(fp);

opened("wx", fopen(path, "wx"));
opened("r+b", (fp = fopen(path, "r+b")));
printf("fgetc %d", fgetc(fp));
printf(" ungetc %d", ungetc(0x5a, fp));
printf(" fgetc %d", fgetc(fp));
printf(" getc %d", getc(fp));
printf(" ungetc(EOF) %d\\n", ungetc(EOF, fp));
fclose(fp);
fp = fopen(argv[1], "r");
opened("dir r", fp);
line("dir", fp, 64);
state("dir", fp);
fclose(fp);

fp = fopen(other, "w");
fputs("12 abc 3.5\\nrest", fp);
fclose(fp);
fp = fopen(other, "r");
buf[0] = 0;
r = fscanf(fp, "%d %s %lf", i, buf, d);
printf("fscanf %d %d %s %g\\n", r, i.value, buf, d.value);
line("after fscanf", fp, 64);
printf("fscanf %d\\n", fscanf(fp, "%d", i));
line("after fscanf", fp, 64);
state("fscanf", fp);
printf("fscanf at end %d\\n", fscanf(fp, "%d", i));
fclose(fp);

printf("fileno stdin %d", fileno(stdin));
printf(" stdout %d stderr %d\\n", fileno(stdout), fileno(stderr));
printf("fflush %d\\n", fflush(null));
r = scanf("%d", i);
printf("scanf %d %d\\n", r, i.value);
line("stdin", stdin, 8);
line("stdin", stdin, 8);
line("stdin", stdin, 64);
line("stdin", stdin, 64);
printf("getchar %d\\n", getchar());
state("stdin", stdin);
printf("fputs stdin %d\\n", fputs("x", stdin));
state("stdin", stdin);
`;

describe("libc streams on files (fopen, fgets, fread, fscanf, ...)", () => {
  const dir = mkdtempSync(join(tmpdir(), "libc-stdio-file-"));
  const script = join(dir, "libc_stdio_file.mjs");
  before(() => writeFileSync(script, twin));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("takes every step as glibc does (libc_stdio_file.c): results, buffers, indicators, errno, the files left", () => {
    const bin = buildC("libc_stdio_file");
    const input = "17 first line\nsecond longer line\nno newline";
    const run = (cmd: string, args: string[], sub: string) => {
      const d = join(dir, sub);
      mkdirSync(d);
      const out = runC(cmd, [...args, d], input);
      return {
        out,
        one: readFileSync(join(d, "one.txt"), "latin1"),
        two: readFileSync(join(d, "two.bin"), "latin1"),
      };
    };
    const c = run(bin, [], "c");
    expect(c.out).to.include("fscanf 3 12 abc 3.5");
    expect(run(process.execPath, [script], "ours")).to.deep.equal(c);
  });

  it("a FILE written with fprintf and fputs reads back with fgets; and fread takes the rest", () => {
    const p = join(dir, "round.txt");
    const fp = fopen(p, "w")!;
    expect(fprintf(fp, "%s=%d\n", "a", 1)).to.equal(4);
    expect(fputs("b=2\n", fp)).to.equal(1);
    expect(fclose(fp)).to.equal(0);
    const rd = fopen(p, "r")!;
    const buf = new Uint8Array(16);
    expect(fgets(buf, 16, rd)).to.equal(buf);
    expect(Buffer.from(buf.subarray(0, 5)).toString("latin1")).to.equal("a=1\n\0");
    const all = new Uint8Array(16);
    expect(fread(all, 1, 16, rd)).to.equal(4);
    fclose(rd);
    expect(readFileSync(p, "utf8")).to.equal("a=1\nb=2\n");
  });

  it("throws on arguments C could not have passed, naming the argument", () => {
    const p = join(dir, "misuse.txt");
    writeFileSync(p, "x\n");
    const fp = fopen(p, "r")!;
    expect(() => fgets(new Uint8Array(4), 8, fp)).to.throw(RangeError, /fgets: argument 'size'/);
    expect(() => fgets("abc" as any, 2, fp)).to.throw(TypeError, /fgets: argument 's'/);
    expect(() => fread(new Uint8Array(4), 2, 3, fp)).to.throw(
      RangeError,
      /fread: argument 'nmemb'/,
    );
    expect(() => fopen(p, null as any)).to.throw(TypeError, /fopen: argument 'mode'/);
    fclose(fp);
    expect(() => fgets(new Uint8Array(4), 4, fp)).to.throw(
      TypeError,
      /fgets: argument 'stream' is a FILE that fclose already closed/,
    );
    expect(() => fprintf(fp, "x")).to.throw(TypeError, /fprintf: argument 'stream'/);
    expect(() => fgets(new Uint8Array(4), 4, null as any)).to.throw(
      TypeError,
      /fgets: argument 'stream'/,
    );
  });
});
