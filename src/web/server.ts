import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AgreementError } from '../client/agreement-error.ts';
import type { CommandArgs, CommandName } from '../domain/commands.ts';
import type { AgreementView } from '../domain/view.ts';
import type { Keyring } from '../keys/keyring.ts';
import { linkRequestId, verifyLinkToken, type LinkAction, type LinkClaims } from '../links/link-token.ts';
import {
  contextOf,
  doneAt,
  messagePage,
  outstandingMinor,
  STAGE_OF,
  STYLE_HASH,
  taskOf,
  taskPage,
  VARIATION_STATUS_OF,
  variationOf,
  when,
  type PageContext,
  type Task,
} from './pages.ts';
import { refusalIn } from './refusal-words.ts';
import { pageWords, type PageWords } from './words.ts';
import { formatMinor } from '../domain/money.ts';
import type { DigestSource } from '../domain/digest.ts';
import { PORTFOLIO_STYLE_HASH } from './portfolio-page.ts';
import { coordinatorRoutes } from './coordinator-routes.ts';

/**
 * What the web server needs of Temporal: the agreement's state, its coordinators, running one Update, and the
 * agreements one coordinator coordinates (running, or ended lately) as the weekly digest reads them.
 */
export interface AgreementsPort {
  /** The agreement's state; `fresh` where an older copy will not do (before an Update). */
  show(id: string, options?: { fresh?: boolean }): Promise<AgreementView>;
  coordinatorEmails(id: string): Promise<string[]>;
  agreementsOf(email: string): Promise<DigestSource[]>;
  command<N extends CommandName>(
    id: string,
    name: N,
    args: CommandArgs<N>,
    options: { requestId: string },
  ): Promise<AgreementView>;
}

export interface WebServerOptions {
  agreements: AgreementsPort;
  links: { keys: Keyring };
  /** WEB_PUBLIC_URL: a POST must come from its origin. */
  publicUrl: string;
  now: () => number;
  logger: Logger;
  /** Requests per client address per minute (default 60). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Proxies in front whose X-Forwarded-For is believed (0: none). */
  trustProxy?: number;
}

/** Bodies over this are refused with 413 (SPEC 16). */
export const BODY_LIMIT = 16 * 1024;
const TOKEN_PATH = /\/(a|p|calendar)\/[^/?#]*/g;

/** A URL as logs may show it: the token never appears. */
export const redactUrl = (url: string): string => url.replace(TOKEN_PATH, '/$1/[token]');

const FIELDS = ['action', 'note', 'reason', 'amount', 'reference', 'fullName'] as const;
type Form = Partial<Record<(typeof FIELDS)[number], string>>;

/** The form's known fields, each a single trimmed string; anything else is ignored. */
function formFrom(body: unknown): Form {
  const form: Form = {};
  if (typeof body !== 'object' || body === null) return form;
  for (const name of FIELDS) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value === 'string') form[name] = value.trim();
  }
  return form;
}

/** The document hashes a signatory's form sends back (one field per document shown), or none. */
function postedHashes(body: unknown): string[] {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).documentSha256 : undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((hash): hash is string => typeof hash === 'string').map((hash) => hash.trim());
}

/** The locale a token claims, read without trusting it: only to say "not found" or "too large" in their language. */
function unverifiedWords(url: string): PageWords {
  const payload = /\/a\/[^.]+\.([A-Za-z0-9_-]+)\./.exec(url)?.[1];
  try {
    const claims = payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { loc?: unknown }) : {};
    return pageWords(claims.loc === 'zh-CN' ? 'zh-CN' : 'en');
  } catch {
    return pageWords('en');
  }
}

/** Names compared as people type them: case, spacing and width do not matter. */
export const sameName = (a: string, b: string) => {
  const norm = (s: string) =>
    s
      .normalize('NFKC')
      .toLocaleLowerCase('en')
      .replace(/[\s.·・]+/gu, '');
  return norm(a) !== '' && norm(a) === norm(b);
};

const AMOUNT = /^\d{1,13}(?:\.\d{1,2})?$/;

