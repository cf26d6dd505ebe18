#!/usr/bin/env node
/**
 * The `lightpool` command line. Each subcommand lives in its own file under
 * ./commands and registers itself on the program here.
 */
import { Command } from 'commander';
import { LIGHTPOOL_VERSION } from '../version.js';
import { registerServe } from './commands/serve.js';
import { registerInfo } from './commands/info.js';
import { registerExport } from './commands/export.js';
import { registerRender } from './commands/render.js';
import { registerProcess } from './commands/process.js';
import { registerDaq } from './commands/daq.js';
import { registerRecord } from './commands/record.js';
import { registerSpectrum } from './commands/spectrum.js';
import { registerMlem } from './commands/mlem.js';
import { registerStack } from './commands/stack.js';

const program = new Command();
program.name('lightpool').description('Event display and analysis for Cherenkov detectors').version(LIGHTPOOL_VERSION).showHelpAfterError();

registerServe(program);
registerInfo(program);
registerExport(program);
registerRender(program);
registerProcess(program);
registerDaq(program);
registerRecord(program);
registerSpectrum(program);
registerMlem(program);
registerStack(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`lightpool: ${msg}\n`);
  process.exit(1);
});
