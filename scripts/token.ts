import { devJwtSecret, signToken } from '../platform/auth.ts';

/**
 * A development JWT (HS256) for a user, signed with JWT_SECRET or the development secret the shop
 * uses when none is set: `npm run -s token -- alice [--admin] [--hours 8]` (`-s`: without it, npm's
 * banner lands in what `$(...)` captures).
 */
const args = process.argv.slice(2);
const user = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
if (!user) {
  console.error('usage: npm run -s token -- <user> [--admin] [--hours N]');
  process.exit(2);
}
const hoursAt = args.indexOf('--hours');
const hours = hoursAt >= 0 ? Number(args[hoursAt + 1]) : 24;
console.log(
  await signToken(process.env.JWT_SECRET || devJwtSecret(), user, {
    admin: args.includes('--admin'),
    expiresInSeconds: Math.round(hours * 3600),
  }),
);
