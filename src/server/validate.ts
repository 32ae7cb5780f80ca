import type { Diagnostic } from 'vscode-languageserver';
import type { ConfigFile } from '../core/configFile';
import { validateFile, type ValidationContext } from '../core/validation/validate';
import { toLspDiagnostic } from '../language/diagnostics';

export type Validate = (file: ConfigFile, context: ValidationContext) => Diagnostic[];

/** What the check worker runs for a file, unless a test gives it another module. */
export const validate: Validate = (file, context) => validateFile(file, context).map(toLspDiagnostic);
