import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  type Article,
  FlashNewsClient,
  type LatestItem,
  type RevisionSummary,
  StaleArticleError,
} from 'flash-news-client';
import { read } from 'read';
import { credentialsPath, removeSession, saveSession } from './flash-news-credentials';
import { FRONT_MATTER_FIELDS } from './flash-news-fields';
import {
  CliError,
  createOutput,
  type ErrorContext,
  type Output,
  preview,
  reportError,
} from './flash-news-output';
import type { FieldChange, PublishResult } from './flash-news-publish';
import {
  type GlobalOptions,
  mintLocalToken,
  resolveTarget,
  type Target,
  tokenProvider,
} from './flash-news-target';

/**
 * `npx flash-news`: publish Markdown files to Flash News and manage articles from the command line, on
 * the local stack (the default) or a deployment (`--api`, `--stack`, or FLASH_NEWS_API). docs/api.md
 * documents every command; `flash-news <command> --help` shows each one's options.
 */

const USER_AGENT = 'flash-news-cli/0.1';
/** Exit status for a command line that could not be understood (anything else that fails is 1). */
const USAGE_ERROR = 2;

let errorContext: ErrorContext = {};

// `flash-news list | head -1`: a reader that stops early is no error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

interface Session {
  readonly options: GlobalOptions;
  readonly output: Output;
  readonly target: Target;
  readonly client: FlashNewsClient;
}

async function open(command: Command, tokenRequired: boolean): Promise<Session> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const output = createOutput(Boolean(options.json));
  const target = await resolveTarget(options);
  errorContext = { api: target.api, local: target.local };
  const client = new FlashNewsClient({
    baseUrl: target.api,
    token: tokenProvider(target, options, tokenRequired),
    onRetry: (event) => output.retrying(event),
    userAgent: USER_AGENT,
  });
  return { options, output, target, client };
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('must be a whole number from 1');
  return number;
}

function describeChange(change: FieldChange): string {
  if (change.field === 'body') {
    const from = String(change.from ?? '').length;
    const to = String(change.to ?? '').length;
    return `body: ${from === to ? `changed (${to} characters)` : `${from} → ${to} characters`}`;
  }
  return `${change.field}: ${preview(change.from)} → ${preview(change.to)}`;
}

function publishSummary(result: PublishResult): string {
  const article = result.article;
  const lines: string[] = [];
  switch (result.action) {
    case 'would-create':
      lines.push(`Would create a new article from ${result.file} (dry run: nothing sent)`);
      break;
    case 'created':
      lines.push(
        `Created ${article?.id} "${article?.title}" (${article?.status}, version ${article?.version})`,
      );
      break;
    case 'unchanged':
      lines.push(
        `Unchanged ${article?.id} (version ${article?.version}): ${result.file} matches the article`,
      );
      break;
    case 'would-update':
      lines.push(`Would update ${article?.id} (version ${article?.version}; dry run: nothing sent):`);
      break;
    case 'updated':
      lines.push(
        `Updated ${article?.id} "${article?.title}" (${article?.status}, version ${article?.version}):`,
      );
      break;
  }
  for (const change of result.changes) lines.push(`  ${describeChange(change)}`);
  if (article) lines.push(`  ${article.url}`);
  if (article && article.status !== 'published') lines.push(`  (${article.status}: the page is not public)`);
  return lines.join('\n');
}

function articleLines(article: Article, withBody: boolean): string {
  const rows: [string, string | undefined][] = [
    ['id', article.id],
    ['slug', article.slug],
    ['section', article.section],
    ['language', article.language],
    ['status', `${article.status} (version ${article.version})`],
    ['url', article.url],
    ['publishAt', article.publishAt],
    ['published', article.publishedAt],
    ['updated', article.updatedAt],
    ['author', article.author],
    ['source', article.source],
    ['tags', article.tags.length > 0 ? article.tags.join(', ') : undefined],
    ['image', article.imageUrl ? `${article.imageUrl} (${article.imageAlt ?? ''})` : undefined],
    ['caption', article.imageCaption],
    ['credit', article.imageCredit],
    ['size', article.imageWidth ? `${article.imageWidth}×${article.imageHeight}` : undefined],
    ['featured', article.featured ? 'yes' : undefined],
    ['summary', article.summary],
  ];
  const lines = [article.title];
  for (const [label, value] of rows) if (value !== undefined) lines.push(`  ${label.padEnd(10)}${value}`);
  if (withBody) lines.push('', article.body);
  return lines.join('\n');
}

