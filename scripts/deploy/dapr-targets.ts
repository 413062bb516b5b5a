/** Where a folder of Dapr resources runs: what differs between `components/local` and `components/cluster`. */
export interface DaprTarget {
  /** The folder under `components/`. */
  folder: 'local' | 'cluster';
  /** Kafka bootstrap brokers. */
  kafka: string;
  /** Zipkin's span endpoint. */
  zipkin: string;
  /** Why an input binding names its one app (comment lines, without `# `). */
  bindingScopes: string[];
  /** How a sidecar gets the Configuration (comment lines, without `# `). */
  configUse: string[];
}

/** Self-hosted daprd next to a function on this machine (`task dapr:up` renders a copy per run). */
export const local: DaprTarget = {
  folder: 'local',
  kafka: '127.0.0.1:9092',
  zipkin: 'http://127.0.0.1:9411/api/v2/spans',
  bindingScopes: [
    'Scopes hold in self-hosted mode too: without them every daprd started on this folder would',
    'join this consumer group and POST to a route its app does not serve.',
  ],
  configUse: [
    'Self-hosted: daprd --config components/local/config.yaml --resources-path components/local',
    '(daprd skips this file when it loads components: it is not a Component).',
  ],
};

/** Kubernetes: applied into each namespace the Knative Services run in; Kafka and Zipkin live in `daprps`. */
export const cluster: DaprTarget = {
  folder: 'cluster',
  kafka: 'kafka.daprps.svc.cluster.local:9092',
  zipkin: 'http://zipkin.daprps.svc.cluster.local:9411/api/v2/spans',
  bindingScopes: [
    "Only that function's sidecar loads it: any other would join the consumer group and POST to",
    'a route its app does not serve.',
  ],
  configUse: [
    'Kubernetes: applied with the components (kubectl apply -n <namespace> -f components/cluster/)',
    "and chosen by each revision's `dapr.io/config: daprps` annotation.",
  ],
};
