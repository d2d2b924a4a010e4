import { InvalidNotificationError } from './errors.ts';

function hasControlCharacter(value: string): boolean {
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Throws InvalidNotificationError if `value` could break out of its header line (CR, LF or any other control character). */
export function assertHeaderSafe(field: string, value: string): void {
  if (hasControlCharacter(value)) {
    throw new InvalidNotificationError(
      `${field} must not contain line breaks or control characters: ${JSON.stringify(value.slice(0, 80))}`,
    );
  }
}
