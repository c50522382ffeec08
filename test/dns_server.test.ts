// A small real DNS server on loopback UDP for the resolver tests (libevent's
// regress_dns.c runs its own the same way): it answers A, AAAA and PTR
// questions from a table, echoes the question exactly (libevent randomizes
// the case of names and checks it), answers NXDOMAIN for unknown names and
// NOERROR without records for a known name lacking the type, and can stay
// silent or answer with any rcode. Every question is logged, lowercased.
import { expect } from "chai";
import { createSocket, type Socket } from "node:dgram";
import { promises as dnsPromises } from "node:dns";

export interface Zone {
  A?: string[];
  AAAA?: string[];
  PTR?: string;
  ttl?: number;
  /** Answer every question for this name with this rcode (2 SERVFAIL, 5 REFUSED...). */
  rcode?: number;
  /** Never answer. */
  silent?: boolean;
  /** Never answer questions of these types ("AAAA"). */
  silentTypes?: string[];
}

export interface DnsServer {
  port: number;
  address: string;
  /** "name TYPE" per question received, in order. */
  log: string[];
  zones: Record<string, Zone>;
  close(): Promise<void>;
}

const TYPES: Record<number, string> = { 1: "A", 28: "AAAA", 12: "PTR" };

/** Reads the question: its wire bytes (to echo), name and type; null for a malformed packet. */
function question(msg: Buffer): { wire: Buffer; name: string; type: number } | null {
  let i = 12;
  const labels: string[] = [];
  while (i < msg.length && msg[i] !== 0) {
    const n = msg[i];
    if (n > 63 || i + 1 + n > msg.length) return null;
    labels.push(msg.subarray(i + 1, i + 1 + n).toString("latin1"));
    i += 1 + n;
  }
  if (i + 5 > msg.length) return null;
  return { wire: msg.subarray(12, i + 5), name: labels.join("."), type: msg.readUInt16BE(i + 1) };
}

function ipv6Bytes(text: string): Buffer {
  const [head, tail = ""] = text.split("::");
  const words = (s: string) => (s ? s.split(":").map((w) => parseInt(w, 16)) : []);
  const h = words(head);
  const t = text.includes("::") ? words(tail) : [];
  const all = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  const b = Buffer.alloc(16);
  all.forEach((w, k) => b.writeUInt16BE(w, 2 * k));
  return b;
}

function nameWire(name: string): Buffer {
  return Buffer.concat([
    ...name
      .split(".")
      .filter(Boolean)
      .map((l) => Buffer.concat([Buffer.of(l.length), Buffer.from(l)])),
    Buffer.of(0),
  ]);
}

function answer(msg: Buffer, zones: Record<string, Zone>, log: string[]): Buffer | null {
  const q = question(msg);
  if (!q) return null;
  const name = q.name.toLowerCase();
  log.push(`${name} ${TYPES[q.type] ?? q.type}`);
  const z = zones[name];
  if (z?.silent || z?.silentTypes?.includes(TYPES[q.type])) return null;
  const rdatas: Buffer[] = [];
  if (z && q.type === 1)
    for (const a of z.A ?? []) rdatas.push(Buffer.from(a.split(".").map(Number)));
  if (z && q.type === 28) for (const a of z.AAAA ?? []) rdatas.push(ipv6Bytes(a));
  if (z && q.type === 12 && z.PTR) rdatas.push(nameWire(z.PTR));
  const rcode = z ? (z.rcode ?? 0) : 3;
  const head = Buffer.alloc(12);
  head.writeUInt16BE(msg.readUInt16BE(0), 0);
  head.writeUInt16BE(0x8180 | (msg.readUInt16BE(2) & 0x0100) | rcode, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(rcode ? 0 : rdatas.length, 6);
  const answers = rcode
    ? []
    : rdatas.map((rd) => {
        const rr = Buffer.alloc(12);
        rr.writeUInt16BE(0xc00c, 0);
        rr.writeUInt16BE(q.type, 2);
        rr.writeUInt16BE(1, 4);
        rr.writeUInt32BE(z?.ttl ?? 300, 6);
        rr.writeUInt16BE(rd.length, 10);
        return Buffer.concat([rr, rd]);
      });
  return Buffer.concat([head, q.wire, ...answers]);
}

export async function startDnsServer(zones: Record<string, Zone>): Promise<DnsServer> {
  const sock: Socket = createSocket("udp4");
  const log: string[] = [];
  const server: DnsServer = {
    port: 0,
    address: "127.0.0.1",
    log,
    zones,
    close: () => new Promise((resolve) => sock.close(() => resolve())),
  };
  sock.on("message", (msg, rinfo) => {
    const reply = answer(msg, server.zones, log);
    if (reply) sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, "127.0.0.1", () => resolve()));
  server.port = sock.address().port;
  return server;
}

describe("the test DNS server", () => {
  let server: DnsServer;
  before(async () => {
    server = await startDnsServer({
      "a.test": { A: ["10.0.0.1", "10.0.0.2"], AAAA: ["2001:db8::1"], ttl: 60 },
      "1.0.0.10.in-addr.arpa": { PTR: "a.test" },
      "fail.test": { rcode: 2 },
    });
  });
  after(() => server.close());

  it("answers A, AAAA and PTR questions, NXDOMAIN and SERVFAIL, as a DNS server would", async () => {
    const p = new dnsPromises.Resolver({ timeout: 2000, tries: 1 });
    p.setServers([`127.0.0.1:${server.port}`]);
    expect(await p.resolve4("a.test", { ttl: true })).to.deep.equal([
      { address: "10.0.0.1", ttl: 60 },
      { address: "10.0.0.2", ttl: 60 },
    ]);
    expect(await p.resolve6("a.test")).to.deep.equal(["2001:db8::1"]);
    expect(await p.resolvePtr("1.0.0.10.in-addr.arpa")).to.deep.equal(["a.test"]);
    const code = (q: Promise<unknown>) =>
      q.then(
        () => "ok",
        (e: NodeJS.ErrnoException) => e.code,
      );
    expect(await code(p.resolve4("nope.test"))).to.equal("ENOTFOUND");
    expect(await code(p.resolve4("fail.test"))).to.equal("ESERVFAIL");
    expect(await code(p.resolvePtr("a.test"))).to.equal("ENODATA");
    expect(server.log).to.include.members(["a.test A", "a.test AAAA", "nope.test A"]);
  });
});
