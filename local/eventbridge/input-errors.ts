import { AwsServiceError } from '../aws-json/aws-service-error';
import type { InputErrors } from '../aws-json/input-fields';

/** EventBridge answers a bad or missing request member with ValidationException. */
export const eventBridgeInputErrors: InputErrors = {
  invalid: (message) => new AwsServiceError('ValidationException', message),
  missing: (name) => new AwsServiceError('ValidationException', `Parameter ${name} is required.`),
};
