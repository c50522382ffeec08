// The DNS server side against libevent 2.1.12: test/c/dns_server_diff.c and
// its line-by-line port below start an evdns server port on loopback, send
// it raw queries from a plain UDP socket, and print what the server
// callback sees, what each evdns_server_* call returns, and the reply's
// bytes. The two outputs must be identical.
import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import { cformat } from "../src/core/printf.js";
import * as ev from "../src/event2/event.js";
import * as d from "../src/event2/dns.js";
import { evutil_closesocket, evutil_make_socket_nonblocking } from "../src/event2/util.js";
import {
  AF_INET,
  bind,
  getsockname,
  htonl,
  inet_ntoa,
  recv,
  sendto,
  socket,
  SOCK_DGRAM,
} from "../src/libc/socket.js";

async function port(): Promise<string> {
  let out = "";
  const printf = (fmt: string, ...a: unknown[]) => {
    out += (cformat(fmt, a) as Buffer).toString("latin1");
  };
  let base: ev.EventBase;
  const server_addr: any = {};
  let client: number;

  const server_cb = (req: d.evdns_server_request) => {
    const a = Array.from({ length: 40 }, (_, i) => ({ s_addr: htonl(0x0a000001 + i) }));
    const ss: any = {};
    printf("cb flags=%d nquestions=%d", req.flags, req.nquestions);
    for (let i = 0; i < req.nquestions; i++)
      printf(
        " [%s %d %d]",
        req.questions[i].name,
        req.questions[i].type,
        req.questions[i].dns_question_class,
      );
    printf("\n");
    if (req.nquestions === 0) {
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
      return;
    }
    const q = req.questions[0].name;
    if (q === "a.example.com") {
      printf("add_a %d\n", d.evdns_server_request_add_a_reply(req, q, 2, a, 100));
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    } else if (q === "aaaa.example.com") {
      printf(
        "add_aaaa %d\n",
        d.evdns_server_request_add_aaaa_reply(req, q, 1, "abcdefghijklmnop", 123),
      );
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    } else if (q === "ptr.example.com") {
      const inp = { s_addr: htonl(0xc0a80b0b) };
      printf(
        "add_ptr both %d\n",
        d.evdns_server_request_add_ptr_reply(req, inp, q, "x.example.com", 5),
      );
      printf(
        "add_ptr none %d\n",
        d.evdns_server_request_add_ptr_reply(req, null, null, "x.example.com", 5),
      );
      printf(
        "add_ptr in %d\n",
        d.evdns_server_request_add_ptr_reply(req, inp, null, "host.example.com", 54321),
      );
      printf(
        "add_ptr name %d\n",
        d.evdns_server_request_add_ptr_reply(req, null, q, "ZZ.EXAMPLE.COM", 7),
      );
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    } else if (q === "cname.example.com") {
      printf(
        "add_cname %d\n",
        d.evdns_server_request_add_cname_reply(req, q, "real.example.com", 60),
      );
      printf(
        "add_a %d\n",
        d.evdns_server_request_add_a_reply(req, "real.example.com", 1, a[3], 30),
      );
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    } else if (q === "soa.example.com") {
      const soa =
        "\x04dns1\x05icann\x03org\0\x0ahostmaster\x05icann\x03org\0" +
        "\x77\xde\x5e\xba\x00\x00\x1c\x20\x00\x00\x0e\x10\x00\x12\x75\x00\x00\x00\x0e\x10";
      printf(
        "add_reply soa %d\n",
        d.evdns_server_request_add_reply(
          req,
          d.EVDNS_AUTHORITY_SECTION,
          "example.com",
          d.EVDNS_TYPE_SOA,
          d.EVDNS_CLASS_INET,
          42,
          soa.length,
          0,
          soa,
        ),
      );
      const bytes = (x: { s_addr: number }) => Buffer.from(new Uint32Array([x.s_addr]).buffer);
      printf(
        "add_reply bad section %d\n",
        d.evdns_server_request_add_reply(
          req,
          3,
          "example.com",
          d.EVDNS_TYPE_A,
          d.EVDNS_CLASS_INET,
          1,
          4,
          0,
          bytes(a[0]),
        ),
      );
      printf(
        "add_reply additional %d\n",
        d.evdns_server_request_add_reply(
          req,
          d.EVDNS_ADDITIONAL_SECTION,
          "ns.example.com",
          d.EVDNS_TYPE_A,
          d.EVDNS_CLASS_INET,
          -1,
          4,
          0,
          bytes(a[1]),
        ),
      );
      printf(
        "add_reply ns %d\n",
        d.evdns_server_request_add_reply(
          req,
          d.EVDNS_AUTHORITY_SECTION,
          "example.com",
          d.EVDNS_TYPE_NS,
          d.EVDNS_CLASS_INET,
          3600,
          0,
          1,
          "ns.example.com",
        ),
      );
      printf(
        "add_reply nodata %d\n",
        d.evdns_server_request_add_reply(
          req,
          d.EVDNS_ADDITIONAL_SECTION,
          "empty.example.com",
          d.EVDNS_TYPE_TXT,
          3,
          9,
          0,
          0,
          null,
        ),
      );
      printf("respond %d\n", d.evdns_server_request_respond(req, 3));
    } else if (q === "flags.example.com") {
      d.evdns_server_request_set_flags(req, d.EVDNS_FLAGS_AA | d.EVDNS_FLAGS_RD);
      printf("flags now %d\n", req.flags);
      d.evdns_server_request_set_flags(req, d.EVDNS_FLAGS_AA);
      printf("flags now %d\n", req.flags);
      printf("respond %d\n", d.evdns_server_request_respond(req, 5));
    } else if (q === "badrcode.example.com") {
      printf("respond 16 %d\n", d.evdns_server_request_respond(req, 16));
      printf("respond -1 %d\n", d.evdns_server_request_respond(req, -1));
      printf("respond 15 %d\n", d.evdns_server_request_respond(req, 15));
    } else if (q === "drop.example.com") {
      printf("drop %d\n", d.evdns_server_request_drop(req));
    } else if (q === "big.example.com") {
      printf("add_a %d\n", d.evdns_server_request_add_a_reply(req, q, 40, a, 1));
      for (let i = 0; i < 30; i++) d.evdns_server_request_add_a_reply(req, q, 1, a[i], i);
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    } else if (q === "longlabel.example.com") {
      printf(
        "add_cname %d\n",
        d.evdns_server_request_add_cname_reply(
          req,
          q,
          "a234567890123456789012345678901234567890123456789012345678901234.example.com",
          1,
        ),
      );
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    } else if (q === "addr.example.com") {
      printf("addr small %d\n", d.evdns_server_request_get_requesting_addr(req, ss, 15));
      printf("addr %d", d.evdns_server_request_get_requesting_addr(req, ss, 128));
      printf(" family=%d ip=%s\n", ss.sin_family, inet_ntoa(ss.sin_addr));
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    } else if (q === "MiXeD.Example.COM") {
      req.questions[0].name = q.toLowerCase();
      printf(
        "add_a %d\n",
        d.evdns_server_request_add_a_reply(req, "MIXED.example.com", 1, a[0], 9),
      );
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    } else {
      printf("add_a %d\n", d.evdns_server_request_add_a_reply(req, q, 1, a[2], 77));
      printf("respond %d\n", d.evdns_server_request_respond(req, 0));
    }
  };

  let got = 0;
  let header_only = 0;
  const client_cb = (fd: number) => {
    const buf = new Uint8Array(2000);
    let n = recv(fd, buf, buf.length, 0);
    printf("reply %d:", n);
    if (header_only && n > 12) n = 12;
    for (let i = 0; i < n; i++) printf("%s%02x", i % 32 ? "" : " ", buf[i]);
    printf("\n");
    got = 1;
    ev.event_base_loopbreak(base);
  };
  const timeout_cb = () => ev.event_base_loopbreak(base);

  const put_name = (p: Uint8Array, at: number, name: string): number => {
    let j = at;
    for (const label of name.split(".").filter((l) => l !== "")) {
      p[j++] = label.length;
      p.set(Buffer.from(label, "latin1"), j);
      j += label.length;
    }
    p[j++] = 0;
    return j - at;
  };

  const ask = async (q: Uint8Array, len: number) => {
    const e = ev.event_new(base, client, ev.EV_READ, client_cb, null)!;
    const t = ev.evtimer_new(base, timeout_cb, null)!;
    const r = sendto(client, q, len, 0, server_addr, 16);
    printf("-- query of %d bytes (sent %d)\n", len, r);
    got = 0;
    ev.event_add(e, null);
    ev.event_add(t, { tv_sec: 0, tv_usec: 300000 });
    await ev.event_base_dispatch(base);
    if (!got) printf("no reply\n");
    ev.event_free(e);
    ev.event_free(t);
  };

  const query = (id: number, flags: number, name: string, type: number, cls: number) => {
    const q = new Uint8Array(600);
    q.set([id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, 1]);
    let j = 12 + put_name(q, 12, name);
    q.set([type >> 8, type & 0xff, cls >> 8, cls & 0xff], j);
    j += 4;
    return ask(q, j);
  };

  base = ev.event_base_new()!;
  const sock = socket(AF_INET, SOCK_DGRAM, 0);
  evutil_make_socket_nonblocking(sock);
  const sin = { sin_family: AF_INET, sin_port: 0, sin_addr: { s_addr: htonl(0x7f000001) } };
  printf("bind %d\n", bind(sock, sin, 16));
  getsockname(sock, server_addr, { value: 16 });
  printf(
    "flags 1 port %s\n",
    d.evdns_add_server_port_with_base(base, sock, 1, server_cb, null) ? "made" : "NULL",
  );
  const p = d.evdns_add_server_port_with_base(base, sock, 0, server_cb, null)!;
  printf("port %s\n", p ? "made" : "NULL");
  client = socket(AF_INET, SOCK_DGRAM, 0);
  evutil_make_socket_nonblocking(client);

  await query(0x1234, 0x0100, "a.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x0001, 0x0000, "aaaa.example.com", d.EVDNS_TYPE_AAAA, d.EVDNS_CLASS_INET);
  await query(0xbeef, 0x0110, "ptr.example.com", d.EVDNS_TYPE_PTR, d.EVDNS_CLASS_INET);
  await query(0x0002, 0x0100, "cname.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x0003, 0x0100, "soa.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x0004, 0x07ff, "flags.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x0005, 0x0100, "badrcode.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x0006, 0x0100, "drop.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x0007, 0x0100, "big.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  header_only = 1;
  await query(0x0008, 0x0100, "longlabel.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  header_only = 0;
  await query(0x0009, 0x0100, "addr.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x000a, 0x0100, "MiXeD.Example.COM", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x000b, 0x8100, "answer.example.com", d.EVDNS_TYPE_A, d.EVDNS_CLASS_INET);
  await query(0x000c, 0x2900, "opcode.example.com", 255, 255);
  await query(0x000d, 0x0100, "trailing.", d.EVDNS_TYPE_MX, d.EVDNS_CLASS_INET);
  {
    const q = new Uint8Array(100);
    q.set([0, 0x0e, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0]);
    let j = 12 + put_name(q, 12, "two.example.com");
    q.set([0, 1, 0, 1, 3, ...Buffer.from("www"), 0xc0, 16, 0, 28, 0, 1], j);
    j += 14;
    await ask(q, j);
    await ask(q, j - 1);
    q[j - 7] = 0xc0;
    q[j - 6] = 200;
    await ask(q, j);
    q[12] = 64;
    await ask(q, j);
    q[5] = 0;
    await ask(q, 12);
  }
  printf("close\n");
  d.evdns_close_server_port(p);
  printf("closesocket again %d\n", evutil_closesocket(sock));
  ev.event_base_free(base);
  return out;
}

describe("the evdns server port, against libevent 2.1.12", function () {
  this.timeout(30000);
  it("sees the same queries, returns the same codes and sends the same reply bytes", async () => {
    const want = runC(buildC("dns_server_diff"));
    const got = await port();
    expect(got).to.equal(want);
  });

  it("ignores a datagram shorter than a DNS header (libevent 2.1.12 crashes on one)", async () => {
    const base = ev.event_base_new()!;
    const sock = socket(AF_INET, SOCK_DGRAM, 0);
    bind(sock, { sin_family: AF_INET, sin_port: 0, sin_addr: { s_addr: htonl(0x7f000001) } }, 16);
    const addr: any = {};
    getsockname(sock, addr, null);
    let calls = 0;
    const p = d.evdns_add_server_port_with_base(base, sock, 0, () => calls++, null)!;
    const client = socket(AF_INET, SOCK_DGRAM, 0);
    expect(sendto(client, new Uint8Array(11), 11, 0, addr, 16)).to.equal(11);
    ev.event_base_loopexit(base, { tv_sec: 0, tv_usec: 200000 });
    await ev.event_base_dispatch(base);
    expect(calls).to.equal(0);
    d.evdns_close_server_port(p);
    evutil_closesocket(client);
    ev.event_base_free(base);
  });
});
