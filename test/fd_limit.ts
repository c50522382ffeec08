// fd_limit: the line-by-line TypeScript port of test/c/fd_limit.c (read that
// file's header). Run as `node dist/test/fd_limit.js`; test/libc_resource.test.ts
// compares its output with the C program's.
import {
  EV_READ,
  event_base_dispatch,
  event_base_free,
  event_base_new,
  event_base_once,
  type EventBase,
} from "../src/event2/event.js";
import {
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_free,
  bufferevent_socket_connect,
  bufferevent_socket_new,
} from "../src/event2/bufferevent.js";
import { evutil_socketpair } from "../src/event2/util.js";
import {
  AF_INET,
  AF_UNIX,
  EINVAL,
  EMFILE,
  EPERM,
  INADDR_LOOPBACK,
  O_RDONLY,
  RLIMIT_NOFILE,
  SOCK_STREAM,
  accept,
  bind,
  close,
  connect,
  errno,
  getrlimit,
  getsockname,
  htonl,
  htons,
  listen,
  memset,
  open,
  printf,
  setrlimit,
  sizeof,
  socket,
} from "../src/libc/index.js";

function err(r: number): string {
  if (r >= 0) return "";
  return errno === EMFILE
    ? " EMFILE"
    : errno === EINVAL
      ? " EINVAL"
      : errno === EPERM
        ? " EPERM"
        : " other";
}

function say(what: string, r: number): void {
  printf("%s %d%s\n", what, r < 0 ? -1 : 0, err(r));
}

let listener: number, spare: number, client: number;

function on_connection(fd: number, what: number, arg: any): void {
  const base: EventBase = arg;
  const sin: any = {};
  const pair: number[] = [];
  void what;
  say("accept at the limit", accept(fd, null, null));
  say("close the file", close(spare));
  const conn = accept(fd, null, null);
  say("accept after a close", conn);
  say("socket", socket(AF_INET, SOCK_STREAM, 0));
  say("socketpair", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
  memset(sin, 0, sizeof(sin));
  sin.sin_family = AF_INET;
  sin.sin_port = htons(1);
  sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };
  const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)!;
  say("bufferevent_socket_connect", bufferevent_socket_connect(bev, sin, sizeof(sin)));
  bufferevent_free(bev);
  close(conn);
  say("socketpair with one free", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
  close(client);
  say("socketpair with two free", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
  close(pair[0]);
  close(pair[1]);
}

const rl: any = {};
const sin: any = {};
const len = { value: sizeof(sin) };
const pair: number[] = [];

say("getrlimit", getrlimit(RLIMIT_NOFILE, rl));
printf("soft <= hard %d\n", +(rl.rlim_cur <= rl.rlim_max));
rl.rlim_cur = rl.rlim_max + 1;
say("soft above hard", setrlimit(RLIMIT_NOFILE, rl));
say("bad resource", setrlimit(99, rl));

const base = event_base_new()!;
rl.rlim_cur = rl.rlim_max = 9; // 0-2 stdio, 3 epoll, 4-5 signal pipe: three left
say("setrlimit 9", setrlimit(RLIMIT_NOFILE, rl));
say("getrlimit", getrlimit(RLIMIT_NOFILE, rl));
printf("limit %d %d\n", rl.rlim_cur, rl.rlim_max);
rl.rlim_max = 10;
say("raise the hard limit", setrlimit(RLIMIT_NOFILE, rl));

listener = socket(AF_INET, SOCK_STREAM, 0);
say("listener", listener);
memset(sin, 0, sizeof(sin));
sin.sin_family = AF_INET;
sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };
bind(listener, sin, sizeof(sin));
listen(listener, 8);
getsockname(listener, sin, len);
client = socket(AF_INET, SOCK_STREAM, 0);
say("client", client);
say("connect", connect(client, sin, sizeof(sin)));
say("socketpair with one left", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
spare = open("/dev/null", O_RDONLY);
say("open", spare);
say("open beyond", open("/dev/null", O_RDONLY));
say("socket beyond", socket(AF_INET, SOCK_STREAM, 0));

event_base_once(base, listener, EV_READ, on_connection, base, null);
await event_base_dispatch(base);
event_base_free(base);
say("socketpair after event_base_free", evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
