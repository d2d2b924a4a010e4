export { currentAttempt, deliver, type DeliveryAttempt, type DeliveryDependencies } from './deliver.ts';
export { deliveryError, outboxFileName, outboxTransport, smtpTransport, transportFromConfig } from './transports.ts';
