// <netdb.h> and glibc's random number generator in bufferevent/libc, held to
// test/c/libc_netdb.c: the TypeScript below prints the lines the C prints.
import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  NI_NAMEREQD,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  RAND_MAX,
  SOCK_STREAM,
  STDERR_FILENO,
  STDIN_FILENO,
  STDOUT_FILENO,
  freeaddrinfo,
  gai_strerror,
  getaddrinfo,
  getnameinfo,
  htons,
  inet_pton,
  rand,
  random,
  srand,
  srandom,
} from "../src/libc/index.js";
import { evutil_gai_strerror } from "../src/event2/util.js";

const cstr = (b: Uint8Array) => Buffer.from(b.subarray(0, b.indexOf(0))).toString();

function names(
  label: string,
  sa: object,
  len: number,
  hl: number,
  sl: number,
  flags: number,
): string {
  const host = new Uint8Array(64);
  const serv = new Uint8Array(32);
  const r = getnameinfo(sa, len, hl ? host : null, hl, sl ? serv : null, sl, flags);
  return `${label} ${r} [${cstr(host)}] [${cstr(serv)}]`;
}

/** What test/c/libc_netdb.c prints. */
function lines(): string[] {
  const out: string[] = [];
  srandom(1); // glibc's state before any seeding, whatever ran before this test
  out.push("unseeded " + [1, 2, 3, 4].map(() => random()).join(" "));
  for (const seed of [42, 0, 1, 123456789, 4294967295]) {
    srandom(seed);
    out.push(`srandom(${seed}) ${random()} ${random()} ${random()}`);
  }
  srand(7);
  out.push(`srand(7) ${rand()} ${rand()}`);
  for (const code of [
    0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -100, -101, -105, -106, 7,
  ])
    out.push(`gai ${code} ${gai_strerror(code)}`);

  const hints = { ai_family: AF_UNSPEC, ai_socktype: SOCK_STREAM, ai_flags: 0, ai_protocol: 0 };
  const res = { value: null as any };
  const e = getaddrinfo("127.0.0.1", "8080", hints, res);
  const ai = res.value;
  out.push(
    `getaddrinfo ${e} family ${ai.ai_family} socktype ${ai.ai_socktype} protocol ${ai.ai_protocol} ` +
      `addrlen ${ai.ai_addrlen} next ${ai.ai_next !== null ? 1 : 0}`,
  );
  out.push(names("from-ai", ai.ai_addr, ai.ai_addrlen, 24, 6, NI_NUMERICHOST | NI_NUMERICSERV));
  freeaddrinfo(ai);
  out.push(`bad-service ${getaddrinfo("127.0.0.1", "no-such-service", hints, res)}`);

  const sin = { sin_family: AF_INET, sin_port: htons(80), sin_addr: {} };
  inet_pton(AF_INET, "127.0.0.1", sin.sin_addr);
  out.push(names("numeric", sin, 16, 64, 32, NI_NUMERICHOST | NI_NUMERICSERV));
  out.push(names("service-name", sin, 16, 64, 32, NI_NUMERICHOST));
  out.push(names("short-host", sin, 16, 5, 32, NI_NUMERICHOST));
  out.push(names("short-serv", sin, 16, 64, 2, NI_NUMERICHOST | NI_NUMERICSERV));
  out.push(names("just-fits", sin, 16, 10, 3, NI_NUMERICHOST | NI_NUMERICSERV));
  out.push(names("neither", sin, 16, 0, 0, 0));
  out.push(names("short-salen", sin, 8, 64, 32, NI_NUMERICHOST));
  out.push(names("host-only", sin, 16, 64, 0, NI_NUMERICHOST));
  out.push(names("name-required", sin, 16, 64, 32, NI_NUMERICHOST | NI_NAMEREQD));
  const s6 = { sin6_family: AF_INET6, sin6_port: htons(19999), sin6_addr: {} };
  inet_pton(AF_INET6, "2001:db8::5", s6.sin6_addr);
  out.push(names("v6", s6, 28, 64, 32, NI_NUMERICHOST | NI_NUMERICSERV));
  return out;
}

describe("libc: netdb and random", () => {
  it("prints what the C twin prints against glibc (random sequences, gai_strerror, getaddrinfo, getnameinfo)", () => {
    const c = runC(buildC("libc_netdb")).trimEnd().split("\n");
    expect(lines()).to.deep.equal(c);
  });

  it("gai_strerror is glibc's wording, evutil_gai_strerror libevent's", () => {
    expect(gai_strerror(-2)).to.equal("Name or service not known");
    expect(evutil_gai_strerror(-2)).to.equal("nodename nor servname provided, or not known");
  });

  it("the standard descriptors and RAND_MAX have <unistd.h>'s and <stdlib.h>'s values", () => {
    expect([STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO, RAND_MAX]).to.deep.equal([
      0, 1, 2, 2147483647,
    ]);
  });

  it("misuse throws naming the call: a freed list, a non-buffer to fill, a length beyond it", () => {
    const res = { value: null as any };
    expect(getaddrinfo("127.0.0.1", "80", null, res)).to.equal(0);
    freeaddrinfo(res.value);
    expect(() => freeaddrinfo(res.value)).to.throw(TypeError, /freeaddrinfo.*already freed/);
    const sin = { sin_family: AF_INET, sin_port: 0, sin_addr: { s_addr: 0 } };
    expect(() => getnameinfo(sin, 16, "x" as any, 1, null, 0, 0)).to.throw(
      TypeError,
      /getnameinfo.*host/,
    );
    expect(() => getnameinfo(sin, 16, new Uint8Array(4), 8, null, 0, 0)).to.throw(
      RangeError,
      /getnameinfo.*hostlen/,
    );
  });
});
