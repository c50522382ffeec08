// libevent's sample/signal-test.c, ported line by line from
// examples/c/signal_test.c: a persistent SIGINT event that reports each
// signal and removes itself on the third, so the loop runs out of events and
// the program ends.
//
// Prints "waiting for SIGINT" once the handler is in place.
import {
  event_add,
  event_base_dispatch,
  event_base_free,
  event_base_new,
  event_del,
  event_free,
  event_get_signal,
  event_self_cbarg,
  evsignal_new,
  type Event,
} from "bufferevent/event2/event";
import { SIGINT, exit, printf } from "bufferevent/libc";

let calls = 0;

function on_signal(fd: number, what: number, arg: any): void {
  const sig: Event = arg;

  printf("signal_cb: got signal %d\n", event_get_signal(sig));
  if (calls >= 2) event_del(sig);
  calls++;
}

let ret = 0;

const base = event_base_new();
if (base === null) exit(1);

// goto out: a labelled block, then the cleanup.
out: {
  const sigint = evsignal_new(base, SIGINT, on_signal, event_self_cbarg());
  if (sigint === null) {
    ret = 2;
    break out;
  }
  event_add(sigint, null);
  printf("waiting for SIGINT\n");

  await event_base_dispatch(base);

  event_free(sigint);
}
event_base_free(base);
exit(ret);
