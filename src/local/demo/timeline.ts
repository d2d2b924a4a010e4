import type { SentMailRow } from '../../ports/records-store.ts';
import type { AgreementView } from '../../domain/index.ts';

/** Prints what happens to one agreement as it happens, with the time since the demo started. */
export class Timeline {
  private stage: string | undefined;
  private readonly seenMail = new Set<string>();

  private readonly start: number;
  private readonly write: (line: string) => void;

  constructor(start: number, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.start = start;
    this.write = write;
  }

  private elapsed(): string {
    return `+${((Date.now() - this.start) / 1000).toFixed(1)}s`.padStart(7);
  }

  /** The agreement exists, in its first stage. */
  began(stage: string): void {
    if (this.stage) return;
    this.stage = stage;
    this.write(`${this.elapsed()}  ■ stage ${stage}`);
  }

  action(text: string): void {
    this.write(`${this.elapsed()}  › ${text}`);
  }

  observe(view: AgreementView, sent: SentMailRow[]): void {
    if (view.stage !== this.stage) {
      this.write(`${this.elapsed()}  ■ stage ${this.stage ? `${this.stage} → ` : ''}${view.stage}`);
      this.stage = view.stage;
    }
    for (const mail of sent) {
      if (this.seenMail.has(mail.key)) continue;
      this.seenMail.add(mail.key);
      this.write(`${this.elapsed()}    ✉ ${mail.kind.padEnd(20)} → ${mail.recipient}`);
    }
  }
}
