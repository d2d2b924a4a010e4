import type { Logger } from 'pino';
import { createActivities } from '../activities/create-activities.ts';
import { createDigestActivities } from '../activities/digest-activities.ts';
import type { SendNotificationInput } from '../domain/index.ts';
import type { MailTransport } from '../ports/mail-transport.ts';
import type { RecordsStore } from '../ports/records-store.ts';
import type { ActorActivities, AgreementActivities } from '../ports/activities.ts';
import { createActorActivities } from '../activities/actor-activities.ts';
import { renderNotification } from '../mail/render.ts';
import { certificateAttachments } from '../mail/certificate-attachment.ts';
import { renderCertificate } from '../certificate/render-certificate.ts';
import { unsetCharacters } from '../certificate/coverage.ts';
import { transportFromConfig } from '../mail/delivery/index.ts';
import { openRecordsStore } from '../records/index.ts';
import { mailLinkMaker } from '../links/mail-links.ts';
import type { AppConfig } from '../shared/config.ts';
import { coordinatorLinks, type CoordinatorLinks } from '../links/coordinator-token.ts';
import type { DigestMailInput } from '../domain/index.ts';

/**
 * A digest's reader's portfolio and calendar links, issued as of the digest's own moment (so a resend carries the same
 * URLs), the portfolio valid for the digest's period (since the last digest) plus a week.
 */
function digestLinks(config: AppConfig, { notification, digest }: DigestMailInput): Promise<CoordinatorLinks> {
  const now = Date.parse(digest.window.now);
  return coordinatorLinks(config.linkKeys as NonNullable<AppConfig['linkKeys']>, {
    publicUrl: config.webPublicUrl,
    email: notification.recipient.email,
    now,
    periodMs: now - Date.parse(digest.window.since),
  });
}

export interface WorkerDependencies {
  records: RecordsStore;
  transport: MailTransport;
  activities: AgreementActivities;
  /** The worker's actor policy (AGREEMENTS_ACTOR_KEYS, AGREEMENTS_ROLES), checked before each command applies. */
  actorActivities: ActorActivities;
  close(): Promise<void>;
}

/** The real records store (migrated) and mail transport the configuration names, bound into the activities. */
export async function openWorkerDependencies(config: AppConfig, logger: Logger): Promise<WorkerDependencies> {
  const records = await openRecordsStore({
    url: config.recordsUrl,
    home: config.home,
  });
  try {
    await records.migrate();
  } catch (error) {
    await records.close();
    throw error;
  }
  const transport = transportFromConfig({ smtpUrl: config.smtpUrl, home: config.home });
  // With link keys, each reader asked to act gets their link (SPEC 16); without, mail keeps the CLI wording.
  const makeLink =
    config.linkKeys &&
    mailLinkMaker({ keys: config.linkKeys, ttlMs: config.linkTtlMs, publicUrl: config.webPublicUrl });
  const bound = {
    records,
    transport,
    render: async (input: SendNotificationInput) =>
      renderNotification(input, {
        from: config.mailFrom,
        link: makeLink === undefined || 'digest' in input ? undefined : await makeLink(input),
        coordinatorLinks: config.linkKeys && 'digest' in input ? await digestLinks(config, input) : undefined,
        attachments: await certificateAttachments(records, input),
      }),
    logger: logger.child({ source: 'activities' }),
    renderCertificate,
    unsetCharacters,
  };
  // The digest's activities ride along: the worker that serves the agreements also serves their weekly digest.
  const activities = { ...createActivities(bound), ...createDigestActivities(bound) };
  return {
    records,
    transport,
    activities,
    actorActivities: createActorActivities({ keys: config.actorKeys, roles: config.roles, linkKeys: config.linkKeys }),
    async close() {
      await transport.close();
      await records.close();
    },
  };
}
