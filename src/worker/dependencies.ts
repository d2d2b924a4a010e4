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
