// libevent's sample programs and the libevent book's examples, each as a C
// twin (examples/c/<name>.c, built against libevent 2.1.12) and its line by
// line TypeScript port (examples/<name>.ts, run from dist/examples/): both
// run as child processes against the same real loopback clients, servers and
// inputs, and must print and send the same things. Then `npm start`'s demo.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildC, projectRoot } from "./support/cc.js";

/** A program under test: killed after `limitMs`, its output collected as it comes. */
class Child {
  readonly proc: ChildProcess;
  out = "";
  err = "";
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private waiters: (() => void)[] = [];

  constructor(cmd: string, args: string[], cwd = projectRoot, limitMs = 20000) {
    this.proc = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    running.add(this);
    const limit = setTimeout(() => this.proc.kill("SIGKILL"), limitMs);
    const wake = () => this.waiters.forEach((w) => w());
    this.proc.stdout!.on("data", (d: Buffer) => ((this.out += d.toString("latin1")), wake()));
    this.proc.stderr!.on("data", (d: Buffer) => ((this.err += d.toString("latin1")), wake()));
    this.exited = new Promise((resolve) =>
      this.proc.on("close", (code, signal) => {
        clearTimeout(limit);
        running.delete(this);
        resolve({ code, signal });
        wake();
      }),
    );
  }

  get done(): boolean {
    return this.proc.exitCode !== null || this.proc.signalCode !== null;
  }

  /** Resolves once `test` holds of the output so far; rejects if the program ends first. */
  until(test: (c: Child) => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (test(this)) resolve();
        else if (!running.has(this))
          reject(new Error(`ended before ${what}; stdout: ${this.out} stderr: ${this.err}`));
        else return;
        this.waiters = this.waiters.filter((w) => w !== check);
      };
      this.waiters.push(check);
      check();
    });
  }

  /** The port of its "listening on PORT" line. */
  async port(): Promise<number> {
    await this.until((c) => /listening on \d+\n/.test(c.out), "listening");
    return Number(/listening on (\d+)\n/.exec(this.out)![1]);
  }

  async finish(): Promise<{ code: number | null; signal: string | null }> {
    if (!this.done) this.proc.kill("SIGTERM");
    return this.exited;
  }
}

const running = new Set<Child>();

/** The C twin and the TypeScript port of examples/<name>, started with the same arguments. */
function twins(name: string, args: string[], cwd?: [string, string]): { c: Child; ts: Child } {
  const bin = buildC(`../../examples/c/${name}`);
  const script = join(projectRoot, "dist", "examples", `${name}.js`);
  return {
    c: new Child(bin, args, cwd?.[0]),
    ts: new Child(process.execPath, [script, ...args], cwd?.[1]),
  };
}

/**
 * One loopback client: sends `data`, resolves with all it got until EOF;
 * with `want` it closes once that much came; with `upTo` it hangs up after
 * that many bytes (for servers that never stop) and resolves with them.
 */
