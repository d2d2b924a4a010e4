// Mail read back through Mailpit's REST API (https://mailpit.axllent.org/docs/api-v1/): what the SMTP server really
// received, not what the worker believes it sent.
import { z } from 'zod';

const address = z.object({ Address: z.string() }).loose();
const summary = z
  .object({
    ID: z.string(),
    MessageID: z.string(),
    Subject: z.string(),
    To: z.array(address).nullable(),
    Cc: z.array(address).nullable().optional(),
    Attachments: z.number(),
  })
  .loose();
const list = z.object({ total: z.number(), messages: z.array(summary) }).loose();
const attachment = z.object({ PartID: z.string(), FileName: z.string(), ContentType: z.string() }).loose();
const message = z.object({ Attachments: z.array(attachment) }).loose();
const headers = z.record(z.string(), z.array(z.string()));

export interface ReceivedMail {
  id: string;
  messageId: string;
  subject: string;
  recipients: string[];
  notificationKey: string;
  attachments: { fileName: string; contentType: string; partId: string }[];
}

async function get<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return schema.parse(await response.json());
}

/** Every message Mailpit holds whose subject starts `[<agreement id>]`, with its headers and attachments. */
export async function mailFor(mailpitUrl: string, agreementId: string): Promise<ReceivedMail[]> {
  const { messages } = await get(`${mailpitUrl}/api/v1/messages?limit=1000`, list);
  const mine = messages.filter((m) => m.Subject.startsWith(`[${agreementId}]`));
  return Promise.all(
    mine.map(async (m) => {
      const head = await get(`${mailpitUrl}/api/v1/message/${m.ID}/headers`, headers);
      const full = m.Attachments > 0 ? await get(`${mailpitUrl}/api/v1/message/${m.ID}`, message) : undefined;
      return {
        id: m.ID,
        messageId: m.MessageID,
        subject: m.Subject,
        recipients: [...(m.To ?? []), ...(m.Cc ?? [])].map((to) => to.Address),
        notificationKey: head['X-Notification-Key']?.[0] ?? '',
        attachments: (full?.Attachments ?? []).map((a) => ({
          fileName: a.FileName,
          contentType: a.ContentType,
          partId: a.PartID,
        })),
      };
    }),
  );
}

/** The bytes of one attachment, as text. */
export async function attachmentText(mailpitUrl: string, mail: ReceivedMail, partId: string): Promise<string> {
  const response = await fetch(`${mailpitUrl}/api/v1/message/${mail.id}/part/${partId}`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`attachment ${partId} of ${mail.id}: HTTP ${response.status}`);
  return response.text();
}

/** The plain-text part of one message, as Mailpit parsed it. */
export async function messageText(mailpitUrl: string, mail: ReceivedMail): Promise<string> {
  const { Text } = await get(`${mailpitUrl}/api/v1/message/${mail.id}`, z.object({ Text: z.string() }).loose());
  return Text;
}
