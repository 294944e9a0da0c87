import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalIssuer } from '../local/local-issuer';

/**
 * `npm run token`: a bearer token for the local stack, signed with the key kept in DATA_DIR (the same one
 * `npm start` verifies with). `npm run --silent token` prints the token alone. By default its user is in
 * `admins`, who may do everything; `--groups contributors` (or `editors`, or several, comma-separated)
 * tries the API as someone with less.
 */

const { values } = parseArgs({
  options: {
    user: { type: 'string', default: 'local-editor' },
    groups: { type: 'string', default: 'admins' },
    'expires-in': { type: 'string', default: '12h' },
  },
});

const issuer = await openLocalIssuer(resolve(process.env.DATA_DIR ?? '.data'));
const token = await issuer.mintToken({
  username: values.user,
  groups: (values.groups ?? '').split(',').filter(Boolean),
  expiresIn: values['expires-in'],
});
process.stdout.write(`${token}\n`);
