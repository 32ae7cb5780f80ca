import { UsageError, type Command } from '../usage';

export const sync: Command = async () => {
  throw new UsageError('sync: not available yet');
};
