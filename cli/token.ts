import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalIssuer } from '../local/local-issuer';

/**
 * `npm run token`: a bearer token for the local stack's editor routes, signed with the key kept in
 * DATA_DIR (the same one `npm start` verifies with). `npm run --silent token` prints the token alone.
 */

const { values } = parseArgs({
  options: {
    user: { type: 'string', default: 'local-editor' },
    groups: { type: 'string', default: 'editors' },
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
