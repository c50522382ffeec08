// What `%p` prints for an object: JavaScript has no addresses, so each object
// gets a made-up one the first time it is printed, the same ever after, in
// every place that prints pointers (printf's %p, event_base_dump_events).

const addresses = new WeakMap<object, number>();
let next = 0x5600_0000_0000; // where glibc's heap typically sits

/** The object's stable pseudo-address (16-byte aligned, like malloc's). */
export function addressOf(v: object): number {
  let a = addresses.get(v);
  if (a === undefined) addresses.set(v, (a = next += 0x40));
  return a;
}
