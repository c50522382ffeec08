// The libevent book's "Trivial HTTP v0 client" (R6_http_client.c), ported
// line by line, against the C original (test/c/util_http_client.c): both
// resolve their host through evdns_base_new(base, 1) and
// bufferevent_socket_connect_hostname, and print the same thing.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { buildC } from "./support/cc.js";
import { cformat } from "../src/core/printf.js";
import {
  EV_READ,
  EV_WRITE,
  event_base_dispatch,
  event_base_loopexit,
  event_base_new,
  type EventBase,
} from "../src/event2/event.js";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_setcb,
  bufferevent_socket_connect_hostname,
  bufferevent_socket_get_dns_error,
  bufferevent_socket_new,
} from "../src/event2/bufferevent.js";
import { evbuffer_add_printf, evbuffer_remove } from "../src/event2/buffer.js";
import { evdns_base_new } from "../src/event2/dns.js";
import { AF_UNSPEC, evutil_gai_strerror } from "../src/event2/util.js";

/** The port of main(): argv as in C; returns what it printed. */
async function httpClient(argv: string[]): Promise<string> {
  let out = "";
  const printf = (fmt: string, ...a: unknown[]) =>
    (out += (cformat(fmt, a) as Buffer).toString("latin1"));
  const fwrite = (buf: Uint8Array, size: number, n: number) =>
    (out += Buffer.from(buf.subarray(0, size * n)).toString("latin1"));

  function readcb(bev: any, _ptr: any) {
    const buf = new Uint8Array(1024);
    let n: number;
    const input = bufferevent_get_input(bev);
    while ((n = evbuffer_remove(input, buf, buf.length)) > 0) {
      fwrite(buf, 1, n);
    }
  }

  function eventcb(bev: any, events: number, ptr: any) {
    if (events & BEV_EVENT_CONNECTED) {
      printf("Connect okay.\n");
    } else if (events & (BEV_EVENT_ERROR | BEV_EVENT_EOF)) {
      const base: EventBase = ptr;
      if (events & BEV_EVENT_ERROR) {
        const err = bufferevent_socket_get_dns_error(bev);
        if (err) printf("DNS error: %s\n", evutil_gai_strerror(err));
      }
      printf("Closing\n");
      bufferevent_free(bev);
      event_base_loopexit(base, null);
    }
  }

  const base = event_base_new() as EventBase;
  const dns_base = evdns_base_new(base, 1);

  const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE) as any;
  bufferevent_setcb(bev, readcb, null, eventcb, base);
  bufferevent_enable(bev, EV_READ | EV_WRITE);
  evbuffer_add_printf(bufferevent_get_output(bev), "GET %s\r\n", argv[2]);
  bufferevent_socket_connect_hostname(bev, dns_base, AF_UNSPEC, argv[1], Number(argv[3]));
  await event_base_dispatch(base);
  return out;
}

function runC(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    const timer = setTimeout(() => p.kill(), 50000);
    p.stdout.on("data", (b: Buffer) => (out += b.toString("latin1")));
    p.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${bin} exited ${code}: ${out}`));
    });
  });
}

describe("the libevent book's HTTP client sample (R6_http_client.c)", function () {
  this.timeout(60000);
  let server: Server;
  let port = 0;
  let bin: string;

  before(async () => {
    bin = buildC("util_http_client");
    server = createServer((sock) => {
      let req = "";
      sock.on("data", (b) => {
        req += b.toString();
        if (req.includes("\r\n"))
          sock.end(`HTTP/1.0 200 OK\r\n\r\nYou asked: ${req.split("\r\n")[0]}\n`);
      });
      sock.on("error", () => {});
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("fetches from localhost (a hosts-file name) as the C program does", async () => {
    const args = ["localhost", "/index.html", String(port)];
    const want = await runC(bin, args);
    expect(want).to.equal(
      `Connect okay.\nHTTP/1.0 200 OK\r\n\r\nYou asked: GET /index.html\nClosing\n`,
    );
    expect(await httpClient(["http_client", ...args])).to.equal(want);
  });

  it("reports a name the nameservers do not know as the C program does", async () => {
    const args = ["nonesuch.invalid", "/", String(port)];
    const want = await runC(bin, args);
    expect(want).to.match(/^DNS error: .*\nClosing\n$/);
    expect(await httpClient(["http_client", ...args])).to.equal(want);
  });
});
