import { describe, expect, it } from 'vitest';
import { addressKey } from '../../src/auth/login-throttle.js';
import { ConfigError, loadConfig } from '../../src/core/config.js';
import { passwordProblem } from '../../src/users/password-policy.js';

describe('client addresses for sign-in throttling', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped IPv6, and counts IPv6 by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::99')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default and takes addresses, CIDR ranges and proxy-addr names', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 172.16.0.0/12,loopback,2001:db8::/32' }).trustProxy).toEqual(['10.0.0.1', '172.16.0.0/12', 'loopback', '2001:db8::/32']);
  });

  it('refuses anything else, naming the variable', () => {
    for (const value of ['true', '*', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1']) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('password rules', () => {
  it('refuses the commonest passwords, Vietnamese ones included, whatever their case', () => {
    for (const password of ['matkhau123', 'MatKhau123', '123456789a', 'anhyeuem123', 'password123', 'qwertyuiop', 'iloveyou123']) {
      expect(passwordProblem(password, 'gv-a'), password).toBe('common');
    }
  });

  it('refuses repeated characters or blocks and runs of digits, letters or keyboard rows, either way round', () => {
    for (const password of ['aaaaaaaaaa', '0000000000000', 'abababababab', 'xyzxyzxyzx', '2345678901', '9876543210', 'abcdefghijk', 'KJIHGFEDCBA', 'asdfghjklzx', 'mnbvcxzlkjh']) {
      expect(passwordProblem(password, 'gv-a'), password).toBe('pattern');
    }
  });

  it('keeps the length and username rules and accepts a passphrase', () => {
    expect(passwordProblem('ngan-qua', 'gv-a')).toBe('too_short');
    expect(passwordProblem('toi-la-gv-a-day', 'GV-A')).toBe('contains_username');
    expect(passwordProblem('ba con mèo trên mái nhà', 'gv-a')).toBeNull();
    expect(passwordProblem('Tr4ng-Tr0n-Mua-Thu', 'gv-a')).toBeNull();
  });
});
