// The POSIX socket calls libevent programs make around libevent (contract
// items 8 and 12), with C's signatures and return conventions: -1 and errno
// on failure, never a throw for a condition C reports. Misuse C would crash
// on (a non-Uint8Array buffer, a length beyond it) throws, naming the call and
// the argument. A net.Socket may stand wherever a descriptor goes.
//
// What Node cannot do (see src/core/net_socket.ts): block. A blocking
// socket's connect returns 0 at once and completes in the background; a
// blocking recv or accept with nothing waiting returns -1/EAGAIN. SIGPIPE is
// never raised (as if every send had MSG_NOSIGNAL). UDP sockets
// (SOCK_DGRAM on AF_INET/AF_INET6) bind, getsockname, sendto, recvfrom,
// recv, read and close (src/core/net_dgram.ts); they cannot connect.
import { Socket } from "node:net";
import * as args from "../args.js";
import { within } from "./cstring.js";
import { set_errno } from "./errno.js";
import { EAFNOSUPPORT, EBADF, EFAULT, EINVAL, EMFILE, ENOTSOCK, EPROTONOSUPPORT } from "./errno.js";
import { descriptorRoom, type Descriptor } from "../core/descriptor.js";
import { descriptorOf, fdOf } from "../core/descriptor_table.js";
import { warn } from "../core/log.js";
import { createSocket, socketArgsErrno } from "../core/net_connect.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  ENOSPC,
  FD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  INADDR_NONE,
  IPPROTO_UDP,
  MSG_PEEK,
  O_NONBLOCK,
  O_RDWR,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ERROR,
  SO_LINGER,
} from "../core/net_constants.js";
import { SocketDescriptor } from "../core/net_socket.js";
import { DgramDescriptor, createDgram } from "../core/net_dgram.js";
import type { Linger } from "../core/net_sockopt.js";
import {
  bytesOfSAddr,
  fillSockaddr,
  readSockaddr,
  sAddrOf,
  type Address,
} from "../core/sockaddr.js";
import { formatIPv4, formatIPv6, parseAton, parseIPv4, parseIPv6 } from "../core/sockaddr_text.js";
import * as sa from "../core/sockaddr.js";

export {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  FD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  INADDR_ANY,
  INADDR_LOOPBACK,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV6_V6ONLY,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  MSG_PEEK,
  O_NONBLOCK,
  PF_INET,
  PF_INET6,
  PF_UNIX,
  PF_UNSPEC,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  TCP_NODELAY,
} from "../core/net_constants.js";

/** A uint16_t/uint32_t argument: any number (C converts it modulo 2^16 / 2^32), or a bigint. */
function uint(fn: string, arg: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(BigInt.asUintN(32, v));
  throw args.typeError(fn, arg, `must be a number, got ${args.describe(v)}`);
}

export function htons(hostshort: number): number {
  return sa.htons(uint("htons", "hostshort", hostshort));
}

export function htonl(hostlong: number): number {
  return sa.htonl(uint("htonl", "hostlong", hostlong));
}

export function ntohs(netshort: number): number {
  return sa.ntohs(uint("ntohs", "netshort", netshort));
}

export function ntohl(netlong: number): number {
  return sa.ntohl(uint("ntohl", "netlong", netlong));
}

type Fd = number | Socket;
type Box<T> = { value: T };

function fail(e: number): -1 {
  set_errno(e);
  return -1;
}

/** A call's engine result: negative errno → -1 with errno set. */
function result(r: number): number {
  return r < 0 ? fail(-r) : r;
}

function fdArg(fn: string, v: unknown): number {
  if (v instanceof Socket) return fdOf(v);
  return args.int(fn, "fd", v);
}

function descriptor(fn: string, fd: unknown): Descriptor | number {
  return descriptorOf(fdArg(fn, fd)) ?? -EBADF;
}

function socketArg(fn: string, fd: unknown): SocketDescriptor | number {
  const d = descriptor(fn, fd);
  if (typeof d === "number") return d;
  return d instanceof SocketDescriptor ? d : -ENOTSOCK;
}

/** `const struct sockaddr *addr, socklen_t addrlen`: the address, or a negative errno. */
function addressArg(fn: string, addr: unknown, addrlen: unknown): Address | number {
  if (addr === null || addr === undefined) return -EFAULT;
  if (typeof addr !== "object")
    throw args.typeError(fn, "addr", `must be a sockaddr object, got ${args.describe(addr)}`);
  const len = addrlen === undefined ? undefined : args.int(fn, "addrlen", addrlen);
  return readSockaddr(addr, len);
}

