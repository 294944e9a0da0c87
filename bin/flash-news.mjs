#!/usr/bin/env node
/**
 * `npx flash-news`: the command-line publisher. The repository runs TypeScript through tsx, so this
 * plain-JavaScript entry registers tsx's loader and then imports the real program (cli/flash-news.ts).
 * It works from a fresh clone after `npm install`, whatever the current directory.
 */
import { register } from 'tsx/esm/api';

register();
await import('../cli/flash-news.ts');
