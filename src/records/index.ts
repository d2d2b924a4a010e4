export { openRecordsStore, type RecordsStoreOptions } from './open-records-store.ts';
export { describeStoreUnreachable, RecordsStoreUnreachableError, redactRecordsUrl } from './store-unreachable.ts';
export { SQLITE_FILE_NAME } from './sqlite-connection.ts';
