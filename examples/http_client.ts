// The libevent book's trivial HTTP client (chapter "Bufferevents: concepts
// and basics", bufferevent_socket_connect_hostname), ported line by line from
// examples/c/http_client.c: resolve a host through an evdns base, connect,
// send one HTTP/1.0 request, copy whatever comes back to stdout, and stop at
// EOF or on an error.
//
// Usage: node dist/examples/http_client.js host port path
import { evbuffer_add_printf, evbuffer_remove } from "bufferevent/event2/buffer";
import {
  BEV_EVENT_CONNECTED,
  BEV_EVENT_EOF,
  BEV_EVENT_ERROR,
  BEV_OPT_CLOSE_ON_FREE,
  bufferevent_enable,
  bufferevent_free,
  bufferevent_get_input,
  bufferevent_get_output,
  bufferevent_setcb,
  bufferevent_socket_connect_hostname,
  bufferevent_socket_get_dns_error,
  bufferevent_socket_new,
  type BufferEvent,
} from "bufferevent/event2/bufferevent";
import {
  EVDNS_BASE_INITIALIZE_NAMESERVERS,
  evdns_base_free,
  evdns_base_new,
} from "bufferevent/event2/dns";
import {
  EV_READ,
  EV_WRITE,
  event_base_dispatch,
  event_base_free,
  event_base_loopexit,
  event_base_new,
  type EventBase,
} from "bufferevent/event2/event";
import {
  AF_UNSPEC,
  EVUTIL_SOCKET_ERROR,
  evutil_gai_strerror,
  evutil_socket_error_to_string,
} from "bufferevent/event2/util";
import { argc, argv, atoi, exit, printf, sizeof, write } from "bufferevent/libc";

function on_read(bev: BufferEvent, arg: any): void {
  const input = bufferevent_get_input(bev);
  const chunk = new Uint8Array(1024);
  let n: number;

  while ((n = evbuffer_remove(input, chunk, sizeof(chunk))) > 0) write(1, chunk, n);
}

function on_event(bev: BufferEvent, events: number, arg: any): void {
  const base: EventBase = arg;

  if (events & BEV_EVENT_CONNECTED) {
    printf("Connect okay.\n");
    return;
  }
  if (!(events & (BEV_EVENT_EOF | BEV_EVENT_ERROR))) return;
  if (events & BEV_EVENT_ERROR) {
    const dns_err = bufferevent_socket_get_dns_error(bev);
    if (dns_err) printf("DNS error: %s\n", evutil_gai_strerror(dns_err));
    else printf("Socket error: %s\n", evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
  }
  printf("Closing\n");
  bufferevent_free(bev);
  // The evdns base's nameserver socket would keep the loop going.
  event_base_loopexit(base, null);
}

if (argc !== 4) {
  printf("Syntax: %s host port path\n", argv[0]);
  exit(1);
}

const base = event_base_new()!;
const dns = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS);

const bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)!;
bufferevent_setcb(bev, on_read, null, on_event, base);
bufferevent_enable(bev, EV_READ | EV_WRITE);
// Queued before the connection exists: it goes out once connected.
evbuffer_add_printf(
  bufferevent_get_output(bev),
  "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n",
  argv[3],
  argv[1],
);
if (bufferevent_socket_connect_hostname(bev, dns, AF_UNSPEC, argv[1], atoi(argv[2])) < 0)
  printf("could not start the connection\n");

await event_base_dispatch(base);

evdns_base_free(dns!, 0);
event_base_free(base);
