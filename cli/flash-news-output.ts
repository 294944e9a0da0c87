import {
  AuthenticationError,
  FlashNewsApiError,
  FlashNewsError,
  FlashNewsNetworkError,
  ForbiddenError,
  type RetryEvent,
} from 'flash-news-client';

/**
 * What the CLI prints: results on stdout (JSON with `--json`, for scripts), progress and errors on
 * stderr, every error on one line.
 */

/** A failure the user can fix from the message alone (bad file, missing option): no stack, exit 1. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly code = 'cli_error',
  ) {
    super(message);
  }
}

export interface Output {
  readonly json: boolean;
  /** A result: JSON as given with `--json`, else the human lines. */
  result(value: unknown, human: () => string): void;
  /** A progress line on stderr (silent with `--json`). */
  progress(line: string): void;
  retrying(event: RetryEvent): void;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    result(value, human) {
      stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    progress(line) {
      if (!json) stderr.write(`${line}\n`);
    },
    retrying(event) {
      if (!json) {
        stderr.write(
          `  ${event.reason}; retrying in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt + 1} of ${event.maxAttempts})\n`,
        );
      }
    },
  };
}

export interface ErrorContext {
  /** The API the command talked to, for hints. */
  readonly api?: string;
  readonly local?: boolean;
}

/** One line saying what went wrong and, where it helps, what to do. */
export function describeError(error: unknown, context: ErrorContext = {}): { code: string; message: string } {
  if (error instanceof CliError) return { code: error.code, message: error.message };
  if (error instanceof FlashNewsApiError) {
    const details = error.details.map((problem) =>
      problem.field ? `${problem.field}: ${problem.message}` : problem.message,
    );
    let message = details.length > 0 ? `${error.message}: ${details.join('; ')}` : error.message;
    if (error instanceof AuthenticationError) {
      message += context.local
        ? ' (the local stack refused the token: is DATA_DIR the one npm start uses?)'
        : ' (sign in with: flash-news login)';
    }
    if (error instanceof ForbiddenError) message += ' (the account is not in the editors group)';
    return { code: String(error.code), message: `${message} [HTTP ${error.status}]` };
  }
  if (error instanceof FlashNewsNetworkError) {
    const hint = context.local ? ' (is npm start running?)' : '';
    return { code: 'network_error', message: `${error.message}${hint}` };
  }
  if (error instanceof FlashNewsError) return { code: 'client_error', message: error.message };
  if (error instanceof Error) return { code: 'unexpected_error', message: error.message };
  return { code: 'unexpected_error', message: String(error) };
}

export function reportError(
  error: unknown,
  json: boolean,
  context: ErrorContext = {},
  stderr = process.stderr,
) {
  const { code, message } = describeError(error, context);
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  if (json) {
    const details =
      error instanceof FlashNewsApiError ? { status: error.status, details: error.details } : {};
    stderr.write(`${JSON.stringify({ error: { code, message: oneLine, ...details } })}\n`);
  } else {
    stderr.write(`flash-news: ${oneLine}\n`);
  }
}

/** A value for a human line, shortened: `"The alliance chief…"`. */
export function preview(value: unknown, max = 60): string {
  if (value === undefined || value === null) return '(none)';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  const text = String(value).replace(/\s+/g, ' ');
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}
