import type { AgreementEvent, RecordEventsInput, RegisterRow, Stage } from '../domain/index.ts';

/** One row of the audit trail. */
export interface AuditRow {
  agreementId: string;
  sequence: number;
  type: AgreementEvent['type'];
  at: string;
  actor: string;
  /** How the actor was established: `claimed`, `token:<key id>` (verified by the workers), or `system`. */
  actorProof: string;
  data: AgreementEvent;
}

/**
 * Where one mail stands in the sent-mail log. `claimed`: an attempt is delivering it (until `liveUntil`); `sent`: the
 * server answered 2xx to its final dot; `refused`: a 5xx reply, final; `uncertain`: the line broke after the final dot,
 * so the server may hold it, and it goes again with the same Message-ID.
 */
export type SentMailStatus = 'claimed' | 'sent' | 'refused' | 'uncertain';

/** One row of the sent-mail log, keyed by agreement id and notification key. */
export interface SentMailRow {
  key: string;
  agreementId: string;
  kind: string;
  recipient: string;
  subject: string;
  messageId: string;
  /** When the row reached its status: the claim, the server's reply, the broken line. */
  sentAt: string;
  status: SentMailStatus;
  detail?: string;
  /** How many times it went again after its fate was unknown (a line broken after the dot, an attempt that died). */
  resends: number;
  /** The attempt that holds a claim, and until when that attempt may still be running. */
  attempt?: string;
  liveUntil?: string;
}

/** How a claim is given up: when, and how many copies of the message may already be on the server. */
export interface MailRelease {
  at: string;
  copiesOut: number;
}

/** What an attempt asks for when it claims a delivery. */
export interface MailClaim {
  agreementId: string;
  key: string;
  kind: string;
  recipient: string;
  subject: string;
  messageId: string;
  attempt: string;
  at: string;
  liveUntil: string;
  /** An earlier attempt known to have ended (its heartbeat said so): its claim may be taken at once. */
  supersedes?: string;
}

/**
 * The answer to a claim: this attempt may deliver (`taken`, with the row it took over if any: its message may already
 * be on the server), the mail is settled (`sent` or `refused`), or a live attempt holds it (`held`).
 */
export type ClaimResult =
  /** `takenOver`: the row as the takeover left it, its `resends` already counting this attempt's send. */
  | { outcome: 'claimed'; takenOver?: SentMailRow }
  | { outcome: 'settled'; row: SentMailRow }
  | { outcome: 'held'; row: SentMailRow };

/** How a delivery ended, as its attempt records it. */
export interface MailSettlement {
  status: 'sent' | 'refused' | 'uncertain';
  at: string;
  resends: number;
  detail?: string;
}

/** A certificate of completion as kept: the PDF's bytes and their SHA-256 (lower-case hex). */
export interface CertificateRow {
  agreementId: string;
  sequence: number;
  issuedAt: string;
  sha256: string;
  pdf: Uint8Array;
}

/** The records the workers keep: register, audit trail, sent-mail log. Every write is idempotent: writing the same thing twice leaves one row. */
export interface RecordsStore {
  /** Creates or upgrades the schema. */
  migrate(): Promise<void>;
  /** Appends audit rows (by agreement id + sequence, never twice) and upserts the register row, in one transaction. */
  recordEvents(input: RecordEventsInput): Promise<void>;
  /** Notification keys are unique within one agreement (the same person gets the same kind of mail from many). */
  findSentMail(agreementId: string, key: string): Promise<SentMailRow | undefined>;
  /** Claims a delivery for one attempt, atomically: at most one live attempt holds a key at a time. */
  claimMail(claim: MailClaim): Promise<ClaimResult>;
  /** Records how this attempt's delivery ended; false when its claim was no longer its own (taken over, or settled). */
  settleMail(agreementId: string, key: string, attempt: string, settlement: MailSettlement): Promise<boolean>;
  /**
   * Gives up this attempt's claim, for a send of its own known not to have reached the server's final dot. With no
   * copy out (`copiesOut` 0) the key is free again; otherwise the row keeps count of the copies earlier sends may have
   * left on the server, and the next attempt takes it over at once.
   */
  releaseMail(agreementId: string, key: string, attempt: string, release: MailRelease): Promise<void>;
  /** Keeps a certificate (by agreement id + sequence, never twice) and puts the latest one's SHA-256 in the register. */
  saveCertificate(certificate: CertificateRow): Promise<void>;
  /** A certificate of completion of an agreement: the one of that audit row, or the latest. */
  certificate(agreementId: string, sequence?: number): Promise<CertificateRow | undefined>;
  history(agreementId: string): Promise<AuditRow[]>;
  register(filter?: { stage?: Stage }): Promise<RegisterRow[]>;
  sentMail(agreementId?: string): Promise<SentMailRow[]>;
  close(): Promise<void>;
}
