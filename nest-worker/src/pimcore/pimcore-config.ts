import { z } from 'zod';

/** A Pimcore language as its system settings spell it: en, ar, de_AT, zh_Hans_CN. */
const pimcoreLanguageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(?:_[A-Za-z0-9]+)*$/, 'expected a Pimcore language such as en, ar or de_AT');

const languagesSchema = z
  .array(pimcoreLanguageSchema)
  .min(1)
  .refine((languages) => languages.includes('en'), 'must include en: every product has an English title')
  .refine((languages) => new Set(languages).size === languages.length, 'languages must be unique');

const datahubEndpointSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a Datahub configuration name');
const headerNameSchema = z.string().regex(/^[A-Za-z0-9-]+$/, 'expected an HTTP header name');

const common = {
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1),
  /** The folder new products are created in; the object key is derived from the product. */
  parentPath: z.string().regex(/^(?:\/[^/]+)+$/, 'expected a folder path such as /Products/Shein'),
  /** Create products published (otherwise an editor publishes them). Updates never change `published`. */
  autoPublish: z.boolean(),
  timeoutMs: z.int().min(100).max(300_000),
  /** The languages the Pimcore system (and so the Datahub LocalizedString input) knows. */
  languages: languagesSchema,
};

export const pimcoreConfigSchema = z.discriminatedUnion('adapter', [
  z.strictObject({
    adapter: z.literal('datahub'),
    /** The Datahub configuration name: POST /pimcore-graphql-webservices/<endpoint>. */
    datahubEndpoint: datahubEndpointSchema,
    ...common,
  }),
  z.strictObject({
    adapter: z.literal('rest'),
    /** The header that carries the API key to the custom endpoint. */
    authHeader: headerNameSchema,
    ...common,
  }),
]);
export type PimcoreConfig = z.infer<typeof pimcoreConfigSchema>;

/**
 * The PIMCORE_* environment variables → PimcoreConfig. Every problem is reported against the variable's
 * name, so the worker's start-up check can print one line per wrong or missing variable.
 */
export const pimcoreEnvSchema = z
  .object({
    PIMCORE_ADAPTER: z.enum(['datahub', 'rest']).default('datahub'),
    PIMCORE_BASE_URL: common.baseUrl,
    PIMCORE_API_KEY: common.apiKey,
    PIMCORE_DATAHUB_ENDPOINT: datahubEndpointSchema.optional(),
    PIMCORE_PARENT_PATH: common.parentPath.default('/Products/Shein'),
    PIMCORE_AUTO_PUBLISH: z
      .enum(['true', 'false'], 'expected true or false')
      .default('false')
      .transform((flag) => flag === 'true'),
    PIMCORE_TIMEOUT_MS: z.coerce.number<string>().pipe(common.timeoutMs).default(10_000),
    PIMCORE_LANGUAGES: z
      .string()
      .default('en,ar')
      .transform((list) => list.split(',').map((language) => language.trim()))
      .pipe(languagesSchema),
    PIMCORE_REST_AUTH_HEADER: headerNameSchema.default('X-API-Key'),
  })
  .transform((env, ctx): PimcoreConfig => {
    const shared = {
      baseUrl: env.PIMCORE_BASE_URL,
      apiKey: env.PIMCORE_API_KEY,
      parentPath: env.PIMCORE_PARENT_PATH,
      autoPublish: env.PIMCORE_AUTO_PUBLISH,
      timeoutMs: env.PIMCORE_TIMEOUT_MS,
      languages: env.PIMCORE_LANGUAGES,
    };
    if (env.PIMCORE_ADAPTER === 'rest') {
      return { adapter: 'rest', authHeader: env.PIMCORE_REST_AUTH_HEADER, ...shared };
    }
    if (env.PIMCORE_DATAHUB_ENDPOINT === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['PIMCORE_DATAHUB_ENDPOINT'],
        message: 'required when PIMCORE_ADAPTER is datahub',
      });
      return z.NEVER;
    }
    return { adapter: 'datahub', datahubEndpoint: env.PIMCORE_DATAHUB_ENDPOINT, ...shared };
  });
