// Wakes live subscribers when the dispute log grows: writers call notify() after they commit; each
// subscriber awaits change() and then reads the new rows itself (commit order = log order).

export class DisputeLogBus {
  private waiters = new Set<() => void>();

  /** Call after a commit that appended to the log. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves at the next notify() (or when `signal` aborts). */
  change(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const wake = (): void => {
        signal?.removeEventListener('abort', wake);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  get subscriberCount(): number {
    return this.waiters.size;
  }
}
