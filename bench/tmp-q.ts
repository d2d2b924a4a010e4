import { Client, Connection } from '@temporalio/client';
const c = new Client({ connection: await Connection.connect({ address: 'localhost:17299' }) });
try { await c.workflow.getHandle('agreement-uob-jitri-phd-programme').query('state'); } catch (e) { const x = e as Error & { code?: number; cause?: Error & { code?: number; details?: string } }; console.log(x.constructor.name, x.message, x.code, x.cause?.constructor.name, x.cause?.code, x.cause?.details); }
try { await c.workflow.getHandle('agreement-uob-jitri-phd-programme').executeUpdate('submit', { args: [{}] }, ); } catch (e) { console.log('update', (e as Error).message); }
