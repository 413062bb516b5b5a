-- Catalog.
create table products (
  id text primary key,
  name text not null,
  description text not null default '',
  category text not null,
  price_minor bigint not null check (price_minor >= 0),
  currency text not null,
  stock integer not null check (stock >= 0),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index products_category_name_idx on products (category, name, id);
create index products_name_idx on products (name, id);

-- Events whose effect a consumer has applied, written in the same transaction as the effect.
create table processed_events (
  consumer text not null,
  event_id text not null,
  processed_at timestamptz not null default now(),
  primary key (consumer, event_id)
);

-- Payments; card data kept as brand and last four digits only.
create table payments (
  id text primary key,
  order_id text not null unique,
  user_id text not null,
  status text not null,
  amount_minor bigint not null,
  currency text not null,
  refunded_minor bigint not null default 0,
  items jsonb not null,
  card_brand text not null default '',
  card_last4 text not null default '',
  failure_reason text not null default '',
  idempotency_key text,
  request_hash text,
  response_status integer,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (refunded_minor >= 0 and refunded_minor <= amount_minor)
);
create unique index payments_idempotency_idx on payments (user_id, idempotency_key) where idempotency_key is not null;
create index payments_user_idx on payments (user_id, created_at);

-- Transactional outbox: events written with the state change, published by the relay.
create table outbox (
  seq bigserial primary key,
  event_id text not null unique,
  topic text not null,
  key text not null,
  event jsonb not null,
  created_at timestamptz not null default now(),
  published_at timestamptz
);
create index outbox_pending_idx on outbox (seq) where published_at is null;
