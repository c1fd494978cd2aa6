import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('verihub public API')
    .setDescription(
      'Household economic-status verification (居民家庭经济状况核对). Amounts are integer fen; timestamps ISO 8601 with offset. ' +
        'Every error is RFC 9457 problem details (application/problem+json) naming each offending field. ' +
        'Get a token with POST /api/v1/auth/token and send it as "Authorization: Bearer <token>".',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
}

/** Swagger UI at /api/docs and the document at /api/docs-json (no authentication). */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'api/docs-yaml',
    customSiteTitle: 'verihub API',
  });
}
