// The storefront: a page over the shop's REST API (/api/v1), no build step, no library. Views by
// the URL's hash (#/, #/product/<id>, #/basket, #/payment/<id>); every change of the page is made
// with DOM nodes (never HTML from data). The signed-in user's token lives in sessionStorage (this
// tab only).

const PAGE_SIZE = 6;
/** The view's generation: a view asked for later wins over an earlier one still loading, and stops its watching. */
let generation = 0;
const main = document.getElementById('main');
const notice = document.getElementById('notice');
const alertBox = document.getElementById('alert');

// --- small helpers ------------------------------------------------------------------------

/** An element: `h('a', { href: '#/' }, 'text', child)`; `on*` attributes become listeners. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Number.POSITIVE_INFINITY))
    if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

const formats = new Map();
/** The reader's format for a currency. */
function formatOf(currency) {
  let f = formats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formats.set(currency, f);
  }
  return f;
}

/** Digits after the point of a currency (2 for USD): amount_minor is in these. */
const digitsOf = (currency) => formatOf(currency).resolvedOptions().maximumFractionDigits;

/** `{amount_minor, currency}` as the reader's money, e.g. $59.00. */
const money = (m) => formatOf(m.currency).format(m.amount_minor / 10 ** digitsOf(m.currency));

/** A fresh Idempotency-Key (getRandomValues: randomUUID needs a secure context, plain-HTTP LAN hosts are not). */
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function say(text) {
  notice.textContent = text;
}

function showAlert(text) {
  alertBox.textContent = text;
  alertBox.hidden = !text;
}

const statusLabels = {
  completed: 'Paid',
  failed: 'Failed',
  pending: 'Pending',
  refunded: 'Refunded',
  partially_refunded: 'Partly refunded',
};

// --- the signed-in user ---------------------------------------------------------------------

const SESSION_KEY = 'daprps.session';

/** `{ user, token, expires_at }` of this tab, or undefined. */
function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    if (s && Date.parse(s.expires_at) > Date.now()) return s;
  } catch {}
  return undefined;
}

function setSession(s) {
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION_KEY);
  showAccount();
}

/** Whether this tab is signed in as an admin (the token's `roles`; the API checks it again). */
function signedInAsAdmin() {
  try {
    const roles = claimsOf(session()?.token ?? '').roles;
    return Array.isArray(roles) && roles.includes('admin');
  } catch {
    return false;
  }
}

/** The claims of a JWT (not checked here: the API checks it). */
function claimsOf(token) {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
}

// --- the API --------------------------------------------------------------------------------

/** An error of the API: its code, message and, for a 400, the field at fault. */
class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `the shop answered ${status}`);
    this.status = status;
    this.code = error?.code ?? 'unknown';
    this.field = error?.field;
  }
}

