export interface Mailbox {
  name?: string;
  address: string;
}

const NAMED_MAILBOX = /^\s*"?([^"<>]*?)"?\s*<([^<>\s]+)>\s*$/;

/** `Partnerships Office <agreements@uob.example>` or a bare address, as in MAIL_FROM. */
export function parseMailbox(text: string): Mailbox {
  const named = NAMED_MAILBOX.exec(text);
  if (!named) return { address: text.trim() };
  const [, name = '', address = ''] = named;
  return name ? { name, address } : { address };
}
