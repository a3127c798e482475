import { setTimeout as sleep } from 'node:timers/promises';

/** What pauses are measured and waited by: the system's clock, or a test's. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

/** Waits so that one host gets at most `perHost` requests at a time, `delayMs` apart. */
export class HostGate {
  private readonly state = new Map<string, { active: number; last: number; queue: Array<() => void> }>();
  constructor(private readonly perHost: number, private readonly delayMs: number, private readonly clock: Clock) {}

  async enter(host: string): Promise<void> {
    const s = this.state.get(host) ?? { active: 0, last: -Infinity, queue: [] };
    this.state.set(host, s);
    while (s.active >= this.perHost) await new Promise<void>((resolve) => s.queue.push(resolve));
    s.active++;
    const now = this.clock.now();
    const wait = s.last + this.delayMs - now;
    s.last = Math.max(now, s.last + this.delayMs);
    if (wait > 0) await this.clock.sleep(wait);
  }

  leave(host: string): void {
    const s = this.state.get(host);
    if (!s) return;
    s.active--;
    s.queue.shift()?.();
  }
}