/** Calls the API; resolves to `{ status, body }` for a 2xx (and a 402: a failed payment), throws ApiError else. */
async function api(method, path, body, headers = {}) {
  const s = session();
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(s ? { authorization: `Bearer ${s.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {
      code: 'network',
      message: 'The shop cannot be reached. Check your connection and try again.',
    });
  }
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.ok || res.status === 402) return { status: res.status, body: parsed };
  if (res.status === 401 && s) setSession(undefined);
  throw new ApiError(res.status, parsed?.error);
}

/** The last basket change whose answer was lost (no answer, or a 5xx): `{ request, key }`. */
let lostPost;

/**
 * Sends a write a person may send again (a basket change, a refund) with an Idempotency-Key: a
 * fresh one per write, and the one it was first sent with when the same write is sent again after
 * its answer was lost, so that a write the shop applied before the answer was cut is not applied
 * twice.
 */
async function postOnce(path, body) {
  const request = JSON.stringify([path, body]);
  const key = lostPost?.request === request ? lostPost.key : newKey();
  lostPost = undefined;
  try {
    return await api('POST', path, body, { 'idempotency-key': key });
  } catch (e) {
    if (e.status === 0 || e.status >= 500) lostPost = { request, key };
    throw e;
  }
}

/** What a person should read for an API error. */
function explain(e) {
  if (!(e instanceof ApiError)) return `Something went wrong: ${e.message}`;
  switch (e.code) {
    case 'unauthenticated':
      return session() ? `Your sign-in is no longer valid: ${e.message}` : 'Please sign in first.';
    case 'forbidden':
      return `Not allowed: ${e.message}.`;
    case 'not_found':
      return `Not found: ${e.message}.`;
    case 'rate_limited':
      return 'Too many requests just now; wait a moment and try again.';
    default:
      return e.message.charAt(0).toUpperCase() + e.message.slice(1);
  }
}

/**
 * Shows an error: a 400's message next to the input of its field in `form` (marked invalid and
 * focused), anything else in the page's alert.
 */
function showError(e, form) {
  const input = e instanceof ApiError && e.field && form?.querySelector(`[data-field="${CSS.escape(e.field)}"]`);
  if (input) {
    const slot = document.getElementById(input.getAttribute('aria-describedby'));
    input.setAttribute('aria-invalid', 'true');
    if (slot) {
      // The message without the field's name: it stands next to the field.
      const text = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
      slot.textContent = text.charAt(0).toUpperCase() + text.slice(1);
      slot.hidden = false;
    }
    input.focus();
    return;
  }
  showAlert(explain(e));
}

/** Clears a form's field errors. */
function clearErrors(form) {
  showAlert('');
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.textContent = '';
    slot.hidden = true;
  }
}

/** A labelled input with a slot for its error; `field` is the API's name for it (e.g. card.number). */
function field(id, label, attrs = {}, apiField = attrs.name) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, 'data-field': apiField, 'aria-describedby': `${id}-error`, ...attrs }),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
  );
}

/** Runs `work` for a form's submit with its button disabled; shows what fails. */
function submitting(form, work) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    clearErrors(form);
    if (button) button.disabled = true;
    try {
      await work(new FormData(form));
    } catch (e) {
      showError(e, form);
    } finally {
      if (button) button.disabled = false;
    }
  });
}

// --- the header: sign-in and the basket's count -------------------------------------------

const signInForm = document.getElementById('sign-in');
const signInInput = document.getElementById('sign-in-user');
/** Whether this shop offers the development sign-in (else a token from the identity provider is pasted). */
let devSignIn = false;

function showAccount() {
  const s = session();
  signInForm.hidden = Boolean(s);
  document.getElementById('signed-in').hidden = !s;
  document.getElementById('signed-in-user').textContent = s?.user ?? '';
  refreshBasketCount();
}

async function setUpSignIn() {
  try {
    devSignIn = (await fetch('/dev/sign-in')).ok;
  } catch {
    devSignIn = false;
  }
  if (!devSignIn) {
    document.getElementById('sign-in-label').textContent = 'Bearer token';
    signInInput.setAttribute('autocomplete', 'off');
    signInInput.setAttribute('type', 'password');
    signInInput.removeAttribute('maxlength');
  }
  submitting(signInForm, async (data) => {
    const value = String(data.get('user') ?? '').trim();
    if (devSignIn) {
      const { body } = await api('POST', '/dev/sign-in', { user: value });
      setSession({ user: body.user_id, token: body.token, expires_at: body.expires_at });
    } else {
      let claims;
      try {
        claims = claimsOf(value);
      } catch {
        throw new ApiError(400, { code: 'invalid_argument', message: 'that is not a JWT', field: 'user' });
      }
      const exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : new Date(Date.now() + 3600_000);
      setSession({ user: claims.sub, token: value, expires_at: exp.toISOString() });
    }
    signInForm.reset();
    say(`Signed in as ${session()?.user}.`);
    render();
  });
  signInInput.setAttribute('data-field', 'user');
  document.getElementById('sign-out').addEventListener('click', () => {
    setSession(undefined);
    say('Signed out.');
    render();
  });
}

/** The basket's count in the header, for the signed-in user. */
async function refreshBasketCount(basket) {
  const count = document.getElementById('basket-count');
  const s = session();
  if (!s) {
    count.textContent = '0';
    return;
  }
  try {
    const b = basket ?? (await api('GET', `/api/v1/baskets/${encodeURIComponent(s.user)}`)).body;
    count.textContent = String(b.items.reduce((n, line) => n + line.quantity, 0));
  } catch {
    count.textContent = '?';
  }
}

// --- views --------------------------------------------------------------------------------

/** Replaces the page's content; focuses its heading for a keyboard or screen-reader user. */
function show(title, ...content) {
  const heading = h('h1', { tabindex: '-1' }, title);
  main.replaceChildren(
    heading,
    ...content.flat(Number.POSITIVE_INFINITY).filter((c) => c !== null && c !== undefined && c !== false),
  );
  document.title = `${title} · daprps shop`;
  return heading;
}

let categories;
/** Every category of the catalog (from its first 100 products). */
async function allCategories() {
  if (!categories) {
    const { body } = await api('GET', '/api/v1/products?limit=100');
    categories = [...new Set(body.products.map((p) => p.category))].sort();
  }
  return categories;
}

async function catalogView(params) {
  const gen = generation; // a view asked for later wins: this one then draws nothing
  const category = params.get('category') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String((page - 1) * PAGE_SIZE) });
  if (category) query.set('category', category);
  const [{ body }, cats] = await Promise.all([api('GET', `/api/v1/products?${query}`), allCategories()]);
  const link = (c, p = 1) => {
    const q = new URLSearchParams();
    if (c) q.set('category', c);
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    return `#/${s ? `?${s}` : ''}`;
  };
  const pages = Math.max(1, Math.ceil(body.total / PAGE_SIZE));
  if (gen !== generation) return;
  show(
    category ? `Catalog: ${category}` : 'Catalog',
    h(
      'nav',
      { 'aria-label': 'Categories' },
      h(
        'ul',
        { class: 'filters' },
        ['', ...cats].map((c) =>
          h('li', {}, h('a', { href: link(c), 'aria-current': c === category ? 'page' : undefined }, c || 'All')),
        ),
      ),
    ),
    body.products.length
      ? h(
          'ul',
          { class: 'grid', 'aria-label': 'Products' },
          body.products.map((p) =>
            h(
              'li',
              { class: 'card' },
              h('h2', {}, h('a', { href: `#/product/${encodeURIComponent(p.id)}` }, p.name)),
              h('span', { class: 'muted' }, p.category),
              h('span', { class: 'price' }, money(p.price)),
              h('span', { class: 'stock' }, p.stock > 0 ? `${p.stock} in stock` : 'Out of stock'),
            ),
          ),
        )
      : h('p', {}, 'No products here.'),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Pages' },
      page > 1 ? h('a', { href: link(category, page - 1), rel: 'prev' }, '← Previous') : null,
      h('span', {}, `Page ${page} of ${pages} (${body.total} products)`),
      page < pages ? h('a', { href: link(category, page + 1), rel: 'next' }, 'Next →') : null,
    ),
  );
}

