// libevent's sample/dns-example.c, ported line by line from
// examples/c/dns_example.c: look names up through evdns and print each
// answer; with -T, also serve DNS on UDP port 10053 (every A question gets
// 192.168.11.11, every PTR question foo.bar.example.com), until killed.
//
// Usage: node dist/examples/dns_example.js [-x] [-v] [-g] [-T] [-c resolv.conf] [-s nameserver] name...
//   -x  reverse lookups (PTR) of IPv4 addresses
//   -g  evdns_getaddrinfo (A and AAAA, with a canonical name)
//   otherwise evdns_base_resolve_ipv4
//   -s  one nameserver ("ip" or "ip:port"); -c a resolv.conf to read
//   -v  log evdns's informational messages to stderr too
import {
  DNS_IPv4_A,
  DNS_OPTION_NAMESERVERS,
  DNS_PTR,
  EVDNS_BASE_DISABLE_WHEN_INACTIVE,
  EVDNS_CLASS_INET,
  EVDNS_TYPE_A,
  EVDNS_TYPE_PTR,
  evdns_add_server_port_with_base,
  evdns_server_request_add_a_reply,
  evdns_server_request_add_ptr_reply,
  evdns_server_request_respond,
  type evdns_server_request,
  evdns_base_free,
  evdns_base_nameserver_ip_add,
  evdns_base_new,
  evdns_base_resolv_conf_parse,
  evdns_base_resolve_ipv4,
  evdns_base_resolve_reverse,
  evdns_getaddrinfo,
  evdns_set_log_fn,
} from "bufferevent/event2/dns";
import { event_base_dispatch, event_base_free, event_base_new } from "bufferevent/event2/event";
import {
  AF_INET,
  AF_INET6,
  EVUTIL_AI_CANONNAME,
  IPPROTO_TCP,
  PF_INET,
  PF_UNSPEC,
  evutil_freeaddrinfo,
  evutil_gai_strerror,
  evutil_inet_ntop,
  evutil_inet_pton,
  evutil_make_socket_nonblocking,
  evutil_snprintf,
  type evutil_addrinfo,
} from "bufferevent/event2/util";
import {
  INADDR_ANY,
  SOCK_DGRAM,
  argc,
  argv,
  bind,
  exit,
  fflush,
  fprintf,
  htonl,
  htons,
  ntohl,
  perror,
  printf,
  socket,
  sizeof,
  stderr,
  stdout,
  strcmp,
} from "bufferevent/libc";

let verbose = 0;

// A dotted quad for an address in network order.
const text = new Uint8Array(32);
function dotted(address: number): Uint8Array {
  const a = ntohl(address);

  evutil_snprintf(
    text,
    sizeof(text),
    "%d.%d.%d.%d",
    (a >>> 24) & 0xff,
    (a >>> 16) & 0xff,
    (a >>> 8) & 0xff,
    a & 0xff,
  );
  return text;
}

function on_resolved(
  result: number,
  type: number,
  count: number,
  ttl: number,
  addrs: any,
  arg: any,
): void {
  const name: string = arg;

  for (let i = 0; i < count; ++i) {
    if (type === DNS_IPv4_A) printf("%s: %s\n", name, dotted(addrs[i]));
    else if (type === DNS_PTR) printf("%s: %s\n", name, addrs[i]);
  }
  if (count === 0) printf("%s: No answer (%d)\n", name, result);
  fflush(stdout);
}

function on_addrinfo(err: number, ai: evutil_addrinfo | null, arg: any): void {
  const name: string = arg;
  const first = ai;

  if (err) printf("%s: %s\n", name, evutil_gai_strerror(err));
  if (ai && ai.ai_canonname) printf("    %s ==> %s\n", name, ai.ai_canonname);
  for (let i = 0; ai; ai = ai.ai_next, ++i) {
    const text = new Uint8Array(128);
    if (ai.ai_family === PF_INET) {
      const sin: any = ai.ai_addr;
      evutil_inet_ntop(AF_INET, sin.sin_addr, text, sizeof(text));
    } else {
      const sin6: any = ai.ai_addr;
      evutil_inet_ntop(AF_INET6, sin6.sin6_addr, text, sizeof(text));
    }
    printf("[%d] %s: %s\n", i, name, text);
  }
  if (first) evutil_freeaddrinfo(first);
}

