import { startPostgres } from '../support/postgres';
import { syncScenarios } from '../support/syncScenarios';

syncScenarios('PostgreSQL', true, async () => {
  const server = await startPostgres();
  return {
    async connection(name) {
      if (name === 'main') return `    - { name: ${name}, type: postgresql, url: "${server.url}" }`;
      await server.createDatabase(`simone_${name}`);
      return `    - { name: ${name}, type: postgresql, host: ${server.host}, port: ${server.port}, database: simone_${name}, user: ${server.user}, password: ${server.password} }`;
    },
    badConnection: (name) => ({ yaml: `    - { name: ${name}, type: postgresql, url: "postgresql://${server.user}:wrong-secret-123@${server.host}:${server.port}/${server.database}" }`, secret: 'wrong-secret-123' }),
    stop: () => server.stop(),
  };
});
