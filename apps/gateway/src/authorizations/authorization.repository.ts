import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuthorizationEntity } from './authorization.entity';
import { VerificationAuthorizationEntity } from './verification-authorization.entity';

export interface AuthorizationListing {
  record: AuthorizationEntity;
  verificationIds: string[];
}

/** The only place that writes gateway.authorizations and gateway.verification_authorizations. */
@Injectable()
export class AuthorizationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The records of these document references, locked until the transaction ends (revocation waits) — in
   * reference order, so two transactions citing some of the same documents never wait on each other in a cycle.
   */
  lockByDocumentRefs(manager: EntityManager, documentRefs: readonly string[]): Promise<AuthorizationEntity[]> {
    if (documentRefs.length === 0) return Promise.resolve([]);
    return manager.getRepository(AuthorizationEntity).find({
      where: { documentRef: In([...new Set(documentRefs)]) },
      order: { documentRef: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Inserts the records no row holds yet (a concurrent insert of the same reference wins; callers re-read). */
  async insertMissing(manager: EntityManager, records: AuthorizationEntity[]): Promise<void> {
    if (records.length === 0) return;
    await manager.createQueryBuilder().insert().into(AuthorizationEntity).values(records).orIgnore().execute();
  }

  link(manager: EntityManager, verificationId: string, authorizationIds: readonly string[]): Promise<void> {
    return this.linkMany(manager, [{ verificationId, authorizationIds }]);
  }

  /** link() for many verifications, in one statement. */
  async linkMany(manager: EntityManager, links: ReadonlyArray<{ verificationId: string; authorizationIds: readonly string[] }>): Promise<void> {
    const rows = links.flatMap(({ verificationId, authorizationIds }) => [...new Set(authorizationIds)].map((authorizationId) => ({ verificationId, authorizationId })));
    if (rows.length > 0) await manager.insert(VerificationAuthorizationEntity, rows);
  }

  findForUpdate(manager: EntityManager, id: string): Promise<AuthorizationEntity | null> {
    return manager.getRepository(AuthorizationEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async revoke(manager: EntityManager, id: string, revokedAt: Date, revokedBy: string, reason: string): Promise<void> {
    await manager.update(AuthorizationEntity, { id }, { revokedAt, revokedBy, revocationReason: reason });
  }

  /** The verifications citing the record, oldest first. */
  async verificationIdsOf(manager: EntityManager | undefined, authorizationId: string): Promise<string[]> {
    const rows: { verification_id: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT va.verification_id FROM gateway.verification_authorizations va
         JOIN gateway.verifications v ON v.id = va.verification_id
        WHERE va.authorization_id = $1 ORDER BY v.created_at, v.id`,
      [authorizationId],
    );
    return rows.map((r) => r.verification_id);
  }

  /** The regions whose cases cite the record, and the record's own region. */
  async regionsOf(manager: EntityManager | undefined, record: AuthorizationEntity): Promise<Set<string>> {
    const rows: { region_code: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT DISTINCT v.region_code FROM gateway.verification_authorizations va
         JOIN gateway.verifications v ON v.id = va.verification_id WHERE va.authorization_id = $1`,
      [record.id],
    );
    return new Set([record.regionCode, ...rows.map((r) => r.region_code)]);
  }

  /** The records cited by a verification, share-locked until the transaction ends (a revocation waits). */
  citedBy(manager: EntityManager, verificationId: string): Promise<AuthorizationEntity[]> {
    return manager
      .getRepository(AuthorizationEntity)
      .createQueryBuilder('a')
      .innerJoin(VerificationAuthorizationEntity, 'va', 'va.authorization_id = a.id')
      .where('va.verification_id = :verificationId', { verificationId })
      .orderBy('a.document_ref')
      .setLock('pessimistic_read')
      .getMany();
  }

  /**
   * Records visible to a region (its own, or cited by one of its cases; every region when `regionCode` is
   * undefined), optionally of one document reference, newest first; with the ids of the region's cases citing each.
   */
  async list(filter: { regionCode?: string; documentRef?: string; limit: number }): Promise<AuthorizationListing[]> {
    const query = this.dataSource.getRepository(AuthorizationEntity).createQueryBuilder('a');
    if (filter.documentRef !== undefined) query.andWhere('a.document_ref = :documentRef', { documentRef: filter.documentRef });
    if (filter.regionCode !== undefined) {
      query.andWhere(
        `(a.region_code = :region OR EXISTS (SELECT 1 FROM gateway.verification_authorizations va
            JOIN gateway.verifications v ON v.id = va.verification_id
           WHERE va.authorization_id = a.id AND v.region_code = :region))`,
        { region: filter.regionCode },
      );
    }
    const records = await query.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC').take(filter.limit).getMany();
    if (records.length === 0) return [];
    const links: { authorization_id: string; verification_id: string }[] = await this.dataSource.query(
      `SELECT va.authorization_id, va.verification_id FROM gateway.verification_authorizations va
         JOIN gateway.verifications v ON v.id = va.verification_id
        WHERE va.authorization_id = ANY($1::uuid[]) AND ($2::text IS NULL OR v.region_code = $2)
        ORDER BY v.created_at, v.id`,
      [records.map((r) => r.id), filter.regionCode ?? null],
    );
    return records.map((record) => ({
      record,
      verificationIds: links.filter((l) => l.authorization_id === record.id).map((l) => l.verification_id),
    }));
  }
}
