import { UsageError, type Command } from '../usage';

export const validate: Command = async () => {
  throw new UsageError('validate: not available yet');
};
