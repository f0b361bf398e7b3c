// Interop: BullMQ (npm) runs its usual flow against redis-ts — jobs added and processed
// to completion with return values, progress updates, retries with fixed backoff,
// delayed jobs, priorities, removeOnComplete, getJobCounts and a job scheduler
// (repeatable job). BullMQ drives almost everything through Lua scripts (EVALSHA with
// cmsgpack-packed arguments), so this exercises the scripting engine end to end.
// The same suite runs against Debian's redis-server 7.0 as a control when it is
// installed, so a failure only on redis-ts points at redis-ts.
//
// No wall-clock-tight assertions: delayed jobs are checked by state right after add
// (no worker runs yet, and only a worker promotes delayed jobs) and by the recorded
// processedOn >= timestamp + delay afterwards. Every wait is bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, QueueEvents, Worker, type Job, type JobsOptions } from 'bullmq';
import { skipWithoutRealRedis, startServer, type ServerProcess } from '../helpers/server.js';

const WAIT_MS = 15_000;

/** Resolves/rejects with `p`, or rejects after `ms` naming `what`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Polls `cond` every 20 ms until true, failing after `ms`. */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const targets: { name: string; real: boolean; skip: string | null }[] = [
  { name: 'redis-ts', real: false, skip: null },
  { name: 'redis-server (control)', real: true, skip: skipWithoutRealRedis() },
];