/** `struct sockaddr *addr, socklen_t *addrlen` to fill (either may be NULL where C allows). */
function fillOut(fn: string, addr: unknown, addrlen: unknown, a: Address): void {
  if (addr === null || addr === undefined) return;
  if (typeof addr !== "object")
    throw args.typeError(
      fn,
      "addr",
      `must be a sockaddr object to fill, got ${args.describe(addr)}`,
    );
  const n = fillSockaddr(addr, a);
  const len = boxArg<number>(fn, addrlen, "addrlen");
  if (len) len.value = n;
}

function boxArg<T>(fn: string, v: unknown, arg: string): Box<T> | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object")
    throw args.typeError(fn, arg, `must be a { value } box or null, got ${args.describe(v)}`);
  return v as Box<T>;
}

// ---- making and naming sockets ----

export function socket(domain: number, type: number, protocol: number): number {
  const fn = "socket";
  const d = args.int(fn, "domain", domain);
  const t = args.int(fn, "type", type);
  const p = args.int(fn, "protocol", protocol);
  const e = socketArgsErrno(fn, d, t, p, true);
  if (e) return fail(e);
  const kind = t & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (kind === SOCK_DGRAM) {
    if (d === AF_UNIX) {
      warn("socket: AF_UNIX sockets are stream sockets only, not SOCK_DGRAM");
      return fail(EPROTONOSUPPORT);
    }
    if (p !== 0 && p !== IPPROTO_UDP) return fail(EPROTONOSUPPORT);
    if (!descriptorRoom()) return fail(EMFILE);
    return createDgram(d, (t & SOCK_NONBLOCK) !== 0, (t & SOCK_CLOEXEC) !== 0).fd;
  }
  if (kind !== SOCK_STREAM) {
    warn(`socket: only SOCK_STREAM and SOCK_DGRAM sockets are supported, not type ${kind}`);
    return fail(EPROTONOSUPPORT);
  }
  if (!descriptorRoom()) return fail(EMFILE);
  return createSocket(d, (t & SOCK_NONBLOCK) !== 0, (t & SOCK_CLOEXEC) !== 0).fd;
}

/** A UDP socket, or a negative errno (ENOTSOCK for anything else). */
function dgramOrSocket(fn: string, fd: unknown): SocketDescriptor | DgramDescriptor | number {
  const d = descriptor(fn, fd);
  if (typeof d === "number") return d;
  return d instanceof SocketDescriptor || d instanceof DgramDescriptor ? d : -ENOTSOCK;
}

export function bind(fd: Fd, addr: object, addrlen: number): number {
  const s = dgramOrSocket("bind", fd);
  if (typeof s === "number") return fail(-s);
  const a = addressArg("bind", addr, addrlen);
  return result(typeof a === "number" ? a : s.bind(a));
}

export function listen(fd: Fd, backlog: number): number {
  const s = socketArg("listen", fd);
  if (typeof s === "number") return fail(-s);
  return result(s.listen(args.int("listen", "backlog", backlog)));
}

/** The new descriptor; `addr` (a `{}` sockaddr_storage) receives the peer, `addrlen` box its size. */
export function accept(fd: Fd, addr: object | null, addrlen: Box<number> | null): number {
  const s = socketArg("accept", fd);
  if (typeof s === "number") return fail(-s);
  const c = s.accept();
  if (typeof c === "number") return fail(-c);
  fillOut("accept", addr, addrlen, c.peerName);
  return c.fd;
}

/**
 * On a non-blocking socket -1/EINPROGRESS, then EV_WRITE readiness and
 * getsockopt(SO_ERROR) tell the outcome. A blocking socket (and any AF_UNIX
 * one) returns 0 at once; see the file comment.
 */
export function connect(fd: Fd, addr: object, addrlen: number): number {
  const s = socketArg("connect", fd);
  if (typeof s === "number") return fail(-s);
  const a = addressArg("connect", addr, addrlen);
  return result(typeof a === "number" ? a : s.connect(a));
}

export function getsockname(fd: Fd, addr: object, addrlen: Box<number> | null): number {
  const s = dgramOrSocket("getsockname", fd);
  if (typeof s === "number") return fail(-s);
  if (addr === null || addr === undefined) return fail(EFAULT);
  fillOut("getsockname", addr, addrlen, s.getsockname());
  return 0;
}

