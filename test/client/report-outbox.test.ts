// The report outbox on a hand-driven clock: one idempotency key per report through every retry, a
// reload resuming with the stored key, never two attempts of a report at once, refusals (4xx) stopping
// the retries with the server's message, network failures and 5xx retried with a doubling backoff, an
// unanswered attempt aborted and retried; and the stored list kept to its account and gone after logout.

import { beforeEach, describe, expect, it } from 'vitest';
import { ReportOutbox, backoffDelayMs, sendFailureOf, type OutboxItem, type OutboxStorage, type ReportBody, type ReportResult } from '../../client/src/modes/report/report-outbox';
import { localOutboxStorage } from '../../client/src/modes/report/report-outbox-storage';
import { clearReportOutbox } from '../../client/src/pwa/offline-data';
import { REPORT_OUTBOX_KEY } from '../../client/src/pwa/offline-keys';

const BODY: ReportBody = {
  lngLat: [123.45, 41.79],
  type: 'neighbour',
  source: 'patrol',
  severity: 'general',
  summary: '楼上漏水',
  parties: [{ name: '张三', phone: '13800001234' }],
};

/** A clock and timers moved by hand. */
class FakeTime {
  now = 1_000_000;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  setTimer = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.push({ at: this.now + ms, callback, id });
    return id;
  };
  clearTimer = (id: unknown): void => {
    this.timers = this.timers.filter((timer) => timer.id !== id);
  };
  /** Moves the clock by `ms`, running each timer due on the way (in order). */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.now = Math.max(this.now, due.at);
      due.callback();
      await settle();
    }
    this.now = end;
    await settle();
  }
}

/** Lets resolved promises run their callbacks. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** Storage in memory, shared by the outboxes of one test as localStorage is by the page's loads. */
function memoryStorage(): OutboxStorage & { saved: OutboxItem[] } {
  const store = {
    saved: [] as OutboxItem[],
    load: () => JSON.parse(JSON.stringify(store.saved)) as OutboxItem[],
    save: (items: readonly OutboxItem[]) => {
      store.saved = JSON.parse(JSON.stringify(items)) as OutboxItem[];
    },
  };
  return store;
}

interface Call {
  body: ReportBody;
  key: string;
  signal: AbortSignal;
  resolve: (result: ReportResult) => void;
  reject: (error: unknown) => void;
}

/** A send function whose every call waits for the test to answer it. */
function manualSend() {
  const calls: Call[] = [];
  const send = (body: ReportBody, key: string, signal: AbortSignal): Promise<ReportResult> =>
    new Promise((resolve, reject) => calls.push({ body, key, signal, resolve, reject }));
  return { calls, send };
}

/** An error as the tRPC client throws it for an answer with an HTTP status. */
function httpError(httpStatus: number, code: string, message: string): Error & { data: { code: string; httpStatus: number } } {
  return Object.assign(new Error(message), { data: { code, httpStatus } });
}

const RESULT: ReportResult = { id: 4711, seq: 99, version: 1, placeCode: '210103005003001', status: 'reported' };

let time: FakeTime;
let keys: number;

function makeOutbox(storage: OutboxStorage, send: (body: ReportBody, key: string, signal: AbortSignal) => Promise<ReportResult>) {
  return new ReportOutbox({
    storage,
    send,
    newKey: () => `key-${String(++keys).padStart(4, '0')}`,
    now: () => time.now,
    random: () => 0.5,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    baseDelayMs: 1_000,
    maxDelayMs: 60_000,
    attemptTimeoutMs: 20_000,
  });
}

beforeEach(() => {
  time = new FakeTime();
  keys = 0;
});

describe('backoffDelayMs', () => {
  it('doubles from the base per attempt up to the ceiling, times a jitter in [0.5, 1)', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => backoffDelayMs(attempts, 1_000, 60_000, 0))).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelayMs(3, 1_000, 60_000, 0.999_999)).toBe(4_000);
    expect(backoffDelayMs(20, 1_000, 60_000, 0)).toBe(30_000);
    expect(backoffDelayMs(20, 1_000, 60_000, 0.999_999)).toBe(60_000);
  });
});

