import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { checkVerificationRules, type FieldError, type VerificationRequest } from '@verihub/domain';
import type { Actor } from '../auth/actor';
import { flattenValidationErrors } from '../http/validation';
import { CreateVerificationDto } from '../verifications/create-verification.dto';
import { mayCreateIn } from '../verifications/verification-access';

export type LineVerdict = { ok: true; request: VerificationRequest } | { ok: false; errors: FieldError[] };

/**
 * One line of a batch, checked exactly as POST /api/v1/verifications checks a body (the same DTO, the
 * same domain rules, the submitter's region), before anything is stored. What can only be judged against
 * stored records (a revoked or conflicting authorization, the policy in force) is judged at submission.
 */
export function checkBatchLine(value: unknown, actor: Actor, requiredProviders: readonly string[], now: Date): LineVerdict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
  }
  const dto = plainToInstance(CreateVerificationDto, value, { enableImplicitConversion: false });
  const invalid = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (invalid.length > 0) return { ok: false, errors: flattenValidationErrors(invalid) };
  if (!mayCreateIn(actor, dto.regionCode)) {
    return { ok: false, errors: [{ field: 'regionCode', message: `must be your own region (${actor.regionCode})` }] };
  }
  const request = toRequest(dto);
  const problems = checkVerificationRules(request, now, { requiredProviders });
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, request };
}

/** Plain data to store: the validated DTO copied (no class instances, no undefined fields). */
function toRequest(dto: CreateVerificationDto): VerificationRequest {
  return JSON.parse(JSON.stringify(dto)) as VerificationRequest;
}
