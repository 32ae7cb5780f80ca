import { UsageError, type Command } from '../usage';

export const webhook: Command = async () => {
  throw new UsageError('webhook: not available yet');
};
