/**
 * A transform's settings read the way Kafka Connect's `ConfigDef` reads
 * them: YAML gives lists, booleans and numbers, Connect's properties give
 * text (`a,b`, `"true"`), and both mean the same.
 */
import { PipeError } from '../errors.js';

export class TransformConfig {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly what: string,
  ) {}

  has(key: string): boolean {
    const value = this.values[key];
    return value !== undefined && value !== null;
  }

  string(key: string): string | undefined;
  string(key: string, fallback: string): string;
  string(key: string, fallback?: string): string | undefined {
    const value = this.values[key];
    if (value === undefined || value === null) return fallback;
    return String(value);
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined) throw this.error(key, 'is required');
    return value;
  }

  /** ConfigDef's LIST: a YAML list, or text split at commas with white space around them trimmed. */
  list(key: string): string[] {
    const value = this.values[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map(String);
    const text = String(value).trim();
    return text === '' ? [] : text.split(/\s*,\s*/);
  }

  nonEmptyList(key: string): string[] {
    const list = this.list(key);
    if (list.length === 0) throw this.error(key, 'must list at least one name');
    return list;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.values[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    const text = String(value).trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw this.error(key, 'must be true or false');
  }

  integer(key: string): number | undefined {
    const value = this.values[key];
    if (value === undefined || value === null) return undefined;
    const number = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isInteger(number) || Math.abs(number) > 2 ** 31) throw this.error(key, 'must be an integer');
    return number;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const value = this.string(key) ?? fallback;
    if (value === undefined) throw this.error(key, 'is required');
    if (!(allowed as readonly string[]).includes(value))
      throw this.error(key, `must be one of ${allowed.join(', ')}`);
    return value as T;
  }

  error(key: string, problem: string): PipeError {
    return new PipeError('TRANSFORM_CONFIG', `${this.what}: ${key} ${problem}`, {
      meta: { field: `config.${key}` },
    });
  }
}
