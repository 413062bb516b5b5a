-- Tells listeners (catalog caches of every process) that the products changed: once per
-- statement, delivered when its transaction commits, never when it rolls back.
create or replace function notify_products_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('products_changed', '');
  return null;
end $$;

create trigger products_changed
  after insert or update or delete or truncate on products
  for each statement execute function notify_products_changed();
