// Conformance tests of socket bufferevents over real loopback TCP, with a
// plain node:net peer: connecting, the read and write paths, watermarks and
// backpressure, EOF / reset / write errors, timeouts, free, hostnames.
import { expect } from "chai";
import dgram from "node:dgram";
import net from "node:net";
import { fstatSync } from "node:fs";
import * as ev from "../src/event2/event.js";
import { EV_READ, EV_WRITE, EVLOOP_NONBLOCK, EVLOOP_ONCE } from "../src/event2/event.js";
import {
  evbuffer_add,
  evbuffer_drain,
  evbuffer_free,
  evbuffer_get_length,
  evbuffer_new,
} from "../src/event2/buffer.js";
import * as be from "../src/event2/bufferevent.js";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_EVENT_READING,
  BEV_EVENT_TIMEOUT,
  BEV_EVENT_WRITING,
  BEV_OPT_CLOSE_ON_FREE,
  BEV_OPT_DEFER_CALLBACKS,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_enabled,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_getfd,
  bufferevent_setcb,
  bufferevent_socket_connect,
  bufferevent_socket_connect_hostname,
  bufferevent_socket_get_dns_error,
  bufferevent_socket_new,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import { managed } from "../src/core/descriptor.js";
import type { DnsBase } from "../src/core/dns_base.js";
import {
  evdns_base_free,
  evdns_base_nameserver_ip_add,
  evdns_base_new,
} from "../src/event2/dns.js";
import { htons } from "../src/core/sockaddr.js";
import { ECONNREFUSED, ECONNRESET, EPIPE, errno } from "../src/libc/errno.js";

const AF_INET = 2;
const AF_UNSPEC = 0;
const EVUTIL_EAI_NONAME = -2;

/** A sockaddr_in for 127.0.0.1:port, as a C program builds it. */
const sin = (port: number) => ({
  sin_family: AF_INET,
  sin_port: htons(port),
  sin_addr: { s_addr: 0x0100007f },
});

interface Peer {
  port: number;
  conns: net.Socket[];
  /** Resolves with the next accepted connection. */
  next(): Promise<net.Socket>;
  close(): Promise<void>;
}

async function listen(onConn: (s: net.Socket) => void = () => {}): Promise<Peer> {
  const conns: net.Socket[] = [];
  const waiters: ((s: net.Socket) => void)[] = [];
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    conns.push(s);
    s.on("error", () => {});
    onConn(s);
    waiters.shift()?.(s);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    conns,
    next: () => new Promise((r) => waiters.push(r)),
    close: () =>
      new Promise((r) => {
        for (const c of conns) c.destroy();
        srv.close(() => r());
      }),
  };
}

