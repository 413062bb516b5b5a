/** Money in integer minor units and an ISO 4217 currency, as it appears in JSON. */
export interface Money {
  amount_minor: number;
  currency: string;
}

/** Builds a Money value. */
export const money = (amount_minor: number, currency: string): Money => ({ amount_minor, currency });

/** Multiplies a price by a quantity. */
export const times = (m: Money, quantity: number): Money => money(m.amount_minor * quantity, m.currency);

/** Sums amounts of one currency; `currency` is used when the list is empty. */
export function sum(amounts: Money[], currency: string): Money {
  const mixed = amounts.find((m) => m.currency !== (amounts[0]?.currency ?? currency));
  if (mixed) throw new Error(`cannot add ${mixed.currency} to ${amounts[0]?.currency}`);
  return money(
    amounts.reduce((total, m) => total + m.amount_minor, 0),
    amounts[0]?.currency ?? currency,
  );
}
