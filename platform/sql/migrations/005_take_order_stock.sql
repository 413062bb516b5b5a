-- A paid order's stock in one round trip (functions/product/sql-store.ts, takeOrderStock): locks
-- the order's products in id order, as every writer of several products does; when one of them
-- cannot serve its line, writes nothing and names the first such line (the caller then takes the
-- rejection path, which queues stock-rejected in the same transaction); otherwise marks the event
-- processed for this consumer and takes the stock, or answers that the event was applied before.
create function take_order_stock(p_consumer text, p_event_id text, p_lines jsonb, p_now timestamptz)
returns jsonb language plpgsql as $$
declare
  short jsonb;
begin
  perform 1 from products
    where id in (select e.line->>'product_id' from jsonb_array_elements(p_lines) as e(line))
    order by id for update;
  select jsonb_build_object('product_id', e.line->>'product_id', 'available', coalesce(p.stock, 0),
                            'requested', (e.line->>'quantity')::int)
    into short
    from jsonb_array_elements(p_lines) with ordinality as e(line, n)
    left join products p on p.id = e.line->>'product_id'
    where coalesce(p.stock, 0) < (e.line->>'quantity')::int
    order by e.n limit 1;
  if short is not null then
    return jsonb_build_object('outcome', 'short') || short;
  end if;
  insert into processed_events (consumer, event_id) values (p_consumer, p_event_id) on conflict do nothing;
  if not found then
    return '{"outcome": "duplicate"}';
  end if;
  update products p set stock = p.stock - (e.line->>'quantity')::int, updated_at = p_now
    from jsonb_array_elements(p_lines) as e(line) where p.id = e.line->>'product_id';
  return '{"outcome": "applied"}';
end $$;
