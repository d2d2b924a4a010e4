import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Keyring } from '../keys/keyring.ts';
import { DEFAULT_LOCALE, type Locale } from '../domain/locale.ts';
import { coordinatorIn, portfolio } from '../domain/portfolio.ts';
import {
  calendarUrl,
  verifyCoordinatorToken,
  type CoordinatorClaims,
  type CoordinatorPurpose,
} from '../links/coordinator-token.ts';
import type { AgreementsPort } from './server.ts';
import { CALENDAR_CONTENT_TYPE, calendarFeed } from './calendar-feed.ts';
import { COORDINATOR_WORDS } from './coordinator-words.ts';
import { messagePage } from './pages.ts';
import { portfolioPage } from './portfolio-page.ts';
import { pageWords } from './words.ts';

export interface CoordinatorRoutesOptions {
  agreements: AgreementsPort;
  keys: Keyring;
  publicUrl: string;
  now: () => number;
  send: (reply: FastifyReply, status: number, html: string) => FastifyReply;
  /** Where the request log finds the link id (never the token). */
  linkIds: WeakMap<FastifyRequest, string>;
}

/** How the coordinator reads: as their agreements name them, English in UTC where none does. */
function readerOf(sources: Awaited<ReturnType<AgreementsPort['agreementsOf']>>, email: string) {
  const coordinator = coordinatorIn(sources, email);
  return {
    email,
    locale: (coordinator?.locale ?? DEFAULT_LOCALE) as Locale,
    timezone: coordinator?.timezone ?? 'UTC',
  };
}

/**
 * The coordinator's read-only pages (SPEC 17): `GET /calendar/<token>.ics` and `GET /p/<token>`. Their tokens have a
 * purpose of their own, so an action link opens neither and neither can act. Refusals are the action links': 404 for
 * anything not ours (whether or not the coordinator exists), 410 once expired.
 */
export function coordinatorRoutes(app: FastifyInstance, options: CoordinatorRoutesOptions): void {
  const { agreements, keys, now, send } = options;

  /** The token's claims; a refusal has been sent when it returns undefined. */
  async function open(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    purpose: CoordinatorPurpose,
  ): Promise<CoordinatorClaims | undefined> {
    const verdict = await verifyCoordinatorToken(keys, token, purpose, now());
    if (verdict.ok) {
      options.linkIds.set(request, verdict.claims.linkId);
      return verdict.claims;
    }
    if (verdict.reason === 'invalid') {
      const words = pageWords('en');
      await send(reply, 404, messagePage(words, words.notFoundTitle, words.notFound));
      return undefined;
    }
    options.linkIds.set(request, verdict.claims.linkId);
    const sources = await agreements.agreementsOf(verdict.claims.email).catch(() => []);
    const { locale } = readerOf(sources, verdict.claims.email);
    const words = pageWords(locale);
    await send(reply, 410, messagePage(words, words.expiredTitle, COORDINATOR_WORDS[locale].expired));
    return undefined;
  }

  app.get('/calendar/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    // Calendars want a name ending in .ics; anything else is a path we do not serve.
    const token = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : '';
    const claims = await open(request, reply, token, 'calendar');
    if (!claims) return reply;
    const sources = await agreements.agreementsOf(claims.email);
    return reply
      .code(200)
      .header('content-type', CALENDAR_CONTENT_TYPE)
      .header('content-disposition', 'inline; filename="agreements.ics"')
      .send(calendarFeed(sources, readerOf(sources, claims.email)));
  });

  app.get('/p/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const claims = await open(request, reply, token, 'portfolio');
    if (!claims) return reply;
    const sources = await agreements.agreementsOf(claims.email);
    const reader = readerOf(sources, claims.email);
    const at = now();
    return send(
      reply,
      200,
      portfolioPage({
        portfolio: portfolio(sources, claims.email, new Date(at).toISOString()),
        email: claims.email,
        locale: reader.locale,
        timezone: reader.timezone,
        expiresAt: new Date(claims.expiresAt).toISOString(),
        calendarUrl: await calendarUrl(keys, options.publicUrl, claims.email, at),
      }),
    );
  });
}
