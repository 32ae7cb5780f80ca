/** The language features as pure functions over a parsed file and a LanguageContext; src/server wires them to LSP. */
export type { LanguageContext } from './context';
export { toLspDiagnostic } from './diagnostics';
export { complete } from './completion';
export { hover } from './hover';
export { documentSymbols } from './symbols';
export { foldingRanges } from './folding';
export { selectionRanges } from './selection';
export { definition, references, prepareRename, rename } from './navigation';
export { codeActions } from './codeActions';
export { documentLinks } from './links';
export { codeLenses, type LensArguments } from './codeLens';
