import type { FunctionName } from '../../functions/routes.ts';

/** How one Knative Service runs: its scale and its container's resources. */
export interface Profile {
  /** Concurrent requests per pod before another pod is added (request functions, the gateway). */
  target: number;
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** What every Service gets unless a row below says otherwise. */
export const defaultProfile: Profile = {
  target: 50,
  requests: { cpu: '50m', memory: '96Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};

/** Per-function differences from {@link defaultProfile}: the one place they are written. */
export const profiles: Partial<Record<FunctionName | 'gateway', Partial<Profile>>> = {};

/** The profile of a Service. */
export const profileOf = (name: FunctionName | 'gateway'): Profile => ({ ...defaultProfile, ...profiles[name] });
