import { resolve } from 'node:path';
import {
  NEWSROOM_CONFIG_ENV,
  NewsroomConfigError,
  newsroomFilePath,
  readNewsroomConfig,
} from '../functions/config/newsroom-file';

/** `npm start`: the whole system on this machine, on embedded emulators, until Ctrl-C. */

/**
 * The newsroom file is checked before anything else is imported: the handlers read it at import, where a
 * bad file could only end in a stack trace. A relative NEWSROOM_CONFIG is taken from where the user typed
 * `npm start` (npm runs the script from the project root), then passed on absolute.
 */
function checkNewsroomConfig(): string {
  const path = newsroomFilePath(process.env[NEWSROOM_CONFIG_ENV], process.env.INIT_CWD ?? process.cwd());
  try {
    const newsroom = readNewsroomConfig(path);
    process.env[NEWSROOM_CONFIG_ENV] = path;
    return `${newsroom.name} (${newsroom.language}, ${newsroom.timeZone}; ${path})`;
  } catch (error) {
    if (!(error instanceof NewsroomConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const newsroom = checkNewsroomConfig();
const { PortInUseError } = await import('../local/local-server');
const { startLocalStack } = await import('../local/local-stack');

function parsePort(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`PORT must be a whole number from 1 to 65535, not ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return port;
}

const port = parsePort(process.env.PORT);
const dataDir = resolve(process.env.DATA_DIR ?? '.data');

try {
  const started = Date.now();
  const stack = await startLocalStack({ port, dataDir });
  const { origin } = stack;
  console.log(
    [
      '',
      `Flash News is running (started in ${Date.now() - started} ms; data in ${dataDir})`,
      stack.seeded ? `  Seeded ${stack.seeded} sample articles into the new data directory.` : '',
      '',
      `  Newsroom:  ${newsroom}`,
      `  Site:      ${origin}/`,
      `  Latest:    ${origin}/api/latest`,
      `  Sections:  ${origin}/api/sections`,
      `  API docs:  ${origin}/api/docs  (OpenAPI: ${origin}/api/openapi.json)`,
      `  Events:    ${stack.eventsFile}`,
      '',
      '  Admin token (valid 12 hours):  export TOKEN=$(npm run --silent token)',
      "    (a contributor's or an editor's: npm run --silent token -- --groups contributors|editors)",
      `  Publish:   curl -X POST ${origin}/api/articles -H "Authorization: Bearer $TOKEN" \\`,
      `               -H 'Content-Type: application/json' -d '{"title":"Hello","section":"bota","body":"First!","status":"published"}'`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ]
      .filter((line, index, lines) => line !== '' || lines[index - 1] !== '')
      .join('\n'),
  );

  // Ctrl-C (SIGINT), a process manager or container runtime (SIGTERM) and a closed terminal (SIGHUP) all
  // stop the stack and free the port. A signal during start-up keeps its default and ends the process at
  // once, which loses nothing: the change feed's journal delivers on the next start what was not rendered.
  // Ctrl-C reaches this process twice (from the terminal and forwarded by npm); the second is ignored.
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping (data is kept in ${dataDir})...`);
    try {
      await stack.stop();
    } catch (error) {
      console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
    console.log('Stopped.');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void stop(`${signal} received`));
  }
  // npm itself killed outright (SIGKILL) cannot forward anything: without this the stack would live on as
  // an orphan holding the port, and the next \`npm start\` would find it taken.
  const parent = process.ppid;
  if (parent > 1) {
    setInterval(() => {
      if (process.ppid !== parent) void stop('The parent process is gone');
    }, 250).unref();
  }
} catch (error) {
  // Configuration and port problems are the user's to fix: the message says how; a stack would only hide it.
  if (error instanceof PortInUseError || !process.env.DEBUG) {
    console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    if (!(error instanceof PortInUseError)) console.error('(run with DEBUG=1 for the details)');
    process.exit(1);
  }
  throw error;
}
