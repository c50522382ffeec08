// The root export: every face.
export * from "./event2/event.js";
export * from "./event2/event_compat.js";
export * from "./event2/thread.js";
