// test/c/listener_trace.c ported line by line: the same listener scenario on
// loopback must print the same trace through the port as through libevent.
import { expect } from "chai";
import { buildC, runC } from "./support/cc.js";
import { cformat } from "../src/core/printf.js";
import {
  EVENT_BASE_COUNT_ADDED,
  EV_WRITE,
  event_add,
  event_base_dispatch,
  event_base_free,
  event_base_get_num_events,
  event_base_new,
  event_free,
  event_new,
  type EventBase,
  type Event,
} from "../src/event2/event.js";
import {
  LEV_OPT_CLOSE_ON_FREE,
  LEV_OPT_DISABLED,
  LEV_OPT_REUSEABLE,
  evconnlistener_disable,
  evconnlistener_enable,
  evconnlistener_free,
  evconnlistener_get_base,
  evconnlistener_get_fd,
  evconnlistener_new,
  evconnlistener_new_bind,
  evconnlistener_set_error_cb,
  type evconnlistener,
} from "../src/event2/listener.js";
import {
  AF_INET,
  EVUTIL_SOCKET_ERROR,
  INADDR_LOOPBACK,
  SHUT_RDWR,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_ERROR,
  bind,
  close,
  connect,
  evutil_inet_ntop,
  evutil_socket_error_to_string,
  getsockname,
  getsockopt,
  htonl,
  shutdown,
  socket,
} from "../src/event2/util.js";
import { EBADF, EINPROGRESS, errno } from "../src/libc/errno.js";
import { F_GETFD, F_GETFL, O_NONBLOCK, fcntl } from "../src/libc/socket.js";

async function listenerTrace(): Promise<string> {
  let out = "";
  const printf = (fmt: string, ...a: unknown[]) => {
    out += (cformat(fmt, a) as Buffer).toString("latin1");
  };

  // C's globals, set in main() below and read by the callbacks above it.

  let base: EventBase;

  let lev: evconnlistener;
  const where: Record<string, any> = {};
  const accepted: number[] = [];
  const clients: number[] = [];
  const client_ev: Event[] = [];
  let connected_clients = 0;

  const connect_client = () => {
    const fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const r = connect(fd, where, 16);
    if (r !== 0 && errno !== EINPROGRESS) printf("connect failed: %d\n", errno);
    client_ev.push(event_new(base, fd, EV_WRITE, client_cb, null) as Event);
    event_add(client_ev[client_ev.length - 1], null);
    clients.push(fd);
  };

  const error_cb = (l: evconnlistener, arg: string) => {
    const e = EVUTIL_SOCKET_ERROR();
    printf(
      "error cb: arg=%s same=%d errno=%d (%s)\n",
      arg,
      l === lev,
      e,
      evutil_socket_error_to_string(e),
    );
    evconnlistener_free(l);
    for (const fd of accepted) close(fd);
    for (let i = 0; i < clients.length; i++) {
      event_free(client_ev[i]);
      close(clients[i]);
    }
    printf("freed\n");
  };

  const client_cb = (fd: number, what: number) => {
    const err = { value: 0 };
    getsockopt(fd, SOL_SOCKET, SO_ERROR, err, { value: 4 });
    if (what !== EV_WRITE || err.value !== 0)
      printf("client: what=0x%x so_error=%d\n", what, err.value);
    // The order of connects and accepts is the kernel's: only the last connect is traced.
    if (++connected_clients === 5)
      printf("all clients connected; enable -> %d\n", evconnlistener_enable(lev));
  };

  const accept_cb = (l: evconnlistener, fd: number, sa: any, socklen: number, arg: string) => {
    const buf = new Uint8Array(64);
    accepted.push(fd);
    printf(
      "accept %d: arg=%s same=%d family=%d socklen=%d peer=%s nonblock=%d\n",
      accepted.length,
      arg,
      l === lev,
      sa.sa_family,
      socklen,
      evutil_inet_ntop(AF_INET, sa.sin_addr, buf, buf.length),
      (fcntl(fd, F_GETFL) & O_NONBLOCK) !== 0,
    );
    if (accepted.length === 3) {
      printf("disable -> %d\n", evconnlistener_disable(l));
      connect_client();
      connect_client();
    }
    if (accepted.length === 5)
      printf("shutdown -> %d\n", shutdown(evconnlistener_get_fd(l), SHUT_RDWR));
  };

  base = event_base_new() as EventBase;
  where.sin_family = AF_INET;
  where.sin_port = 0;
  where.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };

  printf(
    "backlog 0 -> %s\n",
    evconnlistener_new_bind(base, accept_cb, null, 0, 0, where, 16) ? "listener" : "NULL",
  );
  printf(
    "no address -> %s\n",
    evconnlistener_new_bind(base, accept_cb, null, 0, -1, null, 0) ? "listener" : "NULL",
  );

  lev = evconnlistener_new_bind(
    base,
    accept_cb,
    "A",
    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
    -1,
    where,
    16,
  ) as evconnlistener;
  printf(
    "listener %s, base same=%d, events=%d\n",
    lev ? "made" : "NULL",
    evconnlistener_get_base(lev) === base,
    event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED),
  );
  evconnlistener_set_error_cb(lev, error_cb);
  const len = { value: 16 };
  getsockname(evconnlistener_get_fd(lev), where, len);

  // The same port again: taken.
  const again = evconnlistener_new_bind(base, accept_cb, null, LEV_OPT_REUSEABLE, -1, where, 16);
  printf("same port again -> %s\n", again ? "listener" : "NULL");

  // evconnlistener_new on a descriptor the program bound, disabled, without a callback.
  const fd2 = socket(AF_INET, SOCK_STREAM, 0);
  const any = { sin_family: AF_INET, sin_port: 0, sin_addr: { s_addr: where.sin_addr.s_addr } };
  bind(fd2, any, 16);
  const l2 = evconnlistener_new(
    base,
    null,
    null,
    LEV_OPT_DISABLED | LEV_OPT_CLOSE_ON_FREE,
    8,
    fd2,
  ) as evconnlistener;
  printf(
    "l2 fd same=%d events=%d\n",
    evconnlistener_get_fd(l2) === fd2,
    event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED),
  );
  printf(
    "l2 enable without cb -> %d events=%d\n",
    evconnlistener_enable(l2),
    event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED),
  );
  printf("l2 disable -> %d\n", evconnlistener_disable(l2));
  evconnlistener_free(l2);
  printf("fd2 closed=%d\n", fcntl(fd2, F_GETFD) === -1 && errno === EBADF);

  for (let i = 0; i < 3; i++) connect_client();
  const r = await event_base_dispatch(base);
  printf("dispatch -> %d, accepted %d\n", r, accepted.length);
  event_base_free(base);
  return out;
}

describe("evconnlistener against libevent 2.1.12 (test/c/listener_trace.c)", function () {
  this.timeout(30000);
  it("accepts, disables, resumes and reports the accept error as libevent does", async () => {
    const want = runC(buildC("listener_trace"));
    expect(await listenerTrace()).to.equal(want);
  });
});
