import { CloudSyncOutlined, DisconnectOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import { Detail } from '../inspections/documents';
import { onQueueChange, type QueuedChange, queued, saveVisit } from './store';
import { drainQueue } from './sync';

const MyOpenVisits = graphql(`
  query MyOpenVisits {
    inspections(mine: true, statuses: [ASSIGNED, IN_PROGRESS], first: 50) {
      nodes {
        id
      }
    }
  }
`);

/** Whether the browser says it has a connection, live. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** The changes waiting to be sent (all, or one visit's), live. */
export function useQueued(inspectionId?: string): QueuedChange[] {
  const [rows, setRows] = useState<QueuedChange[]>([]);
  useEffect(() => {
    let alive = true;
    const read = () => void queued(inspectionId).then((r) => alive && setRows(r));
    read();
    const stop = onQueueChange(read);
    return () => {
      alive = false;
      stop();
    };
  }, [inspectionId]);
  return rows;
}

/**
 * In the header: 离线 while there is no connection, and how many changes wait to be sent (and how
 * many need the officer's decision). Sends them when the connection returns, and keeps the
 * officer's open visits on the device while it is there.
 */
export function OfflineStatus({ officer }: { officer: boolean }) {
  const online = useOnline();
  const waiting = useQueued();
  const client = useClient();
  const { session } = useAuth();
  const token = session?.token;
  const pending = waiting.filter((c) => !(c.kind === 'finding' && (c.conflict || c.refusal))).length;
  const conflicts = waiting.length - pending;

  useEffect(() => {
    if (!online || !token || pending === 0) return;
    void drainQueue(client, token);
    // The browser may say online while the hub is out of reach: try again every 20 s until sent.
    const retry = setInterval(() => void drainQueue(client, token), 20_000);
    return () => clearInterval(retry);
  }, [online, token, pending, client]);

  // 我的检查 on the device: every open visit as last read, for the day without signal.
  useEffect(() => {
    if (!online || !officer) return;
    void (async () => {
      const list = await client.query(MyOpenVisits, {}, { requestPolicy: 'network-only' }).toPromise();
      for (const { id } of list.data?.inspections.nodes ?? []) {
        const visit = await client.query(Detail, { id }, { requestPolicy: 'network-only' }).toPromise();
        if (visit.data) await saveVisit(id, visit.data);
      }
    })();
  }, [online, officer, client]);

  return (
    <>
      {!online && (
        <Tag color="default" icon={<DisconnectOutlined />} data-testid="offline">
          离线
        </Tag>
      )}
      {pending > 0 && (
        <Tag color="processing" icon={<CloudSyncOutlined />} data-testid="queued">
          待同步 {pending}
        </Tag>
      )}
      {conflicts > 0 && (
        <Tag color="error" data-testid="conflicts">
          待处理冲突 {conflicts}
        </Tag>
      )}
    </>
  );
}
