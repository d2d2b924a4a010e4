import type { AgreementView } from '../domain/view.ts';
import type { AgreementsPort } from './server.ts';

export interface ViewCacheOptions {
  /** A view younger than this is shown as it is. */
  freshMs: number;
  /** A view older than `freshMs` but younger than this is shown while a newer one is fetched behind it. */
  staleMs: number;
  /** At most this many agreements are held; the least recently fetched goes first. */
  maxEntries: number;
  now: () => number;
}

export const DEFAULT_VIEW_CACHE: Omit<ViewCacheOptions, 'now'> = { freshMs: 5_000, staleMs: 15_000, maxEntries: 2_000 };

interface Entry {
  view: Promise<AgreementView>;
  at: number;
  refreshing: boolean;
}

/**
 * The agreements port with each agreement's view kept a short while (stale-while-revalidate): a page GET then need not
 * ask Temporal (a Query through the worker) on every open, which is most of a page's time. A page may show a view up
 * to `staleMs` old — facts for reading; a POST always reads afresh (`fresh`), its Update is judged by the workflow,
 * and the view it returns replaces the cached one.
 */
export function cachedViews(port: AgreementsPort, options: ViewCacheOptions): AgreementsPort {
  const entries = new Map<string, Entry>();

  const fetchInto = (id: string): Entry => {
    const entry: Entry = { view: port.show(id), at: options.now(), refreshing: false };
    keep(id, entry);
    // A failed fetch is not kept: the next open asks again (and sees the same error, or the agreement).
    entry.view.catch(() => {
      if (entries.get(id) === entry) entries.delete(id);
    });
    return entry;
  };

  const keep = (id: string, entry: Entry) => {
    entries.delete(id);
    entries.set(id, entry);
    if (entries.size > options.maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  };

  const refreshBehind = (id: string, entry: Entry) => {
    entry.refreshing = true;
    port.show(id).then(
      (view) => {
        if (entries.get(id) === entry) keep(id, { view: Promise.resolve(view), at: options.now(), refreshing: false });
      },
      () => {
        if (entries.get(id) === entry) entries.delete(id);
      },
    );
  };

  return {
    show(id, how) {
      const entry = entries.get(id);
      const age = entry === undefined ? Infinity : options.now() - entry.at;
      if (how?.fresh || entry === undefined || age >= options.staleMs) return fetchInto(id).view;
      if (age >= options.freshMs && !entry.refreshing) refreshBehind(id, entry);
      return entry.view;
    },
    async command(id, name, args, commandOptions) {
      entries.delete(id);
      const view = await port.command(id, name, args, commandOptions);
      keep(id, { view: Promise.resolve(view), at: options.now(), refreshing: false });
      return view;
    },
    coordinatorEmails: (id) => port.coordinatorEmails(id),
    agreementsOf: (email) => port.agreementsOf(email),
  };
}
