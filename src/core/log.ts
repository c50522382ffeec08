// libevent's logging: warnings go to the callback set by
// event_set_log_callback, or to stderr as "[warn] message".
import { writeSync } from "node:fs";

export const EVENT_LOG_DEBUG = 0;
export const EVENT_LOG_MSG = 1;
export const EVENT_LOG_WARN = 2;
export const EVENT_LOG_ERR = 3;

export type LogCb = (severity: number, msg: string) => void;

let logCb: LogCb | null = null;
let debugLogging = false;

export function setLogCallback(cb: LogCb | null): void {
  logCb = cb;
}

export function setDebugLogging(on: boolean): void {
  debugLogging = on;
}

const tags = ["debug", "msg", "warn", "err"];

export function log(severity: number, msg: string): void {
  if (severity === EVENT_LOG_DEBUG && !debugLogging) return;
  if (logCb) logCb(severity, msg);
  else writeSync(2, `[${tags[severity] ?? "???"}] ${msg}\n`);
}

export function warn(msg: string): void {
  log(EVENT_LOG_WARN, msg);
}