function talk(
  port: number,
  data: Buffer | string = "",
  opts: { want?: number; upTo?: number; pauseMs?: number } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    const got: Buffer[] = [];
    let n = 0;
    sock.setTimeout(10000, () => sock.destroy(new Error("no answer within 10 s")));
    sock.on("connect", () => {
      // A client slow to read makes the server's output back up.
      if (opts.pauseMs) {
        sock.pause();
        setTimeout(() => sock.resume(), opts.pauseMs);
      }
      if (data.length) sock.write(data);
    });
    sock.on("data", (d: Buffer) => {
      got.push(d);
      n += d.length;
      // The echo servers close when we do: end once everything came back.
      if (opts.want !== undefined && n >= opts.want) sock.end();
      if (opts.upTo !== undefined && n >= opts.upTo) {
        sock.destroy();
        resolve(Buffer.concat(got).subarray(0, opts.upTo));
      }
    });
    sock.on("end", () => resolve(Buffer.concat(got)));
    sock.on("error", reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Bytes no text transformation would leave alone: every value, in a long irregular run. */
function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return b;
}

describe("examples: libevent's programs ported line by line, against their C twins", function () {
  this.timeout(30000);

  afterEach(async () => {
    await Promise.all([...running].map((c) => c.finish()));
  });

  describe("hello_world (sample/hello-world.c)", () => {
    it("greets every client, closes once flushed, and on SIGINT exits two seconds later", async () => {
      const { c, ts } = twins("hello_world", ["0"]);
      const run = async (p: Child) => {
        const port = await p.port();
        const one = [await talk(port), await talk(port)];
        const many = await Promise.all(Array.from({ length: 6 }, () => talk(port)));
        for (const got of [...one, ...many]) expect(got.toString()).to.equal("Hello, World!\n");
        p.proc.kill("SIGINT");
        return p.exited;
      };
      const [rc, rts] = await Promise.all([run(c), run(ts)]);
      expect(rc).to.deep.equal({ code: 0, signal: null });
      expect(rts).to.deep.equal(rc);
      const body = (p: Child) => p.out.replace(/^listening on \d+\n/, "");
      expect(body(c)).to.equal(
        "flushed answer\n".repeat(8) +
          "Caught an interrupt signal; exiting cleanly in two seconds.\ndone\n",
      );
      expect(body(ts)).to.equal(body(c));
      expect(ts.err).to.equal(c.err);
    });

    it("a port already taken: 'Could not create a listener!' and exit 1", async () => {
      const taken = createServer();
      const port = await listen(taken);
      try {
        // LEV_OPT_REUSEABLE does not let a second socket listen where one already does.
        const { c, ts } = twins("hello_world", [String(port)]);
        const [rc, rts] = await Promise.all([c.exited, ts.exited]);
        expect(rc.code).to.equal(1);
        expect(rts.code).to.equal(1);
        expect(c.err).to.equal("Could not create a listener!\n");
        expect(ts.err).to.equal(c.err);
        expect(ts.out).to.equal(c.out);
      } finally {
        await close(taken);
      }
    });
  });

  describe("time_test (sample/time-test.c)", () => {
    const line = /^timeout_cb called at (\d+): (\d+\.\d{3}) seconds elapsed\.$/;
    for (const args of [["100"], ["-p", "100"]]) {
      it(`${args.join(" ")}: one line per expiry, with the wall-clock second and the time since the last`, async () => {
        const { c, ts } = twins("time_test", args);
        const lines = (p: Child) => p.out.split("\n").slice(0, -1);
        await Promise.all(
          [c, ts].map((p) => p.until((q) => lines(q).length >= 4, "four expiries")),
        );
        const start = Math.floor(Date.now() / 1000);
        for (const p of [c, ts]) {
          for (const l of lines(p)) {
            const m = line.exec(l);
            expect(m, l).to.not.equal(null);
            // The same clock as the test's (gettimeofday), give or take the test's own run.
            expect(Math.abs(Number(m![1]) - start)).to.be.at.most(30);
            expect(Number(m![2])).to.be.above(0);
          }
        }
        expect(c.err + ts.err).to.equal("");
        // It never ends by itself: still running after four expiries.
        expect(c.done || ts.done).to.equal(false);
      });
    }
  });

  describe("signal_test (sample/signal-test.c)", () => {
    it("reports each SIGINT and removes its event on the third, so the loop ends", async () => {
      const { c, ts } = twins("signal_test", []);
      const run = async (p: Child) => {
        await p.until((q) => q.out.includes("waiting for SIGINT\n"), "the handler");
        for (let k = 1; k <= 3; k++) {
          p.proc.kill("SIGINT");
          await p.until((q) => q.out.split("got signal").length > k, `signal ${k}`);
        }
        return p.exited;
      };
      const [rc, rts] = await Promise.all([run(c), run(ts)]);
      expect(rc).to.deep.equal({ code: 0, signal: null });
      expect(rts).to.deep.equal(rc);
      expect(c.out).to.equal("waiting for SIGINT\n" + "signal_cb: got signal 2\n".repeat(3));
      expect(ts.out).to.equal(c.out);
    });
  });

  describe("echo_server (the book's bufferevent echo server)", () => {
    const cases: Record<string, Buffer> = {
      "a line": Buffer.from("Hello, echo\n"),
      "every byte value": Buffer.from([...Array(256).keys()]),
      "a megabyte": pattern(1 << 20, 7),
    };

    it("sends every byte back to each client, one or many at once", async () => {
      const { c, ts } = twins("echo_server", ["0"]);
      const [pc, pts] = await Promise.all([c.port(), ts.port()]);
      for (const [what, data] of Object.entries(cases)) {
        const [fromC, fromTs] = await Promise.all([
          talk(pc, data, { want: data.length }),
          talk(pts, data, { want: data.length }),
        ]);
        expect(fromC.equals(data), `C, ${what}`).to.equal(true);
        expect(fromTs.equals(fromC), `TS, ${what}`).to.equal(true);
      }
      for (const port of [pc, pts]) {
        const datas = Array.from({ length: 8 }, (_, i) => pattern(10000 + i * 7919, i));
        const got = await Promise.all(datas.map((d) => talk(port, d, { want: d.length })));
        got.forEach((g, i) => expect(g.equals(datas[i])).to.equal(true));
      }
      expect(c.done || ts.done).to.equal(false);
      expect(ts.out).to.equal(`listening on ${pts}\n`);
      expect(c.out).to.equal(`listening on ${pc}\n`);
    });
  });

  describe("rot13_lines (a line-based ROT13 server on bufferevents, after the book's)", () => {
    const MAX_LINE = 8192;
    const rot = (b: number) => {
      const l = b | 0x20;
      return l >= 0x61 && l <= 0x7a ? ((l - 0x61 + 13) % 26) + 0x61 - (b & 0x20 ? 0 : 0x20) : b;
    };
    /**
     * What the server sends back: each line rotated and printed with "%s\n"
     * (so up to a NUL, as C's string ends there), a line reaching MAX_LINE
     * sent whole, cut there.
     */
    const model = (data: Buffer): Buffer => {
      const out: number[] = [];
      let line: number[] = [];
      for (const b of data) {
        if (b === 0x0a) {
          const nul = line.indexOf(0);
          out.push(...(nul < 0 ? line : line.slice(0, nul)).map(rot), 0x0a);
          line = [];
          continue;
        }
        line.push(b);
        if (line.length === MAX_LINE) {
          out.push(...line.map(rot), 0x0a);
          line = [];
        }
      }
      return Buffer.from(out);
    };
    const cases: Record<string, Buffer> = {
      "two lines and a partial one": Buffer.from("Hello, World! abc XYZ\nline two\npartial"),
      "every byte value, NUL and newline included": Buffer.from([...Array(256).keys(), 0x0a]),
      "lines around a line three bounds long": Buffer.concat([
        Buffer.from("short\n"),
        Buffer.alloc(3 * MAX_LINE + 100, "Zebra "),
        Buffer.from("\nend\n"),
      ]),
    };

    it("sends each line back rotated and cuts a line at the bound, as the C twin does", async () => {
      const { c, ts } = twins("rot13_lines", ["0"]);
      const [pc, pts] = await Promise.all([c.port(), ts.port()]);
      for (const [what, data] of Object.entries(cases)) {
        const want = model(data);
        const [fromC, fromTs] = await Promise.all([
          talk(pc, data, { want: want.length }),
          talk(pts, data, { want: want.length }),
        ]);
        expect(fromC.equals(want), `C, ${what}`).to.equal(true);
        expect(fromTs.equals(fromC), `TS, ${what}`).to.equal(true);
      }
      expect(c.done || ts.done).to.equal(false);
      expect(ts.out).to.equal(`listening on ${pts}\n`);
      expect(c.out).to.equal(`listening on ${pc}\n`);
    });
  });

  describe("watermarks (the book's read-watermark example)", () => {
    it("runs the read callback only at 128 bytes; EOF reports what stayed below", async () => {
      const { c, ts } = twins("watermarks", []);
      const [rc, rts] = await Promise.all([c.exited, ts.exited]);
      expect(rc).to.deep.equal({ code: 0, signal: null });
      expect(rts).to.deep.equal(rc);
      const three = "wrote 50 bytes\n".repeat(3);
      expect(c.out).to.equal(
        `${three}Drained 150 bytes from buffer 1\n${three}Drained 150 bytes from buffer 1\n` +
          "wrote 50 bytes\nGot a close from buffer 1.  We drained 300 bytes from it, and have 50 left.\n",
      );
      expect(ts.out).to.equal(c.out);
    });
  });

  describe("data_callbacks (the book's uppercase and Fibonacci callbacks)", () => {
    it("upper: every byte back, ASCII letters upper-cased, nothing else touched", async () => {
      const { c, ts } = twins("data_callbacks", ["upper"]);
      const [pc, pts] = await Promise.all([c.port(), ts.port()]);
      const data = Buffer.concat([Buffer.from([...Array(256).keys()]), pattern(100000, 3)]);
      const want = Buffer.from(data.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b)));
      const [fromC, fromTs] = await Promise.all([
        talk(pc, data, { want: data.length }),
        talk(pts, data, { want: data.length }),
      ]);
      expect(fromC.equals(want)).to.equal(true);
      expect(fromTs.equals(want)).to.equal(true);
    });

    it("fib: the same endless digits, unsigned long wrapping at 2^64 included", async () => {
      const { c, ts } = twins("data_callbacks", ["fib"]);
      const [pc, pts] = await Promise.all([c.port(), ts.port()]);
      let want = "";
      for (let a = 0n, b = 1n; want.length < 300000;) {
        [a, b] = [b, BigInt.asUintN(64, a + b)];
        want += b.toString();
      }
      want = want.slice(0, 300000);
      const [fromC, fromTs] = await Promise.all([
        talk(pc, "", { upTo: 300000 }),
        talk(pts, "", { upTo: 300000 }),
      ]);
      expect(fromC.toString()).to.equal(want);
      expect(fromTs.toString()).to.equal(want);
    });
  });

  describe("http_client (the book's HTTP client over bufferevent_socket_connect_hostname)", () => {
    let server: Server;
    let port = 0;
    const requests: string[] = [];
    const big = "0123456789abcdef".repeat(20000);

    before(async () => {
      server = createServer((sock) => {
        let req = "";
        sock.on("data", (d) => {
          req += d.toString("latin1");
          if (!req.includes("\r\n\r\n")) return;
          requests.push(req);
          const path = req.split(" ")[1];
          const body = path === "/big" ? big : `you asked for ${path}\n`;
          sock.end(`HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        });
        sock.on("error", () => {});
      });
      port = await listen(server);
    });
    after(() => close(server));

    for (const path of ["/index.html", "/big"]) {
      it(`fetches ${path} from localhost (a hosts-file name): the same request, the same output`, async () => {
        requests.length = 0;
        const { c, ts } = twins("http_client", ["localhost", String(port), path]);
        const [rc, rts] = await Promise.all([c.exited, ts.exited]);
        expect(rc.code).to.equal(0);
        expect(rts.code).to.equal(0);
        const body = path === "/big" ? big : `you asked for ${path}\n`;
        expect(c.out).to.equal(
          `Connect okay.\nHTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}Closing\n`,
        );
        expect(ts.out).to.equal(c.out);
        expect(requests).to.deep.equal(
          Array(2).fill(`GET ${path} HTTP/1.0\r\nHost: localhost\r\n\r\n`),
        );
      });
    }

    it("a refused connection is a socket error, not a DNS error", async () => {
      const gone = createServer();
      const closed = await listen(gone);
      await close(gone);
      const { c, ts } = twins("http_client", ["127.0.0.1", String(closed), "/"]);
      await Promise.all([c.exited, ts.exited]);
      expect(c.out).to.equal("Socket error: Connection refused\nClosing\n");
      expect(ts.out).to.equal(c.out);
    });
  });

  describe("le_proxy (sample/le-proxy.c, plain TCP)", () => {
    let backend: Server;
    let backendPort = 0;

    before(async () => {
      // "BLOB n seed\n" asks for n pattern bytes and a close; anything else is echoed.
      backend = createServer((sock: Socket) => {
        let first = true;
        sock.on("data", (d: Buffer) => {
          const m = first ? /^BLOB (\d+) (\d+)\n/.exec(d.toString("latin1")) : null;
          first = false;
          if (m) sock.end(pattern(Number(m[1]), Number(m[2])));
          else sock.write(d);
        });
        sock.on("end", () => sock.end());
        sock.on("error", () => {});
      });
      backendPort = await listen(backend);
    });
    after(() => close(backend));

    it("relays both ways, a far side's large answer and its close included", async () => {
      const { c, ts } = twins("le_proxy", ["127.0.0.1", `127.0.0.1:${backendPort}`]);
      const [pc, pts] = await Promise.all([c.port(), ts.port()]);
      const echo = pattern(3 << 20, 11);
      // More than MAX_OUTPUT (512 KiB) from the far side: reading from it pauses until the client drains.
      const blobs = [
        [100, 1],
        [5 << 20, 2],
      ];
      for (const port of [pc, pts]) {
        const got = await talk(port, echo, { want: echo.length });
        expect(got.equals(echo), `echo via ${port}`).to.equal(true);
        for (const [n, seed] of blobs) {
          const blob = await talk(port, `BLOB ${n} ${seed}\n`, { pauseMs: 300 });
          expect(blob.equals(pattern(n, seed)), `blob ${n} via ${port}`).to.equal(true);
        }
        const many = Array.from({ length: 6 }, (_, i) => pattern(50000 + i, 100 + i));
        const back = await Promise.all(many.map((d) => talk(port, d, { want: d.length })));
        back.forEach((b, i) => expect(b.equals(many[i])).to.equal(true));
      }
      expect(c.done || ts.done).to.equal(false);
    });

    it("a far side that refuses: the client is closed", async () => {
      const gone = createServer();
      const closed = await listen(gone);
      await close(gone);
      const { c, ts } = twins("le_proxy", ["127.0.0.1", `127.0.0.1:${closed}`]);
      // Closed with our bytes unread, Linux resets the connection instead of ending it (C does too).
      const closedOrReset = (e: NodeJS.ErrnoException) =>
        e.code === "ECONNRESET" ? Buffer.alloc(0) : Promise.reject(e);
      for (const p of [c, ts])
        expect((await talk(await p.port(), "hello?\n").catch(closedOrReset)).length).to.equal(0);
      expect(c.done || ts.done).to.equal(false);
    });

    it("bad arguments: the syntax on stderr and exit 1", async () => {
      const { c, ts } = twins("le_proxy", ["127.0.0.1"]);
      const [rc, rts] = await Promise.all([c.exited, ts.exited]);
      expect(rc.code).to.equal(1);
      expect(rts.code).to.equal(1);
      expect(c.err).to.match(/^Syntax:\n/);
      expect(ts.err).to.equal(c.err);
    });
  });

  describe("event_read_fifo (sample/event-read-fifo.c)", () => {
    it("prints each write to the FIFO until the writer hangs up, then removes it", async () => {
      const dirs: [string, string] = [
        mkdtempSync(join(tmpdir(), "fifo-c-")),
        mkdtempSync(join(tmpdir(), "fifo-ts-")),
      ];
      try {
        const { c, ts } = twins("event_read_fifo", [], dirs);
        const run = async (p: Child, dir: string) => {
          await p.until((q) => q.err.includes("Write data to event.fifo\n"), "the FIFO");
          // The reader is open already, so opening for writing does not block.
          const w = openSync(join(dir, "event.fifo"), "w");
          for (const msg of ["hello\n", "a second message", "x".repeat(200)]) {
            const before = p.out.length;
            writeSync(w, msg);
            await p.until((q) => q.out.length > before && q.out.endsWith("\n"), msg);
          }
          closeSync(w);
          return p.exited;
        };
        const [rc, rts] = await Promise.all([run(c, dirs[0]), run(ts, dirs[1])]);
        expect(rc).to.deep.equal({ code: 0, signal: null });
        expect(rts).to.deep.equal(rc);
        expect(c.out).to.equal(`Read: hello\n\nRead: a second message\nRead: ${"x".repeat(200)}\n`);
        expect(ts.out).to.equal(c.out);
        // Descriptor numbers and addresses are the process's own.
        const shape = (s: string) =>
          s.replace(/fd: \d+/g, "fd: N").replace(/arg: 0x[0-9a-f]+/g, "arg: P");
        expect(shape(c.err)).to.equal(
          "Write data to event.fifo\n" +
            "fifo_read called with fd: N, event: 2, arg: P\n".repeat(4) +
            "Connection closed\n",
        );
        expect(shape(ts.err)).to.equal(shape(c.err));
        for (const d of dirs) expect(existsSync(join(d, "event.fifo"))).to.equal(false);
      } finally {
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      }
    });
  });

  describe("dns_example (sample/dns-example.c, resolver side)", () => {
    // A nameserver on loopback: localhost (A and AAAA), two.test (two A),
    // the PTR of 127.0.0.1; any other name does not exist.
    const zone: Record<string, Record<number, (number[] | string)[]>> = {
      localhost: { 1: [[127, 0, 0, 1]], 28: [[...Array(15).fill(0), 1]] },
      "two.test": {
        1: [
          [10, 0, 0, 1],
          [10, 0, 0, 2],
        ],
      },
      "1.0.0.127.in-addr.arpa": { 12: ["localhost"] },
    };
    const dnsName = (n: string) =>
      Buffer.concat([
        ...n.split(".").map((l) => Buffer.from([l.length, ...Buffer.from(l)])),
        Buffer.from([0]),
      ]);
    const ns = createSocket("udp4");
    let nsPort = 0;

    before(async () => {
      ns.on("message", (q, from) => {
        let o = 12;
        const labels: string[] = [];
        for (; q[o]; o += q[o] + 1) labels.push(q.toString("latin1", o + 1, o + 1 + q[o]));
        const qtype = q.readUInt16BE(o + 1);
        // evdns mixes the case of the name it asks for (0x20): match without case, echo it as asked.
        const known = zone[labels.join(".").toLowerCase()];
        const answers = known?.[qtype] ?? [];
        const head = Buffer.alloc(12);
        q.copy(head, 0, 0, 2);
        head.writeUInt16BE(known ? 0x8180 : 0x8183, 2); // a response; NXDOMAIN when unknown
        head.writeUInt16BE(1, 4);
        head.writeUInt16BE(answers.length, 6);
        const rrs = answers.map((a) => {
          const data = typeof a === "string" ? dnsName(a) : Buffer.from(a);
          const rr = Buffer.alloc(12);
          rr.writeUInt16BE(0xc00c, 0); // the question's name
          rr.writeUInt16BE(qtype, 2);
          rr.writeUInt16BE(1, 4);
          rr.writeUInt32BE(60, 6);
          rr.writeUInt16BE(data.length, 10);
          return Buffer.concat([rr, data]);
        });
        ns.send(Buffer.concat([head, q.subarray(12, o + 5), ...rrs]), from.port, from.address);
      });
      await new Promise<void>((r) => ns.bind(0, "127.0.0.1", () => r()));
      nsPort = ns.address().port;
    });
    after(() => new Promise<void>((r) => ns.close(() => r())));

    const runs: [string, string[], string, string][] = [
      [
        "evdns_base_resolve_ipv4",
        ["localhost", "two.test", "nosuch.test"],
        "localhost: 127.0.0.1\ntwo.test: 10.0.0.1\ntwo.test: 10.0.0.2\nnosuch.test: No answer (3)\n",
        "resolving (fwd) localhost...\nresolving (fwd) two.test...\nresolving (fwd) nosuch.test...\n",
      ],
      [
        "evdns_getaddrinfo (-g)",
        ["-g", "localhost", "two.test", "nosuch.test"],
        "[0] localhost: 127.0.0.1\n[1] localhost: ::1\n[0] two.test: 10.0.0.1\n[1] two.test: 10.0.0.2\n" +
          "nosuch.test: nodename nor servname provided, or not known\n",
        "resolving (fwd) localhost...\nresolving (fwd) two.test...\nresolving (fwd) nosuch.test...\n",
      ],
      [
        "evdns_base_resolve_reverse (-x)",
        ["-x", "127.0.0.1", "10.1.1.1", "notip"],
        "127.0.0.1: localhost\n10.1.1.1: No answer (3)\n",
        "resolving 127.0.0.1...\nresolving 10.1.1.1...\nSkipping non-IP notip\n",
      ],
    ];
    for (const [what, names, out, err] of runs) {
      it(`${what}: the same answers, printed the same way`, async () => {
        const { c, ts } = twins("dns_example", ["-s", `127.0.0.1:${nsPort}`, ...names]);
        const [rc, rts] = await Promise.all([c.exited, ts.exited]);
        expect(rc.code).to.equal(0);
        expect(rts.code).to.equal(0);
        expect(c.out).to.equal("EVUTIL_AI_CANONNAME in example = 2\n" + out);
        expect(c.err).to.equal(err);
        expect(ts.out).to.equal(c.out);
        expect(ts.err).to.equal(c.err);
      });
    }

    it("no nameserver and no resolv.conf named: 'Couldn't configure nameservers'", async () => {
      const { c, ts } = twins("dns_example", ["localhost"]);
      const [rc, rts] = await Promise.all([c.exited, ts.exited]);
      expect(rc.code).to.equal(1);
      expect(rts.code).to.equal(1);
      expect(c.err).to.equal("Couldn't configure nameservers\n");
      expect(ts.err).to.equal(c.err);
    });
  });
});

describe("dns_example -T (sample/dns-example.c's server mode)", function () {
  this.timeout(30000);
  const name = (n: string) =>
    Buffer.concat([
      ...n.split(".").map((l) => Buffer.from([l.length, ...Buffer.from(l)])),
      Buffer.from([0]),
    ]);
  const query = (id: number, qs: [string, number, number][]) => {
    const head = Buffer.alloc(12);
    head.writeUInt16BE(id, 0);
    head.writeUInt16BE(0x0100, 2);
    head.writeUInt16BE(qs.length, 4);
    return Buffer.concat([
      head,
      ...qs.map(([n, t, c]) =>
        Buffer.concat([name(n), Buffer.from([t >> 8, t & 255, c >> 8, c & 255])]),
      ),
    ]);
  };
  const queries = [
    query(1, [["www.example.com", 1, 1]]),
    query(2, [["11.11.168.192.in-addr.arpa", 12, 1]]),
    query(3, [
      ["mx.example.com", 15, 1],
      ["a.example.com", 1, 1],
      ["ch.example.com", 1, 3],
    ]),
  ];

  /** Runs one twin until it has answered every query; its output and the replies' bytes. */
  async function serve(child: Child): Promise<{ out: string; replies: string[] }> {
    const sock = createSocket("udp4");
    const replies: string[] = [];
    try {
      await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
      for (const q of queries) {
        const reply = new Promise<Buffer>((resolve) => sock.once("message", resolve));
        // The server may not be bound yet: ask again until it answers.
        let got: Buffer | null = null;
        reply.then((b) => (got = b));
        for (let i = 0; i < 200 && !got && !child.done; i++) {
          if (i % 50 === 0) sock.send(q, 10053, "127.0.0.1");
          await new Promise((r) => setTimeout(r, 20));
        }
        if (!got) throw new Error(`no reply; stdout: ${child.out} stderr: ${child.err}`);
        replies.push((got as Buffer).toString("hex"));
      }
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      sock.close();
      await child.finish();
    }
    return { out: child.out, replies };
  }

  it("answers A and PTR questions as the C build does, prints the same lines", async () => {
    const bin = buildC("../../examples/c/dns_example");
    const c = await serve(new Child(bin, ["-T"]));
    // dns-example's server mode binds port 10053, as libevent's sample does.
    expect(c.out, "port 10053 is taken on this machine").not.to.match(/Address already in use/);
    const ts = await serve(
      new Child(process.execPath, [join(projectRoot, "dist", "examples", "dns_example.js"), "-T"]),
    );
    expect(c.out).to.contain(" -- replying for www.example.com (A)\n");
    expect(c.out).to.contain(" -- replying for 11.11.168.192.in-addr.arpa (PTR)\n");
    expect(c.replies[0]).to.contain("c0a80b0b");
    expect(ts.out).to.equal(c.out);
    expect(ts.replies).to.deep.equal(c.replies);
  });
});

describe("npm start (examples/demo.ts)", function () {
  this.timeout(30000);

  it("runs the ROT13 server and a client bufferevent over loopback, prints each line, exits 0", async () => {
    const demo = new Child(process.execPath, [join(projectRoot, "dist", "examples", "demo.js")]);
    const { code } = await demo.exited;
    expect(code).to.equal(0);
    expect(demo.err).to.equal("");
    expect(demo.out).to.equal(
      [
        "sent: Hello, world",
        "received: Uryyb, jbeyq",
        "sent: The quick brown fox jumps over the lazy dog",
        "received: Gur dhvpx oebja sbk whzcf bire gur ynml qbt",
        "sent: libevent's bufferevents, in TypeScript",
        "received: yvorirag'f ohssreriragf, va GlcrFpevcg",
        "",
      ].join("\n"),
    );
  });
});