/** A port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Log {
  trace: string[];
  events: number[];
}

function record(bev: BufferEvent, opts: { drain?: boolean; stopOn?: number } = {}): Log {
  const log: Log = { trace: [], events: [] };
  bufferevent_setcb(
    bev,
    (b) => {
      const input = bufferevent_get_input(b);
      log.trace.push(`read ${evbuffer_get_length(input)}`);
      if (opts.drain) evbuffer_drain(input, evbuffer_get_length(input));
    },
    (b) => log.trace.push(`write ${evbuffer_get_length(bufferevent_get_output(b))}`),
    (b, what) => {
      log.events.push(what);
      log.trace.push(`event 0x${what.toString(16)} enabled=${bufferevent_get_enabled(b)}`);
      if (opts.stopOn !== undefined && what & opts.stopOn) ev.event_base_loopbreak(b.base);
    },
    null,
  );
  return log;
}

/** Runs the loop until `done()` or a deadline (so no test can hang). */
async function runUntil(base: ev.EventBase, done: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error("runUntil: timed out");
    await ev.event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
    await new Promise((r) => setImmediate(r));
  }
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe("socket bufferevents over loopback TCP", function () {
  this.timeout(15000);
  let base: ev.EventBase;
  let peer: Peer;
  const bevs: BufferEvent[] = [];
  const track = (b: BufferEvent | null) => {
    expect(b).to.not.equal(null);
    bevs.push(b!);
    return b!;
  };
  beforeEach(async () => {
    base = ev.event_base_new()!;
    peer = await listen();
  });
  afterEach(async () => {
    for (const b of bevs.splice(0)) if (!b.freed) bufferevent_free(b);
    await peer.close();
    ev.event_base_free(base);
  });

  /** A socket bufferevent connected to the peer, whose side does not read yet. */
  async function connectToPausedPeer() {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev);
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    s.pause();
    await runUntil(base, () => log.events.length > 0);
    return { bev, log, s };
  }

  it("connects: CONNECTED, no writecb for an empty output, getfd is the OS descriptor", async () => {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev);
    expect(bufferevent_socket_connect(bev, sin(peer.port), 16)).to.equal(0);
    const fd = bufferevent_getfd(bev);
    expect(fd).to.be.at.least(0);
    expect(fstatSync(fd).isSocket()).to.equal(true);
    await runUntil(base, () => log.events.length > 0);
    expect(log.trace).to.deep.equal(["event 0x80 enabled=4"]);
    expect(bufferevent_socket_get_dns_error(bev)).to.equal(0);
  });

  it("writes what was queued before the connect, then the writecb at outlen 0", async () => {
    const got = peer.next();
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev);
    bufferevent_write(bev, "early bytes");
    expect(bufferevent_socket_connect(bev, sin(peer.port))).to.equal(0);
    await runUntil(base, () => log.trace.includes("write 0"));
    expect(log.trace).to.deep.equal(["event 0x80 enabled=4", "write 0"]);
    const s = await got;
    const data = await new Promise<Buffer>((r) => s.once("data", r));
    expect(data.toString()).to.equal("early bytes");
  });

  it("a refused connect gives ERROR (0x20) alone, errno ECONNREFUSED, enabled unchanged", async () => {
    const port = await deadPort();
    for (const options of [0, BEV_OPT_DEFER_CALLBACKS]) {
      const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE | options));
      const log = record(bev);
      let err = 0;
      bufferevent_setcb(
        bev,
        () => log.trace.push("read"),
        () => log.trace.push("write"),
        (b, what) => {
          err = errno;
          log.trace.push(`event 0x${what.toString(16)} enabled=${bufferevent_get_enabled(b)}`);
        },
      );
      bufferevent_enable(bev, EV_READ | EV_WRITE);
      expect(bufferevent_socket_connect(bev, sin(port))).to.equal(0);
      expect(log.trace).to.deep.equal([]);
      await runUntil(base, () => log.trace.length > 0);
      for (let i = 0; i < 5; i++) await ev.event_base_loop(base, EVLOOP_NONBLOCK);
      expect(log.trace).to.deep.equal(["event 0x20 enabled=6"]);
      expect(err).to.equal(ECONNREFUSED);
    }
  });

  it("connect with no descriptor and no address fails with -1", () => {
    const bev = track(bufferevent_socket_new(base, -1, 0));
    expect(bufferevent_socket_connect(bev, null)).to.equal(-1);
  });

  it("reads what the peer sends; EOF disables reading before the eventcb (0x11)", async () => {
    peer.conns.length = 0;
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev, { drain: true });
    bufferevent_enable(bev, EV_READ);
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    s.end("bye");
    await runUntil(base, () => log.events.includes(BEV_EVENT_READING | BEV_EVENT_EOF));
    expect(log.trace).to.deep.equal(["event 0x80 enabled=6", "read 3", "event 0x11 enabled=4"]);
  });

  it("a reset while reading is READING|ERROR (0x21) with ECONNRESET", async () => {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev);
    let err = 0;
    const eventcb = bev.eventcb!;
    bev.eventcb = (b, what, arg) => {
      err = errno;
      eventcb(b, what, arg);
    };
    bufferevent_enable(bev, EV_READ);
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    await runUntil(base, () => log.events.includes(BEV_EVENT_CONNECTED));
    s.resetAndDestroy();
    await runUntil(base, () => log.events.length > 1);
    expect(log.events).to.deep.equal([BEV_EVENT_CONNECTED, BEV_EVENT_READING | BEV_EVENT_ERROR]);
    expect(err).to.equal(ECONNRESET);
    expect(bufferevent_get_enabled(bev)).to.equal(EV_WRITE);
  });

  it("a write error is WRITING|ERROR (0x22): writing disabled, the output kept", async () => {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev);
    let err = 0;
    const eventcb = bev.eventcb!;
    bev.eventcb = (b, what, arg) => {
      err = errno;
      eventcb(b, what, arg);
    };
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    await runUntil(base, () => log.events.includes(BEV_EVENT_CONNECTED));
    s.resetAndDestroy();
    await tick();
    const chunk = Buffer.alloc(4096, "x");
    await runUntil(base, () => {
      if (evbuffer_get_length(bufferevent_get_output(bev)) < 65536) bufferevent_write(bev, chunk);
      return log.events.length > 1;
    });
    expect(log.events[1]).to.equal(BEV_EVENT_WRITING | BEV_EVENT_ERROR);
    expect([EPIPE, ECONNRESET]).to.include(err);
    expect(bufferevent_get_enabled(bev) & EV_WRITE).to.equal(0);
    expect(evbuffer_get_length(bufferevent_get_output(bev))).to.be.above(0);
  });

  it("enable(EV_WRITE) on an empty output gives one writecb at outlen 0", async () => {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev);
    bufferevent_socket_connect(bev, sin(peer.port));
    await runUntil(base, () => log.events.length > 0);
    bufferevent_enable(bev, EV_WRITE);
    await runUntil(base, () => log.trace.length > 1);
    for (let i = 0; i < 5; i++) await ev.event_base_loop(base, EVLOOP_NONBLOCK);
    expect(log.trace).to.deep.equal(["event 0x80 enabled=4", "write 0"]);
  });

  it("max_single_read caps each read; the read high watermark clips reads to the room below it", async () => {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev, { drain: true });
    be.bufferevent_set_max_single_read(bev, 3);
    bufferevent_enable(bev, EV_READ);
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    s.write("0123456789");
    await runUntil(base, () => log.trace.filter((t) => t.startsWith("read")).length === 4);
    expect(log.trace.slice(1)).to.deep.equal(["read 3", "read 3", "read 3", "read 1"]);
    be.bufferevent_set_max_single_read(bev, 0);
    be.bufferevent_setwatermark(bev, EV_READ, 0, 100);
    log.trace.length = 0;
    s.write(Buffer.alloc(300, "w"));
    await runUntil(base, () => log.trace.length === 3);
    expect(log.trace).to.deep.equal(["read 100", "read 100", "read 100"]);
  });

  it("split reads deliver the bytes intact while other buffers reuse the memory freed", async () => {
    // Small reads are carved from memory shared with every evbuffer, and a
    // max_single_read smaller than a read splits it: each piece drained
    // frees its part while the rest waits, and other buffers then carve and
    // fill memory; what arrives must still be exactly what was sent.
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const got: Buffer[] = [];
    let largest = 0;
    bufferevent_setcb(
      bev,
      (b) => {
        const n = evbuffer_get_length(bufferevent_get_input(b));
        largest = Math.max(largest, n);
        const piece = Buffer.alloc(n);
        be.bufferevent_read(b, piece, n);
        got.push(piece);
        const other = evbuffer_new();
        for (let i = 0; i < 20; i++) evbuffer_add(other, Buffer.alloc(61, 0x23), 61);
        evbuffer_free(other);
      },
      null,
      null,
      null,
    );
    be.bufferevent_set_max_single_read(bev, 7);
    bufferevent_enable(bev, EV_READ);
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    const sent: Buffer[] = [];
    for (let i = 0; i < 600; i++) sent.push(Buffer.from(`<${i}:${"abcdefghij".slice(i % 10)}>`));
    const expected = Buffer.concat(sent);
    s.write(expected.subarray(0, 3000));
    await runUntil(base, () => got.reduce((a, b) => a + b.length, 0) >= 3000);
    s.write(expected.subarray(3000));
    await runUntil(base, () => got.reduce((a, b) => a + b.length, 0) === expected.length);
    expect(Buffer.concat(got).toString("latin1")).to.equal(expected.toString("latin1"));
    expect(largest).to.equal(7);
  });

  it("the read high watermark stops reading (TCP backpressure) and draining resumes it", async () => {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    let reads = 0;
    bufferevent_setcb(bev, () => reads++, null, null, null);
    be.bufferevent_setwatermark(bev, EV_READ, 0, 8192);
    bufferevent_enable(bev, EV_READ);
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    const total = 8 << 20;
    const payload = Buffer.alloc(total, "p");
    let flushed = false;
    s.write(payload, () => (flushed = true));
    for (let i = 0; i < 50; i++) {
      await ev.event_base_loop(base, EVLOOP_NONBLOCK);
      await tick();
    }
    // The callback never drains: one readcb, the input held at the mark, the peer blocked.
    expect(reads).to.equal(1);
    expect(evbuffer_get_length(bufferevent_get_input(bev))).to.equal(8192);
    expect(flushed).to.equal(false);
    expect(s.writableLength).to.be.above(0);
    // Draining from outside the callback resumes reading until everything has come.
    let got = 0;
    bufferevent_setcb(
      bev,
      (b) => {
        const input = bufferevent_get_input(b);
        got += evbuffer_get_length(input);
        evbuffer_drain(input, evbuffer_get_length(input));
      },
      null,
      null,
      null,
    );
    got += 8192;
    evbuffer_drain(bufferevent_get_input(bev), 8192);
    await runUntil(base, () => got === total, 10000);
    expect(flushed).to.equal(true);
  });

  it("at most max_single_write bytes go to the stream per write event", async () => {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev);
    bufferevent_socket_connect(bev, sin(peer.port));
    await runUntil(base, () => log.events.length > 0);
    be.bufferevent_set_max_single_write(bev, 1000);
    const lens: number[] = [];
    bufferevent_write(bev, Buffer.alloc(3500, "x"));
    while (evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
      await ev.event_base_loop(base, EVLOOP_ONCE);
      lens.push(evbuffer_get_length(bufferevent_get_output(bev)));
    }
    expect(lens).to.deep.equal([2500, 1500, 500, 0]);
  });

  it("a peer that stops reading leaves bytes in the output; Node holds only a bounded amount", async () => {
    const { bev, log, s } = await connectToPausedPeer();
    const chunk = Buffer.alloc(65536, "z");
    for (let i = 0; i < 256; i++) bufferevent_write(bev, chunk);
    for (let i = 0; i < 50; i++) {
      await ev.event_base_loop(base, EVLOOP_NONBLOCK);
      await tick();
    }
    const waiting = evbuffer_get_length(bufferevent_get_output(bev));
    expect(waiting).to.be.above(0);
    expect(log.trace.filter((t) => t.startsWith("write"))).to.deep.equal([]);
    const stream = (bev as be.SocketBufferEvent).stream!;
    expect(stream.unflushed).to.be.below(4 << 20);
    // The peer drains: one writecb, at outlen 0.
    let got = 0;
    s.on("data", (d: Buffer) => (got += d.length));
    s.resume();
    await runUntil(base, () => log.trace.includes("write 0"), 10000);
    expect(log.trace.filter((t) => t.startsWith("write"))).to.deep.equal(["write 0"]);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).to.equal(256 * 65536);
  });

  it("small writes queued behind a slow peer arrive intact while the buffers keep being reused", async () => {
    // Small writes share pooled chunk memory; Node may still hold some of it
    // when the program writes more, so each byte must reach the peer as written.
    // Byte i of the stream is byteAt(i); message sizes are random.
    const byteAt = (i: number) => (Math.imul(i, 2654435761) >>> 24) ^ (i & 0xff);
    const { bev, s } = await connectToPausedPeer();
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    let total = 0;
    let n = 0;
    let mismatch = -1;
    s.on("data", (d: Buffer) => {
      for (let k = 0; k < d.length && mismatch < 0; k++)
        if (d[k] !== byteAt(n + k)) mismatch = n + k;
      n += d.length;
    });
    const writeRound = () => {
      for (let i = 0; i < 1000; i++) {
        const msg = Buffer.allocUnsafe(1 + (rand() % 1400));
        for (let k = 0; k < msg.length; k++) msg[k] = byteAt(total + k);
        bufferevent_write(bev, msg);
        total += msg.length;
      }
    };
    // A few rounds with the peer reading now and then, then paused until the
    // kernel's buffers and Node's bounded share are full and bytes wait in the
    // output (however large the kernel lets its buffers grow).
    let round = 0;
    for (; round < 400; round++) {
      writeRound();
      await ev.event_base_loop(base, EVLOOP_NONBLOCK);
      await tick();
      if (round === 5) s.resume();
      if (round === 10) s.pause();
      if (round > 10 && evbuffer_get_length(bufferevent_get_output(bev)) > 0) break;
    }
    expect(evbuffer_get_length(bufferevent_get_output(bev))).to.be.above(0);
    // More small writes while Node holds the earlier ones.
    writeRound();
    s.resume();
    await runUntil(base, () => evbuffer_get_length(bufferevent_get_output(bev)) === 0, 20000);
    await new Promise<void>((r) => {
      const check = () => (n >= total ? r() : setTimeout(check, 10));
      check();
    });
    expect(mismatch).to.equal(-1);
    expect(n).to.equal(total);
  });

  it("16 MiB echoed through a bufferevent server come back byte for byte, in order", async () => {
    // Bulk reads land in memory of their own and several writes of a turn
    // leave in one writev: neither may reorder, lose or overwrite a byte.
    const TOTAL = 16 << 20;
    const pattern = (off: number, n: number) => {
      const b = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) b[i] = ((off + i) * 131 + ((off + i) >> 12)) & 0xff;
      return b;
    };
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as net.AddressInfo).port;
    const accepted = new Promise<net.Socket>((r) => srv.once("connection", r));
    const client = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    bufferevent_socket_connect(client, sin(port));
    const echo = track(bufferevent_socket_new(base, await accepted, BEV_OPT_CLOSE_ON_FREE));
    bufferevent_setcb(
      echo,
      (b) => be.bufferevent_write_buffer(b, bufferevent_get_input(b)),
      null,
      null,
    );
    bufferevent_enable(echo, EV_READ | EV_WRITE);
    let sent = 0;
    let received = 0;
    let mismatch = -1;
    const writer = (b: BufferEvent) => {
      while (sent < TOTAL && evbuffer_get_length(bufferevent_get_output(b)) < 256 << 10) {
        const n = Math.min(TOTAL - sent, 1 + ((sent * 7919) % 40000));
        bufferevent_write(b, pattern(sent, n));
        sent += n;
      }
    };
    be.bufferevent_setwatermark(client, EV_WRITE, 128 << 10, 0);
    bufferevent_setcb(
      client,
      (b) => {
        const input = bufferevent_get_input(b);
        const n = evbuffer_get_length(input);
        const got = Buffer.alloc(n);
        be.bufferevent_read(b, got, n);
        if (mismatch < 0 && !got.equals(pattern(received, n))) mismatch = received;
        received += n;
        if (received >= TOTAL) ev.event_base_loopexit(base, null);
      },
      writer,
      // A connect completing with an empty output gives no writecb: start here.
      (b, what) => what === BEV_EVENT_CONNECTED && writer(b),
    );
    bufferevent_enable(client, EV_READ | EV_WRITE);
    await ev.event_base_dispatch(base);
    srv.close();
    expect(mismatch).to.equal(-1);
    expect(received).to.equal(TOTAL);
  });

  it("read and write timeouts on a connected socket: 0x41 and 0x42, each disabling its direction", async () => {
    const bev = track(bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev);
    bufferevent_enable(bev, EV_READ);
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    s.pause();
    await runUntil(base, () => log.events.length > 0);
    be.bufferevent_set_timeouts(bev, { tv_sec: 0, tv_usec: 50000 }, null);
    await runUntil(base, () => log.events.length > 1);
    expect(log.events[1]).to.equal(BEV_EVENT_READING | BEV_EVENT_TIMEOUT);
    expect(bufferevent_get_enabled(bev)).to.equal(EV_WRITE);
    be.bufferevent_set_timeouts(bev, null, { tv_sec: 0, tv_usec: 50000 });
    const chunk = Buffer.alloc(65536, "t");
    for (let i = 0; i < 256; i++) bufferevent_write(bev, chunk);
    await runUntil(base, () => log.events.length > 2);
    expect(log.events[2]).to.equal(BEV_EVENT_WRITING | BEV_EVENT_TIMEOUT);
    expect(bufferevent_get_enabled(bev)).to.equal(0);
  });

  it("free with CLOSE_ON_FREE closes the descriptor at once; without it the descriptor stays", async () => {
    const a = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)!;
    const la = record(a);
    bufferevent_socket_connect(a, sin(peer.port));
    const sa = await peer.next();
    await runUntil(base, () => la.events.length > 0);
    const fd = bufferevent_getfd(a);
    const ended = new Promise((r) => sa.once("end", r));
    bufferevent_free(a);
    expect(managed(fd)).to.equal(undefined);
    await ended;

    const b = track(bufferevent_socket_new(base, -1, 0));
    const lb = record(b);
    bufferevent_socket_connect(b, sin(peer.port));
    await peer.next();
    await runUntil(base, () => lb.events.length > 0);
    const fdb = bufferevent_getfd(b);
    bufferevent_free(b);
    expect(managed(fdb)).to.not.equal(undefined);
    managed(fdb)!.close();
  });

  it("accepts a net.Socket as the descriptor", async () => {
    const got = peer.next();
    const sock = net.connect(peer.port, "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    const bev = track(bufferevent_socket_new(base, sock, BEV_OPT_CLOSE_ON_FREE));
    const log = record(bev, { drain: true });
    bufferevent_enable(bev, EV_READ);
    (await got).write("via net.Socket");
    bufferevent_write(bev, "back");
    await runUntil(base, () => log.trace.includes("read 14") && log.trace.includes("write 0"));
    expect(bufferevent_getfd(bev)).to.be.at.least(0);
  });

  it("deferred callbacks on a socket run from the loop, after the operation", async () => {
    const bev = track(
      bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS),
    );
    const log = record(bev, { drain: true });
    bufferevent_enable(bev, EV_READ);
    bufferevent_socket_connect(bev, sin(peer.port));
    const s = await peer.next();
    s.write("abc");
    bufferevent_write(bev, "xyz");
    await runUntil(base, () => log.trace.includes("read 3") && log.trace.includes("write 0"));
    expect(log.trace[0]).to.equal("event 0x80 enabled=6");
  });

  it("the input stays frozen at its end until setfd (libevent's quirk: connect unfreezes)", () => {
    const bev = track(bufferevent_socket_new(base, -1, 0));
    expect(evbuffer_add(bufferevent_get_input(bev), "x")).to.equal(-1);
    expect(be.bufferevent_setfd(bev, -1)).to.equal(0);
    expect(evbuffer_add(bufferevent_get_input(bev), "x")).to.equal(0);
  });
});

