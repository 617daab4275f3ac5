import type { Client } from 'urql';
import { uploadEvidence } from '../inspections/Evidence';
import { Detail, Record } from '../inspections/documents';
import type { InspectionDetailQuery } from '../gql/graphql';
import { dequeue, enqueue, isNetworkFailure, type QueuedFinding, queued, saveVisit, type ServerFinding } from './store';

type Finding = InspectionDetailQuery['inspection']['findings'][number];

function serverSide(finding: Finding): ServerFinding {
  return {
    version: finding.version,
    results: finding.results,
    problemKinds: finding.problemKinds,
    followUp: finding.followUp,
    followUpDeadline: finding.followUpDeadline,
    method: finding.method,
    notes: finding.notes,
    officer: finding.officer.name,
  };
}

/** The visit as the server has it now (and kept on the device). */
async function fresh(client: Client, inspectionId: string): Promise<InspectionDetailQuery | null> {
  const result = await client.query(Detail, { id: inspectionId }, { requestPolicy: 'network-only' }).toPromise();
  if (result.data) await saveVisit(inspectionId, result.data);
  return result.data ?? null;
}

let running: Promise<'done' | 'offline'> | null = null;

/**
 * Sends what was recorded without a connection, oldest first, once each: results carry their
 * idempotency key and the version they were based on, so a replay counts once and a change made
 * meanwhile by someone else comes back as a conflict — kept, with the server's version beside it,
 * for the officer to decide (never overwritten). Files follow their results (a file for an item
 * needs the finding's id). Stops at the first network failure; runs one at a time.
 */
export function drainQueue(client: Client, token: string): Promise<'done' | 'offline'> {
  running ??= (async () => {
    // Each visit's finding ids are read once per drain, and again only after a result of it was sent.
    const known = new Map<string, InspectionDetailQuery>();
    try {
      for (const change of await queued()) {
        if (change.kind === 'finding') {
          if (change.conflict || change.refusal) continue;
          const result = await client
            .mutation(Record, {
              inspectionId: change.inspectionId,
              itemId: change.itemId,
              input: { ...change.input, idempotencyKey: change.key },
            })
            .toPromise();
          if (result.data) {
            await dequeue(change.key);
            known.delete(change.inspectionId);
          } else if (isNetworkFailure(result.error)) return 'offline';
          else if (result.error?.graphQLErrors[0]?.extensions?.code === 'CONFLICT') {
            const current = (await fresh(client, change.inspectionId))?.inspection.findings.find((f) => f.item.id === change.itemId);
            await enqueue({ ...change, conflict: current ? serverSide(current) : undefined });
          } else {
            // Refused for good (the visit was submitted meanwhile, say): kept, with the reason, until the officer discards it.
            await enqueue({ ...change, refusal: result.error?.graphQLErrors[0]?.message ?? '服务器拒绝了该修改' });
          }
        } else {
          let findingId: string | null = null;
          if (change.itemId) {
            const visit = known.get(change.inspectionId) ?? (await fresh(client, change.inspectionId));
            if (!visit) return 'offline';
            known.set(change.inspectionId, visit);
            findingId = visit.inspection.findings.find((f) => f.item.id === change.itemId)?.id ?? null;
            if (!findingId) continue; // its result is still queued (or in conflict): the file waits for it
          }
          try {
            await uploadEvidence(
              token,
              { inspectionId: change.inspectionId, findingId, reason: change.reason },
              new File([change.blob], change.fileName, { type: change.blob.type }),
            );
            await dequeue(change.key);
          } catch (error) {
            if (!navigator.onLine || error instanceof TypeError) return 'offline';
            await dequeue(change.key); // refused by the server (its message was shown when it was taken); a replay cannot fix it
          }
        }
      }
      return 'done';
    } finally {
      running = null;
    }
  })();
  return running;
}

/** The officer keeps their own version: sent again on top of the server's. */
export async function keepMine(change: QueuedFinding): Promise<void> {
  const { conflict, ...rest } = change;
  await enqueue({ ...rest, input: { ...rest.input, version: conflict?.version ?? rest.input.version } });
}
