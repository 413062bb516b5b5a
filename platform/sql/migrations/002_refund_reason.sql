-- Why a payment was last refunded (a manual refund's reason, or the saga's "out_of_stock: ...").
alter table payments add column refund_reason text not null default '';
