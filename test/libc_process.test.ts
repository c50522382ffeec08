import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "./support/cc.js";
import * as p from "../src/libc/process.js";
import * as sig from "../src/libc/signal.js";
import * as ev from "../src/event2/event.js";
import * as t from "../src/libc/time.js";
import * as errnoMod from "../src/libc/errno.js";

const lib = (m: string) => pathToFileURL(join(projectRoot, "dist", "src", "libc", `${m}.js`)).href;

/** Runs an ES module script (importing the built libc modules) in a child Node. */
function runScript(code: string, args: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "bev-libc-"));
  const file = join(dir, "prog.mjs");
  writeFileSync(file, code);
  try {
    const r = spawnSync(process.execPath, [file, ...args], { encoding: "utf8", timeout: 10000 });
    return { file, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("libc process calls", () => {
  it("argv is C's view: the script, then its arguments; argc counts them", () => {
    const r = runScript(
      `import { argc, argv } from "${lib("process")}";
       console.log(JSON.stringify({ argc, argv, end: argv[argc] === undefined }));`,
      ["-p", "8080", "two words"],
    );
    expect(JSON.parse(r.stdout)).to.deep.equal({
      argc: 4,
      argv: [r.file, "-p", "8080", "two words"],
      end: true,
    });
  });

  it("argv[0] is node itself under node -e", () => {
    const r = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { argv } from "${lib("process")}"; console.log(JSON.stringify(argv));`,
        "a",
      ],
      { encoding: "utf8", timeout: 10000 },
    );
    expect(JSON.parse(r.stdout)).to.deep.equal([process.execPath, "a"]);
  });

  it("exit ends the process with the status, after all printf output", () => {
    const r = runScript(
      `import { exit, EXIT_FAILURE } from "${lib("process")}";
       import { printf } from "${lib("printf")}";
       for (let i = 0; i < 1000; i++) printf("line %d\\n", i);
       exit(EXIT_FAILURE);
       printf("never\\n");`,
    );
    expect(r.status).to.equal(1);
    expect(r.stdout.split("\n")).to.have.length(1001);
    expect(r.stdout).to.not.include("never");
    expect(runScript(`import { exit } from "${lib("process")}"; exit(3);`).status).to.equal(3);
  });

  it("exit right after socket writes in a callback still delivers every byte (they reach the kernel first)", async () => {
    // Writes after the first in a turn wait for the turn's end to leave in one
    // writev; exit ends the turn early, so none of them may be lost.
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as net.AddressInfo).port;
    const got = new Promise<string>((resolve) =>
      srv.once("connection", (s) => {
        let text = "";
        s.on("data", (d: Buffer) => (text += d.toString("latin1")));
        s.on("close", () => resolve(text));
      }),
    );
    const ev = pathToFileURL(join(projectRoot, "dist", "src", "event2", "event.js")).href;
    const util = pathToFileURL(join(projectRoot, "dist", "src", "event2", "util.js")).href;
    const dir = mkdtempSync(join(tmpdir(), "bev-libc-"));
    const file = join(dir, "prog.mjs");
    writeFileSync(
      file,
      `import { event_base_new, event_new, event_add, event_base_dispatch, EV_WRITE } from "${ev}";
       import { socket, connect, send, htons, htonl, AF_INET, SOCK_STREAM, INADDR_LOOPBACK, evutil_make_socket_nonblocking } from "${util}";
       import { exit } from "${lib("process")}";
       const fd = socket(AF_INET, SOCK_STREAM, 0);
       evutil_make_socket_nonblocking(fd);
       connect(fd, { sin_family: AF_INET, sin_port: htons(${port}), sin_addr: { s_addr: htonl(INADDR_LOOPBACK) } }, 16);
       const base = event_base_new();
       event_add(event_new(base, fd, EV_WRITE, () => {
         for (let i = 0; i < 100; i++) send(fd, "line " + i + "\\n", ("line " + i + "\\n").length, 0);
         exit(0);
       }, null), null);
       await event_base_dispatch(base);`,
    );
    try {
      const child = spawn(process.execPath, [file], { stdio: ["ignore", "inherit", "inherit"] });
      const status = await new Promise<number | null>((r) => child.on("exit", r));
      expect(status).to.equal(0);
      const expected = Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join("");
      expect(await got).to.equal(expected);
    } finally {
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("close(1) closes stdout for the program (EBADF after), and the process goes on running children", () => {
    // Node and libuv keep fds 0-2: closing the OS descriptor made libuv abort
    // when one of its own pipes (a child's stdio) later got number 1.
    const r = runScript(
      `import * as L from "${lib("index")}";
       import { execFileSync } from "node:child_process";
       const closed = L.close(1);
       const p = L.printf("hidden\\n"), pe = L.errno;
       const w = L.write(1, "x", 1), we = L.errno;
       const again = L.close(1), ae = L.errno;
       execFileSync("true", [], { stdio: ["ignore", "pipe", "pipe"] });
       L.fprintf(L.stderr, "%d | %d %d | %d %d | %d %d\\n", closed, p, pe, w, we, again, ae);`,
    );
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.equal("0 | -1 9 | -1 9 | -1 9\n");
  });

  it("abort kills the process with SIGABRT", () => {
    const r = runScript(
      `import { abort } from "${lib("process")}"; abort(); console.log("after");`,
    );
    expect(r.signal).to.equal("SIGABRT");
    expect(r.stdout).to.equal("");
  });

  it("assert passes on truth, and on falsehood prints glibc's message and aborts", () => {
    const r = runScript(
      `import { assert } from "${lib("process")}";
       function check(x) {
         assert(x > 0, "x > 0");
         console.log("ok", x);
       }
       check(1);
       check(-1);`,
    );
    expect(r.stdout).to.equal("ok 1\n");
    expect(r.signal).to.equal("SIGABRT");
    // glibc's message begins with the program's short name (basename of argv[0]).
    expect(r.stderr).to.equal(
      `${basename(r.file)}: ${r.file}:3: check: Assertion \`x > 0' failed.\n`,
    );
    const bare = runScript(`import { assert } from "${lib("process")}";\nassert(0);`);
    expect(bare.stderr).to.equal(`${basename(bare.file)}: ${bare.file}:2: Assertion failed.\n`);
  });

  it("err.h: warn/warnx print 'prog: message' (warn adds strerror(errno)), err/errx then exit", () => {
    const r = runScript(
      `import { warn, warnx, vwarnx, err } from "${lib("err")}";
       import { set_errno } from "${lib("errno")}";
       set_errno(104); warn("x %d", 5); warn(null); warnx("y %s", "z"); warnx(null);
       vwarnx("%s-%s", ["a", "b"]);
       set_errno(2); err(3, "bye");
       console.log("not reached");`,
    );
    const prog = r.file.split("/").pop();
    expect(r.stderr).to.equal(
      [
        `${prog}: x 5: Connection reset by peer`,
        `${prog}: Connection reset by peer`,
        `${prog}: y z`,
        `${prog}: `,
        `${prog}: a-b`,
        `${prog}: bye: No such file or directory`,
        "",
      ].join("\n"),
    );
    expect(r.stdout).to.equal("");
    expect(r.status).to.equal(3);
    const x = runScript(`import { errx } from "${lib("err")}";\nerrx(2, "no %s", "way");`);
    expect([x.status, x.stderr]).to.deep.equal([2, `${x.file.split("/").pop()}: no way\n`]);
  });

  it("getenv, setenv and unsetenv follow C's rules", () => {
    const name = `BEV_LIBC_TEST_${process.pid}`;
    expect(p.getenv(name)).to.equal(null);
    expect(p.setenv(name, "one", 0)).to.equal(0);
    expect(p.getenv(name)).to.equal("one");
    expect(p.setenv(name, "two", 0)).to.equal(0);
    expect(p.getenv(name)).to.equal("one");
    expect(p.setenv(name, "two", 1)).to.equal(0);
    expect(p.getenv(name)).to.equal("two");
    expect(p.unsetenv(name)).to.equal(0);
    expect(p.getenv(name)).to.equal(null);
    expect(p.unsetenv(name)).to.equal(0);
    for (const bad of ["", "A=B"]) {
      errnoMod.set_errno(0);
      expect(p.setenv(bad, "x", 1)).to.equal(-1);
      expect(errnoMod.errno).to.equal(errnoMod.EINVAL);
      errnoMod.set_errno(0);
      expect(p.unsetenv(bad)).to.equal(-1);
      expect(errnoMod.errno).to.equal(errnoMod.EINVAL);
    }
  });

  it("getpid is the process id", () => {
    expect(p.getpid()).to.equal(process.pid);
  });

  it("misuse throws naming the function and argument", () => {
    expect(() => p.exit("1" as any)).to.throw(TypeError, /exit: argument 'status'/);
    expect(() => p.assert(true, 5 as any)).to.throw(TypeError, /assert: argument 'text'/);
    expect(() => p.getenv(null as any)).to.throw(TypeError, /getenv: argument 'name' is NULL/);
    expect(() => p.setenv("A", null as any, 1)).to.throw(TypeError, /setenv: argument 'value'/);
    expect(() => p.setenv("A", "b", 0.5)).to.throw(RangeError, /setenv: argument 'overwrite'/);
    expect(() => p.unsetenv(3 as any)).to.throw(TypeError, /unsetenv: argument 'name'/);
  });
});

describe("libc signal", () => {
  it("installs a handler that gets the signal number, and returns the previous one", async () => {
    const got: number[] = [];
    const h = (n: number) => got.push(n);
    expect(sig.signal(sig.SIGUSR2, h)).to.equal(sig.SIG_DFL);
    process.kill(process.pid, "SIGUSR2");
    while (got.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(got).to.deep.equal([12]);
    expect(sig.signal(sig.SIGUSR2, sig.SIG_DFL)).to.equal(h);
    expect(process.listenerCount("SIGUSR2")).to.equal(0);
    expect(sig.signal(sig.SIGUSR2, null)).to.equal(sig.SIG_DFL);
  });

  it("replacing a handler removes the old one", () => {
    const a = () => {};
    const b = () => {};
    const before = process.listenerCount("SIGHUP");
    sig.signal(sig.SIGHUP, a);
    expect(sig.signal(sig.SIGHUP, b)).to.equal(a);
    expect(process.listenerCount("SIGHUP")).to.equal(before + 1);
    expect(sig.signal(sig.SIGHUP, sig.SIG_IGN)).to.equal(b);
    expect(sig.signal(sig.SIGHUP, sig.SIG_DFL)).to.equal(sig.SIG_IGN);
    expect(process.listenerCount("SIGHUP")).to.equal(before);
  });

  it("SIG_IGN keeps a signal from ending the process; SIG_DFL gives it back", () => {
    const r = runScript(
      `import { signal, SIGTERM, SIG_IGN, SIG_DFL } from "${lib("signal")}";
       signal(SIGTERM, SIG_IGN);
       process.kill(process.pid, "SIGTERM");
       setTimeout(() => {
         console.log("alive");
         signal(SIGTERM, SIG_DFL);
         process.kill(process.pid, "SIGTERM");
         setTimeout(() => console.log("still alive"), 2000);
       }, 50);`,
    );
    expect(r.stdout).to.equal("alive\n");
    expect(r.signal).to.equal("SIGTERM");
  });

  it("refuses signals that are not there or cannot be caught: SIG_ERR with EINVAL", () => {
    for (const n of [0, 9, 19, 65, -1]) {
      errnoMod.set_errno(0);
      expect(
        sig.signal(n, () => {}),
        `signal ${n}`,
      ).to.equal(sig.SIG_ERR);
      expect(errnoMod.errno).to.equal(errnoMod.EINVAL);
    }
    expect(process.listenerCount("SIGKILL")).to.equal(0);
  });

  it("kill to this process and raise deliver before they return: to the signal() handler, or to the event base", async () => {
    const got: string[] = [];
    sig.signal(sig.SIGUSR2, (n) => got.push(`handler ${n}`));
    expect(sig.kill(p.getpid(), sig.SIGUSR2)).to.equal(0);
    expect(got).to.deep.equal(["handler 12"]);
    expect(sig.raise(sig.SIGUSR2)).to.equal(0);
    expect(got).to.have.length(2);
    // an event watching the signal takes it, as libevent's handler would
    const base = ev.event_base_new()!;
    const e = ev.evsignal_new(base, sig.SIGUSR2, (fd) => got.push(`event ${fd}`), null)!;
    ev.evsignal_add(e, null);
    expect(sig.kill(p.getpid(), sig.SIGUSR2)).to.equal(0);
    expect(await ev.event_base_loop(base, ev.EVLOOP_NONBLOCK)).to.equal(0);
    ev.event_free(e);
    ev.event_base_free(base);
    sig.signal(sig.SIGUSR2, sig.SIG_DFL);
    expect(got).to.deep.equal(["handler 12", "handler 12", "event 12"]);
    expect(sig.kill(p.getpid(), 0)).to.equal(0);
    expect(sig.NSIG).to.equal(65);
  });

  it("kill refuses what Linux refuses: EINVAL for no signal, ESRCH for no process", () => {
    expect([sig.kill(p.getpid(), 65), errnoMod.errno]).to.deep.equal([-1, errnoMod.EINVAL]);
    expect([sig.raise(-1), errnoMod.errno]).to.deep.equal([-1, errnoMod.EINVAL]);
    expect([sig.kill(2 ** 22 + 1, sig.SIGUSR1), errnoMod.errno]).to.deep.equal([
      -1,
      errnoMod.ESRCH,
    ]);
    expect(() => sig.kill("1" as any, 1)).to.throw(TypeError, /kill: argument 'pid'/);
  });

  it("has Linux's signal numbers", () => {
    expect([sig.SIGHUP, sig.SIGINT, sig.SIGQUIT, sig.SIGUSR1, sig.SIGUSR2]).to.deep.equal([
      1, 2, 3, 10, 12,
    ]);
    expect([sig.SIGPIPE, sig.SIGALRM, sig.SIGTERM, sig.SIGCHLD]).to.deep.equal([13, 14, 15, 17]);
  });

  it("misuse throws naming the function and argument", () => {
    expect(() => sig.signal(sig.SIGINT, "ignore" as any)).to.throw(
      TypeError,
      /signal: argument 'handler'/,
    );
    expect(() => sig.signal(sig.SIGINT, 2 as any)).to.throw(
      TypeError,
      /signal: argument 'handler'/,
    );
    expect(() => sig.signal("SIGINT" as any, null)).to.throw(TypeError, /signal: argument 'sig'/);
  });
});

describe("libc time and sleep", () => {
  it("time returns the seconds since the Epoch and fills the box", () => {
    const before = Math.floor(Date.now() / 1000);
    const box = { value: 0 };
    const now = t.time(box);
    expect(now).to.be.within(before, before + 1);
    expect(box.value).to.equal(now);
    expect(t.time(null)).to.be.a("number");
    expect(t.time()).to.be.a("number");
  });

  it("clock counts the processor time used, in CLOCKS_PER_SEC units: busy work advances it", () => {
    expect(t.CLOCKS_PER_SEC).to.equal(1000000);
    const c0 = t.clock();
    expect(Number.isInteger(c0) && c0 > 0).to.equal(true);
    let c = c0;
    // Spin until 10 ms of processor time has gone (bounded by 5 s of wall time).
    const giveUp = Date.now() + 5000;
    while (c - c0 < 10000 && Date.now() < giveUp) c = t.clock();
    expect(c - c0).to.be.at.least(10000);
  });

  it("sleep and usleep block synchronously and return 0", () => {
    const trace: string[] = [];
    setImmediate(() => trace.push("immediate"));
    expect(t.usleep(2000)).to.equal(0);
    expect(t.sleep(0)).to.equal(0);
    expect(trace).to.deep.equal([]); // nothing ran meanwhile
  });

  it("misuse throws naming the function and argument", () => {
    expect(() => t.sleep(-1)).to.throw(RangeError, /sleep: argument 'seconds'/);
    expect(() => t.usleep(NaN)).to.throw(RangeError, /usleep: argument 'usec'/);
    expect(() => t.time(5 as any)).to.throw(TypeError, /time: argument 'tloc'/);
  });
});
