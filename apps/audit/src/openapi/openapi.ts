import { applyDecorators, type INestApplication } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, DocumentBuilder, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: each offending parameter is named in `errors`',
  401: 'No token, or an invalid or expired one',
  403: 'Only the auditor role may read the audit log',
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

/** Swagger UI at /api/docs and the document at /api/docs-json (no authentication). */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('verihub audit API')
    .setDescription(
      'The audit office’s view of the query log (domain.md §8): who looked at whom, why and when, never the data values. ' +
        'Bearer tokens are the gateway’s (POST /api/v1/auth/token there); only the auditor role is served. ' +
        'Every search and export is itself recorded in the log. Errors are RFC 9457 problem details.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] }), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'verihub audit API',
  });
}
