// C's sizeof on x86-64 Linux (contract item 7), of values and of type names.
// The numbers were printed by a C program against Debian's libevent 2.1.12.
import { describe, rangeError, typeError } from "../args.js";
import { Event } from "../core/event.js";

// prettier-ignore
const scalars: Record<string, number> = {
  char: 1, "signed char": 1, "unsigned char": 1, _Bool: 1, bool: 1,
  short: 2, "short int": 2, "unsigned short": 2, "unsigned short int": 2,
  int: 4, signed: 4, "signed int": 4, unsigned: 4, "unsigned int": 4, float: 4, wchar_t: 4,
  long: 8, "long int": 8, "unsigned long": 8, "unsigned long int": 8,
  "long long": 8, "long long int": 8, "unsigned long long": 8, "unsigned long long int": 8,
  double: 8, "long double": 16,
  int8_t: 1, uint8_t: 1, int16_t: 2, uint16_t: 2, int32_t: 4, uint32_t: 4, int64_t: 8, uint64_t: 8,
  ev_int8_t: 1, ev_uint8_t: 1, ev_int16_t: 2, ev_uint16_t: 2, ev_int32_t: 4, ev_uint32_t: 4,
  ev_int64_t: 8, ev_uint64_t: 8, ev_intptr_t: 8, ev_uintptr_t: 8, ev_ssize_t: 8, ev_off_t: 8,
  size_t: 8, ssize_t: 8, off_t: 8, ptrdiff_t: 8, intptr_t: 8, uintptr_t: 8, time_t: 8,
  suseconds_t: 8, pid_t: 4, uid_t: 4, gid_t: 4, socklen_t: 4, sa_family_t: 2, in_port_t: 2,
  in_addr_t: 4, evutil_socket_t: 4, sig_atomic_t: 4, rlim_t: 8,
};

// prettier-ignore
const structs: Record<string, number> = {
  sockaddr: 16, sockaddr_in: 16, sockaddr_in6: 28, sockaddr_un: 110, sockaddr_storage: 128,
  in_addr: 4, in6_addr: 16, timeval: 16, timespec: 16, timezone: 8, tm: 56, linger: 8,
  iovec: 16, addrinfo: 48, evutil_addrinfo: 48, evbuffer_iovec: 16, evbuffer_ptr: 24,
  evbuffer_cb_info: 24, event: 128, stat: 144, rlimit: 16,
};

const sizeOfFamily: Record<number, number> = { 1: 110, 2: 16, 10: 28 }; // AF_UNIX, AF_INET, AF_INET6

/**
 * sizeof of a value: a typed array's byte length; a struct object by the C
 * struct it stands for (a sockaddr by its family field: 16, 28, 110; a `{}`
 * or anything with `ss_family` is a sockaddr_storage: 128); a JS array, C's
 * `T a[n]`, is n times the size of its first element, so
 * `sizeof(a) / sizeof(a[0])` counts its elements. Of a type name string
 * ("int", "struct sockaddr_in", "char *", "char[16]") the size of that type.
 * Any other string is a C string literal: its UTF-8 bytes plus the NUL.
 */
export function sizeof(x: unknown): number {
  if (typeof x === "string") return ofString(x);
  if (ArrayBuffer.isView(x) || x instanceof ArrayBuffer) return x.byteLength;
  if (Array.isArray(x)) return x.length === 0 ? 0 : x.length * sizeof(x[0]);
  if (x instanceof Event) return structs.event;
  if (x !== null && typeof x === "object") {
    const n = ofStruct(x);
    if (n !== undefined) return n;
    throw typeError(
      "sizeof",
      "x",
      `is an object (${describe(x)}) of no known C struct; pass its type name`,
    );
  }
  throw typeError(
    "sizeof",
    "x",
    `must be memory, a struct object or a type name, got ${describe(x)}`,
  );
}

function ofStruct(o: object): number | undefined {
  const has = (k: string) => k in o;
  if (has("ss_family")) return structs.sockaddr_storage;
  if (has("sin6_family")) return structs.sockaddr_in6;
  if (has("sun_family")) return structs.sockaddr_un;
  if (has("sin_family")) return structs.sockaddr_in;
  if (has("sa_family"))
    return sizeOfFamily[(o as { sa_family: number }).sa_family] ?? structs.sockaddr;
  if (has("tv_sec")) return structs.timeval;
  if (has("iov_base")) return structs.evbuffer_iovec;
  if (has("s6_addr")) return structs.in6_addr;
  if (has("s_addr")) return structs.in_addr;
  if (has("ai_family")) return structs.evutil_addrinfo;
  if (has("orig_size")) return structs.evbuffer_cb_info;
  if (has("l_onoff")) return structs.linger;
  if (has("pos")) return structs.evbuffer_ptr;
  if (has("st_mode")) return structs.stat;
  if (has("rlim_cur")) return structs.rlimit;
  if (Object.keys(o).length === 0) return structs.sockaddr_storage; // `struct sockaddr_storage ss;`
  return undefined;
}

function ofString(s: string): number {
  const t = s
    .trim()
    .replace(/\s+/g, " ")
    .replace(/ ?([*[\]]) ?/g, "$1");
  const n = typeSize(t);
  if (n !== undefined) return n;
  if (/^(struct|union|enum|unsigned|signed|const) |_t$|\*$|^\w+\[\d+\]$/.test(t))
    throw rangeError("sizeof", "x", `names a type whose size is not known here: "${s}"`);
  return Buffer.byteLength(s, "utf8") + 1; // a string literal
}

function typeSize(t: string): number | undefined {
  const array = /^(.+)\[(\d+)\]$/.exec(t);
  if (array) {
    const each = typeSize(array[1]);
    return each === undefined ? undefined : each * Number(array[2]);
  }
  const plain = t.replace(/^(const|volatile) /, "");
  if (plain.endsWith("*")) {
    const to = plain.slice(0, -1);
    return to === "void" || typeSize(to) !== undefined || /^(struct|union|enum) \w+$/.test(to)
      ? 8
      : undefined;
  }
  const tag = /^struct (\w+)$/.exec(plain);
  return tag ? structs[tag[1]] : scalars[plain];
}
