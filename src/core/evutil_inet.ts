// libevent's own text <-> address conversions (evutil_inet_pton/_ntop; 2.1.12
// always uses its internal versions, never the libc ones), on raw bytes. The
// parsing rules, quirks included, are libevent's: IPv4 is read with sscanf's
// "%u.%u.%u.%u", so " 1. 2.3.4" is accepted and "1.2.3.4 " is not.
import { readFileSync } from "node:fs";
import { atoi } from "../libc/strtol.js";
import { hexValue, isDigit, scanDottedQuad, strtoulAt } from "./evutil_cnum.js";
import { AF_INET, AF_INET6, type IpAddr } from "./evutil_sockaddr.js";

/** Parses a dotted quad into 4 bytes, or null. */
export function pton4(s: Uint8Array): Uint8Array | null {
  const q = scanDottedQuad(s);
  if (!q || q.some((v) => v > 255)) return null;
  return Uint8Array.from(q);
}

/** Parses an IPv6 address (with an optional trailing dotted quad) into 16 bytes, or null. */
export function pton6(s: Uint8Array): Uint8Array | null {
  const words = new Array<number>(8).fill(0);
  let setWords = 0;
  const dot = s.indexOf(46);
  let eow = s.length;
  if (dot === 0) return null;
  if (dot > 0) {
    eow = dot - 1;
    while (eow >= 0 && isDigit(s[eow])) eow--;
    eow++;
    const q = scanDottedQuad(s, eow);
    if (!q || q.some((v) => v > 255)) return null;
    words[6] = (q[0] << 8) | q[1];
    words[7] = (q[2] << 8) | q[3];
    setWords += 2;
  }
  let gapPos = -1;
  let i = 0;
  let p = 0;
  while (p < eow) {
    if (i > 7) return null;
    if (hexValue(s[p]) >= 0) {
      // strtol(p, &next, 16): at most 4 characters, which lets "0x12" through as libevent does.
      const r = strtoulAt(s, p, 16);
      if (r.end > p + 4 || r.end === p) return null;
      words[i++] = Number(r.value);
      setWords++;
      p = r.end;
      if (s[p] !== 58 && p !== eow) return null;
      p++;
    } else if (s[p] === 58 && i > 0 && gapPos === -1) {
      gapPos = i;
      p++;
    } else if (s[p] === 58 && i === 0 && s[p + 1] === 58 && gapPos === -1) {
      gapPos = i;
      p += 2;
    } else {
      return null;
    }
  }
  if (setWords > 8 || (setWords === 8 && gapPos !== -1) || (setWords < 8 && gapPos === -1))
    return null;
  if (gapPos >= 0) {
    const nToMove = setWords - (dot > 0 ? 2 : 0) - gapPos;
    const gapLen = 8 - setWords;
    const moved = words.slice(gapPos, gapPos + nToMove);
    words.fill(0, gapPos, gapPos + gapLen);
    for (let k = 0; k < nToMove; k++) words[gapPos + gapLen + k] = moved[k];
  }
  const out = new Uint8Array(16);
  words.forEach((w, k) => {
    out[2 * k] = w >> 8;
    out[2 * k + 1] = w & 0xff;
  });
  return out;
}

/**
 * evutil_inet_pton_scope's split of "addr%zone": the address part and the
 * zone's interface index (by name, else a decimal number), or null when the
 * zone is neither.
 */
export function splitScope(s: Uint8Array): { addr: Uint8Array; index: number } | null {
  const pct = s.indexOf(37);
  if (pct < 0) return { addr: s, index: 0 };
  const zone = s.subarray(pct + 1);
  let index = ifNameToIndex(Buffer.from(zone).toString("latin1"));
  if (index === 0) {
    const r = strtoulAt(zone, 0, 10);
    if (r.end !== zone.length) return null;
    index = Number(r.value & 0xffffffffn);
  }
  return { addr: s.subarray(0, pct), index };
}

/** if_nametoindex(3): the interface's index, 0 if there is none by that name. */
export function ifNameToIndex(name: string): number {
  if (name === "" || name.length >= 16 || name.includes("/") || name === "." || name === "..")
    return 0;
  try {
    return parseInt(readFileSync(`/sys/class/net/${name}/ifindex`, "latin1"), 10) || 0;
  } catch {
    return 0;
  }
}

/** Formats 4 address bytes as libevent does. */
export function ntop4(a: Uint8Array): string {
  return `${a[0]}.${a[1]}.${a[2]}.${a[3]}`;
}

/**
 * Formats 16 address bytes as libevent does: IPv4-compatible and mapped
 * forms keep a dotted quad, the first longest run of two or more zero words
 * becomes "::".
 */
export function ntop6(a: Uint8Array): string {
  const w = Array.from({ length: 8 }, (_, i) => (a[2 * i] << 8) | a[2 * i + 1]);
  if (
    w[0] === 0 &&
    w[1] === 0 &&
    w[2] === 0 &&
    w[3] === 0 &&
    w[4] === 0 &&
    ((w[5] === 0 && w[6] && w[7]) || w[5] === 0xffff)
  ) {
    const quad = `${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
    return w[5] === 0 ? `::${quad}` : `::${w[5].toString(16)}:${quad}`;
  }
  let bestPos = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    const pos = i;
    while (i < 8 && w[i] === 0) i++;
    if (i - pos > bestLen) {
      bestPos = pos;
      bestLen = i - pos;
    }
  }
  if (bestLen <= 1) bestPos = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === bestPos) {
      out += i === 0 ? "::" : ":";
      i += bestLen - 1;
    } else {
      out += w[i].toString(16);
      if (i !== 7) out += ":";
    }
  }
  return out;
}

/**
 * evutil_parse_sockaddr_port: "[ipv6]:port", "[ipv6]", "ipv6", "ipv4:port"
 * or "ipv4". The port, read with atoi, must be 1..65535 when present;
 * anything after "]" other than ":port" is ignored, as libevent ignores it.
 */
export function parseSockaddrPort(s: Uint8Array): IpAddr | null {
  const colon = s.indexOf(58);
  let addr: Uint8Array;
  let portPart: Uint8Array | null = null;
  let ipv6 = false;
  if (s[0] === 91) {
    const close = s.indexOf(93);
    if (close < 0 || close - 1 > 127) return null;
    addr = s.subarray(1, close);
    if (s[close + 1] === 58) portPart = s.subarray(close + 2);
    ipv6 = true;
  } else if (colon >= 0 && s.indexOf(58, colon + 1) >= 0) {
    addr = s;
    ipv6 = true;
  } else if (colon >= 0) {
    if (colon > 127) return null;
    addr = s.subarray(0, colon);
    portPart = s.subarray(colon + 1);
  } else {
    addr = s;
  }
  let port = 0;
  if (portPart) {
    port = atoi(portPart);
    if (port <= 0 || port > 65535) return null;
  }
  if (ipv6) {
    const scoped = splitScope(addr);
    const a = scoped && pton6(scoped.addr);
    if (!a) return null;
    return { family: AF_INET6, addr: a, port, scope: scoped.index, flowinfo: 0 };
  }
  const a = pton4(addr);
  return a && { family: AF_INET, addr: a, port, scope: 0, flowinfo: 0 };
}
