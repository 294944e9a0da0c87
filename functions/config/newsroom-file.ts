import { readFileSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewsroomConfig } from './newsroom';
import { parseNewsroomConfig } from './newsroom-schema';

/**
 * Reads the newsroom file the CDK app, `npm start` and the command-line tools run with. The deployed
 * functions never come here: they get the newsroom checked and inlined at synth (functions/config/site.ts).
 */

/** Environment variable naming the newsroom file (`NEWSROOM_CONFIG=newsroom.config.sq.json npm start`). */
export const NEWSROOM_CONFIG_ENV = 'NEWSROOM_CONFIG';

/** The newsroom the project ships with, at the repository root (a function: nothing runs at import). */
export function defaultNewsroomFile(): string {
  return fileURLToPath(new URL('../../newsroom.config.json', import.meta.url));
}

/** A newsroom file that cannot be used; the message is one line naming the file, the field and the problem. */
export class NewsroomConfigError extends Error {
  override name = 'NewsroomConfigError';
}

/** The file to read: `chosen` (context or environment; relative to the working directory) or the default. */
export function newsroomFilePath(chosen: string | undefined, cwd: string = process.cwd()): string {
  const trimmed = chosen?.trim();
  if (!trimmed) return defaultNewsroomFile();
  return isAbsolute(trimmed) ? trimmed : resolve(cwd, trimmed);
}

/** How the message names the file: as the user wrote it when it is in the working directory. */
function shownName(path: string, cwd: string): string {
  return resolve(cwd, basename(path)) === path ? basename(path) : path;
}

/** Reads and checks one newsroom file; any problem is a NewsroomConfigError of one line. */
export function readNewsroomConfig(path: string, cwd: string = process.cwd()): NewsroomConfig {
  const name = shownName(path, cwd);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code);
    throw new NewsroomConfigError(`Newsroom config ${name}: cannot read the file (${why})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new NewsroomConfigError(`Newsroom config ${name}: not valid JSON (${detail})`);
  }
  const result = parseNewsroomConfig(data);
  if (!result.success) throw new NewsroomConfigError(`Newsroom config ${name}: ${result.problem}`);
  return result.config;
}

/** The newsroom `NEWSROOM_CONFIG` names, or the default one. */
export function readNewsroomConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NewsroomConfig {
  return readNewsroomConfig(newsroomFilePath(env[NEWSROOM_CONFIG_ENV]));
}
