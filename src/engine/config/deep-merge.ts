export type PlainObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `_defaults` under a task: mappings merge key by key, recursively; lists and scalars in the task
 * replace the default. Neither argument is modified. Keys are own properties (even `__proto__`).
 */
export function deepMerge(base: PlainObject, over: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const [key, value] of Object.entries(base)) define(out, key, value);
  for (const [key, value] of Object.entries(over)) {
    const under = Object.hasOwn(out, key) ? out[key] : undefined;
    define(out, key, isPlainObject(under) && isPlainObject(value) ? deepMerge(under, value) : value);
  }
  return out;
}

function define(obj: PlainObject, key: string, value: unknown): void {
  // Assigning makes the same own property, faster; only `__proto__` would set the prototype.
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
