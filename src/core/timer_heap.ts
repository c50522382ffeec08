// Binary min-heap of timers keyed by deadline alone. Timers with equal
// deadlines do NOT fire in insertion order in libevent: its heap moves an
// element only past a strictly greater one and, when both children are equal,
// descends to the right. Eight timers added with the same deadline fire as
// 0,7,6,5,4,3,2,1 there [probe], so this heap follows the same rules.

export interface Timed {
  deadline: number;
  heapIndex: number; // -1 when not in the heap
}

export class TimerHeap<T extends Timed> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** Element `i` in array order (event_base_foreach_event walks the heap so). */
  at(i: number): T {
    return this.items[i];
  }

  push(t: T, deadline: number): void {
    t.deadline = deadline;
    this.items.push(t);
    this.siftUp(this.items.length - 1, t, false);
  }

  remove(t: T): void {
    const i = t.heapIndex;
    if (i < 0) return;
    const last = this.items.pop()!;
    t.heapIndex = -1;
    if (last === t) return;
    // The last element fills the hole: up if it beats the hole's parent, else down.
    if (i > 0 && this.items[(i - 1) >> 1].deadline > last.deadline) this.siftUp(i, last, true);
    else this.siftDown(i, last);
  }

  /** Moves `t` up from hole `i` while its parent is strictly later (always once if `force`). */
  private siftUp(i: number, t: T, force: boolean): void {
    const items = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!force && !(items[p].deadline > t.deadline)) break;
      force = false;
      items[i] = items[p];
      items[i].heapIndex = i;
      i = p;
    }
    items[i] = t;
    t.heapIndex = i;
  }

  /** Moves `t` down from hole `i`; of two equal children the right one is taken. */
  private siftDown(i: number, t: T): void {
    const items = this.items;
    const n = items.length;
    for (;;) {
      let c = 2 * (i + 1);
      if (c > n) break;
      if (c === n || items[c].deadline > items[c - 1].deadline) c--;
      if (!(t.deadline > items[c].deadline)) break;
      items[i] = items[c];
      items[i].heapIndex = i;
      i = c;
    }
    items[i] = t;
    t.heapIndex = i;
  }
}
