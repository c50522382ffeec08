// The subpath bufferevent/event2/buffer_compat; the names live in compat/.
export * from "../../compat/buffer_compat.js";
