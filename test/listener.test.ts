// event2/listener.h conformance over real loopback connections: accepted
// descriptors serve bufferevents, callbacks run from the loop once per
// connection, enable/disable/set_cb/free behave as in libevent (also from
// inside callbacks), the error callback, and misuse.
import { expect } from "chai";
import {
  event_base_dispatch,
  event_base_free,
  event_base_get_num_events,
  event_base_new,
  event_set_log_callback,
  EVENT_BASE_COUNT_ADDED,
  type EventBase,
} from "../src/event2/event.js";
import * as l from "../src/event2/listener.js";
import * as u from "../src/event2/util.js";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_setcb,
  bufferevent_socket_connect,
  bufferevent_socket_new,
  bufferevent_write,
} from "../src/event2/bufferevent.js";
import { evbuffer_add_buffer, evbuffer_get_length, evbuffer_pullup } from "../src/event2/buffer.js";
import { EV_READ, EV_WRITE } from "../src/event2/event.js";
import { EBADF, ECONNRESET, EPIPE, errno } from "../src/libc/errno.js";
import {
  F_GETFD,
  F_GETFL,
  MSG_NOSIGNAL,
  O_NONBLOCK,
  fcntl,
  recv,
  send,
} from "../src/libc/socket.js";
import { event_base_loopbreak, event_base_once, EV_TIMEOUT } from "../src/event2/event.js";
import { event_init } from "../src/event2/event_compat.js";

const loopback = () => ({
  sin_family: u.AF_INET,
  sin_port: 0,
  sin_addr: { s_addr: u.htonl(u.INADDR_LOOPBACK) },
});

function portOf(lev: l.evconnlistener): Record<string, any> {
  const sa: Record<string, any> = {};
  u.getsockname(l.evconnlistener_get_fd(lev), sa, { value: 128 });
  return sa;
}

/** A client socket connecting to `sa` (non-blocking, as bufferevents make them). */
function dial(sa: object): number {
  const fd = u.socket((sa as any).sa_family, u.SOCK_STREAM | u.SOCK_NONBLOCK, 0);
  u.connect(fd, sa, (sa as any).sa_family === u.AF_INET6 ? 28 : 16);
  return fd;
}