export async function createWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const { agreements, links, now } = options;
  const publicOrigin = new URL(options.publicUrl).origin;
  const https = publicOrigin.startsWith('https:');
  const linkIds = new WeakMap<FastifyRequest, string>();
  const logger = options.logger.child(
    { source: 'web' },
    {
      serializers: {
        req: (req: { method?: string; url?: string }) => ({ method: req.method, url: redactUrl(req.url ?? '') }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
  );

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's own request lines would carry the URL, and so the token: one line per request is logged below instead.
    disableRequestLogging: true,
    bodyLimit: BODY_LIMIT,
    // Only the proxies in front (WEB_TRUST_PROXY hops) may name the client address the rate limit counts by.
    trustProxy: (_address: string, hop: number) => hop < (options.trustProxy ?? 0),
    routerOptions: { maxParamLength: 4096 },
  });
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: [`'${STYLE_HASH}'`, `'${PORTFOLIO_STYLE_HASH}'`],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
  });
  await app.register(rateLimit, {
    max: options.rateLimit?.max ?? 60,
    timeWindow: options.rateLimit?.timeWindowMs ?? 60_000,
  });

  const send = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).header('content-type', 'text/html; charset=utf-8').send(html);

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        link: linkIds.get(request),
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setNotFoundHandler((_request, reply) => {
    // The same page as an altered token's, in the same language, so nothing tells what exists.
    const words = pageWords('en');
    return send(reply, 404, messagePage(words, words.notFoundTitle, words.notFound));
  });
  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    const words = unverifiedWords(request.url);
    const status = error.statusCode ?? 500;
    if (status === 413) return send(reply, 413, messagePage(words, words.tooLargeTitle, words.tooLarge));
    if (status === 429) return send(reply, 429, messagePage(words, words.tooManyTitle, words.tooMany));
    if (status >= 400 && status < 500)
      return send(reply, status, messagePage(words, words.refusedTitle, words.forbidden));
    request.log.error({ err: error }, 'web request failed');
    return send(reply, 503, messagePage(words, words.unavailableTitle, words.unavailable));
  });

  /** The link's verdict; a refusal has been sent when it returns undefined. */
  async function open(request: FastifyRequest, reply: FastifyReply): Promise<LinkClaims | undefined> {
    const { token } = request.params as { token: string };
    const verdict = await verifyLinkToken(links.keys, token, now());
    if (verdict.ok) {
      linkIds.set(request, verdict.claims.linkId);
      return verdict.claims;
    }
    if (verdict.reason === 'invalid') {
      const words = pageWords('en');
      await send(reply, 404, messagePage(words, words.notFoundTitle, words.notFound));
      return undefined;
    }
    linkIds.set(request, verdict.claims.linkId);
    const words = pageWords(verdict.claims.recipient.locale);
    const coordinators = await agreements.coordinatorEmails(verdict.claims.agreementId).catch(() => []);
    const message = coordinators.length > 0 ? words.expired(coordinators.join(', ')) : words.expiredNoCoordinators;
    await send(reply, 410, messagePage(words, words.expiredTitle, message));
    return undefined;
  }

  /** The agreement and the recipient's task in it; a page has been sent when it returns undefined. */
  async function load(
    reply: FastifyReply,
    context: PageContext,
    how: { fresh: boolean },
  ): Promise<{ view: AgreementView; task: Task } | undefined> {
    const { words } = context;
    let view: AgreementView;
    try {
      view = await agreements.show(context.claims.agreementId, how);
    } catch (error) {
      if (error instanceof AgreementError && error.kind === 'not-found') {
        await send(reply, 404, messagePage(words, words.notFoundTitle, words.notFound));
        return undefined;
      }
      throw error;
    }
    const task = taskOf(view, context.claims);
    if (task === undefined) {
      // The agreement no longer names this recipient (replaced, or amended away): the link works no more.
      await send(reply, 404, messagePage(words, words.notFoundTitle, words.notFound));
      return undefined;
    }
    return { view, task };
  }

  /**
   * Why nothing can be done now (already done, or the agreement moved on), or undefined. A variation's link is judged
   * by the variation: withdrawn or applied says so first, whatever this reader did.
   */
  function settled(context: PageContext, view: AgreementView, task: Task): string | undefined {
    const { words } = context;
    const variation = variationOf(task);
    if (variation?.status === 'withdrawn') return words.variationWithdrawn(variation.id, variation.withdrawnReason);
    if (variation?.status === 'applied') return words.variationApplied(variation.id);
    const done = doneAt(task);
    if (done !== undefined) return done === null ? words.alreadyDoneEarlier : words.alreadyDone(when(context, done));
    const stages = variation ? ['active'] : STAGE_OF[task.action];
    if (!stages.includes(view.stage)) return words.movedOn(words.stages[view.stage] ?? view.stage);
    if (variation && (task.action === 'approve' || task.action === 'sign')) {
      const status = VARIATION_STATUS_OF[task.action];
      if (variation.status !== status)
        return words.variationMovedOn(variation.id, words.variationStatuses[variation.status]);
    }
    return undefined;
  }

  coordinatorRoutes(app, { agreements, keys: links.keys, publicUrl: options.publicUrl, now, send, linkIds });

  // For the reverse proxy's and the orchestrator's health checks: answers without Temporal.
  app.get('/healthz', (_request, reply) => reply.code(200).header('content-type', 'text/plain').send('ok\n'));

  app.get('/a/:token', async (request, reply) => {
    const claims = await open(request, reply);
    if (!claims) return reply;
    const context = contextOf(claims);
    const loaded = await load(reply, context, { fresh: false });
    if (!loaded) return reply;
    const { view, task } = loaded;
    const why = settled(context, view, task);
    return send(
      reply,
      200,
      taskPage({
        context,
        view,
        task,
        action: request.url.split('?')[0] ?? request.url,
        withForm: why === undefined,
        notice: why === undefined ? undefined : { tone: 'ok', text: why },
      }),
    );
  });

  /** A POST from a page of ours: its Origin, or (where the no-referrer policy makes a browser send `null`) Sec-Fetch-Site. */
  function sameOrigin(request: FastifyRequest): boolean {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null') return origin === publicOrigin;
    return request.headers['sec-fetch-site'] === 'same-origin';
  }

  app.post('/a/:token', async (request, reply) => {
    if (!sameOrigin(request)) {
      const words = unverifiedWords(request.url);
      return send(reply, 403, messagePage(words, words.forbiddenTitle, words.forbidden));
    }
    const claims = await open(request, reply);
    if (!claims) return reply;
    const context = contextOf(claims);
    const { words } = context;
    const loaded = await load(reply, context, { fresh: true });
    if (!loaded) return reply;
    const { view, task } = loaded;
    const form = formFrom(request.body);
    const path = request.url.split('?')[0] ?? request.url;
    const refuse = (status: number, reason: string, withForm = true) =>
      send(
        reply,
        status,
        taskPage({
          context,
          view,
          task,
          action: path,
          withForm,
          values: form,
          notice: { tone: 'no', text: words.refused(reason) },
        }),
      );
    const action = form.action as LinkAction | undefined;
    if (action === undefined || !claims.actions.includes(action)) return refuse(400, words.unknownAction);
    const why = settled(context, view, task);
    if (why !== undefined)
      return send(
        reply,
        200,
        taskPage({ context, view, task, action: path, withForm: false, notice: { tone: 'ok', text: why } }),
      );

    const args = argsFor(action, form, task, context, postedHashes(request.body));
    if (typeof args === 'string') return refuse(400, args);
    let after: AgreementView;
    try {
      after = await agreements.command(
        claims.agreementId,
        action,
        { ...args, actor: claims.recipient.id, link: (request.params as { token: string }).token } as CommandArgs<
          typeof action
        >,
        { requestId: linkRequestId(claims.linkId, action) },
      );
    } catch (error) {
      if (error instanceof AgreementError && (error.kind === 'rejected' || error.kind === 'invalid'))
        return refuse(
          409,
          refusalIn(context.locale, error.message, (stage) => words.stages[stage] ?? stage),
        );
      throw error;
    }
    const afterTask = taskOf(after, claims) ?? task;
    const text = after.events === view.events ? words.alreadyDoneEarlier : words.done[action];
    return send(
      reply,
      200,
      taskPage({ context, view: after, task: afterTask, action: path, withForm: false, notice: { tone: 'ok', text } }),
    );
  });

  return app;
}

