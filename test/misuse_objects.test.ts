// Misuse found by fuzzing every export with random arguments: calls that
// fill a struct in place must not overwrite the library's own objects, and
// every argument is checked before it reaches the engine.
import { expect } from "chai";
import * as ev from "../src/event2/event.js";
import {
  bufferevent_free,
  bufferevent_pair_new,
  bufferevent_socket_new,
  bufferevent_write,
  type BufferEvent,
} from "../src/event2/bufferevent.js";
import { htonl, htons, ntohl, ntohs } from "../src/event2/util.js";
import { memset } from "../src/libc/index.js";
import { bufferevent_new } from "../compat/bufferevent_compat.js";

describe("misuse of the library's objects and of plain arguments", () => {
  let base: ev.EventBase;
  let pair: BufferEvent[];
  beforeEach(() => {
    base = ev.event_base_new()!;
    pair = [];
    bufferevent_pair_new(base, 0, pair);
  });
  afterEach(() => {
    for (const b of pair) bufferevent_free(b);
    ev.event_base_free(base);
  });

  it("memset clears a struct of the program's, never a library object", () => {
    const sin: any = { sin_family: 2, sin_port: 80 };
    expect(memset(sin, 0, 16)).to.equal(sin);
    expect(sin).to.deep.equal({});
    expect(() => memset(pair[0] as any, 0, 64)).to.throw(TypeError, /memset: argument 's'/);
    expect(() => memset(base as any, 0, 64)).to.throw(TypeError, /memset: argument 's'/);
    // Both objects still work.
    expect(bufferevent_write(pair[0], "x", 1)).to.equal(0);
    expect(ev.event_base_get_npriorities(base)).to.equal(1);
  });

  it("event_assign makes a plain object an event, but refuses to turn another library object into one", () => {
    const e: any = {};
    expect(ev.event_assign(e, base, -1, 0, () => {}, null)).to.equal(0);
    expect(ev.event_initialized(e)).to.equal(1);
    expect(() => ev.event_assign(pair[0] as any, base, -1, 0, () => {}, null)).to.throw(
      TypeError,
      /event_assign: argument 'ev'/,
    );
    expect(() => ev.event_assign([] as any, base, -1, 0, () => {}, null)).to.throw(TypeError);
    expect(bufferevent_write(pair[1], "y", 1)).to.equal(0);
  });

  it("event_base_dump_events takes a FILE, not any object with an fd", () => {
    const e = ev.event_new(base, -1, 0, () => {}, null)!;
    expect(() => ev.event_base_dump_events(base, e as any)).to.throw(
      TypeError,
      /event_base_dump_events: argument 'output'/,
    );
    ev.event_free(e);
  });

  it("byte-order calls take numbers (and bigints), naming themselves otherwise", () => {
    expect(htons(0x1234)).to.equal(0x3412);
    expect(ntohl(htonl(0x01020304))).to.equal(0x01020304);
    expect(htonl(0x1_0000_0001n as any)).to.equal(htonl(1));
    expect(() => htons(Symbol("s") as any)).to.throw(TypeError, /htons: argument 'hostshort'/);
    expect(() => ntohs("80" as any)).to.throw(TypeError, /ntohs: argument 'netshort'/);
  });

  it("a bufferevent's descriptor is a number or a net.Socket, and a bad callback leaves nothing behind", () => {
    expect(() => bufferevent_socket_new(base, {} as any, 0)).to.throw(
      TypeError,
      /bufferevent_socket_new: argument 'fd'/,
    );
    expect(() => bufferevent_new(-1, "cb" as any, null, null)).to.throw(
      TypeError,
      /bufferevent_new: argument 'readcb'/,
    );
  });
});
