-- Never written nor read: a payment's idempotent replay is answered from the payment itself.
alter table payments drop column response_status;
