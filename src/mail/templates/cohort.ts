import type { NotificationKind } from '../../domain/notifications.ts';
import type { TemplateInput } from './content.ts';
import { cohortFacts, leadTime, when, wordsFor } from './facts.ts';
import { mailKind, type MailKindText } from './mail-kind.ts';

const partners = (input: TemplateInput) => {
  const words = wordsFor(input);
  return { label: words.partners, value: input.facts.parties.map((party) => party.name).join(words.nameSeparator) };
};

/** The mail of the cohort stage: the launch, its reminders, and the candidates' own mail. */
export const COHORT_MAIL = {
  'launch-notice': mailKind({
    chineseName: '项目启动提醒',
    words: {
      en: {
        enrolment: (enrolled: number, capacity: number) => `${enrolled} of ${capacity} enrolled`,
        noCohort: 'no cohort',
        subject: (lead: string | undefined, enrolment: string) =>
          `Cohort launch${lead ? ` in ${lead}` : ''}: ${enrolment}`,
        launches: (title: string, when: string | undefined) => `The cohort of “${title}” launches ${when ?? 'soon'}.`,
        belowMinimum: (enrolled: number, minimum: number) =>
          `Only ${enrolled} candidates are enrolled; at least ${minimum} are needed for the launch to go ahead.`,
        enough: 'Enough candidates are enrolled for the launch to go ahead.',
        action: (id: string) => `Enrol more candidates with: agreements enrol ${id} --name <name> --email <email>`,
      },
      'zh-CN': {
        enrolment: (enrolled, capacity) => `已录取${enrolled}人，名额${capacity}人`,
        noCohort: '未设学员名额',
        subject: (lead, enrolment) => `项目${lead ? `将于${lead}后` : '即将'}启动：${enrolment}`,
        launches: (title, when) => `“${title}”学员项目将于${when ?? '近期'}启动。`,
        belowMinimum: (enrolled, minimum) => `目前仅录取${enrolled}人，至少需要${minimum}人方可启动。`,
        enough: '录取人数已满足启动要求。',
        action: (id) => `请继续录取学员：agreements enrol ${id} --name <姓名> --email <邮箱>`,
      },
    },
    write: (input, words) => {
      const lead = leadTime(input);
      const cohort = input.facts.cohort;
      const belowMinimum = cohort !== null && cohort.enrolledCount < cohort.minimum;
      return {
        subject: words.subject(lead, cohort ? words.enrolment(cohort.enrolledCount, cohort.capacity) : words.noCohort),
        paragraphs: [
          words.launches(input.facts.title, cohort?.launchAt ? when(input, cohort.launchAt) : undefined),
          belowMinimum ? words.belowMinimum(cohort.enrolledCount, cohort.minimum) : words.enough,
        ],
        facts: cohortFacts(input),
        ...(belowMinimum ? { action: words.action(input.agreementId) } : {}),
      };
    },
  }),

  'launch-escalation': mailKind({
    chineseName: '项目启动升级提醒',
    words: {
      en: {
        subject: (enrolled: number, minimum: number) =>
          `Escalation: cohort below minimum at launch (${enrolled} enrolled, minimum ${minimum})`,
        paragraph: (title: string) =>
          `The launch time of “${title}” has been reached with fewer candidates than the minimum, so the cohort was not launched automatically.`,
        action: (id: string) =>
          `Enrol more candidates, then launch with: agreements launch ${id} — or cancel with: agreements cancel ${id} --reason <reason>`,
      },
      'zh-CN': {
        subject: (enrolled, minimum) => `升级提醒：启动时录取人数不足（已录取${enrolled}人，至少需${minimum}人）`,
        paragraph: (title) => `“${title}”已到启动时间，但录取人数低于最低要求，项目未能自动启动。`,
        action: (id) =>
          `请继续录取学员后启动：agreements launch ${id}；或取消：agreements cancel ${id} --reason <原因>`,
      },
    },
    write: (input, words) => {
      const cohort = input.facts.cohort;
      return {
        subject: words.subject(cohort?.enrolledCount ?? 0, cohort?.minimum ?? 0),
        paragraphs: [words.paragraph(input.facts.title)],
        facts: cohortFacts(input),
        action: words.action(input.agreementId),
      };
    },
  }),

  enrolled: mailKind({
    chineseName: '录取通知',
    words: {
      en: {
        subject: (title: string) => `You are enrolled: ${title}`,
        enrolled: (title: string) => `You have been enrolled in “${title}”.`,
        launches: (when: string) => `The programme launches ${when}.`,
        hearFromUs: 'You will hear from us when the programme launches.',
      },
      'zh-CN': {
        subject: (title) => `录取通知：${title}`,
        enrolled: (title) => `您已被录取参加“${title}”。`,
        launches: (when) => `项目将于${when}启动。`,
        hearFromUs: '项目启动时将另行通知。',
      },
    },
    write: (input, words) => {
      const cohort = input.facts.cohort;
      const shared = wordsFor(input);
      return {
        subject: words.subject(input.facts.title),
        paragraphs: [
          words.enrolled(input.facts.title),
          cohort?.launchAt ? words.launches(when(input, cohort.launchAt)) : words.hearFromUs,
        ],
        facts: [
          { label: shared.programme, value: input.facts.title },
          partners(input),
          ...(cohort ? [{ label: shared.sites, value: cohort.sites.join(shared.nameSeparator) }] : []),
        ],
      };
    },
  }),

  welcome: mailKind({
    chineseName: '欢迎函',
    words: {
      en: {
        subject: (title: string) => `Welcome: ${title} has launched`,
        paragraph: (title: string, sites: string | undefined) =>
          `Welcome to “${title}”. The programme has launched and your research time is split between ${sites ?? 'the partner sites'}.`,
        and: ' and ',
        runsUntil: 'Runs until',
      },
      'zh-CN': {
        subject: (title) => `欢迎加入：${title}已启动`,
        paragraph: (title, sites) =>
          `欢迎加入“${title}”。项目已正式启动，您的研究工作将在${sites ?? '各合作单位'}进行。`,
        and: '和',
        runsUntil: '项目期限至',
      },
    },
    write: (input, words) => {
      const cohort = input.facts.cohort;
      const shared = wordsFor(input);
      return {
        subject: words.subject(input.facts.title),
        paragraphs: [words.paragraph(input.facts.title, cohort?.sites.join(words.and))],
        facts: [
          { label: shared.programme, value: input.facts.title },
          partners(input),
          ...(cohort ? [{ label: shared.cohort, value: shared.candidates(cohort.enrolledCount) }] : []),
          ...(input.facts.term ? [{ label: words.runsUntil, value: when(input, input.facts.term.endsAt) }] : []),
        ],
      };
    },
  }),

  launched: mailKind({
    chineseName: '项目启动通知',
    words: {
      en: {
        subject: (enrolled: number) => `Launched: cohort of ${enrolled} started`,
        paragraph: (title: string) => `“${title}” is active: the cohort has launched.`,
      },
      'zh-CN': {
        subject: (enrolled) => `项目已启动：首批学员${enrolled}人`,
        paragraph: (title) => `“${title}”学员项目已启动，协议进入执行阶段。`,
      },
    },
    write: (input, words) => {
      const cohort = input.facts.cohort;
      const shared = wordsFor(input);
      return {
        subject: words.subject(cohort?.enrolledCount ?? 0),
        paragraphs: [words.paragraph(input.facts.title)],
        facts: [
          ...cohortFacts(input).filter((fact) => fact.label !== shared.launch),
          ...(input.facts.term ? [{ label: shared.termEnds, value: when(input, input.facts.term.endsAt) }] : []),
        ],
      };
    },
  }),
} satisfies Partial<Record<NotificationKind, MailKindText>>;
