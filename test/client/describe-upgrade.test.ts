import { describe, expect, it } from 'vitest';
import { describeNudges } from '../../src/client/describe-upgrade.ts';

describe('what agreements upgrade prints', () => {
  it('one row per running agreement: its build and whether it moves, then how many move', () => {
    const text = describeNudges([
      { id: 'mou', workflowId: 'agreement-mou', buildId: '0.1.0-aaaaaaaaaaaa', moving: true },
      { id: 'phd', workflowId: 'agreement-phd', buildId: '0.1.0-bbbbbbbbbbbb', moving: false },
      { id: 'dev', workflowId: 'agreement-dev', moving: false },
      { id: 'gone', workflowId: 'agreement-gone', moving: false, error: 'workflow execution already completed' },
    ]);
    expect(text.split('\n')).toEqual([
      'agreement  build               after the nudge',
      'mou        0.1.0-aaaaaaaaaaaa  moves to the current build',
      'phd        0.1.0-bbbbbbbbbbbb  stays (on the current build)',
      'dev        (unversioned)       stays (on the current build)',
      'gone       —                   not reached: workflow execution already completed',
      '1 of 4 running agreements continue as new onto the current build at their next quiet point.',
    ]);
  });

  it('says when nothing is running', () => {
    expect(describeNudges([])).toBe('No running agreements.');
  });
});
