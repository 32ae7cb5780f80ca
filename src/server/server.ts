import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './connection';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
const USAGE = `usage: simone-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>

The Simone integration language server (LSP). Editors start it with one transport flag;
see docs/language-server.md for Neovim, Helix and Sublime Text set-ups.
`;

const args = process.argv.slice(2);
if (args.includes('--help') || !args.some((arg) => TRANSPORTS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) {
  process.stderr.write(USAGE);
  process.exit(args.includes('--help') ? 0 : 2);
}

// createConnection reads the transport from the command line flags above.
startServer(createConnection(ProposedFeatures.all));
