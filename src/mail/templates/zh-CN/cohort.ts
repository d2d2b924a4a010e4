import type { Template, TemplateInput } from '../content.ts';
import { cohortFacts, leadTime, when, wordsFor } from '../facts.ts';

function enrolment(input: TemplateInput): string {
  const cohort = input.facts.cohort;
  return cohort ? `已录取${cohort.enrolledCount}人，名额${cohort.capacity}人` : '未设学员名额';
}

const partners = (input: TemplateInput) => ({
  label: '合作方',
  value: input.facts.parties.map((party) => party.name).join('、'),
});

export const launchNotice: Template = (input) => {
  const lead = leadTime(input);
  const cohort = input.facts.cohort;
  const belowMinimum = cohort !== null && cohort.enrolledCount < cohort.minimum;
  return {
    subject: `项目${lead ? `将于${lead}后` : '即将'}启动：${enrolment(input)}`,
    paragraphs: [
      `“${input.facts.title}”学员项目将于${cohort?.launchAt ? when(input, cohort.launchAt) : '近期'}启动。`,
      belowMinimum
        ? `目前仅录取${cohort.enrolledCount}人，至少需要${cohort.minimum}人方可启动。`
        : '录取人数已满足启动要求。',
    ],
    facts: cohortFacts(input),
    ...(belowMinimum
      ? { action: `请继续录取学员：agreements enrol ${input.agreementId} --name <姓名> --email <邮箱>` }
      : {}),
  };
};

export const launchEscalation: Template = (input) => {
  const cohort = input.facts.cohort;
  return {
    subject: `升级提醒：启动时录取人数不足（已录取${cohort?.enrolledCount ?? 0}人，至少需${cohort?.minimum ?? 0}人）`,
    paragraphs: [`“${input.facts.title}”已到启动时间，但录取人数低于最低要求，项目未能自动启动。`],
    facts: cohortFacts(input),
    action: `请继续录取学员后启动：agreements launch ${input.agreementId}；或取消：agreements cancel ${input.agreementId} --reason <原因>`,
  };
};

export const enrolled: Template = (input) => {
  const cohort = input.facts.cohort;
  return {
    subject: `录取通知：${input.facts.title}`,
    paragraphs: [
      `您已被录取参加“${input.facts.title}”。`,
      cohort?.launchAt ? `项目将于${when(input, cohort.launchAt)}启动。` : '项目启动时将另行通知。',
    ],
    facts: [
      { label: '项目', value: input.facts.title },
      partners(input),
      ...(cohort ? [{ label: '培养地点', value: cohort.sites.join('、') }] : []),
    ],
  };
};

export const welcome: Template = (input) => {
  const cohort = input.facts.cohort;
  return {
    subject: `欢迎加入：${input.facts.title}已启动`,
    paragraphs: [
      `欢迎加入“${input.facts.title}”。项目已正式启动，您的研究工作将在${cohort?.sites.join('和') ?? '各合作单位'}进行。`,
    ],
    facts: [
      { label: '项目', value: input.facts.title },
      partners(input),
      ...(cohort ? [{ label: '学员', value: `${cohort.enrolledCount}人` }] : []),
      ...(input.facts.term ? [{ label: '项目期限至', value: when(input, input.facts.term.endsAt) }] : []),
    ],
  };
};

export const launched: Template = (input) => {
  const cohort = input.facts.cohort;
  return {
    subject: `项目已启动：首批学员${cohort?.enrolledCount ?? 0}人`,
    paragraphs: [`“${input.facts.title}”学员项目已启动，协议进入执行阶段。`],
    facts: [
      ...cohortFacts(input).filter((fact) => fact.label !== wordsFor(input).launch),
      ...(input.facts.term ? [{ label: '协议期满', value: when(input, input.facts.term.endsAt) }] : []),
    ],
  };
};
