import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: each offending field is named in `errors`',
  401: 'No token, or an invalid or expired one',
  403: 'The caller’s role or region may not do this',
  404: 'Not found (or not visible to the caller)',
  406: 'The requested representation is not available',
  409: 'Conflict',
  422: 'Understood but refused (e.g. no applicable policy)',
  429: 'Too many requests (rate limit), or too many failed sign-ins: see Retry-After',
};

/** Documents the problem-details responses a route can give. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
