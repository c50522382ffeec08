// Configuring an evdns_base as libevent does: evdns_base_set_option's
// option table and value parsers, resolv.conf, the hosts file, search
// domains, nameservers given as text.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { parseSockaddrPort } from "./evutil_inet.js";
import { isSpace, strtolAt } from "./evutil_cnum.js";
import { DnsBase, dnsLog } from "./dns_base.js";
import { EVENT_LOG_WARN } from "./log.js";

export const DNS_OPTION_SEARCH = 1;
export const DNS_OPTION_NAMESERVERS = 2;
export const DNS_OPTION_MISC = 4;
export const DNS_OPTION_HOSTSFILE = 8;
export const DNS_OPTIONS_ALL = 15;
export const DNS_OPTION_NAMESERVERS_NO_DEFAULT = 16;

const bytes = (s: string) => Buffer.from(s, "latin1");

/** evdns_base_nameserver_ip_add: 0, 3 if already present, 4 if the text is no address. */
export function nameserverIpAdd(dns: DnsBase, text: string): number {
  const ip = parseSockaddrPort(bytes(text));
  if (!ip) {
    dnsLog(EVENT_LOG_WARN, `Unable to parse nameserver address ${text}`);
    return 4;
  }
  if (ip.port === 0) ip.port = 53;
  return dns.addNameserver(ip);
}

// ---- search domains ----

export function searchClear(dns: DnsBase): void {
  dns.search = { ndots: 1, domains: [] };
}

/** search_postfix_add: leading dots dropped; the newest domain is tried first. */
export function searchAdd(dns: DnsBase, domain: string): void {
  dns.search ??= { ndots: 1, domains: [] };
  dns.search.domains.unshift(domain.replace(/^\.+/, ""));
}

export function searchNdotsSet(dns: DnsBase, ndots: number): void {
  dns.search ??= { ndots: 1, domains: [] };
  dns.search.ndots = ndots;
}

/** search_set_from_hostname: the domain part of this host's name, if it has one. */
function searchFromHostname(dns: DnsBase): void {
  searchClear(dns);
  const h = hostname();
  const dot = h.indexOf(".");
  if (dot >= 0) searchAdd(dns, h.slice(dot));
}

// ---- options ----

/** strtol over the whole string, as an int; -1 when anything follows the number. */
function strtoint(s: string): number {
  const b = bytes(s);
  const r = strtolAt(b, 0);
  return r.end === b.length ? Number(BigInt.asIntN(32, r.value)) : -1;
}

function clipped(s: string, min: number, max: number): number {
  const r = strtoint(s);
  return r === -1 ? r : Math.min(max, Math.max(min, r));
}

/** evdns_strtotimeval: seconds (strtod); at least a millisecond; microseconds, or -1. */
function seconds(s: string): number {
  let i = 0;
  while (isSpace(s.charCodeAt(i))) i++;
  const m = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?)/i.exec(
    s.slice(i),
  );
  if (m ? i + m[0].length !== s.length : s.slice(i) !== "") return -1;
  const d = m ? Number(m[0].replace(/inf(inity)?/i, "Infinity")) : 0;
  if (!(d >= 0)) return -1;
  const sec = Math.min(Math.trunc(d), 0x7fffffff);
  const usec = Math.trunc((d - Math.trunc(d)) * 1e6) || 0;
  if (sec === 0 && usec < 1000) return -1;
  return sec * 1e6 + usec;
}

/** str_matches_option: "ndots", "ndots:" or "ndots:anything" all name "ndots:". */
function matches(s: string, option: string): boolean {
  if (s.length === option.length || s.length === option.length - 1) return option.startsWith(s);
  return s.length > option.length && s.startsWith(option);
}

/** evdns_base_set_option_impl: 0, or -1 for a value that does not parse; `flags` says which kinds apply. */
export function setOption(dns: DnsBase, option: string, val: string, flags: number): number {
  const misc = (flags & DNS_OPTION_MISC) !== 0;
  if (matches(option, "ndots:")) {
    const n = strtoint(val);
    if (n === -1) return -1;
    if (flags & DNS_OPTION_SEARCH) searchNdotsSet(dns, n);
  } else if (matches(option, "timeout:")) {
    const us = seconds(val);
    if (us < 0) return -1;
    if (misc) dns.timeoutMs = Math.max(1, Math.round(us / 1000));
  } else if (matches(option, "getaddrinfo-allow-skew:")) {
    const us = seconds(val);
    if (us < 0) return -1;
    if (misc) dns.allowSkewUs = us;
  } else if (matches(option, "max-timeouts:")) {
    if (clipped(val, 1, 255) === -1) return -1;
  } else if (matches(option, "max-inflight:")) {
    const n = clipped(val, 1, 65000);
    if (n === -1) return -1;
    if (misc) {
      dns.maxInflight = n;
      dns.pump();
    }
  } else if (matches(option, "attempts:")) {
    const n = strtoint(val);
    if (n === -1) return -1;
    if (misc) dns.attempts = Math.min(n, 255);
  } else if (matches(option, "randomize-case:")) {
    // Validated only: c-ares does not randomize the case of the names it asks.
    if (strtoint(val) === -1) return -1;
  } else if (matches(option, "bind-to:")) {
    if (!(flags & DNS_OPTION_NAMESERVERS)) return 0;
    const ip = parseSockaddrPort(bytes(val));
    if (!ip) return -1;
    dns.bindTo = ip;
  } else if (matches(option, "initial-probe-timeout:")) {
    const us = seconds(val);
    if (us < 0) return -1;
    if (misc) dns.probeInitialUs = us > 3600e6 ? 3600e6 + (us % 1e6) : us;
  } else if (matches(option, "so-rcvbuf:") || matches(option, "so-sndbuf:")) {
    if (strtoint(val) === -1) return -1;
  }
  return 0;
}

