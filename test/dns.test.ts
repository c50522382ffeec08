// event2/dns.h conformance: when callbacks run (only from the loop, once),
// what keeps the loop alive, failures, waiting and resuming, getaddrinfo's
// merging of A and AAAA answers, the engine's resolveHost, real lookups of
// localhost, and misuse. Real DNS throughout: a server on loopback
// (dns_server.test.ts) or the system's.
import { expect } from "chai";
import { startDnsServer, type DnsServer } from "./dns_server.test.js";
import {
  event_base_dispatch,
  event_base_free,
  event_base_new,
  event_base_once,
  EV_TIMEOUT,
  type EventBase,
} from "../src/event2/event.js";
import * as d from "../src/event2/dns.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  SOCK_STREAM,
  htonl,
  type evutil_addrinfo,
} from "../src/event2/util.js";
import * as u from "../src/event2/util.js";
import { resolveHost } from "../src/core/dns.js";

type Answer = {
  result: number;
  type: number;
  count: number;
  ttl: number;
  addresses: any;
  arg: any;
};

const LOOPBACK = htonl(u.INADDR_LOOPBACK);

describe("event2/dns.h", function () {
  this.timeout(20000);
  let server: DnsServer;
  let base: EventBase;
  let dns: d.evdns_base;

  before(async () => {
    server = await startDnsServer({
      localhost: { A: ["127.0.0.1"], AAAA: ["::1"], ttl: 10 },
      "a.test": { A: ["10.0.0.1", "10.0.0.2"], AAAA: ["2001:db8::1"], ttl: 60 },
      "v4only.test": { A: ["10.4.4.4"] },
      "slow6.test": { A: ["10.6.6.6"], silentTypes: ["AAAA"] },
      "silent.test": { silent: true },
      "servfail.test": { rcode: 2 },
      "refused.test": { rcode: 5 },
    });
  });
  after(() => server.close());

  beforeEach(() => {
    base = event_base_new() as EventBase;
    dns = d.evdns_base_new(base, 0) as d.evdns_base;
    expect(d.evdns_base_nameserver_ip_add(dns, `127.0.0.1:${server.port}`)).to.equal(0);
    d.evdns_base_set_option(dns, "timeout:", "0.3");
    d.evdns_base_set_option(dns, "attempts:", "1");
  });
  afterEach(() => {
    if (!dns.freed) d.evdns_base_free(dns, 0);
    event_base_free(base);
  });

  function collector() {
    const got: Answer[] = [];
    const cb = (
      result: number,
      type: number,
      count: number,
      ttl: number,
      addresses: any,
      arg: any,
    ) => got.push({ result, type, count, ttl, addresses, arg });
    return { got, cb };
  }

  describe("resolve requests", () => {
    it("run their callback once, from the loop, with the answer; the request keeps dispatch alive", async () => {
      const { got, cb } = collector();
      const arg = { tag: 1 };
      const req = d.evdns_base_resolve_ipv4(dns, "localhost", 0, cb, arg);
      expect(req).to.not.equal(null);
      await new Promise((r) => setTimeout(r, 50));
      expect(got, "nothing before the loop").to.deep.equal([]);
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(got).to.have.length(1);
      expect(got[0]).to.deep.include({
        result: d.DNS_ERR_NONE,
        type: d.DNS_IPv4_A,
        count: 1,
        ttl: 10,
      });
      expect(got[0].addresses).to.deep.equal([LOOPBACK]);
      expect(got[0].arg).to.equal(arg);
    });

    it("give AAAA addresses as 16-byte arrays and PTR names as strings", async () => {
      const { got, cb } = collector();
      d.evdns_base_resolve_ipv6(dns, "a.test", 0, cb, "six");
      await event_base_dispatch(base);
      expect(got[0]).to.deep.include({ result: 0, type: d.DNS_IPv6_AAAA, count: 1 });
      expect(got[0].addresses[0]).to.be.instanceOf(Uint8Array);
      expect(Buffer.from(got[0].addresses[0]).toString("hex")).to.equal(
        "20010db8000000000000000000000001",
      );
      server.zones["1.0.0.10.in-addr.arpa"] = { PTR: "a.test" };
      d.evdns_base_resolve_reverse(dns, { s_addr: htonl(0x0a000001) }, 0, cb, "ptr");
      await event_base_dispatch(base);
      expect(got[1]).to.deep.include({
        result: 0,
        type: d.DNS_PTR,
        count: 1,
        addresses: ["a.test"],
      });
    });

    it("report NXDOMAIN, NODATA, SERVFAIL, REFUSED and timeouts with type 0 and no addresses", async () => {
      const { got, cb } = collector();
      for (const name of [
        "nope.test",
        "v4only.test",
        "servfail.test",
        "refused.test",
        "silent.test",
      ]) {
        const fn = name === "v4only.test" ? d.evdns_base_resolve_ipv6 : d.evdns_base_resolve_ipv4;
        fn(dns, name, 0, cb, name);
      }
      await event_base_dispatch(base);
      const byName = Object.fromEntries(
        got.map((a) => [a.arg, [a.result, a.type, a.count, a.addresses]]),
      );
      expect(byName).to.deep.equal({
        "nope.test": [d.DNS_ERR_NOTEXIST, 0, 0, null],
        "v4only.test": [d.DNS_ERR_NODATA, 0, 0, null],
        // evdns takes a SERVFAIL for a timeout (it retransmits, then gives up).
        "servfail.test": [d.DNS_ERR_TIMEOUT, 0, 0, null],
        "refused.test": [d.DNS_ERR_REFUSED, 0, 0, null],
        "silent.test": [d.DNS_ERR_TIMEOUT, 0, 0, null],
      });
    });

    it("a cancelled request reports DNS_ERR_CANCEL from the loop; a second cancel is a no-op", async () => {
      const { got, cb } = collector();
      const req = d.evdns_base_resolve_ipv4(dns, "silent.test", 0, cb, null) as d.evdns_request;
      d.evdns_cancel_request(dns, req);
      d.evdns_cancel_request(null, req);
      expect(got).to.deep.equal([]);
      await event_base_dispatch(base);
      expect(got.map((a) => a.result)).to.deep.equal([d.DNS_ERR_CANCEL]);
    });

    it("freeing the base fails pending requests with DNS_ERR_SHUTDOWN, or drops them silently", async () => {
      const { got, cb } = collector();
      d.evdns_base_resolve_ipv4(dns, "silent.test", 0, cb, "fail");
      d.evdns_base_free(dns, 1);
      await event_base_dispatch(base);
      expect(got.map((a) => [a.arg, a.result])).to.deep.equal([["fail", d.DNS_ERR_SHUTDOWN]]);
      const dns2 = d.evdns_base_new(base, 0) as d.evdns_base;
      d.evdns_base_nameserver_ip_add(dns2, `127.0.0.1:${server.port}`);
      d.evdns_base_resolve_ipv4(dns2, "a.test", 0, cb, "drop");
      d.evdns_base_free(dns2, 0);
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(got).to.have.length(1);
    });

    it("wait without nameservers (not keeping the loop alive) until one is added and the base resumes", async () => {
      const { got, cb } = collector();
      d.evdns_base_clear_nameservers_and_suspend(dns);
      d.evdns_base_resolve_ipv4(dns, "a.test", 0, cb, null);
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(got).to.deep.equal([]);
      d.evdns_base_nameserver_ip_add(dns, `127.0.0.1:${server.port}`);
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(got, "adding a nameserver does not send what waits").to.deep.equal([]);
      expect(d.evdns_base_resume(dns)).to.equal(0);
      await event_base_dispatch(base);
      expect(got.map((a) => a.count)).to.deep.equal([2]);
    });

    it("a request in flight when the nameservers are cleared is sent again after resume", async () => {
      const { got, cb } = collector();
      server.zones["later.test"] = { silent: true };
      d.evdns_base_set_option(dns, "timeout:", "5");
      d.evdns_base_resolve_ipv4(dns, "later.test", 0, cb, null);
      await new Promise((r) => setTimeout(r, 100));
      d.evdns_base_clear_nameservers_and_suspend(dns);
      server.zones["later.test"] = { A: ["10.9.9.9"] };
      d.evdns_base_nameserver_ip_add(dns, `127.0.0.1:${server.port}`);
      d.evdns_base_resume(dns);
      await event_base_dispatch(base);
      expect(got.map((a) => [a.result, a.addresses])).to.deep.equal([[0, [htonl(0x0a090909)]]]);
    });

    it("max-inflight holds further requests back until one finishes", async () => {
      const { got, cb } = collector();
      d.evdns_base_set_option(dns, "max-inflight:", "1");
      server.log.length = 0;
      d.evdns_base_resolve_ipv4(dns, "silent.test", 0, cb, "first");
      d.evdns_base_resolve_ipv4(dns, "a.test", 0, cb, "second");
      await event_base_dispatch(base);
      expect(got.map((a) => a.arg)).to.deep.equal(["first", "second"]);
      expect(server.log).to.deep.equal(["silent.test A", "a.test A"]);
    });

    it("names no query can carry give NULL and no callback", async () => {
      const { got, cb } = collector();
      expect(d.evdns_base_resolve_ipv4(dns, "x".repeat(64) + ".test", 0, cb, null)).to.equal(null);
      expect(d.evdns_base_resolve_ipv6(dns, "a.".repeat(130) + "test", 0, cb, null)).to.equal(null);
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(got).to.deep.equal([]);
    });
  });

  describe("evdns_getaddrinfo", () => {
    function gai(node: string | null, serv: string | null, hints: any) {
      const calls: { err: number; res: evutil_addrinfo | null; arg: any }[] = [];
      const req = d.evdns_getaddrinfo(
        dns,
        node,
        serv,
        hints,
        (err, res, arg) => calls.push({ err, res, arg }),
        "arg",
      );
      return { req, calls };
    }
    const addrs = (res: any) => {
      const out: string[] = [];
      for (; res; res = res.ai_next) {
        const b = new Uint8Array(64);
        const sa = res.ai_addr;
        u.evutil_inet_ntop(
          res.ai_family,
          res.ai_family === AF_INET ? sa.sin_addr : sa.sin6_addr,
          b,
          64,
        );
        out.push(`${Buffer.from(b.subarray(0, b.indexOf(0))).toString()}/${res.ai_socktype}`);
      }
      return out;
    };

    it("answers numeric hosts inside the call and returns null", () => {
      const { req, calls } = gai("10.1.2.3", "80", {
        ai_family: AF_UNSPEC,
        ai_socktype: SOCK_STREAM,
      });
      expect(req).to.equal(null);
      expect(calls).to.have.length(1);
      expect(addrs(calls[0].res)).to.deep.equal(["10.1.2.3/1"]);
      expect(calls[0].res?.ai_flags).to.equal(0x80000000 | 0);
    });

    it("merges A then AAAA answers, from the loop", async () => {
      const { req, calls } = gai("a.test", "80", {
        ai_family: AF_UNSPEC,
        ai_socktype: SOCK_STREAM,
      });
      expect(req).to.not.equal(null);
      expect(calls).to.deep.equal([]);
      await event_base_dispatch(base);
      expect(calls.map((c) => [c.err, addrs(c.res), c.arg])).to.deep.equal([
        [0, ["10.0.0.1/1", "10.0.0.2/1", "2001:db8::1/1"], "arg"],
      ]);
    });

    it("after one family answers, the other has getaddrinfo-allow-skew to join", async () => {
      d.evdns_base_set_option(dns, "timeout:", "10");
      d.evdns_base_set_option(dns, "getaddrinfo-allow-skew:", "0.2");
      const { calls } = gai("slow6.test", null, null);
      await event_base_dispatch(base);
      expect(calls.map((c) => [c.err, addrs(c.res)])).to.deep.equal([
        [0, ["10.6.6.6/1", "10.6.6.6/2"]],
      ]);
    });

    it("NXDOMAIN for both is EVUTIL_EAI_NONAME; cancel gives EVUTIL_EAI_CANCEL from the loop", async () => {
      const one = gai("nope.test", "80", null);
      const two = gai("silent.test", "80", null);
      d.evdns_getaddrinfo_cancel(two.req as d.evdns_getaddrinfo_request);
      expect(two.calls).to.deep.equal([]);
      await event_base_dispatch(base);
      expect(one.calls.map((c) => c.err)).to.deep.equal([u.EVUTIL_EAI_NONAME]);
      expect(two.calls.map((c) => c.err)).to.deep.equal([u.EVUTIL_EAI_CANCEL]);
    });

    it("answers names of the hosts file inside the call", () => {
      expect(d.evdns_base_load_hosts(dns, null)).to.equal(0);
      const { req, calls } = gai("LocalHost", "http", {
        ai_family: AF_UNSPEC,
        ai_socktype: SOCK_STREAM,
      });
      expect(req).to.equal(null);
      expect(addrs(calls[0].res)).to.deep.equal(["127.0.0.1/1", "::1/1"]);
      d.evdns_base_clear_host_addresses(dns);
      expect(gai("localhost", "http", null).req).to.not.equal(null);
    });

    it("a NULL evdns base fails at once with EVUTIL_EAI_FAIL, and warns", () => {
      const calls: number[] = [];
      const warnings: string[] = [];
      d.evdns_set_log_fn((is_warn, msg) => warnings.push(`${is_warn} ${msg}`));
      expect(
        d.evdns_getaddrinfo(null, "a.test", null, null, (err) => calls.push(err), null),
      ).to.equal(null);
      d.evdns_set_log_fn(null);
      expect(calls).to.deep.equal([u.EVUTIL_EAI_FAIL]);
      expect(warnings).to.deep.equal([
        "1 Call to getaddrinfo_async with no evdns_base configured.",
      ]);
    });
  });

  describe("the engine's resolveHost (bufferevent_socket_connect_hostname)", () => {
    it("without an evdns base: numeric hosts at once, names from the loop, cancellation reported", async () => {
      const seen: [number, string[]][] = [];
      const cb = (err: number, res: evutil_addrinfo | null) => {
        const list: string[] = [];
        for (let r: any = res; r; r = r.ai_next)
          list.push(
            `${r.ai_family}/${r.ai_socktype}/${u.ntohs(r.ai_addr.sin_port ?? r.ai_addr.sin6_port)}`,
          );
        seen.push([err, list]);
      };
      expect(resolveHost(base, null, "127.0.0.1", 8080, AF_UNSPEC, cb)).to.equal(null);
      expect(seen).to.deep.equal([[0, [`${AF_INET}/1/8080`]]]);
      expect(resolveHost(base, null, "localhost", 80, AF_INET, cb)).to.not.equal(null);
      const cancelled = resolveHost(base, null, "localhost", 81, AF_INET, cb);
      cancelled?.cancel();
      expect(seen).to.have.length(1);
      await event_base_dispatch(base);
      expect(seen.slice(1).sort()).to.deep.equal(
        [
          [0, [`${AF_INET}/1/80`]],
          [u.EVUTIL_EAI_CANCEL, []],
        ].sort(),
      );
    });

    it("with an evdns base: its nameservers and hosts", async () => {
      const seen: number[] = [];
      resolveHost(base, dns, "a.test", 443, AF_INET6, (err, res) =>
        seen.push(err, res?.ai_family ?? -1),
      );
      await event_base_dispatch(base);
      expect(seen).to.deep.equal([0, AF_INET6]);
    });
  });

  describe("localhost through the system's configuration (no test server)", () => {
    it("evdns_getaddrinfo answers localhost from /etc/hosts at once", () => {
      const sys = d.evdns_base_new(base, d.EVDNS_BASE_INITIALIZE_NAMESERVERS) as d.evdns_base;
      expect(sys).to.not.equal(null);
      expect(d.evdns_base_count_nameservers(sys)).to.be.at.least(1);
      const calls: { err: number; res: any }[] = [];
      const r = d.evdns_getaddrinfo(
        sys,
        "localhost",
        "80",
        { ai_family: AF_INET, ai_socktype: SOCK_STREAM },
        (err, res) => calls.push({ err, res }),
        null,
      );
      expect(r).to.equal(null);
      expect(calls[0].err).to.equal(0);
      expect(calls[0].res.ai_addr.sin_addr.s_addr).to.equal(LOOPBACK);
      d.evdns_base_free(sys, 0);
    });

    it("evdns_base_resolve_ipv4 asks the system's nameservers about localhost: one answer, from the loop", async () => {
      const sys = d.evdns_base_new(base, d.EVDNS_BASE_INITIALIZE_NAMESERVERS) as d.evdns_base;
      d.evdns_base_set_option(sys, "timeout:", "2");
      d.evdns_base_set_option(sys, "attempts:", "1");
      const { got, cb } = collector();
      d.evdns_base_resolve_ipv4(sys, "localhost", d.DNS_QUERY_NO_SEARCH, cb, null);
      await event_base_dispatch(base);
      expect(got).to.have.length(1);
      // What a nameserver says of "localhost" is its own business (RFC 6761 suggests 127.0.0.1).
      if (got[0].result === d.DNS_ERR_NONE) expect(got[0].addresses).to.include(LOOPBACK);
      else expect(got[0].type).to.equal(0);
      d.evdns_base_free(sys, 0);
    });
  });

  describe("configuration and misuse", () => {
    it("evdns_base_new: NULL event base allowed; bad flags mean INITIALIZE_NAMESERVERS, with a warning", () => {
      const warnings: string[] = [];
      d.evdns_set_log_fn((is_warn, msg) => {
        if (is_warn) warnings.push(msg);
      });
      const none = d.evdns_base_new(null, 0) as d.evdns_base;
      expect(none).to.not.equal(null);
      expect(() => d.evdns_base_resolve_ipv4(none, "a.test", 0, () => {}, null)).to.throw(
        TypeError,
        /no event_base/,
      );
      const odd = d.evdns_base_new(base, 0x4) as d.evdns_base;
      expect(warnings[0]).to.match(/Unrecognized flag/);
      expect(d.evdns_base_count_nameservers(odd)).to.be.at.least(1);
      expect(d.evdns_base_nameserver_ip_add(odd, "not an address")).to.equal(4);
      expect(warnings[1]).to.equal("Unable to parse nameserver address not an address");
      d.evdns_set_log_fn(null);
      d.evdns_base_free(odd, 0);
      d.evdns_base_free(none, 0);
    });

    it("nameserver_add, sockaddr_add and get_nameserver_addr", () => {
      const b = d.evdns_base_new(base, 0) as d.evdns_base;
      expect(d.evdns_base_nameserver_add(b, htonl(0x7f000002))).to.equal(0);
      const six: any = {};
      u.evutil_parse_sockaddr_port("[::1]:5353", six, { value: 128 });
      expect(d.evdns_base_nameserver_sockaddr_add(b, six, 28, 0)).to.equal(0);
      expect(d.evdns_base_nameserver_sockaddr_add(b, six, 28, 0)).to.equal(3);
      expect(
        d.evdns_base_nameserver_sockaddr_add(b, { sun_family: u.AF_UNIX, sun_path: "/x" }, 110, 0),
      ).to.equal(1);
      // libevent checks in this order: the same address (3), the length (2), the family (1).
      const logged: string[] = [];
      d.evdns_set_log_fn((is_warn, msg) => logged.push(`${is_warn} ${msg}`));
      expect(d.evdns_base_nameserver_sockaddr_add(b, six, 200, 0)).to.equal(3);
      const five: any = {};
      u.evutil_parse_sockaddr_port("[::5]:53", five, { value: 128 });
      expect(d.evdns_base_nameserver_sockaddr_add(b, five, 129, 0)).to.equal(2);
      five.sin6_family = 99;
      expect(d.evdns_base_nameserver_sockaddr_add(b, five, 28, 0)).to.equal(1);
      d.evdns_set_log_fn(null);
      expect(logged.filter((m) => !m.includes("Added"))).to.deep.equal([
        "0 Addrlen 129 too long.",
        "1 Unable to add nameserver <addr with socktype 99>: error 1",
      ]);
      expect(d.evdns_base_count_nameservers(b)).to.equal(2);
      const out: any = {};
      expect(d.evdns_base_get_nameserver_addr(b, 1, out, 128)).to.equal(28);
      expect(u.ntohs(out.sin6_port)).to.equal(5353);
      expect(d.evdns_base_get_nameserver_addr(b, 0, {}, 8)).to.equal(16);
      expect(d.evdns_base_get_nameserver_addr(b, 2, {}, 128)).to.equal(-1);
      expect(d.evdns_base_get_nameserver_addr(b, 0, null, 0), "NULL with no room").to.equal(16);
      d.evdns_base_free(b, 0);
      const empty = d.evdns_base_new(base, 0) as d.evdns_base;
      expect(d.evdns_base_get_nameserver_addr(empty, 0, null, 0)).to.equal(-1);
      d.evdns_base_free(empty, 0);
    });

    it("a freed base, a missing callback or a wrong object are TypeErrors naming the function and argument", () => {
      const b = d.evdns_base_new(base, 0) as d.evdns_base;
      d.evdns_base_free(b, 0);
      expect(() => d.evdns_base_count_nameservers(b)).to.throw(
        TypeError,
        /evdns_base_count_nameservers.*'base'.*freed/,
      );
      expect(() => d.evdns_base_resolve_ipv4(dns, "a.test", 0, null as any, null)).to.throw(
        TypeError,
        /evdns_base_resolve_ipv4.*'callback'/,
      );
      expect(() => d.evdns_cancel_request(dns, {} as any)).to.throw(
        TypeError,
        /evdns_cancel_request.*'req'/,
      );
      expect(() => d.evdns_base_resolve_reverse(dns, {} as any, 0, () => {}, null)).to.throw(
        TypeError,
        /'in'/,
      );
      expect(() => d.evdns_getaddrinfo(dns, "a.test", null, null, undefined as any, null)).to.throw(
        TypeError,
        /'cb'/,
      );
      expect(d.evdns_err_to_string(d.DNS_ERR_TIMEOUT)).to.equal("request timed out");
    });

    it("bind-to sends queries from the given address", async () => {
      expect(d.evdns_base_set_option(dns, "bind-to:", "127.0.0.1")).to.equal(0);
      const { got, cb } = collector();
      d.evdns_base_resolve_ipv4(dns, "a.test", 0, cb, null);
      await event_base_dispatch(base);
      expect(got[0].result).to.equal(0);
    });
  });

  describe("nameserver failures, as regress_dns.c sees them", () => {
    let logs: string[];
    beforeEach(() => {
      logs = [];
      d.evdns_set_log_fn((warn, msg) => {
        if (!/^(Resolve requested|Added nameserver|Sending probe)/.test(msg))
          logs.push(`${warn} ${msg}`);
      });
    });
    afterEach(() => d.evdns_set_log_fn(null));
    const addr = () => `127.0.0.1:${server.port}`;

    it("an empty name with search domains is no request: NULL, and no callback", async () => {
      const { got, cb } = collector();
      d.evdns_base_search_add(dns, "whatever.example.com");
      expect(d.evdns_base_resolve_ipv4(dns, "", 0, cb, null)).to.equal(null);
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(got).to.deep.equal([]);
    });

    it("NOTIMPL or REFUSED marks the nameserver failed and sends the request once more to one added since", async () => {
      const second = await startDnsServer({ "odd.test": { A: ["10.7.7.7"] } });
      try {
        server.zones["odd.test"] = { rcode: 4 };
        server.zones["no.test"] = { rcode: 5 };
        d.evdns_base_set_option(dns, "initial-probe-timeout:", "0.1");
        const { got, cb } = collector();
        d.evdns_base_resolve_ipv4(dns, "no.test", 0, cb, "refused");
        await event_base_dispatch(base);
        d.evdns_base_resolve_ipv4(dns, "odd.test", 0, cb, "reissued");
        expect(d.evdns_base_nameserver_ip_add(dns, `127.0.0.1:${second.port}`)).to.equal(0);
        await event_base_dispatch(base);
        expect(got.map((a) => [a.arg, a.result, a.addresses])).to.deep.equal([
          ["refused", d.DNS_ERR_REFUSED, null],
          ["reissued", d.DNS_ERR_NONE, [htonl(0x0a070707)]],
        ]);
        expect(second.log).to.deep.equal(["odd.test A"]);
        expect(logs).to.include.members([
          `0 Nameserver ${addr()} has failed: Bad response 5 (refused)`,
          `0 Nameserver ${addr()} has failed: Bad response 4 (query not implemented)`,
        ]);
      } finally {
        await second.close();
      }
    });

    it("a timed-out nameserver is probed with google.com after initial-probe-timeout; dispatch runs until it is back up", async () => {
      server.zones["gone.test"] = { silent: true };
      expect(d.evdns_base_set_option(dns, "initial-probe-timeout:", "0.2")).to.equal(0);
      const { got, cb } = collector();
      server.log.length = 0;
      let timedOutAt = 0;
      d.evdns_base_resolve_ipv4(
        dns,
        "gone.test",
        0,
        (...a: Parameters<typeof cb>) => {
          timedOutAt = Date.now();
          cb(...a);
        },
        null,
      );
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(Date.now() - timedOutAt).to.be.at.least(180);
      expect(got.map((a) => a.result)).to.deep.equal([d.DNS_ERR_TIMEOUT]);
      expect(server.log).to.deep.equal(["gone.test A", "google.com A"]);
      expect(logs).to.deep.equal([
        `0 Nameserver ${addr()} has failed: request timed out.`,
        "0 All nameservers have failed",
        `0 Nameserver ${addr()} is back up`,
      ]);
    });

    it("a failed probe waits three times longer for the next; freeing the base stops probing", async () => {
      server.zones["gone.test"] = { silent: true };
      server.zones["google.com"] = { silent: true };
      try {
        d.evdns_base_set_option(dns, "initial-probe-timeout:", "0.2");
        const { got, cb } = collector();
        server.log.length = 0;
        d.evdns_base_resolve_ipv4(dns, "gone.test", 0, cb, null);
        // Timeout at 0.3 s, probes at 0.5 s and (0.8 + 0.6) s, the next one not before 3.5 s.
        event_base_once(base, -1, EV_TIMEOUT, () => d.evdns_base_free(dns, 0), null, {
          tv_sec: 2,
          tv_usec: 400000,
        });
        expect(await event_base_dispatch(base)).to.equal(1);
        expect(got.map((a) => a.result)).to.deep.equal([d.DNS_ERR_TIMEOUT]);
        expect(server.log).to.deep.equal(["gone.test A", "google.com A", "google.com A"]);
      } finally {
        delete server.zones["google.com"];
      }
    });
  });
});
