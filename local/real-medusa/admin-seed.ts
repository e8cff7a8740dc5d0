/** What startRealMedusa creates through the admin API so that a product can be shown and sold. */
export interface SeededStore {
  readonly secretApiKey: string;
  readonly publishableKey: string;
  readonly region: { readonly id: string; readonly currency_code: string };
  /** The SAR region first, then a USD one. */
  readonly regions: readonly { readonly id: string; readonly currency_code: string }[];
  readonly salesChannel: { readonly id: string };
  readonly stockLocation: { readonly id: string };
}

type Json = Record<string, unknown>;

/** A minimal admin client for seeding: Bearer token from e-mail/password, JSON in and out. */
class AdminSession {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<AdminSession> {
    const response = await fetch(`${baseUrl}/auth/user/emailpass`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = (await response.json()) as Json;
    if (!response.ok || typeof body.token !== 'string') {
      throw new Error(`admin login at ${baseUrl} failed: ${response.status} ${String(body.message)}`);
    }
    return new AdminSession(baseUrl, body.token);
  }

  async send(method: 'GET' | 'POST', path: string, body?: Json): Promise<Json> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as Json;
    if (!response.ok)
      throw new Error(`seeding Medusa: ${method} ${path} → ${response.status} ${String(answer.message)}`);
    return answer;
  }

  /** POST and return the `name` object's id (and token, for API keys). */
  async create(path: string, name: string, body: Json): Promise<{ id: string; token?: string }> {
    return (await this.send('POST', path, body))[name] as { id: string; token?: string };
  }
}

/**
 * The store's currencies, a SAR region (and a USD one), a sales channel with a publishable key and a
 * stock location serving it, and a secret API key: with these a published product with a SAR price
 * and stock at that location can be added to a cart (checked on Medusa 2.21.2: nothing else needed).
 */
export async function seedStore(baseUrl: string, email: string, password: string): Promise<SeededStore> {
  const admin = await AdminSession.login(baseUrl, email, password);
  const secret = await admin.create('/admin/api-keys', 'api_key', {
    title: 'pipeline relay',
    type: 'secret',
  });
  const [store] = (await admin.send('GET', '/admin/stores')).stores as { id: string }[];
  if (!store) throw new Error('seeding Medusa: GET /admin/stores returned no store');
  await admin.send('POST', `/admin/stores/${store.id}`, {
    supported_currencies: [{ currency_code: 'sar', is_default: true }, { currency_code: 'usd' }],
  });
  const sar = await admin.create('/admin/regions', 'region', {
    name: 'Saudi Arabia',
    currency_code: 'sar',
    countries: ['sa'],
  });
  const usd = await admin.create('/admin/regions', 'region', {
    name: 'United States',
    currency_code: 'usd',
    countries: ['us'],
  });
  const channel = await admin.create('/admin/sales-channels', 'sales_channel', {
    name: 'Pipeline Storefront',
  });
  const publishable = await admin.create('/admin/api-keys', 'api_key', {
    title: 'storefront',
    type: 'publishable',
  });
  await admin.send('POST', `/admin/api-keys/${publishable.id}/sales-channels`, { add: [channel.id] });
  const location = await admin.create('/admin/stock-locations', 'stock_location', {
    name: 'Riyadh Warehouse',
  });
  await admin.send('POST', `/admin/stock-locations/${location.id}/sales-channels`, { add: [channel.id] });
  const region = { id: sar.id, currency_code: 'sar' };
  return {
    secretApiKey: String(secret.token),
    publishableKey: String(publishable.token),
    region,
    regions: [region, { id: usd.id, currency_code: 'usd' }],
    salesChannel: { id: channel.id },
    stockLocation: { id: location.id },
  };
}
