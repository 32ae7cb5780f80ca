import { UsageError, type Command } from '../usage';

export const test: Command = async () => {
  throw new UsageError('test: not available yet');
};
