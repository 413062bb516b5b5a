import type { Shop } from './shop.ts';

const card = { number: '4242424242424242', holder: 'Bench', expiry: '12/30', cvv: '123' };

/** A client of a shop's public REST paths, acting with an admin token (which may act for any user). */
export function checkoutClient(shop: Shop, admin: string, productId: string) {
  const headers = { 'content-type': 'application/json', authorization: admin };
  const post = async (url: string, body: unknown, want: number) => {
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== want) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  };
  const get = async <T>(url: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(url, init);
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    /** Puts one of the product in the user's basket. */
    add: (user: string) =>
      post(
        `${shop.url('add-to-basket')}/api/v1/baskets/add`,
        { user_id: user, product_id: productId, quantity: 1 },
        200,
      ),
    /** Pays for the user's basket (201: committed, the event is in the outbox). */
    pay: (user: string) => post(`${shop.url('process-payment')}/api/v1/payments`, { user_id: user, card }, 201),
    /** The product's stock now. */
    stock: async () => (await get<{ stock: number }>(`${shop.url('get-product')}/api/v1/products/${productId}`)).stock,
    /** Whether the user's basket is empty now. */
    basketEmpty: async (user: string) =>
      (await get<{ items: unknown[] }>(`${shop.url('get-basket')}/api/v1/baskets/${user}`, { headers })).items
        .length === 0,
  };
}

export type CheckoutClient = ReturnType<typeof checkoutClient>;
