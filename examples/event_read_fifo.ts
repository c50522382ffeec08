// libevent's sample/event-read-fifo.c (the Unix part), ported line by line
// from examples/c/event_read_fifo.c: make a FIFO named event.fifo in the
// current directory, open it without blocking, and print what writers send,
// read by read, until the last writer hangs up (or SIGINT arrives); then
// remove the FIFO. The file calls (lstat, mkfifo, open, unlink) come from
// bufferevent/libc with the rest of the C library.
import {
  EV_PERSIST,
  EV_READ,
  event_add,
  event_base_dispatch,
  event_base_free,
  event_base_loopbreak,
  event_base_new,
  event_del,
  event_free,
  event_get_base,
  event_new,
  event_self_cbarg,
  evsignal_new,
  libevent_global_shutdown,
  type Event,
} from "bufferevent/event2/event";
import {
  EEXIST,
  O_NONBLOCK,
  O_RDONLY,
  SIGINT,
  S_IFMT,
  S_IFREG,
  close,
  exit,
  fprintf,
  lstat,
  mkfifo,
  open,
  perror,
  read,
  set_errno,
  sizeof,
  stderr,
  stdout,
  unlink,
} from "bufferevent/libc";

function fifo_read(fd: number, event: number, arg: any): void {
  const ev: Event = arg;
  const buf = new Uint8Array(255);

  fprintf(stderr, "fifo_read called with fd: %d, event: %d, arg: %p\n", fd, event, arg);
  const len = read(fd, buf, sizeof(buf) - 1);
  if (len <= 0) {
    if (len === -1) perror("read");
    else fprintf(stderr, "Connection closed\n");
    event_del(ev);
    event_base_loopbreak(event_get_base(ev));
    return;
  }
  buf[len] = 0;
  fprintf(stdout, "Read: %s\n", buf);
}

// SIGINT ends the loop, so that the FIFO still gets removed.
function signal_cb(fd: number, event: number, arg: any): void {
  event_base_loopbreak(arg);
}

const fifo = "event.fifo";
const st: any = {};

// Never replace a regular file that happens to have the name.
if (lstat(fifo, st) === 0 && (st.st_mode & S_IFMT) === S_IFREG) {
  set_errno(EEXIST);
  perror("lstat");
  exit(1);
}
unlink(fifo);
if (mkfifo(fifo, 0o600) === -1) {
  perror("mkfifo");
  exit(1);
}
const fd = open(fifo, O_RDONLY | O_NONBLOCK, 0);
if (fd === -1) {
  perror("open");
  exit(1);
}
fprintf(stderr, "Write data to %s\n", fifo);

const base = event_base_new()!;

const signal_int = evsignal_new(base, SIGINT, signal_cb, base)!;
event_add(signal_int, null);

const evfifo = event_new(base, fd, EV_READ | EV_PERSIST, fifo_read, event_self_cbarg())!;
event_add(evfifo, null);

await event_base_dispatch(base);

event_free(evfifo);
event_free(signal_int);
event_base_free(base);
close(fd);
unlink(fifo);
libevent_global_shutdown();
