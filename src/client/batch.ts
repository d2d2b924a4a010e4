import {
  agreementDocuments,
  parseAgreement,
  parseStartOptions,
  type Agreement,
  type StartOptions,
} from '../domain/index.ts';
import { AgreementError } from './agreement-error.ts';
import { whatItHolds } from './files.ts';

/** One file's content (`label` names it in messages when there are several). */
export interface BatchSource {
  label?: string;
  content: unknown;
  /** The file's name, for a file that holds no agreement at all (named even when it is the only one). */
  file?: string;
}

export interface CheckedBatch {
  agreements: { document: unknown; agreement: Agreement; label: string }[];
  options: StartOptions;
}

/**
 * Every check `start` makes that needs no server: each document valid, the ids distinct across the batch, the start
 * options well formed. Throws one AgreementError naming every problem (by file and list position); `agreements
 * validate`, `start --dry-run` and AgreementsClient.startBatch all use it, so they say the same things.
 */
export function checkBatch(sources: readonly BatchSource[], options: StartOptions = {}): CheckedBatch {
  const problems: string[] = [];
  const valid: CheckedBatch['agreements'] = [];
  const firstWithId = new Map<string, string>();
  for (const { label, content, file } of sources) {
    const prefix = label ? `${label}: ` : '';
    if (typeof content !== 'object' || content === null) {
      problems.push(
        `${file || label || 'the file'}: holds ${whatItHolds(content)}, not an agreement (a mapping of fields, a list of them, or agreements: [...])`,
      );
      continue;
    }
    const listed = agreementDocuments(content);
    if (!listed.ok) {
      problems.push(...listed.errors.map((error) => `${prefix}${error}`));
      continue;
    }
    listed.value.forEach((document, index) => {
      const place = [label, listed.value.length > 1 ? `agreements[${index}]` : ''].filter(Boolean).join(': ');
      const where = place ? `${place}${listed.value.length > 1 ? '.' : ': '}` : '';
      if (typeof document !== 'object' || document === null || Array.isArray(document)) {
        const element = [label, `agreements[${index}]`].filter(Boolean).join(': ');
        problems.push(`${element}: holds ${whatItHolds(document)}, not an agreement (a mapping of fields)`);
        return;
      }
      const parsed = parseAgreement(document);
      if (!parsed.ok) {
        problems.push(...parsed.errors.map((error) => `${where}${error}`));
        return;
      }
      const earlier = firstWithId.get(parsed.value.id);
      if (earlier !== undefined)
        problems.push(`${where}id: "${parsed.value.id}" appears twice in this batch (also ${earlier || 'above'})`);
      else firstWithId.set(parsed.value.id, place);
      valid.push({ document, agreement: parsed.value, label: label ?? '' });
    });
  }
  const how = parseStartOptions(options);
  if (!how.ok) problems.push(...how.errors);
  if (!how.ok || problems.length > 0) throw new AgreementError('invalid', problems.join('\n'));
  return { agreements: valid, options: how.value };
}
