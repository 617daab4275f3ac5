import { createParameterDecorator } from 'type-graphql';
import { UnauthenticatedError } from '../core/errors.js';
import type { Viewer } from '../core/viewer.js';
import type { HubContext } from './context.js';

/**
 * `@CurrentViewer() viewer: Viewer` — the signed-in viewer of a non-public operation. Default deny
 * (auth.ts) has already refused anonymous callers; this only turns "maybe null" into a type.
 */
export function CurrentViewer() {
  return createParameterDecorator<HubContext>(({ context }) => viewerIn(context));
}

/** The same for code that gets the context itself (a subscription's `subscribe`). */
export function viewerIn(context: HubContext): Viewer {
  if (!context.viewer) throw context.authError ?? new UnauthenticatedError();
  return context.viewer;
}
