import { reportChanges } from './report-changes';
import type { VerificationUpdate } from './verification-update';
import type { LockedUpdateState, NewReportVersion, ReportVersionContext, ReportVersionKey, StateUpdate } from './verification.repository';

export type AppliedOutcome = 'applied' | 'stale';

/** The report versions a batch of updates carries (what findReportVersionsWithPrevious is asked about). */
export function reportVersionKeysOf(updates: readonly VerificationUpdate[]): ReportVersionKey[] {
  const keys = new Map<string, ReportVersionKey>();
  for (const u of updates) {
    if (u.report && u.reportVersion > 0) keys.set(keyOf(u.verificationId, u.reportVersion), { verificationId: u.verificationId, version: u.reportVersion });
  }
  return [...keys.values()];
}

/**
 * RecordVerificationUpdateUseCase's rules over many updates, in memory and in their order, as if each
 * were applied alone after the one before: a report version is kept once (one stored earlier in the batch
 * counts as stored, and is the previous version of a later one), and a verification's state takes an update
 * only when it is newer than the state the updates before it left. What it collects is written afterwards,
 * one statement per table.
 */
export class VerificationUpdateBatch {
  /** The report versions to insert, in order. */
  readonly newVersions: NewReportVersion[] = [];
  private readonly current = new Map<string, { reportVersion: number; stateUpdatedAt: Date | null }>();
  private readonly changed = new Map<string, StateUpdate & { id: string }>();
  private readonly stored = new Map<string, ReportVersionContext>();
  /** Per verification, the versions inserted by this batch so far, with their reports. */
  private readonly inserted = new Map<string, Map<number, Record<string, unknown>>>();

  constructor(
    locked: readonly LockedUpdateState[],
    versions: readonly ReportVersionContext[],
    private readonly receivedAt: Date,
  ) {
    for (const v of locked) this.current.set(v.id, { reportVersion: v.reportVersion, stateUpdatedAt: v.stateUpdatedAt });
    for (const v of versions) this.stored.set(keyOf(v.verificationId, v.version), v);
  }

  /** The update's verification must be one of the locked ones. */
  apply(update: VerificationUpdate): AppliedOutcome {
    if (update.report && update.reportVersion > 0) this.keepVersion(update, update.report);

    const current = this.current.get(update.verificationId);
    if (!current) throw new Error(`verification ${update.verificationId} is not locked by this batch`);
    const stateTime = update.updatedAt ?? this.receivedAt;
    const newer =
      update.reportVersion > current.reportVersion ||
      (update.reportVersion === current.reportVersion && (current.stateUpdatedAt === null || stateTime >= current.stateUpdatedAt));
    if (!newer) return 'stale';
    this.current.set(update.verificationId, { reportVersion: update.reportVersion, stateUpdatedAt: stateTime });
    this.changed.set(update.verificationId, {
      id: update.verificationId,
      status: update.status,
      sources: update.sources,
      reportVersion: update.reportVersion,
      stateUpdatedAt: stateTime,
      updatedAt: this.receivedAt,
    });
    return 'applied';
  }

  /** The last state each changed verification took. */
  stateChanges(): Array<StateUpdate & { id: string }> {
    return [...this.changed.values()];
  }

  private keepVersion(update: VerificationUpdate, report: Record<string, unknown>): void {
    const context = this.stored.get(keyOf(update.verificationId, update.reportVersion));
    const inserted = this.inserted.get(update.verificationId) ?? new Map<number, Record<string, unknown>>();
    if (context?.stored || inserted.has(update.reportVersion)) return;
    // The newest version below this one stored so far: in the table before the batch, or inserted by it.
    let previous = context?.previous ?? null;
    for (const [version, stored] of inserted) {
      if (version < update.reportVersion && (!previous || version > previous.version)) previous = { version, report: stored };
    }
    this.newVersions.push({
      verificationId: update.verificationId,
      version: update.reportVersion,
      report,
      changeReason: update.changeReason,
      changes: previous ? reportChanges(previous.report, report) : null,
    });
    inserted.set(update.reportVersion, report);
    this.inserted.set(update.verificationId, inserted);
  }
}

function keyOf(verificationId: string, version: number): string {
  return `${verificationId}:${version}`;
}