function on_question(req: evdns_server_request, data: any): void {
  let r: number;
  void data;
  for (let i = 0; i < req.nquestions; ++i) {
    const ans = htonl(0xc0a80b0b);
    const q = req.questions[i];
    if (q.type === EVDNS_TYPE_A && q.dns_question_class === EVDNS_CLASS_INET) {
      printf(" -- replying for %s (A)\n", q.name);
      r = evdns_server_request_add_a_reply(req, q.name, 1, ans, 10);
      if (r < 0) printf("eeep, didn't work.\n");
    } else if (q.type === EVDNS_TYPE_PTR && q.dns_question_class === EVDNS_CLASS_INET) {
      printf(" -- replying for %s (PTR)\n", q.name);
      r = evdns_server_request_add_ptr_reply(req, null, q.name, "foo.bar.example.com", 10);
      if (r < 0) printf("ugh, no luck");
    } else {
      printf(" -- skipping %s [%d %d]\n", q.name, q.type, q.dns_question_class);
    }
  }
  r = evdns_server_request_respond(req, 0);
  if (r < 0) printf("eeek, couldn't send reply.\n");
  fflush(stdout);
}

function log_line(is_warn: number, msg: string): void {
  if (!is_warn && !verbose) return;
  fprintf(stderr, "%s: %s\n", is_warn ? "WARN" : "INFO", msg);
}

let reverse = 0;
let use_getaddrinfo = 0;
let servertest = 0;
let i: number;
let resolv_conf: string | null = null;
let ns: string | null = null;

if (argc < 2) {
  fprintf(stderr, "syntax: %s [-x] [-v] [-g] [-T] [-c resolv.conf] [-s ns] hostname\n", argv[0]);
  exit(1);
}
for (i = 1; i < argc && argv[i][0] === "-"; ++i) {
  if (!strcmp(argv[i], "-x")) reverse = 1;
  else if (!strcmp(argv[i], "-v")) ++verbose;
  else if (!strcmp(argv[i], "-g")) use_getaddrinfo = 1;
  else if (!strcmp(argv[i], "-T")) servertest = 1;
  else if (!strcmp(argv[i], "-c") && i + 1 < argc) resolv_conf = argv[++i];
  else if (!strcmp(argv[i], "-s") && i + 1 < argc) ns = argv[++i];
  else fprintf(stderr, "Unknown option %s\n", argv[i]);
}

const base = event_base_new()!;
// The nameserver sockets stop counting once no request is in flight,
// so the loop ends when the last answer is in.
const dns = evdns_base_new(base, EVDNS_BASE_DISABLE_WHEN_INACTIVE)!;
evdns_set_log_fn(log_line);

if (servertest) {
  const sock = socket(PF_INET, SOCK_DGRAM, 0);
  if (sock === -1) {
    perror("socket");
    exit(1);
  }
  evutil_make_socket_nonblocking(sock);
  const my_addr: any = {};
  my_addr.sin_family = AF_INET;
  my_addr.sin_port = htons(10053);
  my_addr.sin_addr = { s_addr: INADDR_ANY };
  if (bind(sock, my_addr, sizeof(my_addr)) < 0) {
    perror("bind");
    exit(1);
  }
  evdns_add_server_port_with_base(base, sock, 0, on_question, null);
}

if (i < argc) {
  let res: number;
  if (ns) res = evdns_base_nameserver_ip_add(dns, ns);
  else res = evdns_base_resolv_conf_parse(dns, DNS_OPTION_NAMESERVERS, resolv_conf);
  if (res) {
    fprintf(stderr, "Couldn't configure nameservers\n");
    exit(1);
  }
}

printf("EVUTIL_AI_CANONNAME in example = %d\n", EVUTIL_AI_CANONNAME);
for (; i < argc; ++i) {
  if (reverse) {
    const addr: any = {};
    if (evutil_inet_pton(AF_INET, argv[i], addr) !== 1) {
      fprintf(stderr, "Skipping non-IP %s\n", argv[i]);
      continue;
    }
    fprintf(stderr, "resolving %s...\n", argv[i]);
    evdns_base_resolve_reverse(dns, addr, 0, on_resolved, argv[i]);
  } else if (use_getaddrinfo) {
    const hints: any = {};
    hints.ai_family = PF_UNSPEC;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = EVUTIL_AI_CANONNAME;
    fprintf(stderr, "resolving (fwd) %s...\n", argv[i]);
    evdns_getaddrinfo(dns, argv[i], null, hints, on_addrinfo, argv[i]);
  } else {
    fprintf(stderr, "resolving (fwd) %s...\n", argv[i]);
    evdns_base_resolve_ipv4(dns, argv[i], 0, on_resolved, argv[i]);
  }
}
fflush(stdout);
await event_base_dispatch(base);
evdns_base_free(dns, 1);
event_base_free(base);