async function productView(id) {
  const gen = generation; // a view asked for later wins: this one then draws nothing
  const { body: p } = await api('GET', `/api/v1/products/${encodeURIComponent(id)}`);
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    field('quantity', 'Quantity', {
      name: 'quantity',
      type: 'number',
      min: '1',
      max: '99',
      value: '1',
      required: true,
    }),
    h('div', {}, h('button', { type: 'submit' }, 'Add to basket')),
  );
  submitting(form, async (data) => {
    const s = session();
    if (!s) throw new ApiError(401, { code: 'unauthenticated', message: 'sign in first' });
    const quantity = Number(data.get('quantity'));
    const { body: basket } = await postOnce('/api/v1/baskets/add', {
      user_id: s.user,
      product_id: p.id,
      quantity: Number.isFinite(quantity) ? quantity : 0,
    });
    refreshBasketCount(basket);
    say(`Added ${quantity} × ${p.name} to your basket.`);
  });
  if (gen !== generation) return;
  show(
    p.name,
    h('p', {}, p.description),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Price'),
      h('dd', { class: 'price' }, money(p.price)),
      h('dt', {}, 'Category'),
      h('dd', {}, h('a', { href: `#/?category=${encodeURIComponent(p.category)}` }, p.category)),
      h('dt', {}, 'In stock'),
      h('dd', { id: 'product-stock' }, String(p.stock)),
    ),
    form,
    h('p', {}, h('a', { href: '#/' }, '← Back to the catalog')),
  );
}

const testCards = {
  approved: { number: '4242424242424242', expiry: '12/30' },
  declined: { number: '4000000000000002', expiry: '12/30' },
  expired: { number: '4242424242424242', expiry: '01/20' },
};

