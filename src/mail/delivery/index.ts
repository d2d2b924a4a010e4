export { currentAttempt, deliver, type DeliveryAttempt, type DeliveryDependencies } from './deliver.ts';
export { currentBatchAttempt, deliverBatch, type BatchAttempt } from './deliver-batch.ts';
export { deliveryError, outboxFileName, outboxTransport, smtpTransport, transportFromConfig } from './transports.ts';
