/**
 * TEST-ONLY codec key. It encrypts the one encrypted history in test/histories (scripts/record-histories.ts records
 * it, test/workflows/replay.test.ts decrypts it to replay it). It is public, in the repository: it protects nothing,
 * and must never be configured on a real worker or client. `AGREEMENTS_CODEC_KEYS` form: `id:base64key`.
 */
export const HISTORY_TEST_CODEC_KEYS = 'replay-test-only:cmVwbGF5LXRlc3Qtb25seS1ub3QtYS1zZWNyZXQtMDA=';
