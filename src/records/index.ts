export { openRecordsStore, type RecordsStoreOptions } from './open-records-store.ts';
export { describeStoreUnreachable, RecordsStoreUnreachableError, redactRecordsUrl } from './store-unreachable.ts';
export { formatHistory, formatRegister, type HistoryFormat, type RegisterFormat } from './register-format.ts';
