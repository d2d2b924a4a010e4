export { sendOnce, type DeliveryDependencies } from './send-once.ts';
export { deliveryError, outboxFileName, outboxTransport, smtpTransport, transportFromConfig } from './transports.ts';
