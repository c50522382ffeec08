// IP sockaddrs as the util, dns and listener code handles them: address
// bytes and a host-order port, converted to and from the sockaddr objects of
// contract item 7 through the descriptor layer's one convention
// (./sockaddr.ts), so every sockaddr the package fills looks the same.
import { AF_INET, AF_INET6, AF_UNIX } from "./net_constants.js";
import { bytesOfSAddr, familyOf, fillSockaddr, ntohs, sAddrOf } from "./sockaddr.js";

export { AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC } from "./net_constants.js";
export { familyOf };

export type SockaddrObj = Record<string, any>;

/** An IP sockaddr in plain terms: family, address bytes, port in host order. */
export interface IpAddr {
  family: number;
  addr: Uint8Array;
  port: number;
  scope: number;
  flowinfo: number;
}

/** Reads an AF_INET/AF_INET6 sockaddr object; null for other families or a malformed one. */
export function readIp(sa: SockaddrObj): IpAddr | null {
  const family = familyOf(sa);
  if (family === AF_INET) {
    const s = sa.sin_addr?.s_addr;
    if (typeof s !== "number") return null;
    return { family, addr: bytesOfSAddr(s), port: ntohs(sa.sin_port | 0), scope: 0, flowinfo: 0 };
  }
  if (family === AF_INET6) {
    const b = sa.sin6_addr?.s6_addr;
    if (!(b instanceof Uint8Array) || b.length < 16) return null;
    return {
      family,
      addr: b.slice(0, 16),
      port: ntohs(sa.sin6_port | 0),
      scope: sa.sin6_scope_id >>> 0,
      flowinfo: sa.sin6_flowinfo >>> 0,
    };
  }
  return null;
}

/**
 * Fills `out` in place with an IP sockaddr, as a C call writing a `struct
 * sockaddr *` would: the descriptor layer's layout, with the address bytes
 * stored exactly.
 */
export function fillIp(out: SockaddrObj, ip: IpAddr): SockaddrObj {
  if (ip.family === AF_INET) {
    fillSockaddr(out, { family: AF_INET, ip: "0.0.0.0", port: ip.port });
    out.sin_addr.s_addr = sAddrOf(ip.addr);
  } else {
    fillSockaddr(out, {
      family: AF_INET6,
      ip: "::",
      port: ip.port,
      flowinfo: ip.flowinfo,
      scopeId: ip.scope,
    });
    out.sin6_addr.s6_addr.set(ip.addr.subarray(0, 16));
  }
  return out;
}

/** A new sockaddr_in / sockaddr_in6 object; `port` in host order. */
export function newSockaddr(
  family: number,
  addr: Uint8Array,
  port: number,
  scope = 0,
): SockaddrObj {
  return fillIp({}, { family, addr, port, scope, flowinfo: 0 });
}

/** sizeof the sockaddr struct of a family. */
export function sockaddrLen(family: number): number {
  return family === AF_INET ? 16 : family === AF_INET6 ? 28 : family === AF_UNIX ? 110 : 16;
}

/**
 * evutil_sockaddr_cmp: by family, then address (IPv4 as the s_addr number,
 * IPv6 bytewise), then, if asked, port (network-order values subtracted).
 * Families other than IPv4/IPv6 compare as 1.
 */
export function sockaddrCmp(a: SockaddrObj, b: SockaddrObj, includePort: boolean): number {
  const fa = familyOf(a);
  const r = fa - familyOf(b);
  if (r !== 0) return r;
  if (fa === AF_INET) {
    const x = a.sin_addr.s_addr >>> 0;
    const y = b.sin_addr.s_addr >>> 0;
    if (x !== y) return x < y ? -1 : 1;
    return includePort ? (a.sin_port & 0xffff) - (b.sin_port & 0xffff) : 0;
  }
  if (fa === AF_INET6) {
    const x = a.sin6_addr.s6_addr;
    const y = b.sin6_addr.s6_addr;
    for (let i = 0; i < 16; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return includePort ? (a.sin6_port & 0xffff) - (b.sin6_port & 0xffff) : 0;
  }
  return 1;
}