async function basketView(userId) {
  const gen = generation; // a view asked for later wins: this one then draws nothing
  const s = session();
  const user = userId ?? s?.user;
  if (!user) {
    show('Your basket', h('p', {}, 'Sign in (at the top of the page) to see your basket.'));
    signInInput.focus();
    return;
  }
  const { body: basket } = await api('GET', `/api/v1/baskets/${encodeURIComponent(user)}`);
  if (user === s?.user) refreshBasketCount(basket);
  const own = user === s?.user;
  const change = async (line, quantity) => {
    showAlert('');
    try {
      const delta = quantity - line.quantity;
      if (delta > 0)
        await postOnce('/api/v1/baskets/add', { user_id: user, product_id: line.product_id, quantity: delta });
      else if (quantity <= 0) await postOnce('/api/v1/baskets/remove', { user_id: user, product_id: line.product_id });
      else if (delta < 0)
        await postOnce('/api/v1/baskets/remove', { user_id: user, product_id: line.product_id, quantity: -delta });
      await basketView(userId);
      say(quantity > 0 ? `${line.name}: quantity ${quantity}.` : `Removed ${line.name}.`);
    } catch (e) {
      showError(e);
    }
  };
  const rows = basket.items.map((line) => {
    const qty = h('input', {
      type: 'number',
      min: '0',
      max: '99',
      value: String(line.quantity),
      id: `qty-${line.product_id}`,
      'aria-label': `Quantity of ${line.name}`,
      onchange: (event) => change(line, Number(event.target.value)),
    });
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('a', { href: `#/product/${encodeURIComponent(line.product_id)}` }, line.name)),
      h('td', { class: 'num' }, money(line.unit_price)),
      h('td', { class: 'num' }, qty),
      h('td', { class: 'num' }, money(line.line_total)),
      h(
        'td',
        {},
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => change(line, 0) },
          `Remove`,
          h('span', { class: 'vh' }, ` ${line.name}`),
        ),
      ),
    );
  });
  const content = basket.items.length
    ? [
        h(
          'table',
          {},
          h('caption', { class: 'vh' }, 'Basket lines'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Product'),
              h('th', { class: 'num' }, 'Price'),
              h('th', { class: 'num' }, 'Quantity'),
              h('th', { class: 'num' }, 'Total'),
              h('th', {}, h('span', { class: 'vh' }, 'Actions')),
            ),
          ),
          h('tbody', {}, rows),
          h(
            'tfoot',
            {},
            h(
              'tr',
              {},
              h('td', { colspan: '3' }, 'Total'),
              h('td', { class: 'num', id: 'basket-total' }, money(basket.total)),
              h('td', {}),
            ),
          ),
        ),
        own ? checkoutForm(user) : null,
      ]
    : [h('p', { id: 'basket-empty' }, 'The basket is empty. ', h('a', { href: '#/' }, 'Browse the catalog'), '.')];
  if (gen !== generation) return;
  show(own ? 'Your basket' : `Basket of ${user}`, ...content, recentPayments());
}

function checkoutForm(user) {
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'checkout-title' },
    h('h2', { id: 'checkout-title' }, 'Pay'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'test-card' }, 'Fill in a test card'),
      h(
        'select',
        {
          id: 'test-card',
          onchange: (event) => {
            const card = testCards[event.target.value];
            if (!card) return;
            form.elements.number.value = card.number;
            form.elements.expiry.value = card.expiry;
            form.elements.cvv.value = '123';
            if (!form.elements.holder.value) form.elements.holder.value = user;
          },
        },
        h('option', { value: '' }, 'Choose…'),
        h('option', { value: 'approved' }, 'Approved (4242 4242 4242 4242)'),
        h('option', { value: 'declined' }, 'Declined (4000 0000 0000 0002)'),
        h('option', { value: 'expired' }, 'Expired (01/20)'),
      ),
    ),
    field(
      'card-number',
      'Card number',
      { name: 'number', inputmode: 'numeric', autocomplete: 'cc-number', required: true },
      'card.number',
    ),
    field(
      'card-holder',
      'Name on the card',
      { name: 'holder', autocomplete: 'cc-name', required: true },
      'card.holder',
    ),
    h(
      'div',
      { class: 'row' },
      field(
        'card-expiry',
        'Expiry (MM/YY)',
        { name: 'expiry', autocomplete: 'cc-exp', placeholder: 'MM/YY', required: true },
        'card.expiry',
      ),
      field(
        'card-cvv',
        'CVV',
        { name: 'cvv', inputmode: 'numeric', autocomplete: 'cc-csc', required: true },
        'card.cvv',
      ),
    ),
    h('div', {}, h('button', { type: 'submit' }, 'Pay now')),
  );
  // One key per checkout on this page: a retry after a lost answer is the same payment, charged once.
  let key = newKey();
  submitting(form, async (data) => {
    const card = {
      number: String(data.get('number')).replace(/[\s-]/g, ''),
      holder: String(data.get('holder')).trim(),
      expiry: String(data.get('expiry')).trim(),
      cvv: String(data.get('cvv')).trim(),
    };
    const { status, body: payment } = await api(
      'POST',
      '/api/v1/payments',
      { user_id: user, card },
      { 'idempotency-key': key },
    );
    key = newKey();
    remember(payment);
    if (status === 402) {
      showAlert(`The payment failed: ${reasonOf(payment)}. Nothing was charged; your basket is as it was.`);
      form.elements.number.focus();
      return;
    }
    location.hash = `#/payment/${encodeURIComponent(payment.id)}?watch=1`;
  });
  return form;
}

