// struct evconnlistener, built as libevent builds it (listener.c): a
// persistent EV_READ event on the listening descriptor whose callback
// accepts until accept() says EAGAIN, handing each connection to the user's
// callback from the loop. It works through the socket calls of
// src/libc/socket.ts, as libevent works through the kernel's, so accepted
// descriptors are the same managed sockets accept(2) returns, ready for
// bufferevent_socket_new.
import { Event } from "./event.js";
import type { EventBase } from "./event_base.js";
import { EV_PERSIST, EV_READ } from "./flags.js";
import { warn } from "./log.js";
import {
  AF_UNSPEC,
  FD_CLOEXEC,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  O_NONBLOCK,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_KEEPALIVE,
} from "./net_constants.js";
import { familyOf } from "./sockaddr.js";
import { accept, bind, close, fcntl, listen, setsockopt, socket } from "../libc/socket.js";
import { EAGAIN, ECONNABORTED, EINTR, errno } from "../libc/errno.js";
import { strerror } from "../libc/errno_text.js";
import {
  evutil_make_listen_socket_ipv6only,
  evutil_make_listen_socket_reuseable,
  evutil_make_listen_socket_reuseable_port,
  evutil_make_tcp_listen_socket_deferred,
} from "../event2/util_sockets.js";

export const LEV_OPT_LEAVE_SOCKETS_BLOCKING = 1 << 0;
export const LEV_OPT_CLOSE_ON_FREE = 1 << 1;
export const LEV_OPT_CLOSE_ON_EXEC = 1 << 2;
export const LEV_OPT_REUSEABLE = 1 << 3;
export const LEV_OPT_THREADSAFE = 1 << 4;
export const LEV_OPT_DISABLED = 1 << 5;
export const LEV_OPT_DEFERRED_ACCEPT = 1 << 6;
export const LEV_OPT_REUSEABLE_PORT = 1 << 7;
export const LEV_OPT_BIND_IPV6ONLY = 1 << 8;

export type AcceptCb = (
  listener: Listener,
  fd: number,
  sa: object,
  socklen: number,
  arg: any,
) => void;
export type ErrorCb = (listener: Listener, arg: any) => void;

export class Listener {
  /** Freed by the program (evconnlistener_free); the object may live on until its callback returns. */
  freed = false;
  cb: AcceptCb | null;
  errorcb: ErrorCb | null = null;
  arg: any;
  enabled = false;
  /** One for the program, one per callback running (listener_decref_and_unlock). */
  private refcnt = 1;
  readonly ev: Event;

  constructor(
    readonly base: EventBase,
    cb: AcceptCb | null,
    arg: any,
    readonly flags: number,
    readonly fd: number,
  ) {
    this.cb = cb;
    this.arg = arg;
    this.ev = new Event(base, fd, EV_READ | EV_PERSIST, () => this.readable(), this);
    if (!(flags & LEV_OPT_DISABLED)) this.enable();
  }

  /**
   * evconnlistener_new: listens first when backlog asks (> 0: that backlog,
   * < 0: 128, 0: the descriptor already listens). null if listen fails.
   */
  static create(
    base: EventBase,
    cb: AcceptCb | null,
    arg: any,
    flags: number,
    backlog: number,
    fd: number,
  ): Listener | null {
    if (backlog !== 0 && listen(fd, backlog > 0 ? backlog : 128) < 0) return null;
    return new Listener(base, cb, arg, flags, fd);
  }

  /** evconnlistener_new_bind: a new non-blocking socket with the options, bound to `sa`. */
  static bind(
    base: EventBase,
    cb: AcceptCb | null,
    arg: any,
    flags: number,
    backlog: number,
    sa: object | null,
    socklen: number,
  ): Listener | null {
    if (backlog === 0) return null;
    const family = sa ? familyOf(sa) : AF_UNSPEC;
    const fd = socket(
      family,
      SOCK_STREAM | SOCK_NONBLOCK | (flags & LEV_OPT_CLOSE_ON_EXEC ? SOCK_CLOEXEC : 0),
      0,
    );
    if (fd === -1) return null;
    const ok =
      setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, { value: 1 }, 4) === 0 &&
      (!(flags & LEV_OPT_REUSEABLE) || evutil_make_listen_socket_reuseable(fd) === 0) &&
      (!(flags & LEV_OPT_REUSEABLE_PORT) || evutil_make_listen_socket_reuseable_port(fd) === 0) &&
      (!(flags & LEV_OPT_DEFERRED_ACCEPT) || evutil_make_tcp_listen_socket_deferred(fd) === 0) &&
      (!(flags & LEV_OPT_BIND_IPV6ONLY) || evutil_make_listen_socket_ipv6only(fd) === 0) &&
      (sa === null || bind(fd, sa, socklen) === 0);
    const l = ok ? Listener.create(base, cb, arg, flags, backlog, fd) : null;
    if (!l) close(fd);
    return l;
  }

  enable(): number {
    this.enabled = true;
    return this.cb ? this.base.add(this.ev, null) : 0;
  }

  disable(): number {
    this.enabled = false;
    return this.base.del(this.ev);
  }

  setCb(cb: AcceptCb | null, arg: any): void {
    const enable = this.enabled && !this.cb;
    this.cb = cb;
    this.arg = arg;
    if (enable) this.enable();
  }

  free(): void {
    this.freed = true;
    this.cb = null;
    this.errorcb = null;
    this.decref();
  }

  private decref(): boolean {
    if (--this.refcnt > 0) return false;
    this.base.del(this.ev);
    if (this.flags & LEV_OPT_CLOSE_ON_FREE) close(this.fd);
    return true;
  }

  /** listener_read_cb: accept until EAGAIN, one callback per connection. */
  private readable(): void {
    for (;;) {
      const ss = {};
      const len = { value: 128 };
      const fd = accept(this.fd, ss, len);
      if (fd < 0) break;
      if (len.value === 0) {
        close(fd);
        continue;
      }
      if (!(this.flags & LEV_OPT_LEAVE_SOCKETS_BLOCKING))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
      if (this.flags & LEV_OPT_CLOSE_ON_EXEC) fcntl(fd, F_SETFD, FD_CLOEXEC);
      const cb = this.cb;
      if (!cb) {
        close(fd);
        return;
      }
      this.refcnt++;
      cb(this, fd, ss, len.value, this.arg);
      if (this.decref() || !this.enabled) return;
    }
    const err = errno;
    if (err === EAGAIN || err === EINTR || err === ECONNABORTED) return;
    const errorcb = this.errorcb;
    if (!errorcb) {
      warn(`Error from accept() call: ${strerror(err)}`);
      return;
    }
    this.refcnt++;
    errorcb(this, this.arg);
    this.decref();
  }
}
