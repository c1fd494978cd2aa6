import { existsSync } from 'fs';
import { join, resolve } from 'path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * Serves a built web console from `staticDir` at `/`; unknown non-API paths that ask for HTML get its
 * index.html (client-side routing). `/api/...` is never answered from here.
 */
export function serveConsole(app: NestExpressApplication, staticDir: string): void {
  const root = resolve(staticDir);
  app.useStaticAssets(root, { index: 'index.html' });
  const index = join(root, 'index.html');
  app.use((request: Request, response: Response, next: NextFunction) => {
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !request.path.startsWith('/api');
    if (wantsPage && existsSync(index) && request.accepts(['html', 'json']) === 'html') return response.sendFile(index);
    next();
  });
}