function latestLines(items: readonly LatestItem[], section: string | undefined): string {
  if (items.length === 0) return section ? `No published articles in ${section}` : 'No published articles';
  const width = Math.max(...items.map((item) => item.section.length));
  return items
    .map((item) => {
      const when = item.publishedAt.slice(0, 16).replace('T', ' ');
      return `${when}  ${item.section.padEnd(width)}  ${item.title}  (${item.slug})`;
    })
    .join('\n');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function requireTerminal(what: string, alternative: string): void {
  if (!process.stdin.isTTY) throw new CliError(`no terminal to ask for ${what}; use ${alternative}`);
}

const program = new Command('flash-news')
  .description(
    'Publish Markdown articles to Flash News and manage them: on the local stack (npm start) by default, or on a deployment.',
  )
  .option('--api <url>', 'the site or API URL (default: FLASH_NEWS_API, else http://localhost:$PORT)')
  .option(
    '--stack <name>',
    "a deployed stack's name: its API and user pool are read from its outputs (AWS CLI)",
  )
  .option('--local', 'the local stack, whatever FLASH_NEWS_API says')
  .option(
    '--token <token>',
    'bearer token to send (default: FLASH_NEWS_TOKEN, the saved login, or a local token)',
  )
  .option('--region <region>', "the stack's AWS region (default: AWS_REGION)")
  .option('--json', 'print results as JSON (errors as JSON on stderr), for scripts')
  .showSuggestionAfterError()
  .configureHelp({ showGlobalOptions: true })
  // Set before the commands are added, which inherit them: usage errors on one line, exit status 2.
  .exitOverride()
  .configureOutput({
    outputError: (message, write) => write(`flash-news: ${message.replace(/^error: /, '').trim()}\n`),
  })
  .addHelpText(
    'after',
    `
Examples:
  npx flash-news publish article.md              create, or update if published before
  npx flash-news list --section bota --limit 5
  npx flash-news --stack FlashNews login          sign in to a deployment (Cognito, SRP, MFA)
  FLASH_NEWS_API=https://news.example.com npx flash-news list

Documentation: docs/api.md`,
  );

program
  .command('login')
  .description('Sign in: to Cognito in AWS (SRP, then the MFA code if enrolled), or mint a local token')
  .option('--username <name>', 'the editor (default: FLASH_NEWS_USERNAME, else asked)')
  .option('--user-pool-id <id>', 'Cognito user pool (default: FLASH_NEWS_USER_POOL_ID or the stack output)')
  .option('--client-id <id>', 'app client (default: FLASH_NEWS_USER_POOL_CLIENT_ID or the stack output)')
  .option('--password-stdin', 'read the password from standard input instead of asking')
  .option('--mfa-code <code>', 'the current TOTP code, instead of being asked for it')
  .option('--print-token', 'also print the ID token on stdout (for curl)')
  .addHelpText(
    'after',
    `
In AWS the session (ID and refresh tokens) is saved in ${credentialsPath()} (mode 0600)
and refreshed automatically until the refresh token expires. Locally (--local, or when the API is on
localhost) tokens are minted from DATA_DIR like npm run token, on every command: nothing is saved.`,
  )
  .action(async (_options, command: Command) => {
    const { output, target } = await open(command, false);
    const login = command.opts<{
      username?: string;
      passwordStdin?: boolean;
      mfaCode?: string;
      printToken?: boolean;
    }>();
    if (target.local) {
      const token = await mintLocalToken();
      output.result(
        { api: target.api, local: true, username: 'local-editor', ...(login.printToken ? { token } : {}) },
        () =>
          [
            `Signed in to the local stack at ${target.api} as local-editor (tokens are minted from DATA_DIR; nothing saved)`,
            ...(login.printToken ? [token] : []),
          ].join('\n'),
      );
      return;
    }
    if (!target.cognito) {
      throw new CliError(
        'login needs the user pool: --stack <name>, or --user-pool-id and --client-id (or FLASH_NEWS_USER_POOL_ID and FLASH_NEWS_USER_POOL_CLIENT_ID)',
      );
    }
    let username = login.username ?? process.env.FLASH_NEWS_USERNAME;
    if (!username) {
      requireTerminal('the username', '--username');
      username = (await read({ prompt: 'Username: ', output: process.stderr })).trim();
    }
    let password: string;
    if (login.passwordStdin) password = await readStdin();
    else {
      requireTerminal('the password', '--password-stdin');
      password = await read({ prompt: 'Password: ', silent: true, replace: '', output: process.stderr });
    }
    output.progress(`Signing in to ${target.api} as ${username}…`);
    // Loaded here: the SRP library is needed by this command only.
    const { signIn } = await import('./flash-news-cognito');
    const tokens = await signIn(target.cognito, username, password, {
      mfaCode: async () => {
        if (login.mfaCode) return login.mfaCode;
        requireTerminal('the MFA code', '--mfa-code');
        return read({ prompt: 'MFA code: ', output: process.stderr });
      },
    });
    await saveSession(target.api, { ...target.cognito, username, ...tokens });
    output.result(
      {
        api: target.api,
        local: false,
        username,
        expiresAt: tokens.expiresAt,
        ...(login.printToken ? { token: tokens.idToken } : {}),
      },
      () =>
        [
          `Signed in to ${target.api} as ${username}; session saved in ${credentialsPath()}`,
          ...(login.printToken ? [tokens.idToken] : []),
        ].join('\n'),
    );
  });

program
  .command('logout')
  .description('Forget the saved session for the API')
  .action(async (_options, command: Command) => {
    const { output, target } = await open(command, false);
    const removed = await removeSession(target.api);
    output.result({ api: target.api, removed }, () =>
      removed ? `Signed out of ${target.api}` : `No saved session for ${target.api}`,
    );
  });

program
  .command('publish')
  .description('Create the article a Markdown file describes, or update it if the file was published before')
  .argument('<file>', 'Markdown with YAML front matter')
  .option('--dry-run', 'show what would be created or changed, and change nothing')
  .addHelpText(
    'after',
    `
Front matter fields: ${FRONT_MATTER_FIELDS.join(', ')}.
title and section are required; status defaults to published (draft keeps it off the site; a future
publishAt schedules it); image is another name for imageUrl, which needs imageAlt; imageCaption and
imageCredit are shown under the photo; imageWidth and imageHeight (pixels) come together; featured: true
puts the story forward to lead the home page; tags is a list or a comma-separated text. The first publish writes the article's id into the front matter; publishing the
file again updates that article (with If-Match) and shows what changed.

Example file:
  ---
  title: "Rutte: US is fully committed to NATO"
  section: bota
  summary: The alliance chief speaks ahead of the summit.
  tags: [nato, diplomacy]
  source: REL
  ---
  European allies should not worry, Mark Rutte said on Tuesday.`,
  )
  .action(async (file: string, _options, command: Command) => {
    const { output, client } = await open(command, true);
    const dryRun = command.opts<{ dryRun?: boolean }>().dryRun;
    // Loaded here: the front matter parser and its schema are needed by this command only.
    const { publishFile } = await import('./flash-news-publish');
    const result = await publishFile(client, file, { dryRun, progress: (line) => output.progress(line) });
    if (result.warning) output.progress(`warning: ${result.warning}`);
    output.result(
      {
        action: result.action,
        file: result.file,
        id: result.article?.id,
        version: result.article?.version,
        status: result.article?.status,
        url: result.article?.url,
        changes: result.changes,
        ...(result.warning ? { warning: result.warning } : {}),
        article: result.article,
      },
      () => publishSummary(result),
    );
  });

program
  .command('list')
  .description('The latest published articles, newest first')
  .option('--section <slug>', 'only this section (see: flash-news sections)')
  .addOption(new Option('--limit <n>', 'how many').default(10).argParser(positiveInteger))
  .action(async (_options, command: Command) => {
    const { output, client } = await open(command, false);
    const { section, limit } = command.opts<{ section?: string; limit: number }>();
    const items: LatestItem[] = [];
    for await (const item of client.latest({ section, limit: Math.min(limit, 50) })) {
      items.push(item);
      if (items.length >= limit) break;
    }
    output.result({ items }, () => latestLines(items, section));
  });

program
  .command('get')
  .description('Show an article (drafts too, with an editor token)')
  .argument('<id-or-slug>', "the article's id, or any slug it has had")
  .option('--body', 'also print the Markdown body')
  .action(async (idOrSlug: string, _options, command: Command) => {
    const { output, client } = await open(command, false);
    const article = await client.getArticle(idOrSlug);
    output.result(article, () => articleLines(article, Boolean(command.opts<{ body?: boolean }>().body)));
  });

program
  .command('unpublish')
  .description('Take an article off the site (status unpublished); publish it again to bring it back')
  .argument('<id-or-slug>', "the article's id, or any slug it has had")
  .action(async (idOrSlug: string, _options, command: Command) => {
    const { output, client } = await open(command, true);
    // Unpublishing does not depend on the rest of the article, so a concurrent edit is simply re-read.
    for (let attempt = 1; ; attempt += 1) {
      const current = await client.getArticle(idOrSlug);
      if (current.status === 'unpublished') {
        output.result(
          { action: 'unchanged', article: current },
          () => `${current.id} is already unpublished`,
        );
        return;
      }
      try {
        const article = await client.updateArticle(current.id, { status: 'unpublished' });
        output.result(
          { action: 'unpublished', article },
          () =>
            `Unpublished ${article.id} "${article.title}" (version ${article.version}); ${article.url} is being taken down`,
        );
        return;
      } catch (error) {
        if (!(error instanceof StaleArticleError) || attempt >= 3) throw error;
        output.progress('The article changed meanwhile; reading it again…');
      }
    }
  });

program
  .command('delete')
  .description('Delete an article (needs an admin): its page, feed and sitemap entries go')
  .argument('<id-or-slug>', "the article's id, or any slug it has had")
  .action(async (idOrSlug: string, _options, command: Command) => {
    const { output, client } = await open(command, true);
    const article = await client.getArticle(idOrSlug);
    await client.deleteArticle(article.id);
    output.result(
      { action: 'deleted', id: article.id, url: article.url },
      () => `Deleted ${article.id} "${article.title}"`,
    );
  });

program
  .command('open')
  .description("Print the URL of an article's page")
  .argument('<id-or-slug>', "the article's id, or any slug it has had")
  .action(async (idOrSlug: string, _options, command: Command) => {
    const { output, client } = await open(command, false);
    const article = await client.getArticle(idOrSlug);
    if (article.status !== 'published') output.progress(`(${article.status}: the page is not public)`);
    output.result({ id: article.id, status: article.status, url: article.url }, () => article.url);
  });

program
  .command('revisions')
  .description("An article's versions, newest first: who made each, when, and what it changed (editors)")
  .argument('<id-or-slug>', "the article's id, or any slug it has had")
  .option('--show <version>', 'print that version of the article instead', positiveInteger)
  .action(async (idOrSlug: string, _options, command: Command) => {
    const { output, client } = await open(command, true);
    const { show } = command.opts<{ show?: number }>();
    if (show !== undefined) {
      const version = await client.getRevision(idOrSlug, show);
      output.result(version, () =>
        [
          articleLines(version, true),
          ...(version.changes ? [`  changed   ${version.changes.join(', ')}`] : []),
        ].join('\n'),
      );
      return;
    }
    const items: RevisionSummary[] = [];
    for await (const version of client.revisions(idOrSlug, { limit: 50 })) items.push(version);
    output.result({ items }, () =>
      items
        .map(
          (version) =>
            `v${String(version.version).padEnd(4)} ${version.updatedAt.slice(0, 19).replace('T', ' ')}  ${(version.updatedBy ?? '-').padEnd(16)} ${version.changes?.join(', ') ?? ''}`,
        )
        .join('\n'),
    );
  });

program
  .command('preview')
  .description('Print the page an article would publish as (HTML), or make a link anyone can open (editors)')
  .argument('<id-or-slug>', "the article's id, or any slug it has had")
  .option('--revision <version>', 'a kept version instead of the current one', positiveInteger)
  .option('--link', 'print a signed preview link (24 hours, until the next edit) instead of the page')
  .action(async (idOrSlug: string, _options, command: Command) => {
    const { output, client } = await open(command, true);
    const { revision, link } = command.opts<{ revision?: number; link?: boolean }>();
    if (link) {
      const made = await client.createPreviewLink(idOrSlug);
      output.result(made, () => `${made.url}\n  (until ${made.expiresAt}, or the next edit)`);
      return;
    }
    const page = await client.preview(idOrSlug, { revision });
    output.result({ html: page }, () => page);
  });

program
  .command('sections')
  .description('The configured sections')
  .action(async (_options, command: Command) => {
    const { output, client } = await open(command, false);
    const sections = await client.sections();
    output.result({ items: sections }, () =>
      sections
        .map((section) => `${section.slug.padEnd(12)}${section.name.padEnd(12)}${section.url}`)
        .join('\n'),
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : USAGE_ERROR;
  } else {
    reportError(error, process.argv.includes('--json'), errorContext);
    process.exitCode = 1;
  }
}
