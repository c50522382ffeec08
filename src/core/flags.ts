// Event flags and loop flags, libevent 2.1.12 values (event2/event.h).
export const EV_TIMEOUT = 0x01;
export const EV_READ = 0x02;
export const EV_WRITE = 0x04;
export const EV_SIGNAL = 0x08;
export const EV_PERSIST = 0x10;
export const EV_ET = 0x20;
export const EV_FINALIZE = 0x40;
export const EV_CLOSED = 0x80;

export const EVLOOP_ONCE = 0x01;
export const EVLOOP_NONBLOCK = 0x02;
export const EVLOOP_NO_EXIT_ON_EMPTY = 0x04;

export const EVENT_MAX_PRIORITIES = 256;
