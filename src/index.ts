// The root export: every face. A name that several headers share (AF_INET,
// EV_SIZE_MAX, socket calls) is one binding re-exported, never redefined.
export * from "./event2/event.js";
export * from "./event2/event_compat.js";
export * from "./event2/thread.js";
export * from "./event2/buffer.js";
export * from "./event2/buffer_compat.js";
export * from "./event2/bufferevent.js";
export * from "./event2/bufferevent_compat.js";
export * from "./event2/listener.js";
export * from "./event2/util.js";
export * from "./event2/dns.js";
export * from "./libc/index.js";