export function getpeername(fd: Fd, addr: object, addrlen: Box<number> | null): number {
  const s = socketArg("getpeername", fd);
  if (typeof s === "number") return fail(-s);
  if (addr === null || addr === undefined) return fail(EFAULT);
  const a = s.getpeername();
  if (typeof a === "number") return fail(-a);
  fillOut("getpeername", addr, addrlen, a);
  return 0;
}

export function shutdown(fd: Fd, how: number): number {
  const s = socketArg("shutdown", fd);
  if (typeof s === "number") return fail(-s);
  return result(s.shutdown(args.int("shutdown", "how", how)));
}

/** close(2) on any descriptor: a managed one releases its Node objects at once. */
export function close(fd: Fd): number {
  const d = descriptor("close", fd);
  if (typeof d === "number") return fail(-d);
  d.close();
  return 0;
}

// ---- options ----

/** An `int` option value: `&one` as a { value } box, a number, a boolean or a typed array. */
function intOpt(fn: string, v: unknown): number {
  if (typeof v === "number" || typeof v === "boolean") return args.int(fn, "optval", v);
  if (v instanceof Int32Array || v instanceof Uint32Array) return v[0] | 0;
  if (v instanceof Uint8Array && v.length >= 4)
    return new DataView(v.buffer, v.byteOffset).getInt32(0, true);
  if (v !== null && typeof v === "object" && "value" in v)
    return args.int(fn, "optval.value", (v as Box<unknown>).value);
  throw args.typeError(
    fn,
    "optval",
    `must be an int: a { value } box, a number or an Int32Array, got ${args.describe(v)}`,
  );
}

function lingerOpt(fn: string, v: unknown): Linger {
  const o = (
    v !== null && typeof v === "object" && "value" in v ? (v as Box<unknown>).value : v
  ) as Linger;
  if (o === null || typeof o !== "object" || typeof o.l_onoff !== "number")
    throw args.typeError(
      fn,
      "optval",
      `must be a struct linger {l_onoff, l_linger}, got ${args.describe(v)}`,
    );
  return o;
}

export function setsockopt(
  fd: Fd,
  level: number,
  optname: number,
  optval: unknown,
  optlen?: number,
): number {
  const fn = "setsockopt";
  const s = socketArg(fn, fd);
  if (typeof s === "number") return fail(-s);
  const lv = args.int(fn, "level", level);
  const name = args.int(fn, "optname", optname);
  if (optval === null || optval === undefined) return fail(EFAULT);
  const linger = lv === SOL_SOCKET && name === SO_LINGER;
  if (optlen !== undefined && args.int(fn, "optlen", optlen) < (linger ? 8 : 4))
    return fail(EINVAL);
  const v = linger ? lingerOpt(fn, optval) : intOpt(fn, optval);
  return result(s.setOption(lv, name, v));
}

/** `optval` receives the value: a { value } box (or Int32Array) for an int, a `{}` for struct linger. */
export function getsockopt(
  fd: Fd,
  level: number,
  optname: number,
  optval: unknown,
  optlen: Box<number> | null,
): number {
  const fn = "getsockopt";
  const s = socketArg(fn, fd);
  if (typeof s === "number") return fail(-s);
  const lv = args.int(fn, "level", level);
  const name = args.int(fn, "optname", optname);
  if (optval === null || typeof optval !== "object")
    throw args.typeError(
      fn,
      "optval",
      `must be a { value } box, an Int32Array or a struct to fill, got ${args.describe(optval)}`,
    );
  const v = lv === SOL_SOCKET && name === SO_ERROR ? s.takeError() : s.opts.get(lv, name);
  if (typeof v === "number" && v < 0) return fail(-v);
  const len = boxArg<number>(fn, optlen, "optlen");
  if (typeof v === "number") {
    if (optval instanceof Int32Array || optval instanceof Uint32Array) optval[0] = v;
    else if (optval instanceof Uint8Array)
      new DataView(optval.buffer, optval.byteOffset).setInt32(0, v, true);
    else (optval as Box<number>).value = v;
    if (len) len.value = 4;
  } else {
    if ("value" in optval) (optval as Box<Linger>).value = v;
    else Object.assign(optval, v);
    if (len) len.value = 8;
  }
  return 0;
}

// ---- moving bytes ----

function outBuf(fn: string, buf: unknown, n: unknown, nArg: string): Uint8Array {
  if (!(buf instanceof Uint8Array))
    throw args.typeError(fn, "buf", `must be a Uint8Array to fill, got ${args.describe(buf)}`);
  if (n === undefined) return buf;
  const k = args.size(fn, nArg, n);
  within(fn, k, nArg, ["buf", buf]);
  return buf.subarray(0, k);
}

