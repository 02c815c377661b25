import { isIP } from 'node:net';
import type { LoginThrottleConfig } from '../core/config.js';
import type { Database, Db } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import type { LoginThrottleRepository, ThrottleLimit } from './login-throttle.repository.js';

/**
 * Sign-in throttling, instead of a lock anyone could set off. Three counters of failures:
 *
 * - the (account, client address) pair: strict. After LOGIN_MAX_FAILURES, each further attempt
 *   from that address on that account waits LOGIN_DELAY_SECONDS, doubling with every failure, up
 *   to LOGIN_MAX_DELAY_MINUTES; an attacker's failures slow the attacker only.
 * - the client address over all accounts (password spraying), and the account over all
 *   addresses (a guesser with many addresses): far higher limits, and they never stop a pair that
 *   signed in successfully in the last 30 days, so the real user keeps signing in from their
 *   usual places while their account is under attack from elsewhere.
 *
 * Every attempt is counted as a failure before its password is checked, in one statement per
 * key under a row lock (src/auth/login-throttle.repository.ts), so thirty parallel guesses get
 * the limit evaluated and the rest refused; a success takes its count back. Accounts are keyed by
 * the username as typed, whether it exists or not, so the answers tell nothing about existence.
 * The address is request.ip: behind a proxy, set TRUST_PROXY, or every client shares one address.
 */
export class LoginThrottle {
  constructor(private readonly db: Db, private readonly rows: LoginThrottleRepository, private readonly config: LoginThrottleConfig) {}

  /** Counts this attempt in advance, or throws TOO_MANY_ATTEMPTS (with the seconds to wait). */
  async admit(username: string, clientAddress: string): Promise<void> {
    const keys = throttleKeys(username, clientAddress);
    await this.db.transaction(async (tx) => {
      const pairLimit = this.limit(this.config.maxFailures);
      const pair = await this.rows.countAttempt(keys.pair, pairLimit, false, tx.db);
      if (!pair) return this.refuse(keys.pair, pairLimit, tx.db);
      for (const [key, maxFailures] of [[keys.address, this.config.addressMaxFailures], [keys.account, this.config.accountMaxFailures]] as const) {
        const limit = this.limit(maxFailures);
        // Refusing rolls back the counts already taken in this transaction.
        if (!(await this.rows.countAttempt(key, limit, pair.knownPair, tx.db))) await this.refuse(key, limit, tx.db);
      }
    });
  }

  /** The password was right: the pair starts afresh (and becomes known), the wider keys give this attempt back. */
  async succeeded(username: string, clientAddress: string): Promise<void> {
    const keys = throttleKeys(username, clientAddress);
    await this.rows.succeeded(keys.pair, [keys.address, keys.account]);
  }

  /** Drops the counters that no longer throttle anyone (run hourly by ForgetLoginThrottlesJob). */
  forgetQuiet(): Promise<number> {
    return this.rows.forgetQuiet();
  }

  private limit(maxFailures: number): ThrottleLimit {
    return { maxFailures, delaySeconds: this.config.delaySeconds, maxDelaySeconds: this.config.maxDelaySeconds };
  }

  private async refuse(key: string, limit: ThrottleLimit, db: Database): Promise<never> {
    throw new AppError('TOO_MANY_ATTEMPTS', { seconds: await this.rows.secondsToWait(key, limit, db) });
  }
}

function throttleKeys(username: string, clientAddress: string) {
  const account = username.toLowerCase();
  const address = addressKey(clientAddress);
  return { pair: `pair:${account} ${address}`, address: `address:${address}`, account: `account:${account}` };
}

/**
 * IPv4 addresses (also IPv4-mapped IPv6) as they are; IPv6 by their /64, which one subscriber
 * usually holds whole: counting single IPv6 addresses would give an attacker 2^64 fresh ones.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const address = ip.split('%')[0]!;
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${all.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}
