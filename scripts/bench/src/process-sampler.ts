/**
 * Memory and CPU of every process of the run, from /proc: RSS and its peak (VmHWM) per app process, CPU seconds
 * (utime + stime) per process, and the same summed over groups whose members come and go (PostgreSQL: the server
 * and every backend; its RSS counts shared buffers once per backend, so the proportional set size, Pss, is kept too).
 */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcSample {
  rssKiB: number;
  hwmKiB: number;
  cpuSeconds: number;
}

function readProc(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name "(...)": state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM'), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return undefined; // exited
  }
}

function readPssKiB(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Pids of processes whose command name (/proc/<pid>/comm) is `comm`. */
export function pidsNamed(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

export interface ProcessUsage {
  name: string;
  pid?: number;
  /** Highest RSS (VmHWM for one process; for a group, the highest sum over its members seen in a sample). */
  peakRssMiB: number;
  /** Groups only: highest summed proportional set size (shared pages divided among the processes sharing them). */
  peakPssMiB?: number;
  /** CPU seconds used while the batch ran (between the marks). */
  batchCpuSeconds: number;
  /** Share of one core while the batch ran. */
  batchCpuPercent: number;
  /** CPU seconds since sampling began. */
  cpuSeconds: number;
  /** Groups only: how many processes were seen. */
  processes?: number;
}

interface Tracked {
  name: string;
  pid?: number;
  group?: () => number[];
  peakKiB: number;
  peakPssKiB: number;
  /** Per pid: CPU seconds at the first sample (groups: processes already running) and at the last one. */
  cpuFirst: Map<number, number>;
  cpuLast: Map<number, number>;
  cpuAtMark: Map<string, number>;
  lastRssKiB: number;
}

export interface TimelinePoint {
  atSeconds: number;
  rssMiB: Record<string, number>;
}

export class ProcessSampler {
  private readonly tracked: Tracked[] = [];
  private timer?: NodeJS.Timeout;
  private readonly started = Date.now();
  private readonly marks = new Map<string, number>();
  readonly timeline: TimelinePoint[] = [];
  private lastTimeline = -Infinity;

  constructor(private readonly intervalMs = 500, private readonly timelineEveryMs = 5000) {}

  addProcess(name: string, pid: number): void {
    this.tracked.push({ name, pid, peakKiB: 0, peakPssKiB: 0, cpuFirst: new Map(), cpuLast: new Map(), cpuAtMark: new Map(), lastRssKiB: 0 });
  }

  addGroup(name: string, pids: () => number[]): void {
    this.tracked.push({ name, group: pids, peakKiB: 0, peakPssKiB: 0, cpuFirst: new Map(), cpuLast: new Map(), cpuAtMark: new Map(), lastRssKiB: 0 });
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  /** Records every process's CPU seconds now, under `name` ("batch-start", "batch-end"). */
  mark(name: string): void {
    this.sample();
    this.marks.set(name, Date.now());
    for (const t of this.tracked) t.cpuAtMark.set(name, this.cpuOf(t));
  }

  private cpuOf(t: Tracked): number {
    let sum = 0;
    for (const [pid, last] of t.cpuLast) sum += last - (t.cpuFirst.get(pid) ?? 0);
    return sum;
  }

  private sample(): void {
    const point: Record<string, number> = {};
    for (const t of this.tracked) {
      const pids = t.group ? t.group() : [t.pid!];
      let rss = 0;
      let pss = 0;
      for (const pid of pids) {
        const s = readProc(pid);
        if (!s) continue;
        rss += t.group ? s.rssKiB : Math.max(s.hwmKiB, s.rssKiB);
        if (t.group) pss += readPssKiB(pid);
        // A process seen for the first time after the start counts from 0 (a new backend); at the start, from now.
        if (!t.cpuFirst.has(pid)) t.cpuFirst.set(pid, this.timelineStarted() ? 0 : s.cpuSeconds);
        t.cpuLast.set(pid, s.cpuSeconds);
        if (!t.group) t.lastRssKiB = s.rssKiB;
      }
      if (t.group) t.lastRssKiB = rss;
      t.peakKiB = Math.max(t.peakKiB, rss);
      t.peakPssKiB = Math.max(t.peakPssKiB, pss);
      point[t.name] = Math.round(t.lastRssKiB / 102.4) / 10;
    }
    const now = Date.now();
    if (now - this.lastTimeline >= this.timelineEveryMs) {
      this.lastTimeline = now;
      this.timeline.push({ atSeconds: Math.round((now - this.started) / 100) / 10, rssMiB: point });
    }
  }

  private timelineStarted(): boolean {
    return this.timeline.length > 0;
  }

  usage(from = 'batch-start', to = 'batch-end'): ProcessUsage[] {
    const seconds = ((this.marks.get(to) ?? Date.now()) - (this.marks.get(from) ?? this.started)) / 1000;
    return this.tracked.map((t) => {
      const cpuEnd = t.cpuAtMark.get(to) ?? this.cpuOf(t);
      const batchCpu = cpuEnd - (t.cpuAtMark.get(from) ?? 0);
      return {
        name: t.name,
        ...(t.pid ? { pid: t.pid } : {}),
        peakRssMiB: round1(t.peakKiB / 1024),
        ...(t.group ? { peakPssMiB: round1(t.peakPssKiB / 1024), processes: t.cpuLast.size } : {}),
        batchCpuSeconds: round1(batchCpu),
        batchCpuPercent: seconds > 0 ? Math.round((batchCpu / seconds) * 100) : 0,
        cpuSeconds: round1(this.cpuOf(t)),
      };
    });
  }
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
