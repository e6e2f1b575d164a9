/**
 * Small hand-written checks for the JSON values pipe reads back from its
 * state topics. Each check returns why a value does not fit, naming the field,
 * or undefined when it fits. Extra fields are allowed: a newer pipe, or Kafka
 * Connect, may add some, and readers ignore what they do not know.
 */
export type Check = (value: unknown, path: string) => string | undefined;

const name = (path: string) => (path === '' ? 'the value' : `field ${path}`);
const at = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export const string: Check = (v, p) => (typeof v === 'string' ? undefined : `${name(p)} is not a string`);

export const boolean: Check = (v, p) => (typeof v === 'boolean' ? undefined : `${name(p)} is not a boolean`);

export const number: Check = (v, p) =>
  typeof v === 'number' && Number.isFinite(v) ? undefined : `${name(p)} is not a number`;

export const integer: Check = (v, p) =>
  Number.isSafeInteger(v) ? undefined : `${name(p)} is not an integer`;

/** An ISO 8601 time as pipe writes them (`Date#toISOString`), so comparisons never meet NaN. */
export const isoTime: Check = (v, p) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))
    ? undefined
    : `${name(p)} is not an ISO 8601 time`;

export const anyObject: Check = (v, p) => (isPlainObject(v) ? undefined : `${name(p)} is not an object`);

export function oneOf(...allowed: readonly string[]): Check {
  return (v, p) =>
    typeof v === 'string' && allowed.includes(v)
      ? undefined
      : `${name(p)} is not one of ${allowed.join(', ')}`;
}

export function optional(check: Check): Check {
  return (v, p) => (v === undefined ? undefined : check(v, p));
}

export function nullable(check: Check): Check {
  return (v, p) => (v === null ? undefined : check(v, p));
}

export function arrayOf(check: Check): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return `${name(p)} is not an array`;
    for (const [i, item] of v.entries()) {
      const why = check(item, `${p}[${i}]`);
      if (why) return why;
    }
    return undefined;
  };
}

export function recordOf(check: Check): Check {
  return (v, p) => {
    if (!isPlainObject(v)) return `${name(p)} is not an object`;
    for (const [k, item] of Object.entries(v)) {
      const why = check(item, at(p, k));
      if (why) return why;
    }
    return undefined;
  };
}

export function object(shape: Readonly<Record<string, Check>>): Check {
  return (v, p) => {
    if (!isPlainObject(v)) return `${name(p)} is not an object`;
    for (const [k, check] of Object.entries(shape)) {
      const why = check(v[k], at(p, k));
      if (why) return why;
    }
    return undefined;
  };
}

/** Both checks must pass: a shape plus a rule across its fields. */
export function both(first: Check, second: Check): Check {
  return (v, p) => first(v, p) ?? second(v, p);
}