/** read(2) into `buf`: the count, 0 at end of stream, -1 with errno (EAGAIN when nothing waits). */
export function read(fd: Fd, buf: Uint8Array, count: number): number {
  const dst = outBuf("read", buf, count, "count");
  const d = descriptor("read", fd);
  if (typeof d === "number") return fail(-d);
  return dst.length === 0 ? 0 : result(d.readInto(dst, false));
}

/** write(2): the count accepted (possibly fewer than offered), or -1 with errno. */
export function write(fd: Fd, buf: Uint8Array | string, count: number): number {
  const data = args.sizedBytes("write", buf, count, "buf", "count");
  const d = descriptor("write", fd);
  if (typeof d === "number") return fail(-d);
  return result(d.write(data));
}

/** recv(2): as read, on sockets only; MSG_PEEK leaves the bytes queued. */
export function recv(fd: Fd, buf: Uint8Array, len: number, flags: number): number {
  const dst = outBuf("recv", buf, len, "len");
  const f = args.int("recv", "flags", flags ?? 0);
  const s = dgramOrSocket("recv", fd);
  if (typeof s === "number") return fail(-s);
  return dst.length === 0 ? 0 : result(s.readInto(dst, (f & MSG_PEEK) !== 0));
}

/**
 * recvfrom(2) on a UDP socket: the datagram's length (the part that fits in
 * `buf`), `src_addr` (a `{}` sockaddr_storage, or null) receiving the sender
 * and `addrlen` box its size; -1/EAGAIN when none waits. On a stream socket,
 * as recv.
 */
export function recvfrom(
  fd: Fd,
  buf: Uint8Array,
  len: number,
  flags: number,
  src_addr: object | null,
  addrlen: Box<number> | null,
): number {
  const fn = "recvfrom";
  const dst = outBuf(fn, buf, len, "len");
  const f = args.int(fn, "flags", flags ?? 0);
  const s = dgramOrSocket(fn, fd);
  if (typeof s === "number") return fail(-s);
  if (s instanceof SocketDescriptor)
    return dst.length === 0 ? 0 : result(s.readInto(dst, (f & MSG_PEEK) !== 0));
  const r = s.recvFrom(dst, (f & MSG_PEEK) !== 0);
  if (r.n < 0) return fail(-r.n);
  if (r.from) fillOut(fn, src_addr, addrlen, r.from);
  return r.n;
}

/** sendto(2) on a UDP socket: one datagram to `dest_addr`; the length sent, or -1 with errno. */
export function sendto(
  fd: Fd,
  buf: Uint8Array | string,
  len: number,
  flags: number,
  dest_addr: object | null,
  addrlen: number,
): number {
  const fn = "sendto";
  const data = args.sizedBytes(fn, buf, len, "buf", "len");
  args.int(fn, "flags", flags ?? 0);
  const s = dgramOrSocket(fn, fd);
  if (typeof s === "number") return fail(-s);
  if (s instanceof SocketDescriptor || dest_addr === null || dest_addr === undefined)
    return result(s.write(data));
  const a = addressArg(fn, dest_addr, addrlen);
  return result(typeof a === "number" ? a : s.sendTo(data, a));
}

/** send(2): as write, on sockets only. */
export function send(fd: Fd, buf: Uint8Array | string, len: number, flags: number): number {
  const data = args.sizedBytes("send", buf, len, "buf", "len");
  args.int("send", "flags", flags ?? 0);
  const s = dgramOrSocket("send", fd);
  if (typeof s === "number") return fail(-s);
  return result(s.write(data));
}

/** F_GETFL/F_SETFL (O_NONBLOCK) and F_GETFD/F_SETFD (FD_CLOEXEC). */
export function fcntl(fd: Fd, cmd: number, arg?: number): number {
  const fn = "fcntl";
  const c = args.int(fn, "cmd", cmd);
  const v = arg === undefined ? 0 : args.int(fn, "arg", arg);
  const d = descriptor(fn, fd);
  if (typeof d === "number") return fail(-d);
  switch (c) {
    case F_GETFL:
      return O_RDWR | (d.nonblock ? O_NONBLOCK : 0);
    case F_SETFL:
      d.nonblock = (v & O_NONBLOCK) !== 0;
      return 0;
    case F_GETFD:
      return d.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
      d.cloexec = (v & FD_CLOEXEC) !== 0;
      return 0;
  }
  return fail(EINVAL);
}

