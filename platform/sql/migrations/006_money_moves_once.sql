-- The built-in test provider's own ledger: what a stand-in PSP records under each idempotency key
-- (charges by the payment's id, refunds by the refund's id). The shop's code writes it only
-- through the provider (functions/payment/test-provider/), never in the shop's transactions.
create table provider_ledger (
  key text primary key,
  kind text not null check (kind in ('charge', 'refund')),
  charge_key text not null default '',
  amount_minor bigint not null check (amount_minor >= 0),
  currency text not null,
  outcome text not null check (outcome in ('approved', 'declined', 'voided', 'refunded')),
  reason text not null default '',
  created_at timestamptz not null default now()
);
create index provider_ledger_refunds_idx on provider_ledger (charge_key) where kind = 'refund';

-- Each refund the shop asks of the provider, reserved (pending) in the locked transaction that
-- checks what is left, then settled: succeeded (counted in payments.refunded_minor) or failed
-- (the reservation released). Its id is its idempotency key at the provider.
create table refunds (
  id text primary key,
  payment_id text not null references payments (id),
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null,
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  reason text not null default '',
  failure_reason text not null default '',
  request_hash text not null default '',
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index refunds_payment_idx on refunds (payment_id);
create index refunds_pending_idx on refunds (created_at) where status = 'pending';
create index payments_pending_idx on payments (created_at) where status = 'pending';

-- Payments made before this migration were charged by a provider that kept no ledger: the
-- stand-in's ledger starts with what the shop recorded of them (a charge per paid payment, one
-- refund of what each had refunded), so they can still be refunded and reconcile.
insert into provider_ledger (key, kind, amount_minor, currency, outcome)
  select id, 'charge', amount_minor, currency, 'approved' from payments
   where status in ('completed', 'partially_refunded', 'refunded');
insert into refunds (id, payment_id, amount_minor, currency, status, reason, created_at, updated_at)
  select 'before-006:' || id, id, refunded_minor, currency, 'succeeded', refund_reason, updated_at, updated_at
    from payments where refunded_minor > 0;
insert into provider_ledger (key, kind, charge_key, amount_minor, currency, outcome)
  select 'before-006:' || id, 'refund', id, refunded_minor, currency, 'refunded' from payments where refunded_minor > 0;