const reasonOf = (payment) => (payment.failure_reason || 'unknown').replace(/_/g, ' ');

const PAYMENTS_KEY = 'daprps.payments';
/** Remembers a payment of the signed-in user in this tab (the API lists no payments). */
function remember(payment) {
  const list = JSON.parse(sessionStorage.getItem(PAYMENTS_KEY) ?? '[]').filter((p) => p.id !== payment.id);
  list.unshift({
    id: payment.id,
    user: payment.user_id,
    status: payment.status,
    amount: payment.amount,
    at: payment.created_at,
  });
  sessionStorage.setItem(PAYMENTS_KEY, JSON.stringify(list.slice(0, 10)));
}

function recentPayments() {
  const user = session()?.user;
  const list = JSON.parse(sessionStorage.getItem(PAYMENTS_KEY) ?? '[]').filter((p) => p.user === user);
  if (!list.length) return null;
  return h(
    'section',
    { 'aria-labelledby': 'recent-title' },
    h('h2', { id: 'recent-title' }, 'Your recent payments'),
    h(
      'ul',
      {},
      list.map((p) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#/payment/${encodeURIComponent(p.id)}` },
            `${money(p.amount)}, ${new Date(p.at).toLocaleString()}`,
          ),
          ` (${statusLabels[p.status] ?? p.status})`,
        ),
      ),
    ),
  );
}

async function paymentView(id, params) {
  const gen = generation; // a view asked for later wins: this one then draws nothing
  const { body: payment } = await api('GET', `/api/v1/payments/${encodeURIComponent(id)}`);
  remember(payment);
  // Refunds are the merchant's: the control is an admin's only (the API refuses the payer's).
  const refundable = signedInAsAdmin() && (payment.status === 'completed' || payment.status === 'partially_refunded');
  const remaining = {
    amount_minor: payment.amount.amount_minor - payment.refunded.amount_minor,
    currency: payment.amount.currency,
  };
  const events = h('ol', { class: 'events', id: 'events', 'aria-live': 'polite' });
  if (gen !== generation) return;
  show(
    `Payment ${statusLabels[payment.status] ?? payment.status}`,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Status'),
      h(
        'dd',
        {},
        h(
          'span',
          { class: `status status-${payment.status}`, id: 'payment-status' },
          statusLabels[payment.status] ?? payment.status,
        ),
      ),
      payment.status === 'failed' ? [h('dt', {}, 'Reason'), h('dd', {}, reasonOf(payment))] : null,
      h('dt', {}, 'Amount'),
      h('dd', {}, money(payment.amount)),
      h('dt', {}, 'Refunded'),
      h('dd', { id: 'payment-refunded' }, money(payment.refunded)),
      payment.refund_reason ? [h('dt', {}, 'Refund reason'), h('dd', {}, payment.refund_reason)] : null,
      h('dt', {}, 'Card'),
      h('dd', {}, `${payment.card.brand} ending ${payment.card.last4}`),
      h('dt', {}, 'Payment'),
      h('dd', {}, h('code', {}, payment.id)),
    ),
    h('h2', {}, 'Items'),
    h(
      'ul',
      {},
      payment.items.map((l) => h('li', {}, `${l.quantity} × ${l.name}, ${money(l.line_total)}`)),
    ),
    payment.status === 'completed' && params.get('watch') ? [h('h2', {}, 'After the payment'), events] : null,
    refundable ? refundForm(payment, remaining) : null,
    h('p', {}, h('a', { href: '#/basket' }, 'Your basket'), ' · ', h('a', { href: '#/' }, 'Catalog')),
  );
  if (payment.status === 'completed' && params.get('watch')) watchEffects(payment, events, generation);
}

