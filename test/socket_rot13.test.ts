// The libevent book's low-level ROT13 server (examples/c/rot13_server.c on
// libevent 2.1.12) and its TypeScript port (examples/rot13_server.ts) serve
// the same real loopback clients: the same bytes must come back from both.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { buildC, projectRoot } from "./support/cc.js";

interface Server {
  proc: ChildProcess;
  port: number;
}

function start(cmd: string, args: string[]): Promise<Server> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\d+)\n/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on("error", reject);
    proc.on("exit", (code) => reject(new Error(`${cmd} exited ${code} before listening: ${out}`)));
  });
}

function stop(s: Server | undefined): Promise<void> {
  if (!s || s.proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    s.proc.once("exit", () => resolve());
    s.proc.kill("SIGTERM");
  });
}

/** One client: writes the chunks one per turn, reads until `expect` bytes came back, then closes. */
function session(port: number, chunks: (string | Buffer)[], expect: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    const got: Buffer[] = [];
    let n = 0;
    let written = false;
    const maybeEnd = () => {
      if (written && n >= expect) sock.end();
    };
    sock.on("data", (d: Buffer) => {
      got.push(d);
      n += d.length;
      maybeEnd();
    });
    sock.on("end", () => resolve(Buffer.concat(got)));
    sock.on("error", reject);
    // A server that stops answering fails the test instead of holding the process open.
    sock.setTimeout(10000, () => sock.destroy(new Error("no answer within 10 s")));
    sock.on("connect", async () => {
      for (const c of chunks) {
        sock.write(c);
        await new Promise((r) => setImmediate(r));
      }
      written = true;
      maybeEnd();
    });
  });
}

function rot13(b: Buffer): Buffer {
  return Buffer.from(
    b.map((c) =>
      (c >= 97 && c <= 109) || (c >= 65 && c <= 77)
        ? c + 13
        : (c >= 110 && c <= 122) || (c >= 78 && c <= 90)
          ? c - 13
          : c,
    ),
  );
}

/** The text of lines that end in '\n', ROT13'd: what the server sends back. */
function reply(chunks: (string | Buffer)[]): Buffer {
  const all = Buffer.concat(chunks.map((c) => Buffer.from(c)));
  return rot13(all.subarray(0, all.lastIndexOf(10) + 1));
}

const scenarios: Record<string, (string | Buffer)[]> = {
  "one line": ["Hello, World!\n"],
  "a line in pieces, then a partial line never echoed": ["abc", "def\nghi\n", "partial"],
  "byte by byte": [..."The quick brown fox jumps over the lazy dog.\n"],
  "every byte value": [Buffer.from([...Array(256).keys()].filter((c) => c !== 10)), "\n"],
  "many lines at once": [
    Array.from({ length: 200 }, (_, i) => `line ${i}: Zebras & Yaks\n`).join(""),
  ],
  "no newline at all": ["nothing to see"],
};

describe("socket: the book's ROT13 server, C and TypeScript", function () {
  let c: Server | undefined;
  let ts: Server | undefined;

  before(async () => {
    c = await start(buildC("../../examples/c/rot13_server"), ["0"]);
    ts = await start(process.execPath, [
      join(projectRoot, "dist", "examples", "rot13_server.js"),
      "0",
    ]);
  });

  after(async () => {
    await stop(c);
    await stop(ts);
  });

  for (const [name, chunks] of Object.entries(scenarios)) {
    it(`${name}: the same bytes come back from both`, async () => {
      const want = reply(chunks);
      const [fromC, fromTs] = await Promise.all([
        session(c!.port, chunks, want.length),
        session(ts!.port, chunks, want.length),
      ]);
      expect(fromC.equals(want), "C server").to.equal(true);
      expect(fromTs.toString("latin1")).to.equal(fromC.toString("latin1"));
    });
  }

  it("serves ten clients at once", async () => {
    const clients = Array.from({ length: 10 }, (_, i) => [
      `client ${i} says hi\n`,
      `and bye ${i}\n`,
    ]);
    for (const s of [c!, ts!]) {
      const got = await Promise.all(clients.map((ch) => session(s.port, ch, reply(ch).length)));
      got.forEach((g, i) => expect(g.toString()).to.equal(reply(clients[i]).toString()));
    }
  });
});