for (const target of targets) {
  describe.skipIf(target.skip !== null)(`BullMQ against ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`, () => {
    let server: ServerProcess;
    let connection: { host: string; port: number; maxRetriesPerRequest: null };
    /** Everything opened, closed in afterAll (each test also closes its own). */
    const closers: (() => Promise<unknown>)[] = [];
    /** 'error' events of any queue/worker/events object: a failing Lua script shows here. */
    const errors: string[] = [];

    beforeAll(async () => {
      server = await startServer({ real: target.real });
      connection = { host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null };
    });

    afterAll(async () => {
      for (const c of closers.reverse()) await within(c(), 10_000, 'close').catch(() => undefined);
      await server?.stop();
    });

    function track<T extends { close(): Promise<unknown>; on(ev: 'error', fn: (e: Error) => void): unknown }>(o: T, label: string): T {
      o.on('error', (e: Error) => errors.push(`${label}: ${e.message}`));
      closers.push(() => o.close());
      return o;
    }

    async function open(name: string, lastEventId = '0') {
      const queue = track(new Queue(name, { connection }), `queue ${name}`);
      // lastEventId '0': a fresh queue's event stream is read from its start, so no event is
      // missed however late the first XREAD is issued.
      const events = track(new QueueEvents(name, { connection, lastEventId }), `events ${name}`);
      await within(queue.waitUntilReady(), WAIT_MS, 'queue ready');
      await within(events.waitUntilReady(), WAIT_MS, 'queue events ready');
      return { queue, events };
    }

    function worker<R>(name: string, fn: (job: Job) => Promise<R>, concurrency = 1): Worker {
      return track(new Worker(name, fn, { connection, concurrency }), `worker ${name}`);
    }

    async function closeAll(...objs: { close(): Promise<unknown> }[]): Promise<void> {
      for (const o of objs) await within(o.close(), 10_000, 'close');
    }

    it('processes jobs to completion, stores return values and progress', async () => {
      const { queue, events } = await open('basic');
      const progressEvents: { jobId: string; data: unknown }[] = [];
      events.on('progress', ({ jobId, data }) => progressEvents.push({ jobId, data }));
      const jobs = await queue.addBulk([
        { name: 'double', data: { n: 1 } },
        { name: 'double', data: { n: 2 } },
      ]);
      jobs.push(await queue.add('double', { n: 21 }));
      const w = worker('basic', async (job) => {
        await job.updateProgress(30);
        await job.updateProgress({ step: 'done', pct: 100 });
        return { doubled: (job.data as { n: number }).n * 2, name: job.name };
      });
      const results = await within(Promise.all(jobs.map((j) => j.waitUntilFinished(events, WAIT_MS))), WAIT_MS + 1000, 'jobs to finish');
      expect(results).toEqual([
        { doubled: 2, name: 'double' },
        { doubled: 4, name: 'double' },
        { doubled: 42, name: 'double' },
      ]);
      for (const [i, j] of jobs.entries()) {
        const stored = await queue.getJob(j.id!);
        expect(stored, `job ${j.id}`).toBeDefined();
        expect(stored!.returnvalue).toEqual(results[i]);
        expect(stored!.progress).toEqual({ step: 'done', pct: 100 });
        expect(stored!.finishedOn).toBeGreaterThanOrEqual(stored!.processedOn!);
        expect(stored!.attemptsMade).toBe(1);
        expect(await stored!.getState()).toBe('completed');
      }
      await until('all progress events', () => progressEvents.length >= 6);
      for (const j of jobs) {
        expect(progressEvents.filter((e) => e.jobId === j.id).map((e) => e.data)).toEqual([30, { step: 'done', pct: 100 }]);
      }
      expect(await queue.getJobCounts()).toMatchObject({ completed: 3, waiting: 0, active: 0, failed: 0, delayed: 0 });
      expect(await queue.getCompletedCount()).toBe(3);
      await closeAll(w);
      expect(errors).toEqual([]);
    });

    it('retries a failing job (attempts: 3, fixed backoff) that fails twice then succeeds', async () => {
      const { queue, events } = await open('retry');
      const failedEvents: string[] = [];
      events.on('failed', ({ failedReason }) => failedEvents.push(failedReason));
      let calls = 0;
      const w = worker('retry', async (job) => {
        calls++;
        if (job.attemptsMade < 2) throw new Error(`boom ${job.attemptsMade}`);
        return `ok after ${job.attemptsMade} failures`;
      });
      const workerFailed: string[] = [];
      w.on('failed', (_job, err) => workerFailed.push(err.message));
      const opts: JobsOptions = { attempts: 3, backoff: { type: 'fixed', delay: 100 } };
      const job = await queue.add('flaky', { x: 1 }, opts);
      const result = await within(job.waitUntilFinished(events, WAIT_MS), WAIT_MS + 1000, 'retried job');
      expect(result).toBe('ok after 2 failures');
      expect(calls).toBe(3);
      expect(workerFailed).toEqual(['boom 0', 'boom 1']);
      const stored = (await queue.getJob(job.id!))!;
      expect(await stored.getState()).toBe('completed');
      expect(stored.attemptsMade).toBe(3);
      expect(stored.stacktrace).toHaveLength(2);
      expect(stored.returnvalue).toBe('ok after 2 failures');
      // Backoff: each retry was parked as delayed, so the job was not failed for good.
      expect(failedEvents).toEqual([]);

      // And one that never succeeds ends in 'failed' after its attempts.
      const w2calls: number[] = [];
      await closeAll(w);
      const doomed = await queue.add('doomed', {}, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
      const w2 = worker('retry', async (j) => {
        w2calls.push(j.attemptsMade);
        throw new Error('always');
      });
      await expect(within(doomed.waitUntilFinished(events, WAIT_MS), WAIT_MS + 1000, 'doomed job')).rejects.toThrow('always');
      expect(w2calls).toEqual([0, 1]);
      const d = (await queue.getJob(doomed.id!))!;
      expect(await d.getState()).toBe('failed');
      expect(d.failedReason).toBe('always');
      expect(d.attemptsMade).toBe(2);
      await until('failed event', () => failedEvents.length >= 1);
      expect(failedEvents).toEqual(['always']);
      expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 1, failed: 1 });
      await closeAll(w2);
      expect(errors).toEqual([]);
    });

    it('keeps a delayed job delayed until it is due, then processes it', async () => {
      const { queue, events } = await open('delayed');
      const delay = 300;
      const job = await queue.add('later', { v: 'x' }, { delay });
      // No worker yet, and only a worker promotes delayed jobs: the state cannot have moved.
      expect(await job.getState()).toBe('delayed');
      expect(await queue.getJobCounts('delayed', 'waiting')).toEqual({ delayed: 1, waiting: 0 });
      const now = await queue.add('now', { v: 'y' });
      const order: string[] = [];
      const w = worker('delayed', async (j) => {
        order.push(j.name);
        return j.name;
      });
      expect(await within(now.waitUntilFinished(events, WAIT_MS), WAIT_MS + 1000, 'immediate job')).toBe('now');
      expect(await within(job.waitUntilFinished(events, WAIT_MS), WAIT_MS + 1000, 'delayed job')).toBe('later');
      expect(order).toEqual(['now', 'later']);
      const stored = (await queue.getJob(job.id!))!;
      expect(stored.processedOn!).toBeGreaterThanOrEqual(stored.timestamp + delay);
      expect(stored.opts.delay).toBe(delay);
      await closeAll(w);
      expect(errors).toEqual([]);
    });

    it('runs higher-priority jobs first (concurrency 1, worker started after adding)', async () => {
      const { queue, events } = await open('prio');
      const prios = [10, 1, 5, 3, 7, 2];
      const jobs: Job[] = [];
      for (const p of prios) jobs.push(await queue.add(`p${p}`, { p }, { priority: p }));
      expect(await queue.getJobCounts('prioritized', 'waiting')).toEqual({ prioritized: prios.length, waiting: 0 });
      expect(await jobs[0].getState()).toBe('prioritized');
      const order: number[] = [];
      const w = worker('prio', async (j) => {
        order.push((j.data as { p: number }).p);
        return j.data;
      });
      await within(Promise.all(jobs.map((j) => j.waitUntilFinished(events, WAIT_MS))), WAIT_MS + 1000, 'prioritized jobs');
      expect(order).toEqual([...prios].sort((a, b) => a - b));
      await closeAll(w);
      expect(errors).toEqual([]);
    });

    it('honours removeOnComplete and counts jobs by state', async () => {
      const { queue, events } = await open('counts');
      const gone = await queue.add('gone', {}, { removeOnComplete: true });
      const kept: Job[] = [];
      for (let i = 0; i < 4; i++) kept.push(await queue.add('kept', { i }, { removeOnComplete: { count: 2 } }));
      await queue.add('parked', {}, { delay: 3_600_000 });
      await queue.add('prio', {}, { priority: 3 });
      expect(await queue.getJobCounts()).toMatchObject({ waiting: 5, delayed: 1, prioritized: 1, active: 0, completed: 0, failed: 0 });
      expect(await queue.count()).toBe(7);

      const w = worker('counts', async (j) => {
        if (j.name === 'prio') throw new Error('no retries');
        return j.name;
      });
      await within(gone.waitUntilFinished(events, WAIT_MS), WAIT_MS + 1000, 'removeOnComplete job');
      await within(Promise.all(kept.map((j) => j.waitUntilFinished(events, WAIT_MS))), WAIT_MS + 1000, 'kept jobs');
      await until('prio job to fail', async () => (await queue.getFailedCount()) === 1);
      expect(await queue.getJob(gone.id!)).toBeUndefined();
      const completed = await queue.getCompleted();
      // Only the last 2 of the 'kept' jobs remain (count: 2).
      expect(completed.map((j) => j.id).sort()).toEqual([kept[2].id, kept[3].id].sort());
      expect(await queue.getJobCounts()).toMatchObject({ waiting: 0, delayed: 1, prioritized: 0, active: 0, completed: 2, failed: 1 });
      await closeAll(w);
      expect(errors).toEqual([]);
    });

    it('runs a repeatable job (job scheduler, every 100 ms)', async () => {
      const { queue, events } = await open('repeat');
      const runs: string[] = [];
      const w = worker('repeat', async (j) => {
        runs.push(j.id!);
        return runs.length;
      });
      await queue.upsertJobScheduler('tick', { every: 100 }, { name: 'tick', data: { t: 1 } });
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['tick']);
      await until('3 repeat runs', () => runs.length >= 3);
      expect(await queue.removeJobScheduler('tick')).toBe(true);
      expect(await queue.getJobSchedulers()).toEqual([]);
      expect(new Set(runs).size).toBe(runs.length);
      void events;
      await closeAll(w);
      expect(errors).toEqual([]);
    });
  });
}