/**
 * Shows the effects of `payment-completed` as they happen: the stock of each item taken, the
 * basket emptied (the event's handlers run after the payment's answer, asynchronously).
 */
async function watchEffects(payment, events, gen) {
  const item = (text, id) => events.append(h('li', { id }, text));
  item('Payment completed: the shop publishes payment-completed.');
  const paidAt = Date.parse(payment.created_at);
  const taken = new Set();
  let emptied = false;
  const until = Date.now() + 30_000;
  while (gen === generation && Date.now() < until && (!emptied || taken.size < payment.items.length)) {
    for (const l of payment.items) {
      if (taken.has(l.product_id)) continue;
      try {
        const { body: p } = await api('GET', `/api/v1/products/${encodeURIComponent(l.product_id)}`);
        // Changed since the payment: its stock was taken (the product's only change on the event).
        if (Date.parse(p.updated_at) >= paidAt) {
          taken.add(l.product_id);
          item(`Stock of ${l.name} taken: ${l.quantity} fewer, ${p.stock} left.`, `stock-${l.product_id}`);
        }
      } catch {}
    }
    if (!emptied) {
      try {
        const { body: b } = await api('GET', `/api/v1/baskets/${encodeURIComponent(payment.user_id)}`);
        if (!b.items.length) {
          emptied = true;
          refreshBasketCount(b);
          item('Basket emptied.', 'basket-emptied');
        }
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  if (gen === generation && (!emptied || taken.size < payment.items.length))
    item('Still waiting for the event’s effects; reload later to see them.');
}

function refundForm(payment, remaining) {
  const digits = digitsOf(payment.amount.currency);
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'aria-labelledby': 'refund-title' },
    h('h2', { id: 'refund-title' }, 'Refund'),
    h('p', { class: 'muted' }, `Up to ${money(remaining)}. Leave the amount empty to refund all of it.`),
    field(
      'refund-amount',
      `Amount (${payment.amount.currency})`,
      { name: 'amount', inputmode: 'decimal', placeholder: (remaining.amount_minor / 10 ** digits).toFixed(digits) },
      'amount_minor',
    ),
    field('refund-reason', 'Reason', { name: 'reason', maxlength: '500' }),
    h('div', {}, h('button', { type: 'submit' }, 'Refund')),
  );
  submitting(form, async (data) => {
    const amount = String(data.get('amount') ?? '').trim();
    const body = { reason: String(data.get('reason') ?? '').trim() };
    if (amount) {
      if (!/^\d+([.,]\d+)?$/.test(amount))
        throw new ApiError(400, {
          code: 'invalid_argument',
          message: 'enter an amount like 12.50',
          field: 'amount_minor',
        });
      body.amount_minor = Math.round(Number(amount.replace(',', '.')) * 10 ** digits);
    }
    const { body: refunded } = await postOnce(`/api/v1/payments/${encodeURIComponent(payment.id)}/refund`, body);
    remember(refunded);
    await paymentView(payment.id, new URLSearchParams());
    say(`Refunded; the payment is now ${(statusLabels[refunded.status] ?? refunded.status).toLowerCase()}.`);
  });
  return form;
}

// --- routing --------------------------------------------------------------------------------

async function render() {
  const gen = ++generation;
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = (path || '/').split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  showAlert('');
  try {
    if (parts[0] === 'product' && parts[1]) await productView(parts[1]);
    else if (parts[0] === 'basket') await basketView(parts[1]);
    else if (parts[0] === 'payment' && parts[1]) await paymentView(parts[1], params);
    else await catalogView(params);
  } catch (e) {
    if (gen !== generation) return;
    const titles = { forbidden: 'Not allowed', not_found: 'Not found', unauthenticated: 'Please sign in' };
    show(titles[e.code] ?? 'Something went wrong');
    showError(e);
  }
}

window.addEventListener('hashchange', () => {
  notice.textContent = '';
  render().then(() => main.querySelector('h1')?.focus());
});
await setUpSignIn();
showAccount();
await render();