// ---- addresses as text ----

/** `struct in_addr` / `struct in6_addr` (or raw bytes) to fill with the address. */
function putAddr(fn: string, dst: unknown, bytes: Uint8Array): void {
  if (dst instanceof Uint8Array) {
    within(fn, bytes.length, "dst", ["dst", dst]);
    dst.set(bytes);
    return;
  }
  if (dst === null || typeof dst !== "object")
    throw args.typeError(
      fn,
      "dst",
      `must be a struct in_addr / in6_addr object or a Uint8Array, got ${args.describe(dst)}`,
    );
  const o = dst as { s_addr?: number; s6_addr?: Uint8Array };
  if (bytes.length === 4) o.s_addr = sAddrOf(bytes);
  else if (o.s6_addr instanceof Uint8Array && o.s6_addr.length >= 16) o.s6_addr.set(bytes);
  else o.s6_addr = Uint8Array.from(bytes);
}

function getAddr(fn: string, src: unknown, size: number): Uint8Array {
  let b: unknown = src;
  if (src !== null && typeof src === "object" && !(src instanceof Uint8Array)) {
    const o = src as { s_addr?: unknown; s6_addr?: unknown };
    b = size === 4 ? (typeof o.s_addr === "number" ? bytesOfSAddr(o.s_addr) : null) : o.s6_addr;
  }
  if (!(b instanceof Uint8Array) || b.length < size)
    throw args.typeError(
      fn,
      "src",
      `must be a struct ${size === 4 ? "in_addr {s_addr}" : "in6_addr {s6_addr}"} or ${size} bytes, got ${args.describe(src)}`,
    );
  return b;
}

function text(fn: string, v: unknown): string {
  if (typeof v === "string") return v.split("\0")[0];
  if (v instanceof Uint8Array) {
    const nul = v.indexOf(0);
    return Buffer.from(nul < 0 ? v : v.subarray(0, nul)).toString("latin1");
  }
  throw args.typeError(fn, "src", `must be a string, got ${args.describe(v)}`);
}

/** 1 and `dst` filled; 0 for text that is no address of the family; -1/EAFNOSUPPORT. */
export function inet_pton(af: number, src: string | Uint8Array, dst: object): number {
  const fn = "inet_pton";
  const a = args.int(fn, "af", af);
  if (a !== AF_INET && a !== AF_INET6) return fail(EAFNOSUPPORT);
  const s = text(fn, src);
  const bytes = a === AF_INET ? parseIPv4(s) : parseIPv6(s);
  if (!bytes) return 0;
  putAddr(fn, dst, bytes);
  return 1;
}

/** <netinet/in.h>: room for an address's text and its NUL, the sizes programs give inet_ntop. */
export const INET_ADDRSTRLEN = 16;
export const INET6_ADDRSTRLEN = 46;

/** Writes the text, NUL-terminated, into `dst` and returns `dst`; null (errno ENOSPC/EAFNOSUPPORT) on failure. */
export function inet_ntop(
  af: number,
  src: object,
  dst: Uint8Array,
  size: number,
): Uint8Array | null {
  const fn = "inet_ntop";
  const a = args.int(fn, "af", af);
  const out = outBuf(fn, dst, size, "size");
  if (a !== AF_INET && a !== AF_INET6) {
    fail(EAFNOSUPPORT);
    return null;
  }
  const s = a === AF_INET ? formatIPv4(getAddr(fn, src, 4)) : formatIPv6(getAddr(fn, src, 16));
  if (s.length + 1 > out.length) {
    fail(ENOSPC);
    return null;
  }
  out.set(Buffer.from(s + "\0", "latin1"));
  return dst;
}

/** inet_addr: the address in network order, or INADDR_NONE (0xffffffff). */
export function inet_addr(cp: string | Uint8Array): number {
  const b = parseAton(text("inet_addr", cp));
  return b ? sAddrOf(b) : INADDR_NONE;
}

/** inet_ntoa: the dotted-quad text (a Buffer, as a returned `char *`) of a `struct in_addr` or its s_addr. */
export function inet_ntoa(inp: { s_addr: number } | number): Buffer {
  const s = typeof inp === "number" ? inp : (inp as { s_addr?: unknown })?.s_addr;
  if (typeof s !== "number")
    throw args.typeError(
      "inet_ntoa",
      "in",
      `must be a struct in_addr {s_addr}, got ${args.describe(inp)}`,
    );
  return Buffer.from(formatIPv4(bytesOfSAddr(s)), "latin1");
}
