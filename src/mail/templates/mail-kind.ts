import type { Locale } from '../../domain/locale.ts';
import type { MailKind } from '../../domain/notifications.ts';
import type { MessageContent, TemplateInput } from './content.ts';
import { readerLocale } from './facts.ts';

/** How the reader's language names a kind of mail (a delivery report names the kind that failed). */
export type KindName = (kind: MailKind) => string;

/** One kind of mail, ready to render in its reader's language. */
export interface MailKindText {
  /** What a Chinese reader calls this kind of mail (in a delivery report, in the digest's list of reminders). */
  chineseName: string;
  render: (input: TemplateInput, kindName: KindName) => MessageContent;
}

/**
 * Declares a kind of mail once: its Chinese name, the words each language puts in it, and the one structure (which
 * facts, in which order, under which conditions) both languages share. A language differs only by its words.
 */
export function mailKind<Words>(kind: {
  chineseName: string;
  words: Record<Locale, Words>;
  write: (input: TemplateInput, words: Words, kindName: KindName) => MessageContent;
}): MailKindText {
  return {
    chineseName: kind.chineseName,
    render: (input, kindName) => kind.write(input, kind.words[readerLocale(input)], kindName),
  };
}
