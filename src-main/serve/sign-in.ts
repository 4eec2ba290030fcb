// The headless node's sign-in: a browser tab without the token (a second tab, a reload after the first tab
// closed) trades the wallet's passphrase for it. Guessing is slowed twice over: the keystore's key stretching,
// and this throttle, which after each wrong passphrase makes every caller wait (1 s, doubling up to 60 s).

const FIRST_PAUSE_MS = 1000;
const LONGEST_PAUSE_MS = 60_000;

export type SignInAnswer =
  | { kind: 'token'; token: string }
  | { kind: 'wrong' }
  | { kind: 'wait'; seconds: number }
  | { kind: 'no-identity' };

export class SignIn {
  private pause = 0;
  private openAt = 0;

  private readonly token: string;
  private readonly opens: (passphrase: string) => boolean;
  private readonly hasIdentity: () => boolean;
  private readonly now: () => number;

  constructor(token: string, opens: (passphrase: string) => boolean, hasIdentity: () => boolean, now: () => number = Date.now) {
    this.token = token;
    this.opens = opens;
    this.hasIdentity = hasIdentity;
    this.now = now;
  }

  attempt(passphrase: string): SignInAnswer {
    if (!this.hasIdentity()) return { kind: 'no-identity' };
    const now = this.now();
    if (now < this.openAt) return { kind: 'wait', seconds: Math.ceil((this.openAt - now) / 1000) };
    if (this.opens(passphrase)) {
      this.pause = 0;
      return { kind: 'token', token: this.token };
    }
    this.pause = this.pause === 0 ? FIRST_PAUSE_MS : Math.min(this.pause * 2, LONGEST_PAUSE_MS);
    this.openAt = this.now() + this.pause;
    return { kind: 'wrong' };
  }
}