/**
 * A DNS server on 127.0.0.1 for the evdns_base cases (as libevent's own
 * regress_dns runs one): "peer.test" has A 127.0.0.1, every other name is
 * NXDOMAIN.
 */
async function dnsServer(): Promise<{ port: number; close(): void }> {
  const sock = dgram.createSocket("udp4");
  sock.on("message", (q, rinfo) => {
    let i = 12;
    const labels: string[] = [];
    while (q[i]) {
      labels.push(q.subarray(i + 1, i + 1 + q[i]).toString());
      i += q[i] + 1;
    }
    const qtype = q.readUInt16BE(i + 1);
    const question = q.subarray(12, i + 5);
    const found = labels.join(".").toLowerCase() === "peer.test";
    const answer = found && qtype === 1;
    const head = Buffer.alloc(12);
    q.copy(head, 0, 0, 2);
    head.writeUInt16BE(0x8180 | (found ? 0 : 3), 2);
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(answer ? 1 : 0, 6);
    const rr = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]);
    sock.send(
      Buffer.concat(answer ? [head, question, rr] : [head, question]),
      rinfo.port,
      rinfo.address,
    );
  });
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  return { port: sock.address().port, close: () => sock.close() };
}

describe("bufferevent_socket_connect_hostname", function () {
  this.timeout(15000);
  let base: ev.EventBase;
  let peer: Peer;
  let dnsd: { port: number; close(): void };
  let dns: DnsBase;
  beforeEach(async () => {
    base = ev.event_base_new()!;
    peer = await listen();
    dnsd = await dnsServer();
    dns = evdns_base_new(base, 0)!;
    expect(evdns_base_nameserver_ip_add(dns, `127.0.0.1:${dnsd.port}`)).to.equal(0);
  });
  afterEach(async () => {
    evdns_base_free(dns, 0);
    dnsd.close();
    await peer.close();
    ev.event_base_free(base);
  });

  it("refuses a bad family or port with -1", () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    expect(bufferevent_socket_connect_hostname(bev, null, 1, "127.0.0.1", 80)).to.equal(-1);
    expect(bufferevent_socket_connect_hostname(bev, null, AF_INET, "127.0.0.1", 0)).to.equal(-1);
    expect(bufferevent_socket_connect_hostname(bev, null, AF_INET, "127.0.0.1", 65536)).to.equal(
      -1,
    );
    bufferevent_free(bev);
  });

  for (const [host, withDns] of [
    ["127.0.0.1", false],
    ["localhost", false],
    ["peer.test", true],
  ] as const) {
    it(`connects to ${host} (${withDns ? "with" : "without"} an evdns_base): CONNECTED, dns error 0`, async () => {
      const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)!;
      const log = record(bev);
      expect(
        bufferevent_socket_connect_hostname(bev, withDns ? dns : null, AF_INET, host, peer.port),
      ).to.equal(0);
      await runUntil(base, () => log.events.length > 0, 10000);
      expect(log.events).to.deep.equal([BEV_EVENT_CONNECTED]);
      expect(bufferevent_socket_get_dns_error(bev)).to.equal(0);
      bufferevent_free(bev);
    });
  }

  for (const withDns of [false, true]) {
    it(`a name that does not resolve (${withDns ? "with" : "without"} an evdns_base): one ERROR, EVUTIL_EAI_NONAME`, async () => {
      const bev = bufferevent_socket_new(base, -1, 0)!;
      // As in C, the eventcb ends the loop: the write event (fd -1) stays pending.
      const log = record(bev, { stopOn: BEV_EVENT_ERROR });
      expect(
        bufferevent_socket_connect_hostname(
          bev,
          withDns ? dns : null,
          AF_UNSPEC,
          "nonesuch.invalid",
          80,
        ),
      ).to.equal(0);
      expect(log.events).to.deep.equal([]);
      expect(await ev.event_base_dispatch(base)).to.equal(0);
      expect(log.events).to.deep.equal([BEV_EVENT_ERROR]);
      expect(bufferevent_socket_get_dns_error(bev)).to.equal(EVUTIL_EAI_NONAME);
      bufferevent_free(bev);
    });
  }

  it("freeing during a lookup cancels it: no callback, released at once", async () => {
    const bev = bufferevent_socket_new(base, -1, 0)!;
    const log = record(bev);
    bufferevent_socket_connect_hostname(bev, dns, AF_INET, "peer.test", peer.port);
    bufferevent_free(bev);
    expect(bev.finalized).to.equal(true);
    expect(await ev.event_base_dispatch(base)).to.equal(1);
    expect(log.events).to.deep.equal([]);
  });
});
