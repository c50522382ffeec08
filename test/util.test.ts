// event2/util.h conformance: object shapes, boxes, clocks, the random
// generator and misuse. (The parsers and formatters are checked against
// libevent itself in util_diff.test.ts.)
import { expect } from "chai";
import * as u from "../src/event2/util.js";
import { sizeof } from "../src/libc/sizeof.js";
import { EINVAL, errno, set_errno } from "../src/libc/errno.js";

const text = (b: Uint8Array) => Buffer.from(b.subarray(0, b.indexOf(0))).toString("latin1");

describe("event2/util.h", () => {
  describe("constants", () => {
    it("has libevent's values, 64-bit ones as the nearest doubles, shared ones as one binding", async () => {
      expect([
        u.EV_INT8_MAX,
        u.EV_INT8_MIN,
        u.EV_UINT8_MAX,
        u.EV_INT16_MIN,
        u.EV_UINT16_MAX,
      ]).to.deep.equal([127, -128, 255, -32768, 65535]);
      expect([u.EV_INT32_MAX, u.EV_INT32_MIN, u.EV_UINT32_MAX]).to.deep.equal([
        2147483647, -2147483648, 4294967295,
      ]);
      expect(u.EV_INT64_MAX).to.equal(Number("9223372036854775807"));
      expect(u.EV_INT64_MIN).to.equal(-(2 ** 63));
      expect(u.EV_UINT64_MAX).to.equal(2 ** 64);
      expect(u.EV_SSIZE_MIN).to.equal(-(2 ** 63));
      const args = await import("../src/args.js");
      expect(u.EV_SIZE_MAX).to.equal(args.EV_SIZE_MAX);
      expect(u.EV_SSIZE_MAX).to.equal(args.EV_SSIZE_MAX);
      expect([
        u.EVUTIL_AI_PASSIVE,
        u.EVUTIL_AI_CANONNAME,
        u.EVUTIL_AI_NUMERICHOST,
        u.EVUTIL_AI_NUMERICSERV,
      ]).to.deep.equal([1, 2, 4, 1024]);
      expect([
        u.EVUTIL_EAI_NONAME,
        u.EVUTIL_EAI_CANCEL,
        u.EVUTIL_EAI_NODATA,
        u.EVUTIL_EAI_ADDRFAMILY,
      ]).to.deep.equal([-2, -90001, -907, -901]);
      expect([u.EV_MONOT_PRECISE, u.EV_MONOT_FALLBACK]).to.deep.equal([1, 2]);
      const libc = await import("../src/libc/socket.js");
      expect(u.socket).to.equal(libc.socket);
      expect(u.AF_INET6).to.equal(libc.AF_INET6);
    });
  });

  describe("timeval macros", () => {
    it("add and subtract with one carry, as C's macros do", () => {
      const r = { tv_sec: 0, tv_usec: 0 };
      u.evutil_timeradd({ tv_sec: 1, tv_usec: 600000 }, { tv_sec: 2, tv_usec: 500000 }, r);
      expect(r).to.deep.equal({ tv_sec: 4, tv_usec: 100000 });
      u.evutil_timersub({ tv_sec: 1, tv_usec: 100000 }, { tv_sec: 0, tv_usec: 200000 }, r);
      expect(r).to.deep.equal({ tv_sec: 0, tv_usec: 900000 });
      u.evutil_timerclear(r);
      expect(r).to.deep.equal({ tv_sec: 0, tv_usec: 0 });
      expect(u.evutil_timerisset(r)).to.equal(0);
      expect(u.evutil_timerisset({ tv_sec: 0, tv_usec: 1 })).to.equal(1);
    });

    it("timercmp takes C's operator as a string and returns 1 or 0", () => {
      const a = { tv_sec: 1, tv_usec: 5 };
      const b = { tv_sec: 1, tv_usec: 7 };
      const ops = ["<", "<=", ">", ">=", "==", "!="] as const;
      expect(ops.map((op) => u.evutil_timercmp(a, b, op))).to.deep.equal([1, 1, 0, 0, 0, 1]);
      expect(ops.map((op) => u.evutil_timercmp(a, a, op))).to.deep.equal([0, 1, 0, 1, 1, 0]);
      expect(() => u.evutil_timercmp(a, b, "<>" as any)).to.throw(
        TypeError,
        /evutil_timercmp.*'cmp'/,
      );
      expect(() => u.evutil_timeradd(a, null as any, a)).to.throw(
        TypeError,
        /evutil_timeradd.*'uvp'/,
      );
    });
  });

  describe("clocks", () => {
    it("evutil_gettimeofday fills a timeval with the wall clock", () => {
      const tv = { tv_sec: 0, tv_usec: 0 };
      expect(u.evutil_gettimeofday(tv, null)).to.equal(0);
      expect(Math.abs(tv.tv_sec - Date.now() / 1000)).to.be.below(5);
      expect(tv.tv_usec).to.be.within(0, 999999);
    });

    it("monotonic timers never go backwards, in each mode; free accepts NULL", () => {
      for (const flags of [0, u.EV_MONOT_PRECISE, u.EV_MONOT_FALLBACK]) {
        const t = u.evutil_monotonic_timer_new();
        expect(u.evutil_configure_monotonic_time(t, flags)).to.equal(0);
        let last = -1;
        for (let i = 0; i < 1000; i++) {
          const tv = { tv_sec: 0, tv_usec: 0 };
          expect(u.evutil_gettime_monotonic(t, tv)).to.equal(0);
          const us = tv.tv_sec * 1e6 + tv.tv_usec;
          expect(us).to.be.at.least(last);
          last = us;
        }
        u.evutil_monotonic_timer_free(t);
        expect(() => u.evutil_gettime_monotonic(t, { tv_sec: 0, tv_usec: 0 })).to.throw(
          TypeError,
          /already freed/,
        );
      }
      u.evutil_monotonic_timer_free(null);
    });

    it("evutil_date_rfc1123 with a NULL tm formats now", () => {
      const buf = new Uint8Array(64);
      expect(u.evutil_date_rfc1123(buf, 64, null)).to.equal(29);
      expect(text(buf)).to.match(
        /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/,
      );
      expect(() =>
        u.evutil_date_rfc1123(buf, 64, {
          tm_wday: 7,
          tm_mon: 0,
          tm_mday: 1,
          tm_year: 0,
          tm_hour: 0,
          tm_min: 0,
          tm_sec: 0,
        }),
      ).to.throw(RangeError, /tm_wday/);
    });
  });

  describe("strings and numbers", () => {
    it("evutil_snprintf truncates, terminates and returns the full length", () => {
      const buf = new Uint8Array(8);
      expect(u.evutil_snprintf(buf, 8, "%s-%d", "abcdef", 42)).to.equal(9);
      expect(text(buf)).to.equal("abcdef-");
      expect(u.evutil_vsnprintf(buf, 8, "%x", [255])).to.equal(2);
      expect(text(buf)).to.equal("ff");
      expect(u.evutil_snprintf(null as any, 0, "%d", 1)).to.equal(0);
      expect(u.evutil_snprintf(buf, 8, "%n", 1)).to.equal(-1);
      expect(() => u.evutil_snprintf(buf, 9, "x")).to.throw(
        RangeError,
        /evutil_snprintf.*'buflen'/,
      );
    });

    it("evutil_strtoll stores where parsing stopped in the endptr box and sets errno", () => {
      const end = { value: -1 };
      expect(u.evutil_strtoll("  -123abc", end, 10)).to.equal(-123);
      expect(end.value).to.equal(6);
      expect(u.evutil_strtoll("0x7fffffffffffffff", null, 16)).to.equal(2 ** 63);
      set_errno(0);
      expect(u.evutil_strtoll("12", end, 99)).to.equal(0);
      expect(errno).to.equal(EINVAL);
      expect(() => u.evutil_strtoll(null as any, null, 10)).to.throw(
        TypeError,
        /evutil_strtoll.*'s'/,
      );
    });

    it("case-insensitive comparisons fold ASCII only", () => {
      expect(u.evutil_ascii_strcasecmp("HeLLo", "hello")).to.equal(0);
      expect(u.evutil_ascii_strcasecmp("a", "B")).to.equal(-1);
      expect(u.evutil_ascii_strncasecmp("abcX", "ABCy", 3)).to.equal(0);
      expect(u.evutil_ascii_strcasecmp("\u00e9", "\u00c9")).to.not.equal(0);
    });
  });

  describe("the secure random generator", () => {
    it("fills the first n bytes; init succeeds; the device file cannot be chosen", () => {
      expect(u.evutil_secure_rng_init()).to.equal(0);
      const buf = new Uint8Array(64);
      u.evutil_secure_rng_get_bytes(buf, 32);
      expect(buf.subarray(32).every((b) => b === 0)).to.equal(true);
      expect(buf.subarray(0, 32).some((b) => b !== 0)).to.equal(true);
      u.evutil_secure_rng_add_bytes("entropy", 7);
      expect(u.evutil_secure_rng_set_urandom_device_file("/dev/urandom")).to.equal(-1);
      expect(() => u.evutil_secure_rng_get_bytes(buf, 65)).to.throw(RangeError, /'n'/);
    });
  });

  describe("addresses", () => {
    it("evutil_inet_pton fills in_addr / in6_addr objects (network order), or raw bytes", () => {
      const in4 = { s_addr: 0 };
      expect(u.evutil_inet_pton(u.AF_INET, "127.0.0.1", in4)).to.equal(1);
      expect(in4.s_addr).to.equal(u.htonl(u.INADDR_LOOPBACK));
      const in6 = { s6_addr: new Uint8Array(16) };
      const mem = in6.s6_addr;
      expect(u.evutil_inet_pton(u.AF_INET6, "::1", in6)).to.equal(1);
      expect(in6.s6_addr).to.equal(mem);
      expect(Array.from(mem)).to.deep.equal([...new Array(15).fill(0), 1]);
      const fresh: any = {};
      expect(u.evutil_inet_pton(u.AF_INET6, "fe80::2", fresh)).to.equal(1);
      expect(fresh.s6_addr[0]).to.equal(0xfe);
      expect(u.evutil_inet_pton(u.AF_INET, "1.2.3", in4)).to.equal(0);
      expect(u.evutil_inet_pton(99, "1.2.3.4", in4)).to.equal(-1);
      const idx = { value: 7 };
      expect(u.evutil_inet_pton_scope(u.AF_INET6, "fe80::1%1", in6, idx)).to.equal(1);
      expect(idx.value).to.equal(1);
      expect(u.evutil_inet_pton_scope(u.AF_INET6, "fe80::1%no-such-if", in6, idx)).to.equal(0);
    });

    it("evutil_inet_ntop returns dst itself, or null when it does not fit", () => {
      const dst = new Uint8Array(16);
      expect(u.evutil_inet_ntop(u.AF_INET, { s_addr: u.htonl(0x0a000001) }, dst, 16)).to.equal(dst);
      expect(text(dst)).to.equal("10.0.0.1");
      expect(u.evutil_inet_ntop(u.AF_INET, { s_addr: u.htonl(0x0a000001) }, dst, 8)).to.equal(null);
      const six = new Uint8Array(46);
      const a = new Uint8Array(16);
      a[0] = 0x20;
      a[1] = 0x01;
      a[15] = 1;
      expect(u.evutil_inet_ntop(u.AF_INET6, { s6_addr: a }, six, 46)).to.equal(six);
      expect(text(six)).to.equal("2001::1");
      expect(u.evutil_inet_ntop(u.AF_INET6, a, six, 46)).to.equal(six);
      expect(u.evutil_inet_ntop(7, a, six, 46)).to.equal(null);
      expect(() => u.evutil_inet_ntop(u.AF_INET, {}, dst, 16)).to.throw(
        TypeError,
        /evutil_inet_ntop.*'src'/,
      );
    });

    it("evutil_parse_sockaddr_port fills a {} sockaddr_storage in place and the outlen box", () => {
      const ss: any = {};
      const len = { value: sizeof(ss) };
      expect(len.value).to.equal(128);
      expect(u.evutil_parse_sockaddr_port("[::1]:8080", ss, len)).to.equal(0);
      expect(len.value).to.equal(28);
      expect(ss.sin6_family).to.equal(u.AF_INET6);
      expect(ss.sa_family).to.equal(u.AF_INET6);
      expect(ss.ss_family).to.equal(u.AF_INET6);
      expect(u.ntohs(ss.sin6_port)).to.equal(8080);
      const sin: any = {};
      const len4 = { value: 16 };
      expect(u.evutil_parse_sockaddr_port("10.1.2.3:99", sin, len4)).to.equal(0);
      expect(sin.sin_addr.s_addr).to.equal(u.htonl(0x0a010203));
      expect(sin.sin6_addr).to.equal(undefined);
      // Too little room, or not an address: -1 and nothing stored.
      const small = { value: 16 };
      const untouched: any = { keep: 1 };
      expect(u.evutil_parse_sockaddr_port("[::1]:80", untouched, small)).to.equal(-1);
      expect(untouched).to.deep.equal({ keep: 1 });
      expect(small.value).to.equal(16);
      expect(u.evutil_parse_sockaddr_port("example.com:80", {}, { value: 128 })).to.equal(-1);
      expect(() => u.evutil_parse_sockaddr_port("1.2.3.4", {}, null as any)).to.throw(
        TypeError,
        /'outlen'/,
      );
    });

    it("evutil_sockaddr_cmp orders by family, address, then port when asked", () => {
      const sin = (ip: number, port: number) => ({
        sin_family: u.AF_INET,
        sin_port: u.htons(port),
        sin_addr: { s_addr: u.htonl(ip) },
      });
      expect(u.evutil_sockaddr_cmp(sin(1, 80), sin(1, 80), 1)).to.equal(0);
      expect(u.evutil_sockaddr_cmp(sin(1, 80), sin(1, 81), 0)).to.equal(0);
      expect(u.evutil_sockaddr_cmp(sin(1, 80), sin(1, 81), 1)).to.not.equal(0);
      const six: any = {};
      u.evutil_parse_sockaddr_port("[::1]:80", six, { value: 128 });
      expect(Math.sign(u.evutil_sockaddr_cmp(sin(1, 80), six, 1))).to.equal(-1);
      expect(() => u.evutil_sockaddr_cmp(sin(1, 80), {}, 1)).to.throw(TypeError, /'sa2'/);
    });
  });

  describe("evutil_getaddrinfo", () => {
    it("fills the res box with a linked list of evutil_addrinfo objects", () => {
      const res: { value: any } = { value: null };
      const hints = {
        ai_family: u.AF_INET,
        ai_socktype: u.SOCK_STREAM,
        ai_protocol: 0,
        ai_flags: u.EVUTIL_AI_CANONNAME,
      };
      expect(u.evutil_getaddrinfo("127.0.0.1", "8080", hints, res)).to.equal(0);
      const ai = res.value;
      expect(Object.keys(ai).sort()).to.deep.equal([
        "ai_addr",
        "ai_addrlen",
        "ai_canonname",
        "ai_family",
        "ai_flags",
        "ai_next",
        "ai_protocol",
        "ai_socktype",
      ]);
      expect([
        ai.ai_family,
        ai.ai_socktype,
        ai.ai_protocol,
        ai.ai_addrlen,
        ai.ai_canonname,
      ]).to.deep.equal([u.AF_INET, u.SOCK_STREAM, u.IPPROTO_TCP, 16, "127.0.0.1"]);
      expect(u.ntohs(ai.ai_addr.sin_port)).to.equal(8080);
      expect(ai.ai_next).to.equal(null);
      u.evutil_freeaddrinfo(ai);
      expect(() => u.evutil_freeaddrinfo(ai)).to.throw(TypeError, /already freed/);
    });

    it("leaves the box untouched on failure and answers names from the system resolver", () => {
      const res: { value: any } = { value: "untouched" };
      expect(u.evutil_getaddrinfo(null, null, null, res)).to.equal(u.EVUTIL_EAI_NONAME);
      expect(u.evutil_getaddrinfo("1.2.3.4", "80", { ai_family: 99 } as any, res)).to.equal(
        u.EVUTIL_EAI_FAMILY,
      );
      expect(res.value).to.equal("untouched");
      expect(
        u.evutil_getaddrinfo(
          "localhost",
          null,
          { ai_family: u.AF_INET, ai_socktype: u.SOCK_STREAM } as any,
          res,
        ),
      ).to.equal(0);
      expect(res.value.ai_addr.sin_addr.s_addr).to.equal(u.htonl(u.INADDR_LOOPBACK));
      expect(u.evutil_gai_strerror(u.EVUTIL_EAI_NONAME)).to.equal(
        "nodename nor servname provided, or not known",
      );
      expect(() => u.evutil_getaddrinfo("x", null, null, null as any)).to.throw(
        TypeError,
        /evutil_getaddrinfo.*'res'/,
      );
    });
  });
});
