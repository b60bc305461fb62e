/** Small helpers shared by recognisers for reading structured bodies. */

type Obj = Readonly<Record<string, unknown>>;

export function isPlainObject(value: unknown): value is Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Own property only, so keys like `__proto__` or `constructor` never reach the prototype. */
export function own(obj: Obj, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * A field by dotted path, whether the object nests it (`{event: {provider}}`) or flattens it
 * (`{"event.provider": …}`), as log shippers do either.
 */
export function field(obj: Obj, path: string): unknown {
  const flat = own(obj, path);
  if (flat !== undefined) return flat;
  let current: unknown = obj;
  for (const key of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = own(current, key);
  }
  return current;
}

/** The first string among the fields a shipper uses for the log line. */
export function messageOf(obj: Obj): string | undefined {
  for (const key of MESSAGE_KEYS) {
    const value = own(obj, key);
    if (typeof value === 'string') return value;
  }
  return undefined;
}

const MESSAGE_KEYS = ['message', 'msg', 'log', 'line', 'text'] as const;
