import { UsageError, type Command } from '../usage';

export const health: Command = async () => {
  throw new UsageError('health: not available yet');
};
