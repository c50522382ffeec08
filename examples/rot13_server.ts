// The low-level ROT13 server of the libevent book's first chapter, ported
// line by line from examples/c/rot13_server.c: raw non-blocking sockets, an
// accept event on the listening socket, and per connection recv/send in
// EV_READ/EV_WRITE callbacks.
//
// Usage: node dist/examples/rot13_server.js [port]   (default 40713; 0 picks a free port)
// Prints "listening on PORT" once it accepts connections.
import {
  EV_PERSIST,
  EV_READ,
  EV_WRITE,
  event_add,
  event_base_dispatch,
  event_base_new,
  event_del,
  event_free,
  event_new,
  type Event,
  type EventBase,
} from "../src/event2/event.js";
import { evutil_make_socket_nonblocking } from "../src/event2/util_sockets.js";
import {
  AF_INET,
  EAGAIN,
  FD_SETSIZE,
  SOCK_STREAM,
  SOL_SOCKET,
  SO_REUSEADDR,
  _IONBF,
  accept,
  argc,
  argv,
  assert,
  atoi,
  bind,
  close,
  errno,
  getsockname,
  htons,
  listen,
  ntohs,
  perror,
  printf,
  recv,
  send,
  setsockopt,
  setvbuf,
  sizeof,
  socket,
  stdout,
} from "../src/libc/index.js";

const MAX_LINE = 16384;

function rot13_char(c: number): number {
  const ch = String.fromCharCode(c);
  if ((ch >= "a" && ch <= "m") || (ch >= "A" && ch <= "M")) return c + 13;
  else if ((ch >= "n" && ch <= "z") || (ch >= "N" && ch <= "Z")) return c - 13;
  else return c;
}

interface fd_state {
  buffer: Uint8Array;
  buffer_used: number;

  n_written: number;
  write_upto: number;

  read_event: Event | null;
  write_event: Event | null;
}

function alloc_fd_state(base: EventBase, fd: number): fd_state | null {
  const state: fd_state = {
    buffer: new Uint8Array(MAX_LINE),
    buffer_used: 0,
    n_written: 0,
    write_upto: 0,
    read_event: null,
    write_event: null,
  };
  state.read_event = event_new(base, fd, EV_READ | EV_PERSIST, do_read, state);
  if (!state.read_event) {
    return null;
  }
  state.write_event = event_new(base, fd, EV_WRITE | EV_PERSIST, do_write, state);
  if (!state.write_event) {
    event_free(state.read_event);
    return null;
  }
  state.buffer_used = state.n_written = state.write_upto = 0;
  assert(state.write_event);
  return state;
}

function free_fd_state(state: fd_state): void {
  event_free(state.read_event!);
  event_free(state.write_event!);
}

function do_read(fd: number, events: number, arg: fd_state): void {
  const state = arg;
  const buf = new Uint8Array(1024);
  let i: number;
  let result: number;
  while (true) {
    assert(state.write_event);
    result = recv(fd, buf, sizeof(buf), 0);
    if (result <= 0) break;

    for (i = 0; i < result; ++i) {
      if (state.buffer_used < sizeof(state.buffer))
        state.buffer[state.buffer_used++] = rot13_char(buf[i]);
      if (buf[i] === 0x0a /* '\n' */) {
        assert(state.write_event);
        event_add(state.write_event!, null);
        state.write_upto = state.buffer_used;
      }
    }
  }

  if (result === 0) {
    free_fd_state(state);
    close(fd);
  } else if (result < 0) {
    if (errno === EAGAIN)
      // the socket has no more bytes for now
      return;
    perror("recv");
    free_fd_state(state);
    close(fd);
  }
}

function do_write(fd: number, events: number, arg: fd_state): void {
  const state = arg;

  while (state.n_written < state.write_upto) {
    const result = send(
      fd,
      state.buffer.subarray(state.n_written),
      state.write_upto - state.n_written,
      0,
    );
    if (result < 0) {
      if (errno === EAGAIN)
        // the send buffer is full: wait for EV_WRITE
        return;
      free_fd_state(state);
      close(fd);
      return;
    }
    assert(result !== 0);

    state.n_written += result;
  }

  // Everything buffered so far is sent: start the line buffer over.
  if (state.n_written === state.buffer_used)
    state.n_written = state.write_upto = state.buffer_used = 0;

  event_del(state.write_event!);
}

function do_accept(listener: number, event: number, arg: EventBase): void {
  const base = arg;
  const ss = {};
  const slen = { value: sizeof(ss) };
  const fd = accept(listener, ss, slen);
  if (fd < 0) {
    perror("accept");
  } else if (fd > FD_SETSIZE) {
    close(fd);
  } else {
    evutil_make_socket_nonblocking(fd);
    const state = alloc_fd_state(base, fd);
    assert(state);
    assert(state!.write_event);
    event_add(state!.read_event!, null);
  }
}

async function run(port: number): Promise<void> {
  const sin: Record<string, any> = {};
  const slen = { value: sizeof("struct sockaddr_in") };

  const base = event_base_new();
  if (!base) return;

  sin.sin_family = AF_INET;
  sin.sin_addr = { s_addr: 0 };
  sin.sin_port = htons(port);

  const listener = socket(AF_INET, SOCK_STREAM, 0);
  evutil_make_socket_nonblocking(listener);

  {
    const one = { value: 1 };
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, one, sizeof("int"));
  }

  if (bind(listener, sin, sizeof(sin)) < 0) {
    perror("bind");
    return;
  }

  if (listen(listener, 16) < 0) {
    perror("listen");
    return;
  }

  getsockname(listener, sin, slen);
  printf("listening on %d\n", ntohs(sin.sin_port));

  const listener_event = event_new(base, listener, EV_READ | EV_PERSIST, do_accept, base);
  event_add(listener_event!, null);

  await event_base_dispatch(base);
}

setvbuf(stdout, null, _IONBF, 0);

await run(argc > 1 ? atoi(argv[1]) : 40713);
