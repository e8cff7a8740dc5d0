import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../pimcore-simulator/http-io';
import { adminRoutes } from './admin-routes';
import { matchPath, readJson, sendNotFoundRoute } from './api-io';
import { MedusaApiError } from './errors';
import type { ApiContext, Route } from './routing';
import { checkPublishableKey, storeRoutes } from './store-routes';

/** Routes one request; a MedusaApiError becomes Medusa's `{ type, message }` body. */
export async function handleApi(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  context: ApiContext,
): Promise<void> {
  const method = request.method ?? 'GET';
  try {
    if (method === 'POST' && url.pathname === '/auth/user/emailpass') {
      const token = context.auth.login(await readJson(request));
      return sendJson(response, 200, { token });
    }
    let routes: readonly Route[] = [];
    if (url.pathname.startsWith('/admin/')) {
      // Medusa's authenticate middleware answers a bare message here, not the typed envelope.
      if (!context.auth.isAuthorized(request.headers))
        return sendJson(response, 401, { message: 'Unauthorized' });
      routes = adminRoutes;
    } else if (url.pathname.startsWith('/store/')) {
      checkPublishableKey(request, context);
      routes = storeRoutes;
    }
    for (const route of routes) {
      const params = route.method === method ? matchPath(route.path, url.pathname) : undefined;
      if (params === undefined) continue;
      return await route.handle({ request, response, url, params, context, body: () => readJson(request) });
    }
    sendNotFoundRoute(response, method, url.pathname);
  } catch (error: unknown) {
    if (!(error instanceof MedusaApiError)) throw error;
    sendJson(response, error.status, error.toBody());
  }
}
