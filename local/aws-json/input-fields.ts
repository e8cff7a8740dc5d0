import type { AwsServiceError } from './aws-service-error';
import { isJsonObject, type JsonObject } from './json';

/** How a service words a bad or a missing request parameter. */
export interface InputErrors {
  invalid(message: string): AwsServiceError;
  missing(name: string): AwsServiceError;
}

/** Typed, validated access to the members of a JSON request, failing with the service's own errors. */
export class InputFields {
  constructor(
    private readonly input: JsonObject,
    private readonly errors: InputErrors,
  ) {}

  requiredString(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw this.errors.missing(name);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.errors.invalid(`Value for parameter ${name} must be a string.`);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean')
      throw this.errors.invalid(`Value for parameter ${name} must be a boolean.`);
    return value;
  }

  optionalInteger(name: string, range: { min: number; max: number }): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      throw this.errors.invalid(
        `Value ${JSON.stringify(value)} for parameter ${name} is invalid. Reason: must be between ${range.min} and ${range.max}, if provided.`,
      );
    }
    return value;
  }

  optionalStringList(name: string): string[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw this.errors.invalid(`Value for parameter ${name} must be a list of strings.`);
    }
    return value as string[];
  }

  optionalStringMap(name: string): Record<string, string> | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!isJsonObject(value) || Object.values(value).some((item) => typeof item !== 'string')) {
      throw this.errors.invalid(`Value for parameter ${name} must be a map of strings.`);
    }
    return value as Record<string, string>;
  }

  /** A list of structures; undefined when absent (the batch operations tell "absent" from "empty"). */
  optionalObjectList(name: string): JsonObject[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every(isJsonObject)) {
      throw this.errors.invalid(`Value for parameter ${name} must be a list of structures.`);
    }
    return value as JsonObject[];
  }
}
