// Socket options as setsockopt/getsockopt see them, with Linux's rules.
//
// TCP_NODELAY and SO_KEEPALIVE reach the real socket through Node's handle.
// SO_RCVBUF and SO_SNDBUF size the library's own receive and send buffers
// (stream_net.ts); as on Linux, the stored value is twice what was asked,
// and half of it holds data. Until SO_SNDBUF / SO_RCVBUF is set each buffer
// "autotunes" to a larger size, as Linux's do. SO_REUSEADDR, SO_REUSEPORT,
// IPV6_V6ONLY (applied at bind), SO_LINGER (applied at close) and
// TCP_DEFER_ACCEPT are recorded; libuv sets SO_REUSEADDR on every bound
// socket whatever the option says, and Node 20 cannot set SO_REUSEPORT.
import { EINVAL } from "../libc/errno.js";
import {
  AF_INET6,
  AF_UNIX,
  ENOPROTOOPT,
  EOPNOTSUPP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  SOL_SOCKET,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  TCP_DEFER_ACCEPT,
  TCP_NODELAY,
} from "./net_constants.js";
import { isTcp, type UvHandle } from "./net_handles.js";
import type { Bounds } from "./stream_net.js";

/** struct linger */
export interface Linger {
  l_onoff: number;
  l_linger: number;
}

// Linux's defaults (tcp_rmem[1], tcp_wmem[1]; net.core.[rw]mem_default for AF_UNIX),
// its caps (net.core.[rw]mem_max) and floors (SOCK_MIN_RCVBUF/SNDBUF).
const TCP_RCVBUF = 131072;
const TCP_SNDBUF = 16384;
const UNIX_BUF = 212992;
const BUF_MAX = 212992;
const MIN_RCVBUF = 2304;
const MIN_SNDBUF = 4608;
/** The send buffer's data share while SO_SNDBUF was never set. */
const SND_AUTOTUNED = 128 * 1024;
/** The receive buffer's data share while SO_RCVBUF was never set (Linux autotunes it too). */
const RCV_AUTOTUNED = 256 * 1024;
/** TCP_KEEPIDLE Linux uses by default (tcp_keepalive_time), for Node's setKeepAlive. */
const KEEPIDLE_SECS = 7200;

export class SockOpts implements Bounds {
  reuseaddr = 0;
  reuseport = 0;
  keepalive = 0;
  nodelay = 0;
  v6only = 0;
  deferAccept = 0;
  linger: Linger = { l_onoff: 0, l_linger: 0 };
  rcvbuf: number;
  sndbuf: number;
  private sndSet = false;
  private rcvSet = false;

  constructor(private readonly domain: number) {
    this.rcvbuf = domain === AF_UNIX ? UNIX_BUF : TCP_RCVBUF;
    this.sndbuf = domain === AF_UNIX ? UNIX_BUF : TCP_SNDBUF;
  }

  get rcvBound(): number {
    return this.rcvSet ? this.rcvbuf >> 1 : RCV_AUTOTUNED;
  }

  get sndBound(): number {
    return this.sndSet ? this.sndbuf >> 1 : SND_AUTOTUNED;
  }

  /** What an accepted socket inherits from its listener, as Linux copies it. */
  inherit(from: SockOpts): void {
    this.keepalive = from.keepalive;
    this.nodelay = from.nodelay;
    this.linger = { ...from.linger };
    this.rcvbuf = from.rcvbuf;
    this.sndbuf = from.sndbuf;
    this.sndSet = from.sndSet;
    this.rcvSet = from.rcvSet;
  }

  /** Puts the options that live in the kernel onto a new handle. */
  applyTo(h: UvHandle): void {
    if (!isTcp(h)) return;
    if (this.nodelay) h.setNoDelay(true);
    if (this.keepalive) h.setKeepAlive(true, KEEPIDLE_SECS);
  }

  /** setsockopt: 0 or a negative errno. `bound`: IPV6_V6ONLY can no longer change. */
  set(level: number, name: number, v: number | Linger, h: UvHandle | null, bound: boolean): number {
    const n = typeof v === "number" ? v : 0;
    const on = n !== 0 ? 1 : 0;
    if (level === SOL_SOCKET) {
      switch (name) {
        case SO_REUSEADDR:
          this.reuseaddr = on;
          return 0;
        case SO_REUSEPORT:
          // Linux allows port reuse only on inet sockets; clearing it is fine anywhere.
          if (on && this.domain === AF_UNIX) return -EOPNOTSUPP;
          this.reuseport = on;
          return 0;
        case SO_KEEPALIVE:
          this.keepalive = on;
          if (h && isTcp(h)) h.setKeepAlive(on === 1, KEEPIDLE_SECS);
          return 0;
        case SO_RCVBUF:
          this.rcvbuf = Math.max(2 * capped(n), MIN_RCVBUF);
          this.rcvSet = true;
          return 0;
        case SO_SNDBUF:
          this.sndbuf = Math.max(2 * capped(n), MIN_SNDBUF);
          this.sndSet = true;
          return 0;
        case SO_LINGER:
          if (typeof v === "number") return -EINVAL;
          this.linger = { l_onoff: v.l_onoff ? 1 : 0, l_linger: v.l_linger | 0 };
          return 0;
      }
      return -ENOPROTOOPT;
    }
    // AF_UNIX has no options beyond SOL_SOCKET's.
    if (this.domain === AF_UNIX) return -EOPNOTSUPP;
    if (level === IPPROTO_TCP) {
      if (name === TCP_NODELAY) {
        this.nodelay = on;
        if (h && isTcp(h)) h.setNoDelay(on === 1);
        return 0;
      }
      if (name === TCP_DEFER_ACCEPT) {
        this.deferAccept = Math.max(n, 0);
        return 0;
      }
      return -ENOPROTOOPT;
    }
    if (level === IPPROTO_IPV6 && name === IPV6_V6ONLY && this.domain === AF_INET6) {
      if (bound) return -EINVAL;
      this.v6only = on;
      return 0;
    }
    return -ENOPROTOOPT;
  }

  /** getsockopt of everything but SO_ERROR: the value, or a negative errno. */
  get(level: number, name: number): number | Linger {
    if (level === SOL_SOCKET) {
      switch (name) {
        case SO_REUSEADDR:
          return this.reuseaddr;
        case SO_REUSEPORT:
          return this.reuseport;
        case SO_KEEPALIVE:
          return this.keepalive;
        case SO_RCVBUF:
          return this.rcvbuf;
        case SO_SNDBUF:
          return this.sndbuf;
        case SO_LINGER:
          return { ...this.linger };
      }
      return -ENOPROTOOPT;
    }
    if (this.domain === AF_UNIX) return -EOPNOTSUPP;
    if (level === IPPROTO_TCP) {
      if (name === TCP_NODELAY) return this.nodelay;
      if (name === TCP_DEFER_ACCEPT) return this.deferAccept;
      return -ENOPROTOOPT;
    }
    if (level === IPPROTO_IPV6 && name === IPV6_V6ONLY && this.domain === AF_INET6)
      return this.v6only;
    return -ENOPROTOOPT;
  }
}

/** SO_RCVBUF/SO_SNDBUF's argument after Linux caps it (a negative int reads as huge). */
function capped(n: number): number {
  return n < 0 ? BUF_MAX : Math.min(n, BUF_MAX);
}
