type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7396 JSON Merge Patch: objects merge, `null` deletes, everything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  const result: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = isObject(value) ? applyMergePatch(isObject(result[key]) ? result[key] : {}, value) : value;
    // defineProperty, not assignment: a "__proto__" key stays a plain (and later rejected) key.
    Object.defineProperty(result, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return result;
}