// ---- resolv.conf ----

const tokens = (line: string) => line.split(/[ \t]+/).filter((t) => t !== "");

function parseLine(dns: DnsBase, line: string, flags: number): void {
  const [first, ...rest] = tokens(line);
  if (first === "nameserver" && flags & DNS_OPTION_NAMESERVERS) {
    if (rest[0] !== undefined) nameserverIpAdd(dns, rest[0]);
  } else if (first === "domain" && flags & DNS_OPTION_SEARCH) {
    if (rest[0] !== undefined) {
      searchClear(dns);
      searchAdd(dns, rest[0]);
    }
  } else if (first === "search" && flags & DNS_OPTION_SEARCH) {
    searchClear(dns);
    for (const d of rest) searchAdd(dns, d);
    dns.search?.domains.reverse();
  } else if (first === "options") {
    for (const opt of rest) {
      const colon = opt.indexOf(":");
      setOption(dns, opt, colon < 0 ? "" : opt.slice(colon + 1), flags);
    }
  }
}

/** Without a file: a local nameserver is assumed, and the search list comes from the host name. */
function setDefaults(dns: DnsBase, flags: number, addDefault: boolean): void {
  if (flags & DNS_OPTION_SEARCH) searchFromHostname(dns);
  if (addDefault) nameserverIpAdd(dns, "127.0.0.1");
}

/**
 * evdns_base_resolv_conf_parse: 0 on success, 1 if the file cannot be
 * opened, 2 if it cannot be read, 6 if it named no nameserver (127.0.0.1 is
 * then added unless DNS_OPTION_NAMESERVERS_NO_DEFAULT).
 */
export function resolvConfParse(dns: DnsBase, flags: number, filename: string | null): number {
  const addDefault =
    (flags & DNS_OPTION_NAMESERVERS) !== 0 && !(flags & DNS_OPTION_NAMESERVERS_NO_DEFAULT);
  if (flags & DNS_OPTION_HOSTSFILE) loadHosts(dns, "/etc/hosts");
  let text: string;
  try {
    if (filename === null) throw new Error("no file");
    text = readFileSync(filename, "latin1");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EISDIR") return 2;
    setDefaults(dns, flags, addDefault);
    return 1;
  }
  const nul = text.indexOf("\0");
  for (const line of (nul < 0 ? text : text.slice(0, nul)).split("\n")) parseLine(dns, line, flags);
  let err = 0;
  if (dns.servers.length === 0 && addDefault) {
    nameserverIpAdd(dns, "127.0.0.1");
    err = 6;
  }
  if (flags & DNS_OPTION_SEARCH && !dns.search?.domains.length) searchFromHostname(dns);
  return err;
}

// ---- hosts ----

/** One hosts line: an address (no port) and its names up to a '#'. */
function parseHostsLine(dns: DnsBase, line: string): void {
  const [addr, ...names] = tokens(line);
  if (addr === undefined || addr.startsWith("#")) return;
  const ip = parseSockaddrPort(bytes(addr));
  if (!ip || ip.port !== 0) return;
  for (const n of names) {
    const hash = n.indexOf("#");
    if (hash === 0) return;
    dns.hosts.push({ name: hash < 0 ? n : n.slice(0, hash), addr: ip });
    if (hash > 0) return;
  }
}

/**
 * evdns_base_load_hosts: appends the file's entries. Without a file name, or
 * if it cannot be read, localhost is entered as 127.0.0.1 and ::1 (and the
 * unreadable file gives -1).
 */
export function loadHosts(dns: DnsBase, fname: string | null): number {
  let text: string | null = null;
  try {
    if (fname !== null) text = readFileSync(fname, "latin1");
  } catch {
    text = null;
  }
  if (text === null) {
    parseHostsLine(dns, "127.0.0.1   localhost");
    parseHostsLine(dns, "::1   localhost");
    return fname === null ? 0 : -1;
  }
  const nul = text.indexOf("\0");
  for (const line of (nul < 0 ? text : text.slice(0, nul)).split("\n")) parseHostsLine(dns, line);
  return 0;
}
