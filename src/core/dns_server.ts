// evdns's DNS server side: struct evdns_server_port reads queries from a
// UDP socket (an EV_READ|EV_PERSIST event on it, recvfrom until EAGAIN),
// hands each well-formed one to the program's callback as an
// evdns_server_request, and sends the reply the program builds, in
// libevent 2.1.12's wire format byte for byte: the questions as received
// (with whatever the program did to their names), then the answer,
// authority and additional records in the order added, names compressed
// against every name suffix written before (case-sensitively), the reply
// cut to 512 bytes with TC set when it is longer.
//
// The port and each request it has not yet freed hold references: closing
// the port while requests are outstanding frees it (closing the socket) when
// the last is answered or dropped.
import { Event } from "./event.js";
import type { EventBase } from "./event_base.js";
import { getCurrentBase } from "./current_base.js";
import { EV_PERSIST, EV_READ, EV_WRITE } from "./flags.js";
import { EVENT_LOG_WARN } from "./log.js";
import { dnsLog } from "./dns_base.js";
import { close, recvfrom, sendto } from "../libc/socket.js";
import { EAGAIN, EINTR, EINPROGRESS, errno } from "../libc/errno.js";
import { strerror } from "../libc/errno_text.js";

export const EVDNS_FLAGS_AA = 0x400;
export const EVDNS_FLAGS_RD = 0x080;
const QR = 0x8000;
const RD = 0x0100;
const CD = 0x0010;
/** The most name suffixes a reply remembers for compression. */
const MAX_LABELS = 128;

export type ServerCallback = (req: ServerRequest, arg: any) => void;

/** struct evdns_server_question. */
export class ServerQuestion {
  constructor(
    public type: number,
    public dns_question_class: number,
    /** The name as received, dots between labels (UTF-8 text when the bytes are, else Latin-1). */
    public name: string,
  ) {}
}

