/**
 * A getter for `value`, which stays in the getter's closure. The workflow worker loads `src/domain` once per thread,
 * shares it between workflows and deep-freezes what its modules export; zod schemas complete themselves on first use,
 * so they must be out of the freeze's reach. Built while the module loads, so zod's own lazy set-up (its default
 * locale) also happens before the freeze.
 */
export function inClosure<T>(value: T): () => T {
  return () => value;
}
