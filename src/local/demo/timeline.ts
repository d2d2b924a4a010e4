import type { AuditRow, SentMailRow } from '../../ports/records-store.ts';

/** Prints what happens to one agreement as it happens, with the time since the demo started. */
export class Timeline {
  private stage: string | undefined;
  private readonly seenMail = new Set<string>();
  private seenSequence = 0;

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

  /**
   * Stage changes from the audit trail, every one however close together (two approvals a moment apart move an
   * agreement through `approval` faster than a poll of its state would see), then the mail sent so far.
   */
  observe(trail: readonly AuditRow[], sent: SentMailRow[]): void {
    for (const row of trail) {
      if (row.sequence <= this.seenSequence) continue;
      this.seenSequence = row.sequence;
      if (row.data.type !== 'stage-changed') continue;
      this.write(`${this.elapsed()}  ■ stage ${row.data.from} → ${row.data.to}`);
      this.stage = row.data.to;
    }
    for (const mail of sent) {
      if (this.seenMail.has(mail.key)) continue;
      this.seenMail.add(mail.key);
      this.write(`${this.elapsed()}    ✉ ${mail.kind.padEnd(20)} → ${mail.recipient}`);
    }
  }
}
