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

/** A dotted field path, split once where it is declared instead of on every record. */
export interface FieldPath {
  readonly dotted: string;
  readonly keys: readonly string[];
}

export function fieldPath(dotted: string): FieldPath {
  return { dotted, keys: dotted.split('.') };
}

/**
 * A field by dotted path, whether the object nests it (`{event: {provider}}`) or flattens it
 * (`{"event.provider": …}`), as log shippers do either.
 */
export function field(obj: Obj, path: FieldPath): unknown {
  const flat = own(obj, path.dotted);
  if (flat !== undefined) return flat;
  const { keys } = path;
  // Most records lack the first key: that settles it before any type check of `obj`.
  let current = own(obj, keys[0] as string);
  if (current === undefined || !isPlainObject(obj)) return undefined;
  for (let i = 1; i < keys.length; i++) {
    if (!isPlainObject(current)) return undefined;
    current = own(current, keys[i] as string);
  }
  return current;
}

/** The first `max` characters of a text: what is scanned of it. */
export function scannedPart(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** The first string among the fields a shipper uses for the log line, cut to the scanned prefix. */
export function messageOf(obj: Obj, maxScan: number): string | undefined {
  for (const key of MESSAGE_KEYS) {
    const value = own(obj, key);
    if (typeof value === 'string') return scannedPart(value, maxScan);
  }
  return undefined;
}

/** Fields in which shippers and loggers put a structured record's log line. */
export const MESSAGE_KEYS = ['message', 'msg', 'log', 'line', 'text'] as const;
