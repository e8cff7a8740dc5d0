import { z } from 'zod';
import {
  envWithDefault,
  oneOf,
  optionalEnv,
  requiredEnv,
  textOf,
  urlOf,
  wholeNumber,
} from '../config/env-variables';

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
    PIMCORE_ADAPTER: envWithDefault(oneOf(['datahub', 'rest']), 'datahub'),
    PIMCORE_BASE_URL: requiredEnv(urlOf(['http', 'https'], 'the Pimcore server URL (http or https)')),
    PIMCORE_API_KEY: requiredEnv(textOf('the Pimcore API key', common.apiKey)),
    PIMCORE_DATAHUB_ENDPOINT: optionalEnv(
      textOf('a Datahub configuration name', datahubEndpointSchema),
      'only with PIMCORE_ADAPTER=rest',
    ),
    PIMCORE_PARENT_PATH: envWithDefault(
      textOf('a folder path such as /Products/Shein', common.parentPath),
      '/Products/Shein',
    ),
    PIMCORE_AUTO_PUBLISH: envWithDefault(
      textOf(
        'true or false',
        z.enum(['true', 'false'], 'expected true or false').transform((flag) => flag === 'true'),
      ),
      false,
    ),
    PIMCORE_TIMEOUT_MS: envWithDefault(wholeNumber(100, 300_000), 10_000),
    PIMCORE_LANGUAGES: envWithDefault(
      textOf(
        'comma-separated Pimcore languages, en among them',
        z
          .string()
          .transform((list) => list.split(',').map((language) => language.trim()))
          .pipe(languagesSchema),
      ),
      ['en', 'ar'],
      'en,ar',
    ),
    PIMCORE_REST_AUTH_HEADER: envWithDefault(textOf('an HTTP header name', headerNameSchema), 'X-API-Key'),
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
