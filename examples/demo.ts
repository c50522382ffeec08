// `npm start`: the libevent book's ROT13 server (examples/rot13_server.ts,
// started as a child process since it is a main program) and, in this
// process, a client socket bufferevent that sends it one line at a time
// over loopback and prints each line sent and each reply.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EVBUFFER_EOL_LF, evbuffer_add_printf, evbuffer_readln } from "bufferevent/event2/buffer";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_TIMEOUT,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_set_timeouts,
  bufferevent_setcb,
  bufferevent_socket_connect,
  bufferevent_socket_new,
  type BufferEvent,
} from "bufferevent/event2/bufferevent";
import {
  EV_READ,
  EV_WRITE,
  event_base_dispatch,
  event_base_free,
  event_base_new,
} from "bufferevent/event2/event";
import { EVUTIL_SOCKET_ERROR, evutil_socket_error_to_string } from "bufferevent/event2/util";
import { AF_INET, INADDR_LOOPBACK, exit, htonl, htons, printf, sizeof } from "bufferevent/libc";

const LINES = [
  "Hello, world",
  "The quick brown fox jumps over the lazy dog",
  "libevent's bufferevents, in TypeScript",
];

/** Starts the ROT13 server on a free port; resolves that port once it listens. */
function start_server(): Promise<{ port: number; stop: () => void }> {
  const script = fileURLToPath(new URL("./rot13_server.js", import.meta.url));
  const child = spawn(process.execPath, [script, "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const stop = () => void child.kill();
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      const m = /listening on (\d+)\n/.exec((out += d.toString()));
      if (m) resolve({ port: Number(m[1]), stop });
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      reject(new Error(`the ROT13 server exited (${code}) before listening`)),
    );
  });
}

let next = 0;
let status = 1;

function send_next(bev: BufferEvent): void {
  printf("sent: %s\n", LINES[next]);
  evbuffer_add_printf(bufferevent_get_output(bev), "%s\n", LINES[next]);
}

// Each reply line sends the next line; the last one ends the conversation.
function on_read(bev: BufferEvent, arg: any): void {
  const input = bufferevent_get_input(bev);
  let line: Buffer | null;
  while ((line = evbuffer_readln(input, null, EVBUFFER_EOL_LF)) !== null) {
    printf("received: %s\n", line);
    if (++next === LINES.length) {
      status = 0;
      bufferevent_free(bev);
      return;
    }
    send_next(bev);
  }
}

function on_event(bev: BufferEvent, events: number, arg: any): void {
  if (events & BEV_EVENT_CONNECTED) {
    send_next(bev);
    return;
  }
  if (events & BEV_EVENT_TIMEOUT) printf("no answer from the server\n");
  else printf("connection error: %s\n", evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
  bufferevent_free(bev);
}

const server = await start_server();
try {
  const base = event_base_new()!;
  const sin: any = {};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(server.port);
  sin.sin_addr = { s_addr: htonl(INADDR_LOOPBACK) };

  const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)!;
  bufferevent_setcb(bev, on_read, null, on_event, null);
  bufferevent_set_timeouts(bev, { tv_sec: 5, tv_usec: 0 }, null);
  bufferevent_enable(bev, EV_READ | EV_WRITE);
  if (bufferevent_socket_connect(bev, sin, sizeof(sin)) < 0) {
    printf("could not connect\n");
    bufferevent_free(bev);
  }

  // The loop runs until the bufferevent is freed: nothing else is pending.
  await event_base_dispatch(base);
  event_base_free(base);
} finally {
  server.stop();
}
exit(status);
