import type { Resources } from './profiles.ts';

/** An environment variable from a key of a Secret, as YAML lines of a container's `env`. */
export const secretEnv = (name: string, secret: string, key: string, optional = false) => [
  `            - name: ${name}`,
  '              valueFrom:',
  '                secretKeyRef:',
  `                  name: ${secret}`,
  `                  key: ${key}`,
  ...(optional ? ['                  optional: true'] : []),
];

/** An environment variable with a value, as YAML lines of a container's `env`. */
export const valueEnv = (name: string, value: string) => [
  `            - name: ${name}`,
  `              value: ${JSON.stringify(value)}`,
];

/** A container's resources, as YAML lines (its `resources:` and what is under it). */
export const resourceLines = (r: Resources) => [
  '          resources:',
  '            requests:',
  `              cpu: ${r.requests.cpu}`,
  `              memory: ${r.requests.memory}`,
  '            limits:',
  `              cpu: ${r.limits.cpu}`,
  `              memory: ${r.limits.memory}`,
];

/**
 * What a container may do (the restricted Pod Security profile, user 1000), as YAML lines under its
 * `securityContext:`.
 */
export const restrictedSecurity = [
  '            runAsNonRoot: true',
  '            runAsUser: 1000',
  '            allowPrivilegeEscalation: false',
  '            capabilities:',
  '              drop: [ALL]',
  '            seccompProfile:',
  '              type: RuntimeDefault',
];

/** The app container, identical for every Service but for its environment and resources. */
export const container = (env: string[], r: Resources) => [
  '      containers:',
  '        - name: app',
  '          # The real image is set per overlay (kustomize `images:`).',
  '          image: daprps:latest',
  '          ports:',
  '            # One port (PORT=8080, set by Knative). http1: Knative speaks HTTP/1.1 to it.',
  '            - name: http1',
  '              containerPort: 8080',
  '          env:',
  ...env,
  '          envFrom:',
  '            # A generated name (kustomize adds a hash of the content, base/kustomizeconfig.yaml',
  '            # points this reference at it): a change of the settings makes a new Revision.',
  '            - configMapRef:',
  '                name: daprps-config',
  '          readinessProbe:',
  '            httpGet:',
  '              path: /health/ready',
  '          livenessProbe:',
  '            httpGet:',
  '              path: /health/live',
  '            periodSeconds: 10',
  '            failureThreshold: 3',
  ...resourceLines(r),
  '          securityContext:',
  "            # The image's `node` user, numerically, so the kubelet can check runAsNonRoot.",
  ...restrictedSecurity,
];