describe("event2/listener.h", function () {
  this.timeout(20000);
  let base: EventBase;
  beforeEach(() => {
    base = event_base_new() as EventBase;
  });
  afterEach(() => event_base_free(base));

  it("serves a bufferevent echo over each accepted descriptor (the libevent book's echo server)", async () => {
    const echo_read_cb = (bev: any) =>
      evbuffer_add_buffer(bufferevent_get_output(bev), bufferevent_get_input(bev));
    const accept_conn_cb = (_lev: l.evconnlistener, fd: number) => {
      const bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE) as any;
      bufferevent_setcb(
        bev,
        echo_read_cb,
        null,
        (b: any, what: number) => {
          if (what & BEV_EVENT_EOF) bufferevent_free(b);
        },
        null,
      );
      bufferevent_enable(bev, EV_READ | EV_WRITE);
    };
    const lev = l.evconnlistener_new_bind(
      base,
      accept_conn_cb,
      null,
      l.LEV_OPT_CLOSE_ON_FREE | l.LEV_OPT_REUSEABLE,
      -1,
      loopback(),
      16,
    ) as l.evconnlistener;
    expect(lev).to.not.equal(null);
    const where = portOf(lev);
    const replies: string[] = [];
    for (const word of ["hello", "world"]) {
      const c = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE) as any;
      bufferevent_setcb(
        c,
        (b: any) => {
          const input = bufferevent_get_input(b);
          if (evbuffer_get_length(input) < word.length) return;
          replies.push((evbuffer_pullup(input, -1) as Buffer).toString());
          bufferevent_free(b);
          if (replies.length === 2) l.evconnlistener_free(lev);
        },
        null,
        (b: any, what: number) => {
          if (what & BEV_EVENT_CONNECTED) bufferevent_write(b, word, word.length);
        },
        null,
      );
      bufferevent_enable(c, EV_READ | EV_WRITE);
      expect(bufferevent_socket_connect(c, where, 16)).to.equal(0);
    }
    expect(await event_base_dispatch(base)).to.equal(1);
    expect(replies.sort()).to.deep.equal(["hello", "world"]);
  });

  it("runs the callback only from the loop, once per connection, with the peer's address", async () => {
    const seen: [number, number, number][] = [];
    const clients: number[] = [];
    const lev = l.evconnlistener_new_bind(
      base,
      (lv, fd, sa: any, socklen, arg) => {
        expect(lv).to.equal(lev);
        expect(arg).to.equal("ctx");
        seen.push([sa.sa_family, socklen, (fcntl(fd, F_GETFL) & O_NONBLOCK) !== 0 ? 1 : 0]);
        u.close(fd);
        if (seen.length === 3) l.evconnlistener_free(lv);
      },
      "ctx",
      l.LEV_OPT_CLOSE_ON_FREE,
      16,
      loopback(),
      16,
    ) as l.evconnlistener;
    const where = portOf(lev);
    for (let i = 0; i < 3; i++) clients.push(dial(where));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).to.deep.equal([]);
    await event_base_dispatch(base);
    expect(seen).to.deep.equal([
      [u.AF_INET, 16, 1],
      [u.AF_INET, 16, 1],
      [u.AF_INET, 16, 1],
    ]);
    clients.forEach((fd) => u.close(fd));
  });

  it("keeps dispatch running while enabled; disabled, connections wait in the backlog", async () => {
    let accepted = 0;
    const lev = l.evconnlistener_new_bind(
      base,
      (lv, fd) => {
        u.close(fd);
        if (++accepted === 2) l.evconnlistener_free(lv);
      },
      null,
      l.LEV_OPT_CLOSE_ON_FREE | l.LEV_OPT_DISABLED,
      -1,
      loopback(),
      16,
    ) as l.evconnlistener;
    expect(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED)).to.equal(0);
    const where = portOf(lev);
    const fds = [dial(where), dial(where)];
    expect(await event_base_dispatch(base)).to.equal(1);
    expect(accepted).to.equal(0);
    expect(l.evconnlistener_enable(lev)).to.equal(0);
    expect(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED)).to.equal(1);
    await event_base_dispatch(base);
    expect(accepted).to.equal(2);
    fds.forEach((fd) => u.close(fd));
  });

  it("freeing a listener resets the connections still waiting un-accepted (recv ECONNRESET, then send EPIPE)", async () => {
    const lev = l.evconnlistener_new_bind(
      base,
      () => expect.fail("a disabled listener accepted"),
      null,
      l.LEV_OPT_CLOSE_ON_FREE | l.LEV_OPT_DISABLED,
      16,
      loopback(),
      16,
    ) as l.evconnlistener;
    const fd = dial(portOf(lev));
    const seen: string[] = [];
    // Give the connection time to complete and wait in the queue, then free the listener;
    // the client looks a moment later, as a C program's next loop pass would.
    event_base_once(
      base,
      -1,
      EV_TIMEOUT,
      () => {
        l.evconnlistener_free(lev);
        event_base_once(
          base,
          -1,
          EV_TIMEOUT,
          () => {
            const b = new Uint8Array(8);
            seen.push(`recv ${recv(fd, b, 8, 0)} ${errno}`);
            seen.push(`send ${send(fd, "x", 1, MSG_NOSIGNAL)} ${errno}`);
          },
          null,
          { tv_sec: 0, tv_usec: 100000 },
        );
      },
      null,
      { tv_sec: 0, tv_usec: 100000 },
    );
    expect(await event_base_dispatch(base)).to.equal(1);
    expect(seen).to.deep.equal([`recv -1 ${ECONNRESET}`, `send -1 ${EPIPE}`]);
    u.close(fd);
  });

  it("LEV_OPT_LEAVE_SOCKETS_BLOCKING leaves accepted descriptors blocking; an IPv6 listener reports sockaddr_in6", async () => {
    const six = {
      sin6_family: u.AF_INET6,
      sin6_port: 0,
      sin6_flowinfo: 0,
      sin6_addr: { s6_addr: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) },
      sin6_scope_id: 0,
    };
    let got: number[] = [];
    const lev = l.evconnlistener_new_bind(
      base,
      (lv, fd, sa: any, socklen) => {
        got = [sa.sa_family, socklen, fcntl(fd, F_GETFL) & O_NONBLOCK];
        u.close(fd);
        l.evconnlistener_free(lv);
      },
      null,
      l.LEV_OPT_CLOSE_ON_FREE | l.LEV_OPT_LEAVE_SOCKETS_BLOCKING | l.LEV_OPT_BIND_IPV6ONLY,
      4,
      six,
      28,
    ) as l.evconnlistener;
    expect(lev).to.not.equal(null);
    const fd = dial(portOf(lev));
    await event_base_dispatch(base);
    expect(got).to.deep.equal([u.AF_INET6, 28, 0]);
    u.close(fd);
  });

  it("free inside the accept callback stops accepting and closes the descriptor (CLOSE_ON_FREE)", async () => {
    let calls = 0;
    const lev = l.evconnlistener_new_bind(
      base,
      (lv, fd) => {
        calls++;
        u.close(fd);
        l.evconnlistener_free(lv);
      },
      null,
      l.LEV_OPT_CLOSE_ON_FREE,
      -1,
      loopback(),
      16,
    ) as l.evconnlistener;
    const lfd = l.evconnlistener_get_fd(lev);
    const where = portOf(lev);
    const fds = [dial(where), dial(where), dial(where)];
    await new Promise((r) => setTimeout(r, 50));
    expect(await event_base_dispatch(base)).to.equal(1);
    expect(calls).to.equal(1);
    expect(fcntl(lfd, F_GETFD)).to.equal(-1);
    expect(errno).to.equal(EBADF);
    expect(() => l.evconnlistener_enable(lev)).to.throw(
      TypeError,
      /evconnlistener_enable.*'lev'.*freed/,
    );
    fds.forEach((fd) => u.close(fd));
  });

  it("without CLOSE_ON_FREE the descriptor stays open; evconnlistener_new takes a listening descriptor", async () => {
    const fd = u.socket(u.AF_INET, u.SOCK_STREAM, 0);
    expect(u.bind(fd, loopback(), 16)).to.equal(0);
    expect(u.listen(fd, 8)).to.equal(0);
    let accepted = 0;
    const lev = l.evconnlistener_new(base, null, null, 0, 0, fd) as l.evconnlistener;
    expect(l.evconnlistener_get_fd(lev)).to.equal(fd);
    expect(l.evconnlistener_get_base(lev)).to.equal(base);
    expect(
      event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED),
      "enabled without a callback: not watching",
    ).to.equal(0);
    l.evconnlistener_set_cb(
      lev,
      (lv, c) => {
        accepted++;
        u.close(c);
        l.evconnlistener_free(lv);
      },
      null,
    );
    expect(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED)).to.equal(1);
    const client = dial(portOf(lev));
    await event_base_dispatch(base);
    expect(accepted).to.equal(1);
    expect(fcntl(fd, F_GETFD)).to.not.equal(-1);
    u.close(fd);
    u.close(client);
    expect(l.evconnlistener_new(base, null, null, 0, 5, fd)).to.equal(null);
  });

  it("an accept error goes to the error callback, or is logged when there is none", async () => {
    const logged: string[] = [];
    let quiet: l.evconnlistener | null = null;
    event_set_log_callback((_sev: number, msg: string) => {
      logged.push(msg);
      // Still readable after the error (as in C): stop it from the log callback, inside the loop.
      if (quiet && !quiet.freed) l.evconnlistener_free(quiet);
    });
    try {
      const lev = l.evconnlistener_new_bind(
        base,
        () => {},
        null,
        l.LEV_OPT_CLOSE_ON_FREE,
        -1,
        loopback(),
        16,
      ) as l.evconnlistener;
      const errors: number[] = [];
      l.evconnlistener_set_error_cb(lev, (lv, arg) => {
        errors.push(u.EVUTIL_SOCKET_ERROR());
        expect(arg).to.equal(null);
        l.evconnlistener_free(lv);
      });
      u.shutdown(l.evconnlistener_get_fd(lev), u.SHUT_RDWR);
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(errors).to.deep.equal([22]);

      quiet = l.evconnlistener_new_bind(
        base,
        () => {},
        null,
        l.LEV_OPT_CLOSE_ON_FREE,
        -1,
        loopback(),
        16,
      );
      u.shutdown(l.evconnlistener_get_fd(quiet as l.evconnlistener), u.SHUT_RDWR);
      expect(await event_base_dispatch(base)).to.equal(1);
      expect(logged).to.deep.equal(["Error from accept() call: Invalid argument"]);
    } finally {
      event_set_log_callback(null);
    }
  });

  it("new_bind fails with NULL for backlog 0, no address, a port in use; a NULL base is the current one; misuse throws", async () => {
    expect(l.evconnlistener_new_bind(base, null, null, 0, 0, loopback(), 16)).to.equal(null);
    expect(l.evconnlistener_new_bind(base, null, null, 0, -1, null, 0)).to.equal(null);
    const a = l.evconnlistener_new_bind(
      base,
      null,
      null,
      l.LEV_OPT_CLOSE_ON_FREE | l.LEV_OPT_REUSEABLE,
      -1,
      loopback(),
      16,
    ) as l.evconnlistener;
    expect(
      l.evconnlistener_new_bind(base, null, null, l.LEV_OPT_REUSEABLE, -1, portOf(a), 16),
    ).to.equal(null);
    l.evconnlistener_free(a);
    expect(() =>
      l.evconnlistener_new_bind(null as any, null, null, 0, -1, loopback(), 16),
    ).to.throw(TypeError, /evconnlistener_new_bind.*'base'/);
    // With a current base (event_init), NULL means it, as event_assign reads NULL.
    const cur = event_init();
    try {
      let got = -1;
      const c = l.evconnlistener_new_bind(
        null,
        (_l, fd) => {
          got = fd;
          u.evutil_closesocket(fd);
          event_base_loopbreak(cur);
        },
        null,
        l.LEV_OPT_CLOSE_ON_FREE,
        -1,
        loopback(),
        16,
      ) as l.evconnlistener;
      expect(l.evconnlistener_get_base(c)).to.equal(cur);
      const fd = dial(portOf(c));
      await event_base_dispatch(cur);
      expect(got).to.be.above(-1);
      l.evconnlistener_free(c);
      u.evutil_closesocket(fd);
    } finally {
      event_base_free(null);
    }
    expect(() => l.evconnlistener_new_bind(base, 42 as any, null, 0, -1, loopback(), 16)).to.throw(
      TypeError,
      /'cb'/,
    );
    expect(() => l.evconnlistener_get_fd({} as any)).to.throw(
      TypeError,
      /evconnlistener_get_fd.*'lev'/,
    );
  });
});