/** One record of a reply being built (struct server_reply_item). */
interface ReplyItem {
  name: Uint8Array;
  type: number;
  cls: number;
  ttl: number;
  /** A name to write as labels, or raw RDATA. */
  isName: boolean;
  data: Uint8Array;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function nameText(b: Uint8Array): string {
  try {
    return utf8.decode(b);
  } catch {
    return Buffer.from(b).toString("latin1");
  }
}

/** A name field as C's char * holds it: up to its first NUL. */
export function nameBytes(v: string | Uint8Array): Uint8Array {
  const b = typeof v === "string" ? Buffer.from(v, "utf8") : v;
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

/** name_parse: the dotted name at `pos` (following pointers), and where the field ends; null if malformed. */
function parseName(p: Uint8Array, pos: number): { name: Uint8Array; end: number } | null {
  let j = pos;
  let nameEnd = -1;
  let jumps = 0;
  const out: number[] = [];
  for (;;) {
    if (j >= p.length) return null;
    const len = p[j++];
    if (len === 0) break;
    if (len & 0xc0) {
      if (j >= p.length) return null;
      const low = p[j++];
      if (nameEnd < 0) nameEnd = j;
      j = ((len & 0x3f) << 8) + low;
      if (j >= p.length) return null;
      if (++jumps > p.length) return null;
      continue;
    }
    if (len > 63) return null;
    // The name must fit libevent's 256-byte buffer with its NUL.
    if (out.length > 0) {
      if (out.length + 1 >= 256) return null;
      out.push(0x2e);
    }
    if (out.length + len >= 256) return null;
    if (j + len > p.length) return null;
    for (let k = 0; k < len; k++) out.push(p[j + k]);
    j += len;
  }
  return { name: Uint8Array.from(out), end: nameEnd < 0 ? j : nameEnd };
}

/** Appends a name as labels (dnsname_to_labels); returns the new end, -1 (a label over 63 bytes) or -2 (no room). */
class ReplyWriter {
  readonly buf = new Uint8Array(1500);
  j = 0;
  private labels: { v: string; pos: number }[] = [];

  u16(v: number): boolean {
    if (this.j + 2 > this.buf.length) return false;
    this.buf[this.j++] = (v >> 8) & 0xff;
    this.buf[this.j++] = v & 0xff;
    return true;
  }

  u32(v: number): boolean {
    if (this.j + 4 > this.buf.length) return false;
    return this.u16((v >>> 16) & 0xffff) && this.u16(v & 0xffff);
  }

  name(name: Uint8Array, at = this.j): number {
    let j = at;
    if (name.length > 255) return -2;
    const key = (i: number) => Buffer.from(name.subarray(i)).toString("latin1");
    let i = 0;
    for (;;) {
      const ref = this.labels.find((l) => l.v === key(i));
      if (ref) {
        if (j + 2 > this.buf.length) return -2;
        const v = ref.pos | 0xc000;
        this.buf[j++] = (v >> 8) & 0xff;
        this.buf[j++] = v & 0xff;
        return j;
      }
      const dot = name.indexOf(0x2e, i);
      const stop = dot < 0 ? name.length : dot;
      const len = stop - i;
      if (len > 63) return -1;
      if (j + len + 1 > this.buf.length) return -2;
      if (this.labels.length < MAX_LABELS) this.labels.push({ v: key(i), pos: j });
      this.buf[j++] = len;
      this.buf.set(name.subarray(i, stop), j);
      j += len;
      if (dot < 0) break;
      i = dot + 1;
    }
    // The terminating zero, unless the name ended in a dot and it is there already.
    if (!j || this.buf[j - 1]) {
      if (j >= this.buf.length) return -2;
      this.buf[j++] = 0;
    }
    return j;
  }
}

/** struct evdns_server_request: what the callback sees (flags, questions) and the reply being built. */
export class ServerRequest {
  /** RD and CD as the query had them; AA and RA as set_flags sets them. */
  flags: number;
  nquestions: number;
  questions: ServerQuestion[];
  /** Answer, authority and additional records, in the order added. */
  private sections: ReplyItem[][] = [[], [], []];
  private response: Uint8Array | null = null;
  /** Freed (answered or dropped): nothing more can be done with it. */
  freed = false;

  constructor(
    readonly port: ServerPort,
    private readonly transId: number,
    readonly addr: object,
    readonly addrlen: number,
    flags: number,
    questions: ServerQuestion[],
  ) {
    this.flags = flags;
    this.questions = questions;
    this.nquestions = questions.length;
  }

  /** evdns_server_request_add_reply: 0, or -1 (already answered, or no such section). */
  addReply(
    section: number,
    name: Uint8Array,
    type: number,
    cls: number,
    ttl: number,
    isName: boolean,
    data: Uint8Array | null,
  ): number {
    if (this.freed || this.response) return -1;
    const list = this.sections[section];
    if (section < 0 || !list) return -1;
    list.push({
      name,
      type: type & 0xffff,
      cls: cls & 0xffff,
      ttl: ttl >>> 0,
      isName,
      data: data ?? new Uint8Array(0),
    });
    return 0;
  }

  /** evdns_server_request_set_flags: AA and RA (EVDNS_FLAGS_RD) replaced by `flags`'s. */
  setFlags(flags: number): void {
    this.flags = (this.flags & ~(EVDNS_FLAGS_AA | EVDNS_FLAGS_RD)) | flags;
  }

  /** evdns_server_request_format_response: 0, -1 (bad rcode or label) or -2 (a question name that does not fit). */
  private format(err: number): number {
    if (err < 0 || err > 15) return -1;
    const w = new ReplyWriter();
    const count = (n: number) => n & 0xffff;
    w.u16(this.transId);
    w.u16((this.flags | QR | err) & 0xffff);
    w.u16(count(this.nquestions));
    for (const s of this.sections) w.u16(count(s.length));
    for (let i = 0; i < this.nquestions; i++) {
      const q = this.questions[i];
      const r = w.name(nameBytes(q.name));
      if (r < 0) return r;
      w.j = r;
      w.u16(q.type & 0xffff);
      w.u16(q.dns_question_class & 0xffff);
    }
    let overflow = false;
    records: for (const section of this.sections)
      for (const item of section) {
        const r = w.name(item.name);
        if (r < 0) {
          overflow = true;
          break records;
        }
        w.j = r;
        if (!(w.u16(item.type) && w.u16(item.cls) && w.u32(item.ttl))) {
          overflow = true;
          break records;
        }
        if (item.isName) {
          const lenAt = w.j;
          const start = lenAt + 2;
          const end = start > w.buf.length ? -2 : w.name(item.data, start);
          if (end < 0) {
            overflow = true;
            break records;
          }
          w.j = end;
          w.buf[lenAt] = ((end - start) >> 8) & 0xff;
          w.buf[lenAt + 1] = (end - start) & 0xff;
        } else {
          if (!w.u16(item.data.length & 0xffff) || w.j + item.data.length > w.buf.length) {
            overflow = true;
            break records;
          }
          w.buf.set(item.data, w.j);
          w.j += item.data.length;
        }
      }
    if (overflow || w.j > 512) {
      w.j = 512;
      w.buf[2] |= 0x02; // TC
    }
    this.response = w.buf.slice(0, w.j);
    this.sections = [[], [], []];
    return 0;
  }

  /**
   * evdns_server_request_respond: 0 once the reply is sent (the request is
   * freed); -1 or -2 if it cannot be formatted; -1 when the socket would
   * block (the formatted reply is kept: respond may be called again); 1
   * when another send error queued it to be retried when the socket is
   * writable (libevent 2.1.12's inverted test, kept).
   */
  respond(err: number): number {
    if (this.freed) return -1;
    if (!this.response) {
      const r = this.format(err);
      if (r < 0) return r;
    }
    const port = this.port;
    const r = sendto(port.fd, this.response!, this.response!.length, 0, this.addr, this.addrlen);
    if (r < 0) {
      const e = errno;
      if (e === EAGAIN || e === EINTR || e === EINPROGRESS) return -1;
      port.queue(this);
      return 1;
    }
    if (this.free()) return 0;
    if (port.pendingReplies.length > 0) port.flush();
    return 0;
  }

  /** Sends the kept reply again (server_port_flush): the send's result. */
  resend(): number {
    return sendto(this.port.fd, this.response!, this.response!.length, 0, this.addr, this.addrlen);
  }

  /** server_request_free: true when that freed the port. */
  free(): boolean {
    if (this.freed) return false;
    this.freed = true;
    this.sections = [[], [], []];
    this.response = null;
    return this.port.release(this);
  }
}

/** struct evdns_server_port. */
export class ServerPort {
  private refcnt = 1;
  private closing = false;
  freed = false;
  readonly pendingReplies: ServerRequest[] = [];
  private readonly ev: Event;

  constructor(
    private readonly base: EventBase,
    readonly fd: number,
    private readonly cb: ServerCallback,
    private readonly arg: any,
  ) {
    this.ev = new Event(base, fd, EV_READ | EV_PERSIST, (_fd, what) => this.ready(what), this);
  }

  /** evdns_add_server_port_with_base: the port, or null if the socket cannot be watched. */
  static open(base: EventBase | null, fd: number, cb: ServerCallback, arg: any): ServerPort | null {
    const b = base ?? getCurrentBase();
    if (!b) return null;
    const port = new ServerPort(b, fd, cb, arg);
    return port.watch(EV_READ | EV_PERSIST) < 0 ? null : port;
  }

  private watch(events: number): number {
    this.base.del(this.ev);
    Event.init(this.ev, this.base, this.fd, events, (_fd, what) => this.ready(what), this);
    return this.base.add(this.ev, null);
  }

  private ready(what: number): void {
    if (what & EV_WRITE) this.flush();
    if (what & EV_READ && !this.freed) this.read();
  }

  /** server_port_read: every datagram waiting, one request each. */
  private read(): void {
    const packet = new Uint8Array(1500);
    while (!this.freed) {
      const from = {};
      const len = { value: 128 };
      const r = recvfrom(this.fd, packet, packet.length, 0, from, len);
      if (r < 0) {
        const e = errno;
        if (e === EAGAIN || e === EINTR || e === EINPROGRESS) return;
        dnsLog(EVENT_LOG_WARN, `Error ${strerror(e)} (${e}) while reading request.`);
        return;
      }
      this.parse(packet.subarray(0, r), from, len.value);
    }
  }

  /** request_parse: a query becomes a request for the callback; anything else is ignored. */
  private parse(p: Uint8Array, from: object, addrlen: number): void {
    if (p.length < 12) return;
    const u16 = (i: number) => (p[i] << 8) | p[i + 1];
    const transId = u16(0);
    const flags = u16(2);
    const count = u16(4);
    if (flags & QR) return;
    // libevent's allocator gives NULL for an array of no questions: such a query is dropped.
    if (count === 0) return;
    const questions: ServerQuestion[] = [];
    let j = 12;
    for (let i = 0; i < count; i++) {
      const n = parseName(p, j);
      if (!n || n.end + 4 > p.length) return;
      j = n.end;
      questions.push(new ServerQuestion(u16(j), u16(j + 2), nameText(n.name)));
      j += 4;
    }
    // libevent masks the flags before testing the opcode, so every opcode reaches the callback.
    const req = new ServerRequest(this, transId, from, addrlen, flags & (RD | CD), questions);
    this.refcnt++;
    this.cb(req, this.arg);
  }

  /** A reply the socket refused: kept, and sent again when the socket is writable. */
  queue(req: ServerRequest): void {
    if (this.pendingReplies.includes(req)) return;
    this.pendingReplies.push(req);
    if (this.pendingReplies.length === 1)
      this.watch((this.closing ? 0 : EV_READ) | EV_WRITE | EV_PERSIST);
  }

  /** server_port_flush: sends the kept replies until the socket would block. */
  flush(): void {
    while (this.pendingReplies.length > 0) {
      const req = this.pendingReplies[0];
      if (req.resend() < 0) {
        const e = errno;
        if (e === EAGAIN || e === EINTR || e === EINPROGRESS) return;
        dnsLog(
          EVENT_LOG_WARN,
          `Error ${strerror(e)} (${e}) while writing response to port; dropping`,
        );
      }
      if (req.free()) return;
    }
    if (this.watch(EV_READ | EV_PERSIST) < 0)
      dnsLog(EVENT_LOG_WARN, "Error from libevent when adding event for DNS server.");
  }

  /** A request let go of the port: true when that freed it. */
  release(req: ServerRequest): boolean {
    const i = this.pendingReplies.indexOf(req);
    if (i >= 0) this.pendingReplies.splice(i, 1);
    if (--this.refcnt === 0) {
      this.free();
      return true;
    }
    return false;
  }

  /** evdns_close_server_port: freed now, or when its last request is. */
  close(): void {
    if (this.freed) return;
    if (--this.refcnt === 0) this.free();
    else this.closing = true;
  }

  /** server_port_free: the socket is closed and the event deleted. */
  private free(): void {
    this.freed = true;
    if (this.fd > 0) close(this.fd);
    this.base.del(this.ev);
  }
}
