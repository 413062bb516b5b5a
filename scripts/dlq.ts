import { readDeadLetters, replayDeadLetters, type NotALetter } from '../functions/events/dead-letter-queue.ts';
import { replayable } from '../functions/events/replayable-letters.ts';
import { loadConfig } from '../platform/config.ts';

const usage = `usage: npm run dlq -- list [--json]
       npm run dlq -- replay <event-id>... | --all
Reads the dead-letters topic on KAFKA_BROKERS (default 127.0.0.1:9092) with KAFKA_PREFIX.`;

const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092', ...process.env });
const topic = { brokers: config.kafkaBrokers, prefix: config.kafkaPrefix };
const [command, ...args] = process.argv.slice(2);

/** Says what on the topic is no dead letter (it cannot be listed or replayed). */
const warn = (unreadable: NotALetter[]) => {
  for (const u of unreadable)
    console.error(`not a dead letter, skipped: partition ${u.partition} offset ${u.offset}: ${u.reason}`);
};

if (command === 'list') {
  const { letters, unreadable } = await readDeadLetters(topic);
  warn(unreadable);
  if (args.includes('--json')) console.log(JSON.stringify(letters, null, 2));
  else if (letters.length === 0) console.log('no dead letters');
  else {
    const outside = new Map(replayable(letters, Date.now()).outside.map((o) => [o.letter, o.reason]));
    for (const d of letters) {
      console.log(
        `${d.dead_at}  ${d.handler}  ${d.topic}  event ${d.event_id || '(not a CloudEvent)'}  key ${d.key || '-'}  attempts ${d.attempts}\n  ${d.reason}`,
      );
      if (outside.has(d)) console.log(`  cannot be replayed: ${outside.get(d)}`);
    }
    console.log(`${letters.length} dead letter(s); replay one with: npm run dlq -- replay <event-id>`);
  }
} else if (command === 'replay' && args.length) {
  const { letters, unreadable: notLetters } = await readDeadLetters(topic);
  warn(notLetters);
  const chosen = args.includes('--all') ? letters : letters.filter((d) => args.includes(d.event_id));
  const missing = args.filter((a) => a !== '--all' && !letters.some((d) => d.event_id === a));
  if (missing.length) console.error(`not in the dead-letter topic: ${missing.join(', ')}`);
  // One replay per event id, even when several handlers gave it up.
  const unique = [...new Map(chosen.map((d) => [`${d.topic}\u0000${d.event_id || d.payload}`, d])).values()];
  const { replayed, unreadable, outside } = await replayDeadLetters(topic, unique, Date.now());
  for (const d of replayed) console.log(`replayed event ${d.event_id} to ${d.topic}`);
  for (const d of unreadable)
    console.error(
      `cannot replay a message that is no CloudEvent (from ${d.topic}, key ${d.key || '-'}): publish a corrected one by hand`,
    );
  // Its signed time cannot be renewed without the shop's key: the handlers would refuse it again.
  for (const { letter, reason } of outside)
    console.error(`not replayed to ${letter.topic}: ${reason}; the handlers would refuse it again`);
  process.exitCode = missing.length || unreadable.length || outside.length ? 1 : 0;
} else {
  console.error(usage);
  process.exitCode = 2;
}