/** The Update's arguments from the form, or why the form cannot be sent (in the recipient's language). */
function argsFor(
  action: LinkAction,
  form: Form,
  task: Task,
  context: PageContext,
  hashes: string[],
): Record<string, unknown> | string {
  const { words } = context;
  const id = context.claims.recipient.id;
  const optional = (value: string | undefined) => (value ? value : undefined);
  const named = context.claims.variation;
  const variation = named === undefined ? {} : { variation: named };
  switch (action) {
    // A variation's link acts on that variation only: its id comes from the token, never from the form.
    case 'approve':
      return { approver: id, note: optional(form.note), ...variation };
    case 'requestChanges':
      return form.reason ? { approver: id, reason: form.reason, ...variation } : words.reasonRequired;
    case 'sign':
      return task.action === 'sign' && sameName(form.fullName ?? '', task.name)
        ? { signatory: id, ...(hashes.length > 0 ? { documentSha256: hashes } : {}), ...variation }
        : words.nameMismatch;
    case 'decline':
      return form.reason ? { signatory: id, reason: form.reason, ...variation } : words.declineReasonRequired;
    case 'confirmFunding': {
      if (task.action !== 'confirmFunding') return words.unknownAction;
      const text = (form.amount ?? '').replace(/[\s,]/g, '');
      if (!AMOUNT.test(text) || Number(text) <= 0) return words.amountInvalid;
      const amountMinor = Math.round(Number(text) * 100);
      const outstanding = outstandingMinor(task);
      if (amountMinor > outstanding)
        return words.amountTooLarge(formatMinor(outstanding, task.currency, context.locale));
      return { commitment: id, amount: amountMinor / 100, reference: optional(form.reference) };
    }
    case 'fulfil':
      return { obligation: id, reference: optional(form.reference) };
  }
}
