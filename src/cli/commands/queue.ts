import { UsageError, type Command } from '../usage';

export const queue: Command = async () => {
  throw new UsageError('queue: not available yet');
};
