import type { Money } from '../../platform/money.ts';

/** A charge request: the full card goes to the provider and nowhere else. */
interface ChargeRequest {
  /** Our payment id; the provider charges at most once per reference. */
  reference: string;
  amount: Money;
  card: { number: string; holder: string; expiry: string; cvv: string };
}

/** What the provider answered. */
type ChargeResult = { approved: true } | { approved: false; reason: string };

/** The payment provider port (PSP). */
export interface PaymentProvider {
  charge(req: ChargeRequest): Promise<ChargeResult>;
  refund(req: { reference: string; amount: Money }): Promise<void>;
}

/** Test card numbers of the built-in provider. */
export const TEST_CARDS = { approved: '4242424242424242', declined: '4000000000000002' } as const;

/** The built-in test provider: the declined test card is declined, any other valid card approved. */
export function testProvider(): PaymentProvider {
  return {
    async charge({ card }) {
      return card.number === TEST_CARDS.declined ? { approved: false, reason: 'card_declined' } : { approved: true };
    },
    async refund() {},
  };
}