describe('sendFailureOf', () => {
  it('retries what a later try may mend and stops at refusals', () => {
    const retried = [new TypeError('Failed to fetch'), new Error('Unexpected token < in JSON'), httpError(500, 'INTERNAL_SERVER_ERROR', 'x'), httpError(503, 'SERVICE_UNAVAILABLE', 'x'), httpError(429, 'TOO_MANY_REQUESTS', 'x'), httpError(408, 'TIMEOUT', 'x'), httpError(401, 'UNAUTHORIZED', 'x')];
    expect(retried.map((error) => sendFailureOf(error).retry)).toEqual(retried.map(() => true));
    const refused = [httpError(400, 'BAD_REQUEST', 'summary: too long'), httpError(403, 'FORBIDDEN', 'lngLat: outside'), httpError(409, 'CONFLICT', 'key reused'), httpError(413, 'PAYLOAD_TOO_LARGE', 'x')];
    expect(refused.map((error) => sendFailureOf(error))).toEqual([
      { retry: false, message: 'summary: too long', code: 'BAD_REQUEST' },
      { retry: false, message: 'lngLat: outside', code: 'FORBIDDEN' },
      { retry: false, message: 'key reused', code: 'CONFLICT' },
      { retry: false, message: 'x', code: 'PAYLOAD_TOO_LARGE' },
    ]);
  });
});

