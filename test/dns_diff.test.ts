// Differential tests of the resolver: the same scripts of evdns calls run
// through libevent 2.1.12 (test/c/util_dns.c) and through the port, both
// asking the same real DNS server on loopback (./dns_server.test.ts). What
// the calls return, what the callbacks receive and which questions reach the
// server must agree. Callbacks of requests in flight together may run in
// either order, so each "run" block is compared as a set.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildC } from "./support/cc.js";
import { startDnsServer, type DnsServer } from "./dns_server.test.js";
import { cformat } from "../src/core/printf.js";
import { event_base_dispatch, event_base_new, type EventBase } from "../src/event2/event.js";
import * as d from "../src/event2/dns.js";
import {
  AF_INET,
  AF_INET6,
  evutil_freeaddrinfo,
  evutil_gai_strerror,
  inet_ntop,
  inet_pton,
  ntohs,
} from "../src/event2/util.js";

function runCAsync(bin: string, input: string, timeoutMs = 30000): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, [], { stdio: ["pipe", "pipe", "ignore"] });
    let out = "";
    const timer = setTimeout(() => {
      p.kill();
      reject(new Error(`${bin} timed out; output so far:\n${out}`));
    }, timeoutMs);
    p.stdout.on("data", (b: Buffer) => (out += b.toString("latin1")));
    p.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${bin} exited ${code}:\n${out}`));
    });
    p.stdin.end(input);
  });
}

const ntop = (af: number, src: object) => {
  const b = new Uint8Array(64);
  return inet_ntop(af, src, b, 64)
    ? Buffer.from(b.subarray(0, b.indexOf(0))).toString("latin1")
    : "?";
};

function sockaddrText(sa: any): string {
  if (sa.sa_family === AF_INET) return `${ntop(AF_INET, sa.sin_addr)}:${ntohs(sa.sin_port)}`;
  if (sa.sa_family === AF_INET6) return `[${ntop(AF_INET6, sa.sin6_addr)}]:${ntohs(sa.sin6_port)}`;
  return `family ${sa.sa_family}`;
}

/** The port's run of a script: util_dns.c, line for line. */
async function runScript(script: string): Promise<string> {
  let out = "";
  const printf = (fmt: string, ...a: unknown[]) => {
    out += (cformat(fmt, a) as Buffer).toString("latin1");
  };
  const base = event_base_new() as EventBase;
  let dns: d.evdns_base | null = null;
  const reqs: (d.evdns_request | null)[] = [];
  const greqs: (d.evdns_getaddrinfo_request | null)[] = [];
  const opt = (s: string) => (s === "-" ? null : s);

  const resolve_cb = (
    result: number,
    type: number,
    count: number,
    ttl: number,
    addresses: any,
    arg: number,
  ) => {
    printf(
      "cb %d: result=%d (%s) type=%d count=%d ttl=%d",
      arg,
      result,
      d.evdns_err_to_string(result),
      type,
      count,
      ttl,
    );
    for (let i = 0; i < count; i++) {
      if (type === d.DNS_IPv4_A) printf(" %s", ntop(AF_INET, { s_addr: addresses[i] }));
      else if (type === d.DNS_IPv6_AAAA) printf(" %s", ntop(AF_INET6, { s6_addr: addresses[i] }));
      else if (type === d.DNS_PTR) printf(" %s", addresses[0]);
    }
    printf("\n");
  };
  const print_ai = (ai: any) => {
    for (; ai; ai = ai.ai_next)
      printf(
        " | flags=%d fam=%d st=%d pr=%d len=%d canon=%s %s",
        ai.ai_flags,
        ai.ai_family,
        ai.ai_socktype,
        ai.ai_protocol,
        ai.ai_addrlen,
        ai.ai_canonname ?? "(null)",
        sockaddrText(ai.ai_addr),
      );
  };
  const gai_cb = (err: number, ai: any, arg: number) => {
    printf("gcb %d: err=%d (%s)", arg, err, evutil_gai_strerror(err));
    print_ai(ai);
    printf("\n");
    if (ai) evutil_freeaddrinfo(ai);
  };

  d.evdns_set_log_fn((is_warn, msg) => {
    if (is_warn) printf("warn: %s\n", msg);
  });
  let n = 0;
  for (const line of script.split("\n")) {
    const f = line.split("\t");
    n++;
    const c = f[0];
    const dnsb = dns as d.evdns_base;
    if (c === "new") {
      dns = d.evdns_base_new(base, Number(f[1]));
      printf("new: %s\n", dns ? "base" : "NULL");
      if (!dns) dns = d.evdns_base_new(base, 0);
    } else if (c === "ns")
      printf("ns %s -> %d\n", f[1], d.evdns_base_nameserver_ip_add(dnsb, f[1]));
    else if (c === "ns4") {
      const a = { s_addr: 0 };
      inet_pton(AF_INET, f[1], a);
      printf("ns4 -> %d\n", d.evdns_base_nameserver_add(dnsb, a.s_addr));
    } else if (c === "opt")
      printf("opt %s %s -> %d\n", f[1], f[2], d.evdns_base_set_option(dnsb, f[1], f[2]));
    else if (c === "search_add") d.evdns_base_search_add(dnsb, f[1]);
    else if (c === "search_clear") d.evdns_base_search_clear(dnsb);
    else if (c === "ndots") d.evdns_base_search_ndots_set(dnsb, Number(f[1]));
    else if (c === "resolv")
      printf("resolv -> %d\n", d.evdns_base_resolv_conf_parse(dnsb, Number(f[1]), opt(f[2])));
    else if (c === "hosts") printf("hosts -> %d\n", d.evdns_base_load_hosts(dnsb, opt(f[1])));
    else if (c === "clear_hosts") d.evdns_base_clear_host_addresses(dnsb);
    else if (c === "count") printf("count -> %d\n", d.evdns_base_count_nameservers(dnsb));
    else if (c === "getns") {
      const ss: any = {};
      const r = d.evdns_base_get_nameserver_addr(dnsb, Number(f[1]), ss, Number(f[2]));
      printf("getns %s -> %d", f[1], r);
      if (r > 0 && r <= Number(f[2])) printf(" %s", sockaddrText(ss));
      printf("\n");
    } else if (c === "r4" || c === "r6") {
      const fn = c === "r4" ? d.evdns_base_resolve_ipv4 : d.evdns_base_resolve_ipv6;
      reqs[n] = fn(dnsb, f[1], Number(f[2]), resolve_cb, n);
      printf("%s %d %s: %s\n", c, n, f[1], reqs[n] ? "pending" : "NULL");
    } else if (c === "rev4") {
      const a = { s_addr: 0 };
      inet_pton(AF_INET, f[1], a);
      reqs[n] = d.evdns_base_resolve_reverse(dnsb, a, 0, resolve_cb, n);
      printf("rev4 %d: %s\n", n, reqs[n] ? "pending" : "NULL");
    } else if (c === "rev6") {
      const a = { s6_addr: new Uint8Array(16) };
      inet_pton(AF_INET6, f[1], a);
      reqs[n] = d.evdns_base_resolve_reverse_ipv6(dnsb, a, 0, resolve_cb, n);
      printf("rev6 %d: %s\n", n, reqs[n] ? "pending" : "NULL");
    } else if (c === "cancel") {
      d.evdns_cancel_request(dnsb, reqs[Number(f[1])] as d.evdns_request);
      printf("cancel %s\n", f[1]);
    } else if (c === "gai") {
      const hints = {
        ai_family: Number(f[3]),
        ai_socktype: Number(f[4]),
        ai_protocol: Number(f[5]),
        ai_flags: Number(f[6]),
      };
      printf("gai %d %s:\n", n, f[1]);
      greqs[n] = d.evdns_getaddrinfo(
        dnsb,
        opt(f[1]),
        opt(f[2]),
        f[7] === "1" ? hints : null,
        gai_cb,
        n,
      );
      printf("gai %d -> %s\n", n, greqs[n] ? "pending" : "NULL");
    } else if (c === "gcancel") {
      d.evdns_getaddrinfo_cancel(greqs[Number(f[1])] as d.evdns_getaddrinfo_request);
      printf("gcancel %s\n", f[1]);
    } else if (c === "clear")
      printf("clear -> %d\n", d.evdns_base_clear_nameservers_and_suspend(dnsb));
    else if (c === "resume") printf("resume -> %d\n", d.evdns_base_resume(dnsb));
    else if (c === "free") {
      d.evdns_base_free(dnsb, Number(f[1]));
      dns = null;
      printf("free\n");
    } else if (c === "run") {
      printf("run {\n");
      const r = await event_base_dispatch(base);
      printf("} run -> %d\n", r);
    } else if (c === "errstr")
      printf("errstr %s -> %s\n", f[1], d.evdns_err_to_string(Number(f[1])));
    else printf("unknown command %s\n", c);
  }
  d.evdns_set_log_fn(null);
  return out;
}

/** Lines inside each run block sorted: requests in flight together may answer in any order. */
function canonical(out: string): string[] {
  const lines = out.split("\n");
  const res: string[] = [];
  let block: string[] | null = null;
  for (const l of lines) {
    if (l === "run {") block = [];
    else if (l.startsWith("} run") && block) {
      res.push("run {", ...block.sort(), l);
      block = null;
    } else (block ?? res).push(l);
  }
  return res;
}

describe("evdns against libevent 2.1.12 (differential, one real DNS server)", function () {
  this.timeout(60000);
  let bin: string;
  let server: DnsServer;
  let dir: string;
  const ptr6 = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

  before(async () => {
    bin = buildC("util_dns");
    dir = mkdtempSync(join(tmpdir(), "dns-diff-"));
    server = await startDnsServer({
      "a.test": { A: ["10.0.0.1", "10.0.0.2"], AAAA: ["2001:db8::1"], ttl: 60 },
      "b.test": { A: ["10.0.0.3"], ttl: 30 },
      "six.test": { AAAA: ["2001:db8::6", "2001:db8::7"], ttl: 20 },
      "host.one.test": { A: ["10.1.1.1"] },
      "host.b.test": { A: ["10.2.2.2"] },
      "x.y.one.test": { A: ["10.3.3.3"] },
      // The port reports PTR answers with TTL 0 (c-ares does not give it), so these have TTL 0.
      "1.0.0.10.in-addr.arpa": { PTR: "a.test", ttl: 0 },
      [ptr6]: { PTR: "six.test", ttl: 0 },
    });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function compare(lines: string[], normalize = (l: string) => l): Promise<void> {
    const script = lines.join("\n").replaceAll("PORT", String(server.port));
    server.log.length = 0;
    const want = await runCAsync(bin, script + "\n");
    const cLog = new Set(server.log);
    server.log.length = 0;
    const got = await runScript(script);
    expect(canonical(got).map(normalize)).to.deep.equal(canonical(want).map(normalize));
    // As a set: c-ares sends on the next loop turn, so a request cancelled in
    // the turn that made it never reaches the server (libevent sends at once).
    expect([...new Set(server.log)].sort(), "questions asked").to.deep.equal([...cLog].sort());
  }

  it("nameservers, options and error strings", async () => {
    await compare([
      "new\t32768",
      "new\t4",
      "count",
      "ns\t127.0.0.1:PORT",
      "ns\t127.0.0.2",
      "ns\t[::1]:5303",
      "ns\t127.0.0.2:53",
      "ns\tnonsense",
      "ns\t[::1",
      "ns4\t127.0.0.4",
      "count",
      ...[0, 1, 2, 3, 4, 5].map((i) => `getns\t${i}\t128`),
      "getns\t0\t4",
      "getns\t-1\t128",
      ...[
        ["ndots", "2"],
        ["ndots:", "x"],
        ["ndots", ""],
        ["timeout:", "0.0001"],
        ["timeout", "1.5"],
        ["timeout", "2x"],
        ["attempts:", "300"],
        ["attempts", "-1"],
        ["bogus:", "1"],
        ["max-inflight:", "0"],
        ["max-inflight", "99999"],
        ["bind-to:", "nonsense"],
        ["bind-to:", "127.0.0.1"],
        ["randomize-case:", "0"],
        ["getaddrinfo-allow-skew:", "-1"],
        ["getaddrinfo-allow-skew", "0.5"],
        ["nd", ""],
        ["ndotsXYZ", "3"],
        ["max-timeouts:", "0"],
        ["so-rcvbuf", "x"],
        ["initial-probe-timeout", "1"],
      ].map(([o, v]) => `opt\t${o}\t${v}`),
      ...[-1, 0, 1, 2, 3, 4, 5, 6, 64, 65, 66, 67, 68, 69, 70, 71, 99].map((e) => `errstr\t${e}`),
      "clear",
      "count",
      "resume",
      "getns\t0\t128",
    ]);
  });

  it("A, AAAA and PTR lookups, failures, cancellation and shutdown", async () => {
    await compare([
      "new\t32768",
      "ns\t127.0.0.1:PORT",
      "r4\ta.test\t0",
      "run",
      "r6\ta.test\t0",
      "r4\tb.test\t0",
      "r4\tsix.test\t0",
      "r4\tnope.test\t0",
      "run",
      "rev4\t10.0.0.1",
      "rev6\t2001:db8::1",
      "rev4\t10.9.9.9",
      "run",
      `r4\t${"a".repeat(64)}.test\t0`,
      `r4\t${"abcdefgh.".repeat(28)}test\t0`,
      "r4\ta.test\t0",
      "cancel\t16",
      "run",
      "r4\tb.test\t0",
      "free\t1",
      "run",
    ]);
  });

  it("evdns_getaddrinfo: numeric and hosts answers at once, DNS answers from the loop", async () => {
    const hosts = join(dir, "hosts");
    writeFileSync(
      hosts,
      "# comment\n10.5.5.5 files.test alias.test # trailing\n::5 files.test\n1.2.3.4:80 bad.test\nnot-an-ip x.test\n",
    );
    await compare([
      "new\t32768",
      "ns\t127.0.0.1:PORT",
      "gai\ta.test\t80\t0\t0\t0\t0\t0",
      "run",
      "gai\ta.test\thttp\t2\t1\t0\t0\t1",
      "gai\tsix.test\t443\t0\t1\t6\t0\t1",
      "gai\tnope.test\t80\t0\t0\t0\t0\t1",
      "gai\ta.test\t-\t10\t0\t17\t2\t1",
      "run",
      "gai\t1.2.3.4\t80\t0\t0\t0\t0\t1",
      "gai\t::1\t80\t0\t1\t0\t0\t1",
      "gai\t-\t80\t0\t0\t0\t1\t1",
      "gai\t-\t-\t0\t0\t0\t0\t1",
      "gai\ta.test\t80\t5\t0\t0\t0\t1",
      "gai\ta.test\tnosuchservice\t0\t0\t0\t0\t1",
      "gai\t127.1\t80\t0\t0\t0\t0\t1",
      "gai\tnope.test\t80\t0\t0\t0\t4\t1",
      "gai\t127.1\t80\t0\t0\t0\t4\t1",
      `hosts\t${hosts}`,
      "gai\tfiles.test\t80\t0\t0\t0\t0\t1",
      "gai\tALIAS.test\t81\t2\t1\t0\t0\t1",
      "gai\tfiles.test\t82\t10\t0\t0\t0\t1",
      "gai\tbad.test\t80\t0\t0\t0\t0\t1",
      "clear_hosts",
      "hosts\t-",
      "gai\tlocalhost\t80\t0\t1\t0\t0\t1",
      "gai\tb.test\t80\t0\t0\t0\t0\t1",
      "gcancel\t27",
      "run",
      "gai\tb.test\t80\t2\t0\t0\t0\t1",
      "free\t1",
      "run",
    ]);
  });

  it("localhost asked of the system's nameservers (resolv.conf): the same answer", async () => {
    // A caching resolver may count TTLs down between the two runs.
    await compare(
      [
        "new\t32769",
        "opt\ttimeout:\t2",
        "opt\tattempts:\t1",
        "r4\tlocalhost\t1",
        "r6\tlocalhost\t1",
        "run",
      ],
      (l) => l.replace(/ttl=\d+/, "ttl=_"),
    );
  });

  it("search domains, ndots and resolv.conf", async () => {
    const conf = join(dir, "resolv.conf");
    writeFileSync(
      conf,
      "# a resolv.conf\nsearch a.test b.test\noptions ndots:2 attempts:2 timeout:3\nnameserver 127.0.0.1:PORT\n".replace(
        "PORT",
        String(server.port),
      ),
    );
    const noServers = join(dir, "empty.conf");
    writeFileSync(noServers, "domain one.test\n");
    await compare([
      "new\t32768",
      "ns\t127.0.0.1:PORT",
      "search_add\tone.test",
      "search_add\t..two.test",
      "r4\thost\t0",
      "run",
      "r4\thost\t1",
      "run",
      "r4\tx.y\t0",
      "run",
      "ndots\t3",
      "r4\tx.y\t0",
      "run",
      "r6\thost\t0",
      "run",
      "search_clear",
      "r4\thost\t0",
      "run",
      "free\t0",
      "new\t32768",
      `resolv\t15\t${conf}`,
      "count",
      "r4\thost\t0",
      "run",
      "gai\thost\t80\t2\t1\t0\t0\t1",
      "run",
      "free\t0",
      "new\t32768",
      `resolv\t7\t${noServers}`,
      "count",
      "getns\t0\t128",
      `resolv\t${2 | 16}\t${join(dir, "missing.conf")}`,
      "count",
      `resolv\t3\t${dir}`,
    ]);
  });
});
