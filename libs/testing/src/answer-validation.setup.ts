/**
 * jest setupFilesAfterEnv: every answer a suite receives from a BFF started with `listen`/`startBff`
 * (through fetch or rawGet) is checked against that BFF's served OpenAPI document; a test whose answers
 * do not match fails, naming the operation and what differs.
 */
import { installAnswerValidation, takeAnswerViolations } from './openapi-validator';

installAnswerValidation();

afterEach(async () => {
  const violations = await takeAnswerViolations();
  if (violations.length > 0) throw new Error(`answers that do not match the served OpenAPI document:\n  ${violations.join('\n  ')}`);
});
