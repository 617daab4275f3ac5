import type { Collection, Ref } from '@mikro-orm/core';

/**
 * Loads a reference through the request's dataloader (MikroORM batches these per tick),
 * so a list of N parents costs one query per relation, not N.
 */
export async function loadRef<T extends object>(ref: Ref<T> | null | undefined): Promise<T | null> {
  if (!ref) return null;
  return ref.load({ dataloader: true }) as Promise<T>;
}

export async function loadRequiredRef<T extends object>(ref: Ref<T>): Promise<T> {
  return ref.loadOrFail({ dataloader: true }) as Promise<T>;
}

export async function loadItems<T extends object>(collection: Collection<T>): Promise<T[]> {
  return collection.loadItems({ dataloader: true });
}
