// The subpath bufferevent/event2/event_compat; the names live in compat/.
export * from "../../compat/event_compat.js";
