import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { majorUnits, money } from '../../src/client/money.ts';
import { formatMinor } from '../../src/domain/money.ts';
import { toTextTable } from '../../src/client/text-table.ts';

/** The display column each cell of `line` starts at, given the cells (separated by at least two spaces). */
function columnStarts(line: string, cells: readonly string[]): number[] {
  let from = 0;
  return cells.map((cell) => {
    const index = line.indexOf(cell, from);
    from = index + cell.length;
    return stringWidth(line.slice(0, index));
  });
}

describe('text tables', () => {
  it('line up Chinese names: every column starts at the same display column on every row', () => {
    const header = ['ID', 'NAME', 'PARTY', 'EMAIL'];
    const rows = [
      ['c1', '李伟', 'jitri', 'li.wei@jitri.example'],
      ['c2', 'Amy Jones', 'uob', 'amy@uob.example'],
      ['c3', '欧阳娜娜', '江苏省产业技术研究院', 'nana@jitri.example'],
      ['c4', 'Zoë', 'uob', 'zoe@uob.example'],
    ];
    const lines = toTextTable(header, rows).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const starts = [header, ...rows].map((cells, index) => columnStarts(lines[index] ?? '', cells));
    for (const row of starts) expect(row).toEqual(starts[0]);
    // Chinese characters take two columns each: the NAME column is as wide as 欧阳娜娜 (8), not its length (4).
    expect(starts[0]).toEqual([0, 4, 4 + 9 + 2, 4 + 9 + 2 + 20 + 2]);
  });

  it('keeps a cell on one line', () => {
    expect(toTextTable(['A', 'B'], [['one\ntwo', 'x']])).toBe('A        B\none two  x\n');
  });
});

describe('money in the CLI', () => {
  it('groups and rounds through Intl.NumberFormat, with the currency code', () => {
    expect(money(500000.5, 'GBP')).toBe('GBP 500,000.50');
    expect(money(1350000.05, 'CNY')).toBe('CNY 1,350,000.05');
    expect(majorUnits(7)).toBe('0.07');
    expect(majorUnits(135000005)).toBe('1350000.05');
    expect(majorUnits(-150)).toBe('-1.50');
    // Exact to the cent however large (no floating-point division).
    expect(majorUnits(9007199254740991)).toBe('90071992547409.91');
    expect(money(1, '')).toBe('1.00');
  });

  it("is the mail's formatter: one way to write an amount, and no Intl error for a missing currency", () => {
    expect(money(1350000.5, 'GBP')).toBe(formatMinor(135000050, 'GBP'));
    expect(formatMinor(100, '', 'zh-CN')).toBe('1.00');
    expect(formatMinor(100, 'CNY', 'zh-CN')).toBe('1.00人民币');
  });
});
