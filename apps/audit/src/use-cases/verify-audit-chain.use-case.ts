import { Injectable } from '@nestjs/common';
import { AuditChainVerifier, type ChainVerification } from '@verihub/domain';
import { AuditLogRepository } from '../repositories/audit-log.repository';

/** Checks the whole chain in sequence order, a page at a time; stops at the first broken entry. */
@Injectable()
export class VerifyAuditChainUseCase {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(): Promise<ChainVerification> {
    const verifier = new AuditChainVerifier();
    pages: for await (const page of this.log.stream({})) {
      for (const entry of page) if (!verifier.add(entry)) break pages;
    }
    return verifier.result();
  }
}