describe('ReportOutbox', () => {
  it('sends a report at once and retries network and 5xx failures with the same key, backing off, until the server answers', async () => {
    const storage = memoryStorage();
    const { calls, send } = manualSend();
    const outbox = makeOutbox(storage, send);
    const key = outbox.submit(BODY);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.key).toBe(key);
    expect(calls[0]!.body).toEqual(BODY);

    calls[0]!.reject(new TypeError('Failed to fetch'));
    await settle();
    expect(outbox.list()[0]).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: time.now + 750, error: 'Failed to fetch' });
    await time.advance(749);
    expect(calls).toHaveLength(1);
    await time.advance(1);
    expect(calls).toHaveLength(2);

    calls[1]!.reject(httpError(503, 'SERVICE_UNAVAILABLE', 'busy'));
    await settle();
    expect(outbox.list()[0]).toMatchObject({ state: 'pending', attempts: 2, nextAttemptAt: time.now + 1_500 });
    await time.advance(1_500);
    expect(calls).toHaveLength(3);

    calls[2]!.resolve(RESULT);
    await settle();
    expect(calls.map((call) => call.key)).toEqual([key, key, key]);
    const [item] = outbox.list();
    expect(item).toMatchObject({ key, state: 'sent', attempts: 3, result: RESULT, body: null, error: null, type: 'neighbour' });
    // Stored as sent, without the parties (personal data) it no longer needs.
    expect(storage.saved[0]).toMatchObject({ state: 'sent', body: null, result: RESULT });
    await time.advance(10 * 60_000);
    expect(calls).toHaveLength(3);
  });

  it('resumes after a reload: a report whose page closed mid-request is sent again with its stored key', async () => {
    const storage = memoryStorage();
    const first = manualSend();
    const before = makeOutbox(storage, first.send);
    const key = before.submit(BODY);
    expect(first.calls).toHaveLength(1);
    // The page closes while the request is out (the server may or may not have registered the case).
    before.dispose();
    expect(storage.saved).toMatchObject([{ key, state: 'pending', attempts: 1 }]);
    // The answer to the dead page's request changes nothing.
    first.calls[0]!.resolve(RESULT);
    await settle();
    expect(storage.saved[0]!.state).toBe('pending');

    const second = manualSend();
    const after = makeOutbox(storage, second.send);
    expect(after.list()).toMatchObject([{ key, state: 'pending' }]);
    after.flush();
    expect(second.calls.map((call) => call.key)).toEqual([key]);
    expect(second.calls[0]!.body).toEqual(BODY);
    second.calls[0]!.resolve(RESULT);
    await settle();
    expect(after.list()).toMatchObject([{ key, state: 'sent', attempts: 2, result: RESULT }]);
    expect(keys).toBe(1);
  });

  it('resumes a report that was waiting for its retry when the page closed, at its due time', async () => {
    const storage = memoryStorage();
    const first = manualSend();
    const before = makeOutbox(storage, first.send);
    const key = before.submit(BODY);
    first.calls[0]!.reject(httpError(502, 'BAD_GATEWAY', 'proxy'));
    await settle();
    before.dispose();
    const second = manualSend();
    const after = makeOutbox(storage, second.send);
    after.flush();
    expect(second.calls).toHaveLength(0);
    await time.advance(750);
    expect(second.calls.map((call) => call.key)).toEqual([key]);
  });

  it('never sends a report twice at once: flushes, retries and the online event wait for the attempt on its way', async () => {
    const { calls, send } = manualSend();
    const outbox = makeOutbox(memoryStorage(), send);
    const key = outbox.submit(BODY);
    expect(outbox.isSending(key)).toBe(true);
    outbox.flush();
    outbox.retryNow();
    outbox.flush();
    await time.advance(19_000);
    expect(calls).toHaveLength(1);
    // A second report goes out beside it, with its own key.
    const other = outbox.submit({ ...BODY, summary: '另一件' });
    expect(calls.map((call) => call.key)).toEqual([key, other]);
    calls[0]!.resolve(RESULT);
    calls[1]!.resolve({ ...RESULT, id: 4712 });
    await settle();
    expect(outbox.list().map((item) => [item.state, item.result?.id])).toEqual([
      ['sent', 4711],
      ['sent', 4712],
    ]);
    // Sent reports are not sent again by a retry.
    outbox.retryNow();
    expect(calls).toHaveLength(2);
  });

  it('aborts an attempt left unanswered and retries it with the same key; the late answer of the aborted one is ignored', async () => {
    const { calls, send } = manualSend();
    const outbox = makeOutbox(memoryStorage(), send);
    const key = outbox.submit(BODY);
    await time.advance(20_000);
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[0]!.reject(new DOMException('aborted', 'AbortError'));
    await settle();
    expect(outbox.list()[0]).toMatchObject({ state: 'pending', attempts: 1 });
    // The timeout's own failure scheduled the retry; a stale answer of the aborted request changes nothing.
    calls[0]!.resolve(RESULT);
    await time.advance(750);
    expect(calls.map((call) => call.key)).toEqual([key, key]);
    calls[1]!.resolve(RESULT);
    await settle();
    expect(outbox.list()[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('stops at a refusal (4xx): the report is failed with the server\'s message and never retried', async () => {
    const storage = memoryStorage();
    const { calls, send } = manualSend();
    const outbox = makeOutbox(storage, send);
    const key = outbox.submit(BODY);
    calls[0]!.reject(httpError(400, 'BAD_REQUEST', 'summary: Too big: expected string to have <=500 characters'));
    await settle();
    expect(outbox.list()[0]).toMatchObject({
      key,
      state: 'failed',
      error: 'summary: Too big: expected string to have <=500 characters',
      errorCode: 'BAD_REQUEST',
      body: BODY,
    });
    outbox.flush();
    outbox.retryNow();
    await time.advance(60 * 60_000);
    expect(calls).toHaveLength(1);
    // A reload does not send it again either.
    const reloaded = makeOutbox(storage, send);
    reloaded.flush();
    await time.advance(60 * 60_000);
    expect(calls).toHaveLength(1);
    expect(reloaded.list()[0]!.state).toBe('failed');
    // Taken back (to the form) or deleted, it leaves the outbox.
    expect(reloaded.remove(key)?.body).toEqual(BODY);
    expect(reloaded.list()).toEqual([]);
    expect(storage.saved).toEqual([]);
  });

  it('a refusal after retries (outside the jurisdiction) also stops them', async () => {
    const { calls, send } = manualSend();
    const outbox = makeOutbox(memoryStorage(), send);
    outbox.submit(BODY);
    calls[0]!.reject(httpError(500, 'INTERNAL_SERVER_ERROR', 'oops'));
    await settle();
    await time.advance(750);
    calls[1]!.reject(httpError(403, 'FORBIDDEN', 'lngLat: the place lies outside your jurisdiction (210103005003)'));
    await settle();
    expect(outbox.list()[0]).toMatchObject({ state: 'failed', errorCode: 'FORBIDDEN', attempts: 2 });
    await time.advance(60 * 60_000);
    expect(calls).toHaveLength(2);
  });

  it('takes in another tab\'s list: its new reports join and are sent, the further state of a shared report wins, and an unchanged list stores nothing', async () => {
    const shared = memoryStorage();
    const tabA = manualSend();
    const tabB = manualSend();
    const a = makeOutbox(shared, tabA.send);
    const first = a.submit(BODY);
    const b = makeOutbox(shared, tabB.send);
    expect(b.list().map((item) => item.key)).toEqual([first]);
    // Tab B reports too; tab A hears of it and sends it as well (the key makes the server register it once).
    const second = b.submit({ ...BODY, summary: 'B' });
    a.adopt(shared.load());
    expect(a.list().map((item) => item.key)).toEqual([first, second]);
    expect(tabA.calls.map((call) => call.key)).toEqual([first, second]);
    // Tab A's first report is answered: tab B takes the sent state over its pending copy, and sends nothing more.
    tabA.calls[0]!.resolve(RESULT);
    await settle();
    b.adopt(shared.load());
    expect(b.list().find((item) => item.key === first)).toMatchObject({ state: 'sent', result: RESULT, body: null });
    // Taking in the same list again changes and stores nothing.
    const saves: number[] = [];
    b.subscribe(() => saves.push(1));
    b.adopt(shared.load());
    expect(saves).toEqual([]);
    // A's pending copy of B's report (in flight in A) is not taken back to pending by an older copy.
    a.adopt([{ ...a.list()[1]!, attempts: 0 }]);
    expect(a.isSending(second)).toBe(true);
    expect(tabA.calls).toHaveLength(2);
  });

  it('keeps only the newest sent reports', async () => {
    const { calls, send } = manualSend();
    const outbox = new ReportOutbox({ storage: memoryStorage(), send, newKey: () => `key-${++keys}-abcdefgh`, now: () => time.now, setTimer: time.setTimer, clearTimer: time.clearTimer, keepSent: 3 });
    for (let i = 0; i < 5; i++) {
      outbox.submit(BODY);
      calls[i]!.resolve({ ...RESULT, id: i + 1 });
      await settle();
    }
    expect(outbox.list().map((item) => item.result?.id)).toEqual([3, 4, 5]);
  });
});

/** window.localStorage's interface over a Map. */
function memoryLocalStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

describe('localOutboxStorage', () => {
  it('keeps the outbox to its account: another account finds it empty and it is deleted', () => {
    const local = memoryLocalStorage();
    const { send } = manualSend();
    const outbox = makeOutbox(localOutboxStorage('wang|grid-worker|210103005003', local), send);
    outbox.submit(BODY);
    expect(JSON.parse(local.getItem(REPORT_OUTBOX_KEY)!)).toMatchObject({ owner: 'wang|grid-worker|210103005003', items: [{ state: 'pending' }] });
    outbox.dispose();
    expect(localOutboxStorage('wang|grid-worker|210103005003', local).load()).toHaveLength(1);
    expect(localOutboxStorage('li|grid-worker|210103005003', local).load()).toEqual([]);
    expect(local.getItem(REPORT_OUTBOX_KEY)).toBeNull();
  });

  it('writes nothing after a logout on the page (an answer arriving late must not bring the parties back)', () => {
    const local = memoryLocalStorage();
    const storage = localOutboxStorage('wang|grid-worker|210103005003', local);
    storage.save([]);
    expect(local.getItem(REPORT_OUTBOX_KEY)).not.toBeNull();
    local.removeItem(REPORT_OUTBOX_KEY);
    clearReportOutbox();
    storage.save([]);
    expect(local.getItem(REPORT_OUTBOX_KEY)).toBeNull();
    // A storage opened after the logout (the next login) writes again.
    localOutboxStorage('wang|grid-worker|210103005003', local).save([]);
    expect(local.getItem(REPORT_OUTBOX_KEY)).not.toBeNull();
  });
});
