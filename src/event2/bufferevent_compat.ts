// The subpath bufferevent/event2/bufferevent_compat; the names live in compat/.
export * from "../../compat/bufferevent_compat.js";
