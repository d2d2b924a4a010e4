/** Two documents of an agreement's text (SPEC 18), one in Chinese, and a later version of the first. */
export const TEXT_V1 = 'a1'.repeat(32);
export const TEXT_V2 = 'b2'.repeat(32);
export const ANNEX = 'c3'.repeat(32);

export const documents = [
  { id: 'agreement-text', title: 'Memorandum of understanding', sha256: TEXT_V1, language: 'en' },
  { id: 'annex-zh', title: '合作备忘录（中文本）', sha256: ANNEX, language: 'zh-CN' },
];

/** The merge patch that amends the text to its second version. */
export const amendText = { documents: [{ ...documents[0], sha256: TEXT_V2 }, documents[1]] };

/** A variation's patch (SPEC 18) adding the £2.7m joint fund from JITRI, which the MoU did not have. */
export const addJitriFund = {
  funding: {
    currency: 'GBP',
    commitments: [
      {
        id: 'jitri-fund',
        funder: 'jitri',
        amount: 2700000,
        contact: { name: 'JITRI Finance', email: 'finance@jitri.example', locale: 'zh-CN' },
      },
    ],
  },
};
